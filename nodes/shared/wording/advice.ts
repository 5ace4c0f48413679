import type { OptionPath, RequestAdvice } from '../facts/failure';
import type { RejectableParameter } from '../protocol/rejectedParameter';
import { SAMPLING_FIELDS, type SamplingField } from '../protocol/wire';
import { factWords } from './attempt';

/** The option that sends each parameter, and how to leave it out (a sampling option: remove it). */
const LEAVE_OUT: Record<RejectableParameter, [option: string, how: 'default' | 'text' | 'remove']> =
	{
		thinking: ['thinking', 'default'],
		reasoning_effort: ['reasoningEffort', 'default'],
		response_format: ['responseFormat', 'text'],
		...(Object.fromEntries(
			Object.entries(SAMPLING_FIELDS).map(([option, field]) => [field, [option, 'remove']]),
		) as Record<SamplingField, [string, 'remove']>),
		stop: ['stop', 'remove'],
	};

const MAX_LISTED_IDS = 40;

/** What to do about a refused request, where the request tells: the option, or the ids served. */
export function adviceWords(
	advice: RequestAdvice,
	optionPath: OptionPath = () => undefined,
): string {
	if (advice.refused === 'images') {
		// The DeepSeek node has an Images option; the chat model gets its images from the AI node.
		const path = optionPath('binaryProperties');
		const other = path
			? `or leave the images out (${path} and Image URLs)`
			: "or turn off the AI Agent's Automatically Passthrough Binary Images option";
		return `Pick a model that sees images, such as deepseek-flash, ${other}.`;
	}
	if (advice.refused === 'parameter') {
		const [option, how] = LEAVE_OUT[advice.parameter];
		const refused = `MetaChat does not accept the \`${advice.parameter}\` parameter that this node sends`;
		const path = optionPath(option);
		// The chat model sub-node sends stop sequences the AI node it serves asks for.
		if (!path) return `${refused}; no option of this node sets it: the node it serves asks for it.`;
		const action =
			how === 'remove'
				? `remove ${path}`
				: `set ${path} to ${how === 'default' ? 'Model Default' : 'Text'}`;
		return `${refused}; ${action} to leave it out.`;
	}
	const { model, served } = advice;
	const id = modelIdWords(model);
	if (!Array.isArray(served)) {
		return `MetaChat does not serve the model ${id}, and its model list could not be read (${factWords(served)}). Check the model ID.`;
	}
	if (served.includes(model)) {
		return `MetaChat lists the model ${id} but refused it for this request: check the request's options, or ask MetaChat.`;
	}
	if (served.length === 0)
		return `MetaChat does not serve the model ${id}; its model list is empty.`;
	const shown = served.slice(0, MAX_LISTED_IDS).join(', ');
	const more = served.length > MAX_LISTED_IDS ? ` and ${served.length - MAX_LISTED_IDS} more` : '';
	return `MetaChat does not serve the model ${id}. Its /models offers: ${shown}${more}. Pick one in the Model field (From List shows them).`;
}

/**
 * A model ID as an error names it: quoted, unless it may be a key pasted into the Model field
 * (as a Base URL with spaces is): then described, never quoted, not even in part.
 */
export function modelIdWords(model: string): string {
	const described = (what: string) => `in the Model field (${model.length} characters ${what})`;
	if (/\s/.test(model)) return described('with spaces in them, so not a model ID: is it the key?');
	if (mayBeKey(model)) return described('that look like an API key, not a model ID');
	return `"${model.length > 80 ? `${model.slice(0, 80)}…` : model}"`;
}

/** Whether a text looks like a key: a key's prefix, or a long run of mixed letters and digits. */
export function mayBeKey(text: string): boolean {
	if (/^(?:sk|pk|rk|ak)-|^bearer\b/i.test(text)) return true;
	const runs = text.match(/[A-Za-z0-9]{20,}/g) ?? [];
	return runs.some((run) => /\d/.test(run) && /[A-Za-z]/.test(run));
}
