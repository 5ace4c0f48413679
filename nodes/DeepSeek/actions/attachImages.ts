import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import {
	base64ImageFormat,
	type ChatMessage,
	type CompletionBody,
	type ContentPart,
	imageDataBlock,
	type ImageFormat,
	imageFormatOf,
	imageUrlBlock,
	isImageUrl,
	MAX_REQUEST_BYTES,
	requestBytes,
} from '../../shared/protocol';
import { inputError } from '../../shared/session';
import { EVERY_IMAGE } from '../description/images';
import type { CompletionOptions } from './readOptions';

/** An item's images, read once for its request. */
export interface ItemImage {
	/** The binary property, or the URL. */
	source: string;
	block: ContentPart;
	/** What the output's messages keep of it: a URL as it is, data as a note (not the bytes). */
	kept: ContentPart;
	bytes: number;
}

type Ctx = Pick<IExecuteFunctions, 'getNode' | 'getInputData' | 'helpers'>;

const listOf = (text: string) =>
	text
		.split(/[\s,]+/)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');

/** The first bytes of a binary, without reading it all where n8n keeps it outside the item. */
async function formatOfBinary(ctx: Ctx, binary: IBinaryData): Promise<ImageFormat | undefined> {
	if (!binary.id) return base64ImageFormat(binary.data);
	const stream = await ctx.helpers.getBinaryStream(binary.id, 16);
	try {
		for await (const chunk of stream) return imageFormatOf(chunk as Buffer);
		return undefined;
	} finally {
		stream.destroy();
	}
}

/** The binary properties Binary Properties names, or every image binary for `*`. */
async function chosenProperties(
	ctx: Ctx,
	itemIndex: number,
	value: unknown,
	binaries: Record<string, IBinaryData>,
): Promise<string[]> {
	const names = typeof value === 'string' ? listOf(value) : [];
	if (!names.includes(EVERY_IMAGE)) return names;
	const images: string[] = [];
	for (const [name, binary] of Object.entries(binaries)) {
		if (await formatOfBinary(ctx, binary)) images.push(name);
	}
	if (images.length === 0) {
		const present = Object.keys(binaries);
		throw inputError(
			ctx.getNode(),
			{ what: 'image-binary-missing', property: EVERY_IMAGE, present },
			itemIndex,
		);
	}
	return [...new Set([...names.filter((name) => name !== EVERY_IMAGE), ...images])];
}

/** One binary property as an image block: its base64 as the item holds it, or read once. */
async function binaryImage(
	ctx: Ctx,
	itemIndex: number,
	property: string,
	binaries: Record<string, IBinaryData>,
): Promise<ItemImage> {
	const binary = binaries[property];
	if (!binary) {
		const present = Object.keys(binaries);
		throw inputError(ctx.getNode(), { what: 'image-binary-missing', property, present }, itemIndex);
	}
	// In memory n8n keeps the base64 itself: used as it is, not decoded and encoded again.
	const base64 = binary.id
		? (await ctx.helpers.getBinaryDataBuffer(itemIndex, property)).toString('base64')
		: binary.data;
	const format = base64ImageFormat(base64);
	if (!format) {
		throw inputError(
			ctx.getNode(),
			{ what: 'image-binary-format', property, mimeType: binary.mimeType },
			itemIndex,
		);
	}
	const bytes = Buffer.byteLength(base64, 'base64');
	return {
		source: property,
		block: imageDataBlock(base64, format),
		kept: {
			type: 'text',
			text: `[image from the binary property "${property}": ${format}, ${bytes} bytes, not kept here]`,
		},
		bytes,
	};
}

function urlImages(ctx: Ctx, itemIndex: number, value: unknown): ItemImage[] {
	if (value === undefined || value === null || value === '') return [];
	const urls = typeof value === 'string' ? listOf(value) : value;
	if (!Array.isArray(urls) || urls.some((url) => typeof url !== 'string')) {
		throw inputError(ctx.getNode(), { what: 'image-urls-not-text', value }, itemIndex);
	}
	return (urls as string[]).map((url) => {
		if (!isImageUrl(url)) throw inputError(ctx.getNode(), { what: 'image-url', url }, itemIndex);
		const block = imageUrlBlock(url);
		return { source: url, block, kept: block, bytes: 0 };
	});
}

/** The item's images the Images options name, in order: binary properties, then URLs. */
export async function readImages(
	ctx: Ctx,
	itemIndex: number,
	options: CompletionOptions,
): Promise<ItemImage[]> {
	const binaries = ctx.getInputData()[itemIndex]?.binary ?? {};
	const images: ItemImage[] = [];
	for (const property of await chosenProperties(
		ctx,
		itemIndex,
		options.binaryProperties,
		binaries,
	)) {
		images.push(await binaryImage(ctx, itemIndex, property, binaries));
	}
	images.push(...urlImages(ctx, itemIndex, options.imageUrls));
	return images;
}

/** The prompt's user message: its text, and the images after it. */
export function userMessage(prompt: string, images: ItemImage[]): ChatMessage {
	if (images.length === 0) return { role: 'user', content: prompt };
	return {
		role: 'user',
		content: [{ type: 'text', text: prompt }, ...images.map((image) => image.block)],
	};
}

/** The user message as the output's messages keep it: no image bytes past the request. */
export function keptMessage(prompt: string, images: ItemImage[]): ChatMessage {
	if (images.length === 0) return { role: 'user', content: prompt };
	return {
		role: 'user',
		content: [{ type: 'text', text: prompt }, ...images.map((image) => image.kept)],
	};
}

/** Fails the item before it is sent when its request would pass DeepSeek's body limit. */
export function checkRequestSize(
	ctx: Ctx,
	itemIndex: number,
	body: CompletionBody,
	images: ItemImage[],
): void {
	if (images.length === 0) return;
	const bytes = requestBytes(body);
	if (bytes <= MAX_REQUEST_BYTES) return;
	const largest = images.reduce((a, b) => (b.bytes > a.bytes ? b : a));
	throw inputError(
		ctx.getNode(),
		{
			what: 'image-request-too-large',
			bytes,
			limit: MAX_REQUEST_BYTES,
			largest: largest.bytes > 0 ? largest.source : undefined,
		},
		itemIndex,
	);
}
