import { jsonParse } from 'n8n-workflow';

import type { ChatMessage, ToolCall } from './wire';

export const ROLES = ['system', 'user', 'assistant', 'tool'] as const;
type Role = (typeof ROLES)[number];

const SHAPE_HINT = 'pass an array of { role, content }, e.g. {{ $json.messages }}';

/** Wrong history input, returned for the caller to raise: what is wrong and how to fix it. */
export class HistoryProblem {
	constructor(readonly message: string) {}
}

const problem = (message: string) => new HistoryProblem(message);
const isProblem = (value: unknown): value is HistoryProblem => value instanceof HistoryProblem;

function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function contentOf(value: unknown, where: string): string | null | undefined | HistoryProblem {
	if (value === undefined || value === null) return value;
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (!Array.isArray(value))
		return problem(`${where} has content that is ${kindOf(value)}, expected text`);
	const parts: string[] = [];
	for (const [index, part] of value.entries()) {
		const text = typeof part === 'string' ? part : (part as { text?: unknown } | null)?.text;
		if (typeof text !== 'string') {
			return problem(
				`${where} has a content part ${index} that is not text: DeepSeek takes text content only`,
			);
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

function normaliseToolCalls(value: unknown[], where: string): ToolCall[] | HistoryProblem {
	const calls: ToolCall[] = [];
	for (const [index, raw] of value.entries()) {
		const call = (raw ?? {}) as {
			id?: unknown;
			function?: { name?: unknown; arguments?: unknown };
		};
		const name = call.function?.name;
		if (typeof call.id !== 'string' || call.id === '' || typeof name !== 'string' || name === '') {
			return problem(
				`${where} has a tool call ${index} without an id or a function name: pass tool_calls as this node's Messages output gives them`,
			);
		}
		const args = argumentsText(call.function?.arguments);
		// The arguments are not quoted: they may hold anything.
		if (args === undefined) {
			return problem(
				`${where} has a tool call ${index} whose arguments are not valid JSON: give function.arguments as JSON text such as {"city":"Paris"}, or as an object`,
			);
		}
		calls.push({ id: call.id, type: 'function', function: { name, arguments: args } });
	}
	return calls;
}

function normaliseMessage(raw: unknown, index: number): ChatMessage | HistoryProblem {
	const where = `History message ${index}`;
	if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
		return problem(`${where} is ${kindOf(raw)}, expected { role, content }`);
	}
	const message = raw as Record<string, unknown>;
	if (typeof message.role !== 'string' || message.role.trim() === '') {
		return problem(`${where} has no role: give it one of ${ROLES.join(', ')}`);
	}
	const role = message.role.trim().toLowerCase() as Role;
	if (!ROLES.includes(role)) {
		return problem(`${where} has the role "${message.role}": use one of ${ROLES.join(', ')}`);
	}
	const content = contentOf(message.content, where);
	if (isProblem(content)) return content;
	const toolCalls = Array.isArray(message.tool_calls) ? message.tool_calls : undefined;
	if (content === undefined || (content === null && !(role === 'assistant' && toolCalls))) {
		return problem(`${where} (${role}) has no content`);
	}
	const result: ChatMessage = { role, content };
	if (typeof message.name === 'string' && message.name !== '') result.name = message.name;
	if (role === 'assistant' && toolCalls) {
		const calls = normaliseToolCalls(toolCalls, where);
		if (isProblem(calls)) return calls;
		result.tool_calls = calls;
	}
	// Kept on every assistant message: modelRules.ts decides per model which ones are sent back.
	if (role === 'assistant' && typeof message.reasoning_content === 'string') {
		result.reasoning_content = message.reasoning_content;
	}
	if (role === 'tool') {
		if (typeof message.tool_call_id !== 'string' || message.tool_call_id === '') {
			return problem(`${where} (tool) has no tool_call_id`);
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
		const where = position === undefined ? '' : ` (at character ${position})`;
		return problem(`History is not valid JSON${where}: ${SHAPE_HINT}`);
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
		return problem(`History is ${kindOf(data)}, not a list of messages: ${SHAPE_HINT}`);
	}
	const messages: ChatMessage[] = [];
	for (const [index, raw] of data.entries()) {
		const message = normaliseMessage(raw, index);
		if (isProblem(message)) return message;
		messages.push(message);
	}
	return messages;
}
