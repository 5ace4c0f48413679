import type { ContentFile, ContentToolCall, Message, MessageContent } from '@n8n/ai-node-sdk';

import {
	base64ImageFormat,
	type ChatMessage,
	type ContentPart,
	imageDataBlock,
	imageUrlBlock,
	isImageUrl,
	textOf,
	type ToolCall,
	toolResultText,
} from '../../shared/protocol';
import { InputProblem } from '../../shared/session';

/** Reasoning kept for a tool call of an earlier round, if any. */
export type RecallReasoning = (toolCallId: string) => string | undefined;

/** The key under which our answers carry their reasoning in n8n's provider metadata. */
export const REASONING_METADATA_KEY = 'reasoning_content';

/**
 * The reasoning to send back with an assistant tool-call message: a reasoning block (the AI Agent
 * v2 keeps our message in memory), our provider metadata on its tool calls, or what the store kept
 * under a tool-call id (the AI Agent v3 rebuilds the message without either).
 */
function reasoningFor(
	content: MessageContent[],
	toolCalls: ContentToolCall[],
	recall: RecallReasoning,
): string | undefined {
	const block = content.find((part) => part.type === 'reasoning');
	if (block?.type === 'reasoning' && block.text) return block.text;
	for (const call of toolCalls) {
		const kept = call.providerMetadata?.[REASONING_METADATA_KEY];
		if (typeof kept === 'string' && kept !== '') return kept;
	}
	for (const call of toolCalls) {
		const kept = call.toolCallId ? recall(call.toolCallId) : undefined;
		if (kept) return kept;
	}
	// Unknown: modelRules.ts fills it in where the model needs it.
	return undefined;
}

/** Turns wrong input into the error to throw: the node's (connection.toError). */
export type Fail = (problem: InputProblem) => Error;

/** A file part the agent or chain handed over as an image block; anything else is refused. */
function imageOf(part: ContentFile, index: number, fail: Fail): ContentPart {
	const mimeType = part.mediaType;
	const url = part.providerMetadata?.url;
	if (mimeType !== undefined && !mimeType.startsWith('image/')) {
		throw fail(new InputProblem({ what: 'file-not-image', part: index, mimeType }));
	}
	if ((part.data === undefined || part.data === '') && typeof url === 'string') {
		if (isImageUrl(url)) return imageUrlBlock(url);
		throw fail(new InputProblem({ what: 'image-url', url, part: index }));
	}
	const base64 =
		typeof part.data === 'string' ? part.data : Buffer.from(part.data).toString('base64');
	const format = base64ImageFormat(base64);
	if (!format) throw fail(new InputProblem({ what: 'image-format', part: index, mimeType }));
	return imageDataBlock(base64, format);
}

/**
 * A user message's content: its text, or, with images, its text and image blocks in their order.
 */
function userContent(content: MessageContent[], fail: Fail): string | ContentPart[] {
	if (!content.some((part) => part.type === 'file')) return textOf(content);
	const parts: ContentPart[] = [];
	content.forEach((part, index) => {
		if (part.type === 'text' && part.text !== '') parts.push({ type: 'text', text: part.text });
		if (part.type === 'file') parts.push(imageOf(part, index, fail));
	});
	return parts;
}

/**
 * n8n's messages as DeepSeek's chat completion messages, each tool-call message with its reasoning
 * where it is known; the shared rules (modelRules.ts) then decide per model what is sent.
 */
export function toDeepSeekMessages(
	messages: Message[],
	recall: RecallReasoning,
	fail: Fail = (problem) => problem,
): ChatMessage[] {
	const result: ChatMessage[] = [];
	for (const message of messages) {
		switch (message.role) {
			case 'system':
				result.push({ role: message.role, content: textOf(message.content) });
				break;
			case 'user':
				result.push({ role: 'user', content: userContent(message.content, fail) });
				break;
			case 'assistant': {
				const toolCalls = message.content.filter(
					(part): part is ContentToolCall => part.type === 'tool-call',
				);
				const out: ChatMessage = { role: 'assistant', content: textOf(message.content) };
				if (toolCalls.length > 0) {
					out.tool_calls = toolCalls.map((call, index): ToolCall => ({
						id: call.toolCallId ?? `call_${result.length}_${index}`,
						type: 'function',
						function: { name: call.toolName, arguments: call.input || '{}' },
					}));
					const reasoning = reasoningFor(message.content, toolCalls, recall);
					if (reasoning !== undefined) out.reasoning_content = reasoning;
				}
				result.push(out);
				break;
			}
			case 'tool':
				for (const part of message.content) {
					if (part.type !== 'tool-result') continue;
					result.push({
						role: 'tool',
						tool_call_id: part.toolCallId,
						content: toolResultText(part.result),
					});
				}
				break;
		}
	}
	return result;
}
