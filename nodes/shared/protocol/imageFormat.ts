import type { ContentPart } from './wire';

/** The image formats DeepSeek takes, judged by the bytes (docs/images.md). */
export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp';

/** The largest request body DeepSeek takes, images included: 48 MiB. */
export const MAX_REQUEST_BYTES = 48 * 1024 * 1024;

/** The bytes an image's format is read from. */
const SNIFF_BYTES = 12;

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const ascii = (bytes: Uint8Array, from: number, to: number) =>
	String.fromCharCode(...bytes.subarray(from, to));

/** The format the bytes say by their magic numbers, or undefined for anything else. */
export function imageFormatOf(bytes: Uint8Array): ImageFormat | undefined {
	if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
	if (bytes.length >= 8 && PNG.every((byte, index) => bytes[index] === byte)) return 'png';
	const gif = ascii(bytes, 0, 6);
	if (gif === 'GIF87a' || gif === 'GIF89a') return 'gif';
	if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
	return undefined;
}

/** The format of base64 data, read from its first bytes only (the rest is not decoded). */
export function base64ImageFormat(data: string): ImageFormat | undefined {
	return imageFormatOf(Buffer.from(data.slice(0, Math.ceil(SNIFF_BYTES / 3) * 4), 'base64'));
}

/** An image block of a user message: the data as a data URL of the format its bytes say. */
export function imageDataBlock(base64: string, format: ImageFormat): ContentPart {
	return { type: 'image_url', image_url: { url: `data:image/${format};base64,${base64}` } };
}

/** An image block for an https URL, which DeepSeek fetches itself. */
export function imageUrlBlock(url: string): ContentPart {
	return { type: 'image_url', image_url: { url } };
}

/** Whether a URL can be sent as an image URL: https only. */
export function isImageUrl(url: string): boolean {
	return /^https:\/\/[^\s/]+/i.test(url);
}

/**
 * The size in bytes of a request body as JSON, without writing its images out: each image URL is
 * counted by its length (a data URL is ASCII, which JSON does not escape).
 */
export function requestBytes(body: object): number {
	let images = 0;
	const json = JSON.stringify(body, function (this: unknown, key: string, value: unknown) {
		if (key === 'url' && typeof value === 'string' && value.startsWith('data:')) {
			images += value.length;
			return '';
		}
		return value;
	});
	return Buffer.byteLength(json) + images;
}
