import type { InputFact, StructuredAnswerProblem } from '../facts/input';
import { mayBeKey, modelIdWords } from './advice';
import type { Explained } from './failures';
import { historyWords } from './history';

// Wrong input: what an item, an option or the workflow gives that the node cannot use. The code
// that reads it records what is wrong as facts; the words are made here.

/** What a value is, for an error: its type, and the value itself only when it is short. */
function describeValue(value: unknown): string {
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

/** The image formats DeepSeek reads, as a user knows them. */
const IMAGE_FORMATS = 'JPEG, PNG, GIF or WebP';

const mebibytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Where the sub-node's image came from: a block of the message the AI node handed it. */
const handedPart = (part?: number) => (part === undefined ? '' : ` (block ${part} of its message)`);

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
			// The AI Agent shows only the message of its model's error: the fix is in it.
			return {
				message: `The AI node handed the model a file of type ${fact.mimeType}${handedPart(fact.part)}, but DeepSeek reads only images (${IMAGE_FORMATS}): turn off the agent's Automatically Passthrough Binary PDFs option`,
				description:
					'Turn the file into text first (e.g. with Extract from File) and put the text in the prompt, or send it to a model that reads such files.',
			};
		case 'image-format':
			return {
				message: `The AI node handed the model an image that is not ${IMAGE_FORMATS}${handedPart(fact.part)}${fact.mimeType ? `: it says ${fact.mimeType}, its bytes say otherwise` : ''}`,
				description: `Convert the file to ${IMAGE_FORMATS} first (e.g. with Edit Image: DeepSeek judges the bytes, not the name), or turn off the agent's Automatically Passthrough Binary Images option.`,
			};
		case 'image-url':
			return {
				message: `The image URL "${fact.url.slice(0, 100)}"${handedPart(fact.part)} is not an https URL`,
				description:
					'Give image URLs as https://… addresses DeepSeek can fetch, or attach the image as binary data.',
			};
		case 'image-binary-missing':
			return {
				message:
					fact.property === '*'
						? 'The item has no JPEG, PNG, GIF or WebP binary to attach (Binary Properties is *)'
						: `The item has no binary property "${fact.property}" to attach as an image`,
				description: fact.present.length
					? `Name one of its binary properties (${fact.present.join(', ')}) in Images > Binary Properties, or * for every image.`
					: 'Read the image into the item first (e.g. HTTP Request with Response Format File, or a Form Trigger upload), or remove Binary Properties.',
			};
		case 'image-binary-format':
			return {
				message: `The binary property "${fact.property}" is not a ${IMAGE_FORMATS} image${fact.mimeType ? ` (it says ${fact.mimeType}, its bytes say otherwise)` : ''}`,
				description: `Convert it to ${IMAGE_FORMATS} first (e.g. with Edit Image: DeepSeek judges the bytes, not the name), or leave it out of Images > Binary Properties.`,
			};
		case 'image-request-too-large':
			return {
				message: `The request with its images would be ${mebibytes(fact.bytes)}, over DeepSeek's limit of ${mebibytes(fact.limit)}${fact.largest ? `; the largest image is "${fact.largest}"` : ''}`,
				description:
					'Attach fewer or smaller images (e.g. resize them with Edit Image first), or give them as https URLs.',
			};
		case 'image-urls-not-text':
			return {
				message: `Images > Image URLs is ${describeValue(fact.value)}, not text or a list of texts`,
				description:
					'Give https URLs separated by commas or new lines, or an expression that gives a list of them.',
			};
	}
}
