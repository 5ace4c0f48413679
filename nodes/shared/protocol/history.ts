import { jsonParse } from 'n8n-workflow';

import type { ChatMessage, ToolCall } from './wire';

export const ROLES = ['system', 'user', 'assistant', 'tool'] as const;
type Role = (typeof ROLES)[number];

const SHAPE_HINT = 'pass an array of { role, content }, e.g. {{ $json.messages }}';

/** Wrong history input; the message says what is wrong and how to fix it. */
export class HistoryError extends Error {}

function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function contentOf(value: unknown, where: string): string | null | undefined {
	if (value === undefined || value === null) return value;
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (Array.isArray(value)) {
		return value
			.map((part, index) => {
				if (typeof part === 'string') return part;
				const text = (part as { text?: unknown } | null)?.text;
				if (typeof text === 'string') return text;
				throw new HistoryError(
					`${where} has a content part ${index} that is not text: DeepSeek takes text content only`,
				);
			})
			.join('');
	}
	throw new HistoryError(`${where} has content that is ${kindOf(value)}, expected text`);
}

function normaliseToolCalls(value: unknown[], where: string): ToolCall[] {
	return value.map((raw, index) => {
		const call = (raw ?? {}) as {
			id?: unknown;
			function?: { name?: unknown; arguments?: unknown };
		};
		const name = call.function?.name;
		if (typeof call.id !== 'string' || call.id === '' || typeof name !== 'string' || name === '') {
			throw new HistoryError(
				`${where} has a tool call ${index} without an id or a function name: pass tool_calls as this node's Messages output gives them`,
			);
		}
		const args = call.function?.arguments;
		return {
			id: call.id,
			type: 'function',
			function: {
				name,
				arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
			},
		};
	});
}

function normaliseMessage(raw: unknown, index: number): ChatMessage {
	const where = `History message ${index}`;
	if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
		throw new HistoryError(`${where} is ${kindOf(raw)}, expected { role, content }`);
	}
	const message = raw as Record<string, unknown>;
	if (typeof message.role !== 'string' || message.role.trim() === '') {
		throw new HistoryError(`${where} has no role: give it one of ${ROLES.join(', ')}`);
	}
	const role = message.role.trim().toLowerCase() as Role;
	if (!ROLES.includes(role)) {
		throw new HistoryError(
			`${where} has the role "${message.role}": use one of ${ROLES.join(', ')}`,
		);
	}
	const content = contentOf(message.content, where);
	const toolCalls = Array.isArray(message.tool_calls) ? message.tool_calls : undefined;
	if (content === undefined || (content === null && !(role === 'assistant' && toolCalls))) {
		throw new HistoryError(`${where} (${role}) has no content`);
	}
	const result: ChatMessage = { role, content };
	if (typeof message.name === 'string' && message.name !== '') result.name = message.name;
	if (role === 'assistant' && toolCalls) {
		result.tool_calls = normaliseToolCalls(toolCalls, where);
		// Thinking mode needs the reasoning of a tool-call message back in every later request.
		if (typeof message.reasoning_content === 'string') {
			result.reasoning_content = message.reasoning_content;
		}
	}
	if (role === 'tool') {
		if (typeof message.tool_call_id !== 'string' || message.tool_call_id === '') {
			throw new HistoryError(`${where} (tool) has no tool_call_id`);
		}
		result.tool_call_id = message.tool_call_id;
	}
	// Other reasoning_content and any other field are dropped; shared/reasoning.ts decides per model.
	return result;
}

/**
 * Turns the History parameter into messages DeepSeek accepts. Takes an array of messages, a JSON
 * string of one, an object holding `messages` (a whole earlier output item), or one message.
 */
export function normaliseHistory(value: unknown): ChatMessage[] {
	if (value === undefined || value === null) return [];
	let data = value;
	if (typeof data === 'string') {
		if (data.trim() === '') return [];
		try {
			data = jsonParse(data);
		} catch (error) {
			// The parser's message quotes the input, which may hold anything: keep only the position.
			const position = /position (\d+)/.exec((error as Error).message)?.[1];
			const where = position === undefined ? '' : ` (at character ${position})`;
			throw new HistoryError(`History is not valid JSON${where}: ${SHAPE_HINT}`);
		}
		if (data === null) return [];
	}
	if (!Array.isArray(data) && typeof data === 'object' && data !== null) {
		const object = data as Record<string, unknown>;
		if (Array.isArray(object.messages)) data = object.messages;
		else if ('role' in object) data = [object];
	}
	if (!Array.isArray(data)) {
		throw new HistoryError(`History is ${kindOf(data)}, not a list of messages: ${SHAPE_HINT}`);
	}
	return data.map(normaliseMessage);
}
