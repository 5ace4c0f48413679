import type { CompletionOptions, Operation } from '../description/options';
import {
	acceptsReasoningEffort,
	acceptsThinking,
	messagesForModel,
	type ThinkingSetting,
} from '../../shared/reasoning';
import type { ChatMessage, CompletionBody, ToolDefinition } from '../../shared/transport/client';

export const MAX_STOP_SEQUENCES = 16;

/** DeepSeek answers 400 to JSON output unless the prompt says "json"; this says it when none does. */
export const JSON_HINT = 'Reply with one valid JSON object and nothing else.';

/** The thinking setting a request runs with: the option, or the operation's own default. */
export function thinkingFor(
	operation: Operation,
	options: CompletionOptions,
): Exclude<ThinkingSetting, 'default'> {
	const chosen = options.thinking ?? 'default';
	if (chosen !== 'default') return chosen;
	return operation === 'reason' ? 'enabled' : 'disabled';
}

function withJsonHint(messages: ChatMessage[]): ChatMessage[] {
	const saysJson = messages.some(
		(message) => typeof message.content === 'string' && /json/i.test(message.content),
	);
	if (saysJson) return messages;
	const leadingSystem = messages.findIndex((message) => message.role !== 'system');
	const at = leadingSystem === -1 ? messages.length : leadingSystem;
	return [...messages.slice(0, at), { role: 'system', content: JSON_HINT }, ...messages.slice(at)];
}

/** The request body for one request of an item; sampling options are sent only when set. */
export function buildRequestBody(
	operation: Operation,
	model: string,
	messages: ChatMessage[],
	options: CompletionOptions,
	tools: ToolDefinition[] = [],
): CompletionBody {
	const json = operation === 'chat' && options.responseFormat === 'json_object';
	const body: CompletionBody = {
		model,
		messages: messagesForModel(model, json ? withJsonHint(messages) : messages),
	};
	if (options.temperature !== undefined) body.temperature = options.temperature;
	if (options.topP !== undefined) body.top_p = options.topP;
	if (options.frequencyPenalty !== undefined) body.frequency_penalty = options.frequencyPenalty;
	if (options.presencePenalty !== undefined) body.presence_penalty = options.presencePenalty;
	if (options.maxTokens !== undefined) body.max_tokens = options.maxTokens;
	if (options.stop) {
		const stop = options.stop
			.split(',')
			.map((sequence) => sequence.trim())
			.filter((sequence) => sequence !== '');
		if (stop.length > 0) body.stop = stop.slice(0, MAX_STOP_SEQUENCES);
	}
	if (json) body.response_format = { type: 'json_object' };
	const thinking = thinkingFor(operation, options);
	if (acceptsThinking(model)) body.thinking = { type: thinking };
	const effort = options.reasoningEffort;
	if (effort && effort !== 'default' && acceptsReasoningEffort(model, thinking)) {
		body.reasoning_effort = effort;
	}
	// No tool_choice: auto is the default, and thinking mode rejects a forced one.
	if (tools.length > 0) body.tools = tools;
	return body;
}
