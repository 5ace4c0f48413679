import { runToolCalls, type NodeTool, type ToolCallSummary } from '../helpers/connectedTools';
import { answerParts } from '../../shared/protocol/thinkTags';
import type { ChatMessage, CompletionBody, Usage } from '../../shared/protocol/wire';
import { completeWithFailover } from '../../shared/transport/failover';
import type { FailoverFacts } from '../../shared/transport/endpoint';
import type {
	Answer,
	DeltaCallbacks,
	RequestPolicy,
	RunScope,
} from '../../shared/transport/request';
import { isSafeKey } from '../../shared/protocol/untrustedJson';
import { cancelledFailure, RequestFailure } from '../../shared/failures';
import { toolWords } from '../../shared/wording';

export interface ToolLoopInput {
	scope: RunScope;
	tools: NodeTool[];
	/** The conversation so far: system, history and the prompt. */
	messages: ChatMessage[];
	body: (conversation: ChatMessage[]) => CompletionBody;
	policy: RequestPolicy;
	/** Rounds of tool calls allowed; 0 means no limit. */
	maxIterations: number;
	retryEmptyAnswer: boolean;
	callbacks: LoopCallbacks;
}

export type LoopCallbacks = DeltaCallbacks & {
	/** Called when a request's answer is taken and the loop goes on to its tool calls. */
	onAnswered?: () => void;
};

export interface ToolLoopResult {
	/** The last answer: the final one, or the tool-call answer the limit stopped. */
	answer: Answer;
	/** Messages the loop added after the prompt: tool-call messages and tool results. */
	added: ChatMessage[];
	toolCalls: ToolCallSummary[];
	usage: Usage | undefined;
	rounds: number;
	limitReached: boolean;
	pendingTools: string[];
	/** The first of the item's requests the backup URL answered, and why. */
	failedOver?: FailoverFacts;
}

/** Adds usage figures field by field (nested ones too), so a loop reports what it cost in all. */
export function addUsage(total: Usage | undefined, next: Usage | undefined): Usage | undefined {
	if (!next) return total;
	if (!total) return addUsage({} as Usage, next);
	const add = (into: Record<string, unknown>, from: Record<string, unknown>) => {
		for (const [key, value] of Object.entries(from)) {
			// A server's usage is data: no key of it may reach a prototype.
			if (!isSafeKey(key)) continue;
			const current = Object.hasOwn(into, key) ? into[key] : undefined;
			if (typeof value === 'number')
				into[key] = (typeof current === 'number' ? current : 0) + value;
			else if (value && typeof value === 'object' && !Array.isArray(value)) {
				if (!current || typeof current !== 'object') into[key] = {};
				add(into[key] as Record<string, unknown>, value as Record<string, unknown>);
			}
		}
	};
	add(total, next);
	return total;
}

/**
 * Asks the model, runs the tools it calls (one round side by side), sends the results back and
 * asks again, until it answers or the round limit is reached. Every request goes through the
 * failover rules on its own, so a primary lost between rounds moves the rest to the backup.
 */
export async function runToolLoop(input: ToolLoopInput): Promise<ToolLoopResult | RequestFailure> {
	const { scope, tools, policy, callbacks } = input;
	const conversation = [...input.messages];
	const added: ChatMessage[] = [];
	const toolCalls: ToolCallSummary[] = [];
	let usage: Usage | undefined;
	let rounds = 0;
	let emptyRetried = false;
	let failedOver: FailoverFacts | undefined;
	/** The loop's result: the last answer, and the tools it asked for that did not run. */
	const result = (
		answer: ToolLoopResult['answer'],
		pendingTools: string[] = [],
	): ToolLoopResult => ({
		answer,
		added,
		toolCalls,
		usage,
		rounds,
		limitReached: pendingTools.length > 0,
		pendingTools,
		failedOver,
	});

	for (;;) {
		if (scope.signal.aborted) return cancelledFailure();
		const answer = await completeWithFailover(scope, input.body(conversation), policy, callbacks);
		if (answer instanceof RequestFailure) return answer;
		failedOver ??= answer.failedOver;
		usage = addUsage(usage, answer.completion.usage);
		const message = answer.completion.choices[0].message;
		const calls = tools.length > 0 ? (message.tool_calls ?? []) : [];

		if (calls.length === 0) {
			// Asked once more only where nothing of it (its reasoning) reached a streaming caller.
			const streamed = (callbacks.streamedChars?.() ?? 0) > 0;
			if (input.retryEmptyAnswer && !emptyRetried && !streamed && message.content.trim() === '') {
				emptyRetried = true;
				callbacks.onRetry?.();
				continue;
			}
			return result(answer);
		}

		callbacks.onAnswered?.();
		// Inline <think> text is reasoning, never content; modelRules.ts decides where it is sent.
		const { content, reasoning } = answerParts(message);
		const callMessage: ChatMessage = { role: 'assistant', content, tool_calls: calls };
		if (reasoning !== '' || message.reasoning_content !== undefined) {
			callMessage.reasoning_content = reasoning;
		}
		conversation.push(callMessage);
		added.push(callMessage);

		if (input.maxIterations > 0 && rounds >= input.maxIterations) {
			// Answer the calls that will not run, so `messages` stays a valid history for a next turn.
			for (const call of calls) {
				added.push({
					role: 'tool',
					tool_call_id: call.id,
					content: toolWords({ what: 'over-iterations' }),
				});
			}
			return result(
				answer,
				calls.map((call) => call.function.name),
			);
		}

		rounds++;
		// A stopped execution ends the tools' round early; nothing more is sent.
		const results = await runToolCalls(tools, calls, rounds, scope.signal);
		if (scope.signal.aborted) return cancelledFailure(answer.endpoint, answer.attempts);
		conversation.push(...results.messages);
		added.push(...results.messages);
		toolCalls.push(...results.summary);
	}
}
