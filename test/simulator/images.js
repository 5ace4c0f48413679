// @ts-check
'use strict';

// Images in user messages, as DeepSeek V4.1 Flash takes them: content arrays of text and
// image_url blocks, for the vision models only; data URLs checked by their bytes; a body limit.
// Where DeepSeek's exact words are unknown the checks are strict and the text marked [simulated].

const crypto = require('crypto');

const MIB = 1024 * 1024;

// The models that see images unless configured: those knownModels.json marks.
const DEFAULT_VISION_MODELS = require('../../nodes/shared/protocol/knownModels.json')
	.filter((/** @type {{ images?: boolean }} */ model) => model.images === true)
	.map((/** @type {{ id: string }} */ model) => model.id);

/**
 * @typedef {{ visionModels: string[], maxBodyBytes: number, oversizeStatus: 400 | 413 }} ImageTuning
 * @typedef {{ kind: 'data', format: string, bytes: number, sha256: string } | { kind: 'url', url: string }} ImageSeen
 */

/** The format the bytes say, by their magic numbers, or undefined. @param {Buffer} bytes */
function formatOf(bytes) {
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
		return 'jpeg';
	if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
		return 'png';
	const head = bytes.subarray(0, 6).toString('latin1');
	if (head === 'GIF87a' || head === 'GIF89a') return 'gif';
	if (
		bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
		bytes.subarray(8, 12).toString('latin1') === 'WEBP'
	)
		return 'webp';
	return undefined;
}

const DATA_URL = /^data:([^;,]*)(;base64)?,/;

/** @param {Partial<ImageTuning>} [options] */
function createImages(options = {}) {
	/** @type {ImageTuning} */
	const tuning = {
		visionModels: [...(options.visionModels ?? DEFAULT_VISION_MODELS)],
		maxBodyBytes: options.maxBodyBytes ?? 48 * MIB,
		oversizeStatus: options.oversizeStatus ?? 413,
	};

	/**
	 * One image_url block: what arrived, or DeepSeek's refusal.
	 * @param {any} block @param {string} where @returns {ImageSeen | [number, string]}
	 */
	function readImage(block, where) {
		const url = block?.image_url?.url;
		if (typeof url !== 'string') return [400, `${where}.image_url.url: missing field \`url\``];
		if (url.startsWith('https://')) return { kind: 'url', url };
		const match = DATA_URL.exec(url);
		if (!match || !match[2])
			return [400, `[simulated] ${where}: an image URL must be https or a base64 data URL`];
		const bytes = Buffer.from(url.slice(match[0].length), 'base64');
		const format = formatOf(bytes);
		if (!format) return [400, `[simulated] ${where}: the image is not JPEG, PNG, GIF or WebP`];
		return {
			kind: 'data',
			format,
			bytes: bytes.length,
			sha256: crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 12),
		};
	}

	return {
		tuning,
		/** @param {Partial<ImageTuning>} partial */
		configure(partial) {
			if (partial.visionModels !== undefined) {
				if (!Array.isArray(partial.visionModels))
					throw new TypeError('visionModels must be an array of model ids');
				tuning.visionModels = [...partial.visionModels];
			}
			if (partial.maxBodyBytes !== undefined) tuning.maxBodyBytes = partial.maxBodyBytes;
			if (partial.oversizeStatus !== undefined) tuning.oversizeStatus = partial.oversizeStatus;
		},
		/** A body over the limit, refused before it is read as JSON. @param {number} bytes @returns {[number, string] | null} */
		checkSize(bytes) {
			if (bytes <= tuning.maxBodyBytes) return null;
			return [
				tuning.oversizeStatus,
				`[simulated] Request body of ${bytes} bytes exceeds the limit of ${tuning.maxBodyBytes} bytes`,
			];
		},
		/**
		 * A user message whose content is an array: text blocks for every model, image_url blocks
		 * only for the vision models.
		 * @param {string} model @param {any} message @param {number} index @returns {[number, string] | null}
		 */
		checkContent(model, message, index) {
			const vision = tuning.visionModels.includes(model);
			for (const [part, block] of message.content.entries()) {
				const where = `messages[${index}].content[${part}]`;
				if (block?.type === 'text' && typeof block.text === 'string') continue;
				if (block?.type === 'image_url' && vision) {
					const seen = readImage(block, where);
					if (Array.isArray(seen)) return seen;
					continue;
				}
				const expected = vision ? 'expected `text` or `image_url`' : 'expected `text`';
				return [
					400,
					`Failed to deserialize the JSON body into the target type: ${where}: unknown variant \`${block?.type}\`, ${expected}`,
				];
			}
			return null;
		},
		/** The text of a content: a string, or its text blocks. @param {unknown} content */
		textOf(content) {
			if (typeof content === 'string') return content;
			if (!Array.isArray(content)) return '';
			return content
				.filter((block) => block?.type === 'text' && typeof block.text === 'string')
				.map((block) => block.text)
				.join('\n');
		},
		/** What images a message carried, in order (checkContent passed it). @param {any} message @returns {ImageSeen[]} */
		seen(message) {
			if (!Array.isArray(message?.content)) return [];
			return message.content
				.filter((/** @type {any} */ block) => block?.type === 'image_url')
				.map((/** @type {any} */ block) => /** @type {ImageSeen} */ (readImage(block, '')));
		},
		/** The answer's proof of what arrived: " [images: png 1234 bytes sha256 ab…; url …]". @param {ImageSeen[]} seen */
		proof(seen) {
			if (seen.length === 0) return '';
			const each = seen.map((image) =>
				image.kind === 'url'
					? `url ${image.url}`
					: `${image.format} ${image.bytes} bytes sha256 ${image.sha256}`,
			);
			return ` [images: ${each.join('; ')}]`;
		},
	};
}

module.exports = { createImages, formatOf, DEFAULT_VISION_MODELS };
