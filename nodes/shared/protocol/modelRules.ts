import knownModels from './knownModels.json';
import type { ChatMessage } from './wire';

export type ThinkingSetting = 'default' | 'enabled' | 'disabled';
export type ReasoningEffort = 'low' | 'high' | 'max';

/**
 * Which assistant messages carry their `reasoning_content` back: none (R1), every one that made
 * tool calls (V3.2), or every one of a turn that made tool calls (V4).
 */
export type Passback = 'none' | 'tool-calls' | 'tool-turns';

/** What a request to a model carries, for a Thinking setting (docs/reliability.md). */
export interface ModelRules {
	/** Whether the request runs in thinking mode, as far as the id tells. */
	thinks: boolean;
	/** The `thinking` body field; absent where the model has no switch or the model decides. */
	thinkingField?: { type: 'enabled' | 'disabled' };
	/** Whether a Reasoning Effort setting is sent. */
	reasoningEffort: boolean;
	passback: Passback;
}

// The known models marked "rule": "r1" in knownModels.json.
const R1_SNAPSHOTS = new Set(
	(knownModels as Array<{ id: string; rule?: string }>)
		.filter((model) => model.rule === 'r1')
		.map((model) => model.id.toLowerCase()),
);
// R1 and its variants by id (deepseek-r1, DeepSeek-R1-0528, r1t2, r1-distill…), never "r10" or "dr1".
const R1_FAMILY = /(?:^|[^a-z0-9])r1(?:t\d+)?(?:[^a-z0-9]|$)/i;
const V3_2 = /^deepseek-v3\.2(?:$|[^0-9])/i;

/** The R1 snapshots answer 400 to `reasoning_content` anywhere, and know no thinking switch. */
export function isR1Family(model: string): boolean {
	return R1_SNAPSHOTS.has(model.toLowerCase()) || R1_FAMILY.test(model);
}

/**
 * DeepSeek's rules for a model id and a Thinking setting, for both nodes. deepseek-reasoner always
 * thinks; deepseek-chat and the V3.2 ids think only when thinking is enabled; V4 ids and any id
 * never seen think unless it is disabled. Passing reasoning back to a model that does not think is
 * ignored while leaving it out of a thinking one is a 400, so every non-R1 model gets it back,
 * deepseek-chat and deepseek-reasoner by V4's rule too (MetaChat may route those names to V4).
 */
export function modelRules(model: string, thinking: ThinkingSetting = 'default'): ModelRules {
	if (isR1Family(model)) return { thinks: true, reasoningEffort: false, passback: 'none' };
	const id = model.toLowerCase();
	if (id === 'deepseek-reasoner')
		return { thinks: true, reasoningEffort: true, passback: 'tool-turns' };
	const thinks =
		id === 'deepseek-chat' || V3_2.test(id) ? thinking === 'enabled' : thinking !== 'disabled';
	return {
		thinks,
		...(thinking !== 'default' && { thinkingField: { type: thinking } }),
		reasoningEffort: thinks,
		passback: V3_2.test(id) ? 'tool-calls' : 'tool-turns',
	};
}

function hasToolCalls(message: ChatMessage): boolean {
	return (
		message.role === 'assistant' &&
		Array.isArray(message.tool_calls) &&
		message.tool_calls.length > 0
	);
}

/** The indexes of the assistant messages that must carry `reasoning_content` under a rule. */
function carriers(passback: Passback, messages: ChatMessage[]): Set<number> {
	const carry = new Set<number>();
	if (passback === 'none') return carry;
	if (passback === 'tool-calls') {
		messages.forEach((message, index) => hasToolCalls(message) && carry.add(index));
		return carry;
	}
	// A turn runs from one user message to the next; the messages before the first are a turn too.
	let turn: number[] = [];
	let toolTurn = false;
	const close = () => {
		if (toolTurn) turn.forEach((index) => carry.add(index));
		turn = [];
		toolTurn = false;
	};
	messages.forEach((message, index) => {
		if (message.role === 'user') close();
		if (message.role !== 'assistant') return;
		turn.push(index);
		toolTurn ||= hasToolCalls(message);
	});
	close();
	return carry;
}

/**
 * The messages as a model gets them: the assistant messages the rule names carry their
 * `reasoning_content`, "" where it is unknown (history from elsewhere, a turn without thinking);
 * every other message goes without it. Input is not mutated.
 */
export function passBackReasoning(passback: Passback, messages: ChatMessage[]): ChatMessage[] {
	const carry = carriers(passback, messages);
	return messages.map((message, index) => {
		if (carry.has(index)) {
			if (typeof message.reasoning_content === 'string') return message;
			return { ...message, reasoning_content: '' };
		}
		if (!('reasoning_content' in message)) return message;
		const rest = { ...message };
		delete rest.reasoning_content;
		return rest;
	});
}
