import type { InputFact, StructuredAnswerProblem } from '../facts/input';
import { mayBeKey, modelIdWords } from './advice';
import type { Explained } from './failures';
import { historyWords } from './history';
import { imageWords } from './images';

// Wrong input: what an item, an option or the workflow gives that the node cannot use. The code
// that reads it records what is wrong as facts; the words are made here.

/** What a value is, for an error: its type, and the value itself only when it is short. */
export function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'string') {
		// A long text could be anything (a key pasted into the wrong field): it is not quoted.
		return value.length <= 20 ? `the text "${value}"` : `a text of ${value.length} characters`;
	}
	if (typeof value === 'number') return `the number ${value}`;
	return `a ${typeof value}`;
}

function structuredAnswerWords(problem: StructuredAnswerProblem): string {
	switch (problem.what) {
		case 'no-tool-call':
			return `The model answered without calling "${problem.name}", the tool that gives the structured output asked of it`;
		case 'not-json':
			return "The model's answer is not the JSON object the structured output asked of it";
		case 'not-schema':
			return `The model's answer does not fit the structured output's schema (${problem.detail})`;
	}
}

const ofItem = (itemIndex?: number) => (itemIndex === undefined ? '' : ` of item ${itemIndex}`);

const PROMPT_FIX = 'Map a text field into Prompt, e.g. {{ $json.text }}.';

/** The error for wrong input: what is wrong, and the fix. */
export function inputWords(fact: InputFact): Explained {
	switch (fact.what) {
		case 'prompt-not-text':
			return {
				message: `The prompt is ${fact.value === null ? 'null' : 'an object'}, not text`,
				description: PROMPT_FIX,
			};
		case 'prompt-empty':
			return { message: 'The prompt is empty', description: PROMPT_FIX };
		case 'history':
			return {
				message: historyWords(fact.problem),
				description:
					'History takes an array of { role, content } messages with the roles system, user, assistant or tool, as the Messages output of this node gives them.',
			};
		case 'system-message-not-text':
			return {
				message: 'The System Message is not text',
				description: 'Map a text field into System Message, e.g. {{ $json.instructions }}.',
			};
		case 'no-model':
		case 'bad-model-id':
			return {
				message:
					fact.what === 'no-model'
						? 'No model is selected'
						: `The model ID ${mayBeKey(fact.model) ? modelIdWords(fact.model) : `"${fact.model.slice(0, 80)}"`} is not valid`,
				description:
					'Pick a model from the list, or type an ID without spaces, e.g. deepseek-chat.',
			};
		case 'number-option': {
			const wanted = fact.min === undefined ? 'a number' : `a number of at least ${fact.min}`;
			return {
				message: `The ${fact.label} option${ofItem(fact.itemIndex)} must be ${wanted}, not ${describeValue(fact.value)}`,
				description: `Set ${fact.label} to a number such as ${(fact.min ?? 0) + 5} (an expression may give it as text, e.g. "1500"), or remove the option.`,
			};
		}
		case 'stop-entry':
			return {
				message: `The ${fact.label} option${ofItem(fact.itemIndex)} has an entry ${fact.entry} that is ${describeValue(fact.value)}, not text`,
				description: `Give ${fact.label} as texts, e.g. ["END", "###"], or as one text with commas between them.`,
			};
		case 'stop-type':
			return {
				message: `The ${fact.label} option${ofItem(fact.itemIndex)} must be a text or a list of texts, not ${describeValue(fact.value)}`,
				description: `Give ${fact.label} as one text with commas between them, e.g. END,###, or as a list of texts.`,
			};
		case 'tool-name-clash':
			return {
				message: `Two connected tools are both called "${fact.name}"${fact.first === fact.second ? '' : ` ("${fact.first}" and "${fact.second}")`}`,
				description: 'Rename one of the tool nodes so every tool has its own name.',
			};
		case 'json-answer':
			return {
				message: fact.empty
					? 'The model gave an empty answer twice although Response Format is JSON Object'
					: "The model's answer is not valid JSON although Response Format is JSON Object",
				description:
					'Describe the JSON you want in the prompt or the System Message (with an example), or raise Maximum Number of Tokens if the answer was cut off.',
			};
		case 'structured-answer':
			return {
				message: structuredAnswerWords(fact.problem),
				description:
					'Describe the fields you want in the prompt, or set Thinking to Disabled on a model that can switch it off (such as deepseek-chat), so the answer comes as a forced tool call.',
			};
		case 'needs-ai-sdk':
			return {
				message:
					'The MetaChat DeepSeek Chat Model needs n8n 2.16 or later (its AI nodes ship @n8n/ai-node-sdk); the MetaChat DeepSeek node works on this n8n',
				description: 'Update n8n, or use the MetaChat DeepSeek node instead of the AI Agent.',
			};
		case 'unknown-operation':
			return {
				message: `The operation "${fact.operation}" is not supported`,
				description: 'Pick Chat or Reason as the operation.',
			};
		case 'file-not-image':
		case 'image-format':
		case 'image-url':
		case 'image-binary-missing':
		case 'image-binary-format':
		case 'image-request-too-large':
		case 'image-urls-not-text':
			return imageWords(fact);
	}
}
