/**
 * Images through the AI node SDK's adapter. Its fromLcContent drops OpenAI-style `image_url`
 * blocks, which n8n's AI Agent puts in the user message for "Automatically Passthrough Binary
 * Images", and keeps LangChain's standard image block as a `file` part with its media type. Each
 * `image_url` block (and an image or file block of LangChain's older `source_type` form) is rewritten into
 * the standard form before the adapter reads the messages; toDeepSeekMessages sends it again as an
 * `image_url` block. The base64 text is not copied: the new block holds the same string. The hook
 * into the adapter is rewriteMessagesFirst, with the SDK's other gaps in aiNodeSdkGaps.ts.
 */

import { rewriteMessagesFirst } from './aiNodeSdkGaps';

interface LangChainMessage {
	content?: unknown;
	constructor: new (fields: Record<string, unknown>) => LangChainMessage;
	[key: string]: unknown;
}

interface Block {
	type?: unknown;
	image_url?: unknown;
	source_type?: unknown;
	mime_type?: unknown;
	data?: unknown;
	url?: unknown;
}

const DATA_URL = /^data:([^;,]*)(?:;[^;,]*)*;base64,/;

/** One content block in the form the adapter keeps, or the block itself. */
function standardBlock(block: Block): unknown {
	if (block?.type === 'image_url') {
		const raw = block.image_url;
		const url = typeof raw === 'string' ? raw : (raw as { url?: unknown } | null)?.url;
		if (typeof url !== 'string') return block;
		const data = DATA_URL.exec(url);
		if (!data) return { type: 'image', url };
		return { type: 'image', mimeType: data[1] || undefined, data: url.slice(data[0].length) };
	}
	// LangChain's older form (the agent's PDF passthrough uses it): mime_type where mimeType is read.
	if ((block?.type === 'image' || block?.type === 'file') && block.source_type !== undefined) {
		const { source_type, mime_type, ...rest } = block;
		return source_type === 'url'
			? { ...rest, type: block.type }
			: { ...rest, type: block.type, mimeType: mime_type };
	}
	return block;
}

const needsRewrite = (block: Block) =>
	block?.type === 'image_url' ||
	((block?.type === 'image' || block?.type === 'file') && block.source_type !== undefined);

/** A copy of the message with its image blocks in the standard form; the message where it has none. */
function withStandardImages(message: LangChainMessage): LangChainMessage {
	const content = message?.content;
	if (!Array.isArray(content) || !content.some(needsRewrite)) return message;
	const Message = message.constructor;
	const { id, name, additional_kwargs, response_metadata, tool_call_id } = message;
	return new Message({
		content: content.map(standardBlock),
		id,
		name,
		additional_kwargs,
		response_metadata,
		...(tool_call_id !== undefined && { tool_call_id }),
	});
}

/** Rewrites the messages every call of the model gets, generated or streamed. */
export const keepImages = rewriteMessagesFirst(withStandardImages);
