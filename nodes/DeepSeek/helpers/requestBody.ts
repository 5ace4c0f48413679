import type { CompletionOptions, Operation } from '../description/options';
import type { ChatMessage, CompletionBody } from '../../shared/transport/client';

export const MAX_STOP_SEQUENCES = 16;

/** The request body for one item; sampling options are sent only when the user set them. */
export function buildRequestBody(
	operation: Operation,
	model: string,
	messages: ChatMessage[],
	options: CompletionOptions,
): CompletionBody {
	const body: CompletionBody = { model, messages };
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
	if (operation === 'chat' && options.responseFormat === 'json_object') {
		body.response_format = { type: 'json_object' };
	}
	return body;
}
