import type { OptionPath } from '../facts/failure';
import type { EndpointOutcome, FailoverFacts } from '../transport/endpoint';
import { factWords } from './attempt';
import { failureWhat } from './failures';

/** How a URL failed, for grouping: its status, else its network code, else what happened. */
function failureGroup(outcome: EndpointOutcome & { skipped?: boolean }): string {
	if (outcome.status) return `status ${outcome.status}`;
	if (outcome.code) return `code ${outcome.code}`;
	return outcome.skipped ? 'skipped' : factWords(outcome.fact);
}

/**
 * The notice of answers the backup URL gave: how the primary failed (its address, its status or
 * network code) and, for a node run, for how many of its items. One short sentence for a whole
 * run, however many items: failures are grouped by status (or network code), each group counted
 * and one example of its words quoted.
 */
export function failoverNotice(events: FailoverFacts[], items?: number): string {
	const groups = new Map<string, { first: EndpointOutcome; count: number; differ: boolean }>();
	for (const { primary } of events) {
		const key = failureGroup(primary);
		const group = groups.get(key);
		if (!group) groups.set(key, { first: primary, count: 1, differ: false });
		else {
			group.count++;
			group.differ ||= factWords(group.first.fact) !== factWords(primary.fact);
		}
	}
	const many = (count: number) => `${count} item${count === 1 ? '' : 's'}`;
	const how = [...groups.values()]
		.map(({ first, count, differ }) => {
			if (differ && first.status) {
				return `answered ${first.status} (${many(count)}; the first said: ${factWords(first.fact)})`;
			}
			const what = failureWhat(first, true);
			return groups.size > 1 && items !== undefined ? `${what} (${many(count)})` : what;
		})
		.join('; ');
	const primaries = [...new Set(events.map((event) => event.primary.url))].join(', ');
	const backups = [...new Set(events.map((event) => event.backupUrl))].join(', ');
	const share = items === undefined ? '' : `, for ${events.length} of ${many(items)}`;
	return `MetaChat failover: the primary URL (${primaries}) ${how}. The failover URL (${backups}) answered instead${share}.`;
}

/**
 * The notice of an answer left empty because the model's thinking used up the token budget
 * (finish_reason "length"): a success, with the two options that fix it, where they sit.
 */
export function thinkingBudgetNotice(optionPath: OptionPath = () => undefined): string {
	const maxTokens = optionPath('maxTokens') ?? 'Maximum Number of Tokens';
	const effort = optionPath('reasoningEffort') ?? 'Reasoning Effort';
	return `The answer is empty: the model used the whole token budget thinking (finish_reason "length"). Raise ${maxTokens}, or set ${effort} lower, and run it again.`;
}

/** The output's notice of a tool loop that stopped at Max Tool Calls Iterations. */
export function toolLimitNotice(rounds: number, pendingTools: string[]): string {
	return `Stopped after ${rounds} rounds of tool calls (Max Tool Calls Iterations); the model still asked for ${pendingTools.join(', ')}, which did not run.`;
}

/** The chat model's warning of a caller's tool_choice left out, since the model may think. */
export function toolChoiceDroppedNotice(model: string, dropped: unknown): string {
	return `DeepSeek's thinking mode cannot be forced to call a tool, and ${model} may think unless its Thinking option is Disabled: the caller's tool_choice ${JSON.stringify(dropped)} was left out, so the model decides. Set Thinking to Disabled (on a model that can switch it off, such as deepseek-chat or deepseek-v4-flash) to force the call.`;
}
