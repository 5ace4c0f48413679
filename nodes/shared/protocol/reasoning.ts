import type { ChatMessage } from './wire';

export type ThinkingSetting = 'default' | 'enabled' | 'disabled';
export type ReasoningEffort = 'low' | 'high' | 'max';

const R1_SNAPSHOTS = new Set(['deepseek-r1-250528', 'deepseek-r1t2-chimera']);
// R1 and its variants by id (deepseek-r1, DeepSeek-R1-0528, r1t2, r1-distill…), never "r10" or "dr1".
const R1_FAMILY = /(?:^|[^a-z0-9])r1(?:t\d+)?(?:[^a-z0-9]|$)/i;
// Models where `thinking: {type}` switches thinking on and off: deepseek-chat (V3.2 and V4 routing)
// and the versioned V3.2 / V4 ids.
const THINKING_SWITCH = /^(?:deepseek-chat|deepseek-v3\.2.*|deepseek-v4.*)$/i;
const ALWAYS_THINKING = new Set(['deepseek-reasoner']);

/** The R1 snapshots answer 400 to `reasoning_content` anywhere in the messages. */
export function isR1Family(model: string): boolean {
	return R1_SNAPSHOTS.has(model.toLowerCase()) || R1_FAMILY.test(model);
}

/** Whether the model takes DeepSeek's `thinking: {type}` body field. */
export function acceptsThinking(model: string): boolean {
	return !isR1Family(model) && THINKING_SWITCH.test(model);
}

/**
 * Whether the model may be in thinking mode for this request: always for deepseek-reasoner, and
 * for the switchable models unless thinking is off (since V4, deepseek-chat thinks by default).
 */
export function mayThink(model: string, thinking: ThinkingSetting = 'default'): boolean {
	if (isR1Family(model)) return true;
	if (ALWAYS_THINKING.has(model.toLowerCase())) return true;
	if (acceptsThinking(model)) return thinking !== 'disabled';
	return thinking === 'enabled';
}

/** Whether `reasoning_effort` may be sent: thinking-mode models other than R1. */
export function acceptsReasoningEffort(
	model: string,
	thinking: ThinkingSetting = 'default',
): boolean {
	if (isR1Family(model)) return false;
	if (ALWAYS_THINKING.has(model.toLowerCase())) return true;
	return acceptsThinking(model) && thinking !== 'disabled';
}

function hasToolCalls(message: ChatMessage): boolean {
	return (
		message.role === 'assistant' &&
		Array.isArray(message.tool_calls) &&
		message.tool_calls.length > 0
	);
}

/**
 * The messages to send to a model, per DeepSeek's thinking-mode rule: an assistant message that
 * made tool calls keeps its `reasoning_content` (or the API answers 400), every other message
 * loses it; the R1 snapshots reject it anywhere, so they never get it. Input is not mutated.
 */
export function messagesForModel(model: string, messages: ChatMessage[]): ChatMessage[] {
	const r1 = isR1Family(model);
	return messages.map((message) => {
		if (!('reasoning_content' in message)) return message;
		const keep = !r1 && hasToolCalls(message) && typeof message.reasoning_content === 'string';
		if (keep) return message;
		const { reasoning_content: _dropped, ...rest } = message;
		return rest;
	});
}
