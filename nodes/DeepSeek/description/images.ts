import type { INodeProperties } from 'n8n-workflow';

/** What Binary Properties takes for every image binary of the item. */
export const EVERY_IMAGE = '*';

/** The item's binary properties sent as images with the prompt. */
export const binaryPropertiesOption: INodeProperties = {
	displayName: 'Binary Properties',
	name: 'binaryProperties',
	type: 'string',
	default: '',
	placeholder: 'e.g. data, receipt, or * for every image',
	description:
		"Names of the item's binary properties to send as images with the prompt, separated by commas; * sends every image of the item. JPEG, PNG, GIF and WebP, for a model that sees images such as deepseek-flash.",
};

/** Image URLs sent with the prompt, which DeepSeek fetches itself. */
export const imageUrlsOption: INodeProperties = {
	displayName: 'Image URLs',
	name: 'imageUrls',
	type: 'string',
	default: '',
	placeholder: 'e.g. https://example.com/receipt.png',
	description:
		'Https URLs of images to send with the prompt, separated by commas or new lines (an expression may give a list)',
};

/** The image options, in the order they are read. */
export const IMAGE_OPTIONS: INodeProperties[] = [binaryPropertiesOption, imageUrlsOption];

/** Version 2's Images collection: the images that join the prompt's user message. */
export const imagesProperty: INodeProperties = {
	displayName: 'Images',
	name: 'images',
	placeholder: 'Add Image Option',
	type: 'collection',
	default: {},
	description: 'Images sent with the prompt, for a model that sees images such as deepseek-flash',
	options: IMAGE_OPTIONS,
};
