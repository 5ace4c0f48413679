import type { CompletionBody } from './wire';

/** Body parameters an option adds, each with how to leave it out, in the order they are checked. */
const TURN_OFF: Array<[parameter: keyof CompletionBody, howToLeaveOut: string]> = [
	['thinking', 'set Options > Thinking to Model Default'],
	['reasoning_effort', 'set Options > Reasoning Effort to Model Default'],
	['response_format', 'set Options > Response Format to Text'],
	['temperature', 'remove Options > Sampling Temperature'],
	['top_p', 'remove Options > Top P'],
	['frequency_penalty', 'remove Options > Frequency Penalty'],
	['presence_penalty', 'remove Options > Presence Penalty'],
	['max_tokens', 'remove Options > Maximum Number of Tokens'],
	['stop', 'remove Options > Stop Sequences'],
];

// How servers say a parameter is not theirs (DeepSeek, OpenAI, vLLM, pydantic, proxies).
const REJECTS =
	/unknown|unrecogni[sz]ed|unsupported|not supported|does not support|not (?:allowed|permitted|accepted)|extra (?:inputs|fields)|forbidden|invalid|unexpected/i;

/**
 * For a 400/422 message that names a parameter this request carried, the option that leaves it
 * out, e.g. "MetaChat does not accept the `thinking` parameter that this node sends; set Options >
 * Thinking to Model Default to leave it out." Undefined when the message names none.
 */
export function rejectedParameter(body: CompletionBody, message: string): string | undefined {
	if (!REJECTS.test(message)) return undefined;
	for (const [parameter, howToLeaveOut] of TURN_OFF) {
		if (body[parameter] === undefined) continue;
		// "thinking mode" is DeepSeek's name for the mode, not the parameter.
		const named = new RegExp(`(?<![A-Za-z0-9_])${parameter}(?![A-Za-z0-9_]|\\s+mode)`, 'i');
		if (!named.test(message)) continue;
		return `MetaChat does not accept the \`${parameter}\` parameter that this node sends; ${howToLeaveOut} to leave it out.`;
	}
	return undefined;
}
