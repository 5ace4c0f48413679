import { jsonParse } from 'n8n-workflow';

import type { HistoryFact } from '../facts/input';
import { HistoryProblem } from '../failures';
import { base64ImageFormat, isImageUrl } from './imageFormat';
import { ROLES, type ChatMessage, type ContentPart, type ToolCall } from './wire';

export { HistoryProblem, ROLES };
type Role = (typeof ROLES)[number];

const problem = (fact: HistoryFact) => new HistoryProblem(fact);
const isProblem = (value: unknown): value is HistoryProblem => value instanceof HistoryProblem;

const DATA_URL = /^data:[^;,]*(?:;[^;,]*)*;base64,/;

/** An image block of a user message, kept as it is where DeepSeek would take it. */
function imagePart(entry: unknown, index: number, part: number): ContentPart | HistoryProblem {
	const url = (entry as { image_url?: { url?: unknown } }).image_url?.url;
	if (typeof url !== 'string') return problem({ what: 'image-part-not-image', index, part });
	if (isImageUrl(url)) return { type: 'image_url', image_url: { url } };
	const data = DATA_URL.exec(url);
	if (!data || !base64ImageFormat(url.slice(data[0].length))) {
		return problem({ what: 'image-part-not-image', index, part });
	}
	return { type: 'image_url', image_url: { url } };
}

const isImageBlock = (entry: unknown) => (entry as { type?: unknown } | null)?.type === 'image_url';

/** A list of text and image blocks (a user message with images), kept as blocks. */
function blocksOf(value: unknown[], index: number, role: string): ContentPart[] | HistoryProblem {
	const blocks: ContentPart[] = [];
	for (const [part, entry] of value.entries()) {
		if (isImageBlock(entry)) {
			if (role !== 'user') return problem({ what: 'image-not-in-user', index, part, role });
			const image = imagePart(entry, index, part);
			if (isProblem(image)) return image;
			blocks.push(image);
			continue;
		}
		const text = typeof entry === 'string' ? entry : (entry as { text?: unknown } | null)?.text;
		if (typeof text !== 'string') return problem({ what: 'content-part-not-text', index, part });
		blocks.push({ type: 'text', text });
	}
	return blocks;
}

function contentOf(
	value: unknown,
	index: number,
	role: string,
): string | ContentPart[] | null | undefined | HistoryProblem {
	if (value === undefined || value === null) return value;
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (!Array.isArray(value)) return problem({ what: 'content-not-text', index, value });
	if (value.some(isImageBlock)) return blocksOf(value, index, role);
	const parts: string[] = [];
	for (const [part, entry] of value.entries()) {
		const text = typeof entry === 'string' ? entry : (entry as { text?: unknown } | null)?.text;
		if (typeof text !== 'string') {
			return problem({ what: 'content-part-not-text', index, part });
		}
		parts.push(text);
	}
	return parts.join('');
}

/** A tool call's arguments as JSON text (an object is written out, none are {}), or undefined. */
function argumentsText(value: unknown): string | undefined {
	if (value === undefined || value === null) return '{}';
	if (typeof value !== 'string') return JSON.stringify(value);
	if (value.trim() === '') return '{}';
	try {
		JSON.parse(value);
		return value;
	} catch {
		return undefined;
	}
}

function normaliseToolCalls(value: unknown[], index: number): ToolCall[] | HistoryProblem {
	const calls: ToolCall[] = [];
	for (const [position, raw] of value.entries()) {
		const call = (raw ?? {}) as {
			id?: unknown;
			function?: { name?: unknown; arguments?: unknown };
		};
		const name = call.function?.name;
		if (typeof call.id !== 'string' || call.id === '' || typeof name !== 'string' || name === '') {
			return problem({ what: 'tool-call-without-id', index, call: position });
		}
		const args = argumentsText(call.function?.arguments);
		if (args === undefined) return problem({ what: 'tool-call-arguments', index, call: position });
		calls.push({ id: call.id, type: 'function', function: { name, arguments: args } });
	}
	return calls;
}

function normaliseMessage(raw: unknown, index: number): ChatMessage | HistoryProblem {
	if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
		return problem({ what: 'message-not-object', index, value: raw });
	}
	const message = raw as Record<string, unknown>;
	if (typeof message.role !== 'string' || message.role.trim() === '') {
		return problem({ what: 'no-role', index });
	}
	const role = message.role.trim().toLowerCase() as Role;
	if (!ROLES.includes(role)) {
		return problem({ what: 'unknown-role', index, role: message.role });
	}
	const content = contentOf(message.content, index, role);
	if (isProblem(content)) return content;
	const toolCalls = Array.isArray(message.tool_calls) ? message.tool_calls : undefined;
	if (content === undefined || (content === null && !(role === 'assistant' && toolCalls))) {
		return problem({ what: 'no-content', index, role });
	}
	const result: ChatMessage = { role, content };
	if (typeof message.name === 'string' && message.name !== '') result.name = message.name;
	if (role === 'assistant' && toolCalls) {
		const calls = normaliseToolCalls(toolCalls, index);
		if (isProblem(calls)) return calls;
		result.tool_calls = calls;
	}
	// Kept on every assistant message: modelRules.ts decides per model which ones are sent back.
	if (role === 'assistant' && typeof message.reasoning_content === 'string') {
		result.reasoning_content = message.reasoning_content;
	}
	if (role === 'tool') {
		if (typeof message.tool_call_id !== 'string' || message.tool_call_id === '') {
			return problem({ what: 'no-tool-call-id', index });
		}
		result.tool_call_id = message.tool_call_id;
	}
	return result;
}

function parseText(text: string): unknown {
	try {
		return jsonParse(text);
	} catch (error) {
		// The parser's message quotes the input, which may hold anything: keep only the position.
		const position = /position (\d+)/.exec((error as Error).message)?.[1];
		return problem({ what: 'not-json', position });
	}
}

/**
 * The History parameter as messages DeepSeek accepts, or what is wrong with it. Takes an array of
 * messages, a JSON string of one, an object holding `messages` (a whole earlier output item), or
 * one message.
 */
export function normaliseHistory(value: unknown): ChatMessage[] | HistoryProblem {
	if (value === undefined || value === null) return [];
	let data: unknown = value;
	if (typeof data === 'string') {
		if (data.trim() === '') return [];
		data = parseText(data);
		if (isProblem(data)) return data;
		if (data === null) return [];
	}
	if (!Array.isArray(data) && typeof data === 'object' && data !== null) {
		const object = data as Record<string, unknown>;
		if (Array.isArray(object.messages)) data = object.messages;
		else if ('role' in object) data = [object];
	}
	if (!Array.isArray(data)) {
		return problem({ what: 'not-a-list', value: data });
	}
	const messages: ChatMessage[] = [];
	for (const [index, raw] of data.entries()) {
		const message = normaliseMessage(raw, index);
		if (isProblem(message)) return message;
		messages.push(message);
	}
	return messages;
}
