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

// How servers say the model id is not theirs (DeepSeek's "Model Not Exist", OpenAI's "The model
// `x` does not exist", proxies' "model not found" / "no such model" / "invalid model").
const MODEL_REFUSED =
	/model[^.]{0,80}?(?:not? (?:exist|found|available|supported)|does not exist|unknown|invalid)|(?:unknown|invalid|unsupported|no such) model/i;

const MAX_LISTED_IDS = 40;

/** Whether a 400/404/422 message says the request's model id is not served. */
export function refusesModel(message: string): boolean {
	return MODEL_REFUSED.test(message);
}

/**
 * What to do about a refused model id: the ids MetaChat's /models offers (the only truth about
 * what it serves), or, when the list could not be read, why not.
 */
export function refusedModelHint(model: string, served: string[] | string): string {
	const id = model.length > 80 ? `${model.slice(0, 80)}…` : model;
	if (typeof served === 'string') {
		return `MetaChat does not serve the model "${id}", and its model list could not be read (${served}). Check the model ID.`;
	}
	if (served.includes(model)) {
		return `MetaChat lists the model "${id}" but refused it for this request: check the request's options, or ask MetaChat.`;
	}
	if (served.length === 0) return `MetaChat does not serve the model "${id}"; its model list is empty.`;
	const shown = served.slice(0, MAX_LISTED_IDS).join(', ');
	const more = served.length > MAX_LISTED_IDS ? ` and ${served.length - MAX_LISTED_IDS} more` : '';
	return `MetaChat does not serve the model "${id}". Its /models offers: ${shown}${more}. Pick one in the Model field (From List shows them).`;
}
