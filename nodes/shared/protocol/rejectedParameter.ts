import { SAMPLING_FIELDS, type CompletionBody, type SamplingField } from './wire';

/** Body parameters an option adds, in the order a refusal is checked for them. */
export const REJECTABLE_PARAMETERS = [
	'thinking',
	'reasoning_effort',
	'response_format',
	...(Object.values(SAMPLING_FIELDS) as SamplingField[]),
	'stop',
] as const;

export type RejectableParameter = (typeof REJECTABLE_PARAMETERS)[number];

// How servers say a parameter is not theirs (DeepSeek, OpenAI, vLLM, pydantic, proxies).
const REJECTS =
	/unknown|unrecogni[sz]ed|unsupported|not supported|does not support|not (?:allowed|permitted|accepted)|extra (?:inputs|fields)|forbidden|invalid|unexpected/i;

/**
 * The parameter this request carried that a 400/422 message says the server does not take (the
 * wording module names the option that leaves it out). Undefined when the message names none.
 */
export function rejectedParameter(
	body: CompletionBody,
	message: string,
): RejectableParameter | undefined {
	if (!REJECTS.test(message)) return undefined;
	return REJECTABLE_PARAMETERS.find((parameter) => {
		if (body[parameter] === undefined) return false;
		// "thinking mode" is DeepSeek's name for the mode, not the parameter.
		return new RegExp(`(?<![A-Za-z0-9_])${parameter}(?![A-Za-z0-9_]|\\s+mode)`, 'i').test(message);
	});
}

// How servers say the model id is not theirs (DeepSeek's "Model Not Exist", OpenAI's "The model
// `x` does not exist", proxies' "model not found" / "no such model" / "invalid model").
const MODEL_REFUSED =
	/model[^.]{0,80}?(?:not? (?:exist|found|available|supported)|does not exist|unknown|invalid)|(?:unknown|invalid|unsupported|no such) model/i;

/** Whether a 400/404/422 message says the request's model id is not served. */
export function refusesModel(message: string): boolean {
	return MODEL_REFUSED.test(message);
}

/** Whether a 400/422 refuses the image blocks this request carried (a model without vision). */
export function refusesImages(body: CompletionBody, message: string): boolean {
	const hasImages = body.messages.some(
		(message) =>
			Array.isArray(message.content) && message.content.some((part) => part.type === 'image_url'),
	);
	return hasImages && REJECTS.test(message) && /image/i.test(message);
}
