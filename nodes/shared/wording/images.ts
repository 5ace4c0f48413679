import type { InputFact } from '../facts/input';
import type { Explained } from './failures';
import { describeValue } from './input';

// Images an item or an AI node gives that DeepSeek cannot take: what is wrong, and the fix.

type ImageFact = Extract<
	InputFact,
	{
		what:
			| 'file-not-image'
			| 'image-format'
			| 'image-url'
			| 'image-binary-missing'
			| 'image-binary-format'
			| 'image-request-too-large'
			| 'image-urls-not-text';
	}
>;

/** The image formats DeepSeek reads, as a user knows them. */
const IMAGE_FORMATS = 'JPEG, PNG, GIF or WebP';

const mebibytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Where the sub-node's image came from: a block of the message the AI node handed it. */
const handedPart = (part?: number) => (part === undefined ? '' : ` (block ${part} of its message)`);

/** The error for an image that cannot be sent: what is wrong, and the fix. */
export function imageWords(fact: ImageFact): Explained {
	switch (fact.what) {
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
