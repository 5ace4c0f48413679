import OpenAI from 'openai';

import type { Completion, CompletionBody, ToolCall, Usage } from '../protocol/wire';
import { parseUntrustedJson } from '../safeJson';
import { AttemptError } from './failures';
import { proxyDispatcher } from './proxy';
import { readSseData } from './sse';

/**
 * An openai client shaped by the credential and the node alone. The SDK reads OPENAI_ORG_ID,
 * OPENAI_PROJECT_ID, OPENAI_CUSTOM_HEADERS, OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_ADMIN_KEY,
 * OPENAI_WEBHOOK_SECRET and OPENAI_LOG from the host: each is given explicitly here, and the
 * custom headers, which it merges into defaultHeaders, are dropped after construction.
 */
class MetaChatClient extends OpenAI {
	constructor(baseURL: string, apiKey: string) {
		super({
			apiKey,
			baseURL,
			adminAPIKey: null,
			organization: null,
			project: null,
			webhookSecret: null,
			defaultHeaders: {},
			maxRetries: 0,
			logLevel: 'off',
			fetchOptions: { dispatcher: proxyDispatcher(baseURL) } as never,
		});
		this._options = { ...this._options, defaultHeaders: {} };
	}
}

/** The only place that builds openai clients: our own retry loop owns retries and deadlines. */
export function createClient(baseURL: string, apiKey: string): OpenAI {
	return new MetaChatClient(baseURL, apiKey);
}

export interface StreamCallbacks {
	onActivity: () => void;
	onContent?: (delta: string) => void;
	onReasoning?: (delta: string) => void;
}

interface ToolCallDelta {
	index?: number;
	id?: string;
	function?: { name?: unknown; arguments?: unknown };
}

interface ChunkChoice {
	delta?: { content?: unknown; reasoning_content?: unknown; tool_calls?: ToolCallDelta[] };
	message?: { content?: unknown; reasoning_content?: unknown; tool_calls?: unknown };
	finish_reason?: string | null;
}

interface CompletionChunk {
	id?: string;
	model?: string;
	created?: number;
	system_fingerprint?: string;
	choices?: ChunkChoice[];
	usage?: Usage | null;
	error?: { message?: string };
}

/**
 * Sends one streamed chat completion and reads it to the end. The answer is read as a stream so
 * keep-alive lines prove the connection alive, and a truncated or malformed answer is detected.
 */
export async function streamCompletion(
	client: OpenAI,
	body: CompletionBody,
	signal: AbortSignal,
	timeoutMs: number,
	callbacks: StreamCallbacks,
): Promise<Completion> {
	const response = await client.chat.completions
		.create({ ...body, stream: true, stream_options: { include_usage: true } } as never, {
			signal,
			timeout: timeoutMs,
			maxRetries: 0,
		})
		.asResponse();
	callbacks.onActivity();

	const type = response.headers.get('content-type') ?? '';
	if (type.includes('application/json')) {
		return fromJsonBody(await response.text(), callbacks);
	}
	if (!type.includes('text/event-stream')) {
		await response.body?.cancel().catch(() => undefined);
		throw new AttemptError(
			'broken',
			`The server answered ${type || 'without a type'}, not an answer`,
		);
	}
	if (!response.body) throw new AttemptError('broken', 'The server answered with an empty body');

	const completion = emptyCompletion();
	const choice = completion.choices[0];
	let content = '';
	let reasoning = '';
	let sawChoice = false;
	const toolCalls = new ToolCallAssembler();
	for await (const data of readSseData(response.body, callbacks.onActivity)) {
		if (data === '[DONE]') break;
		const chunk = parseChunk(data);
		if (chunk.id) completion.id = chunk.id;
		if (chunk.model) completion.model = chunk.model;
		if (chunk.created) completion.created = chunk.created;
		if (chunk.system_fingerprint) completion.system_fingerprint = chunk.system_fingerprint;
		if (chunk.usage) completion.usage = chunk.usage;
		const delta = chunk.choices?.[0];
		if (!delta) continue;
		sawChoice = true;
		const reasoningDelta = delta.delta?.reasoning_content;
		if (typeof reasoningDelta === 'string' && reasoningDelta !== '') {
			reasoning += reasoningDelta;
			callbacks.onReasoning?.(reasoningDelta);
		}
		const contentDelta = delta.delta?.content;
		if (typeof contentDelta === 'string' && contentDelta !== '') {
			content += contentDelta;
			callbacks.onContent?.(contentDelta);
		}
		if (Array.isArray(delta.delta?.tool_calls)) toolCalls.add(delta.delta.tool_calls);
		if (delta.finish_reason) choice.finish_reason = delta.finish_reason;
	}
	if (!sawChoice) throw new AttemptError('broken', 'The answer held no choices');
	if (!choice.finish_reason) {
		throw new AttemptError('broken', 'The answer stream ended before it was complete');
	}
	choice.message.content = content;
	if (reasoning !== '') choice.message.reasoning_content = reasoning;
	const calls = toolCalls.result();
	if (calls.length > 0) choice.message.tool_calls = calls;
	return completion;
}

/** Streamed tool calls arrive in pieces keyed by index: the id and name once, the arguments in parts. */
class ToolCallAssembler {
	private readonly calls = new Map<number, ToolCall>();

	add(deltas: ToolCallDelta[]) {
		for (const [position, delta] of deltas.entries()) {
			const index = typeof delta.index === 'number' ? delta.index : position;
			let call = this.calls.get(index);
			if (!call) {
				call = { id: '', type: 'function', function: { name: '', arguments: '' } };
				this.calls.set(index, call);
			}
			if (typeof delta.id === 'string' && delta.id !== '') call.id = delta.id;
			const name = delta.function?.name;
			if (typeof name === 'string' && name !== '') call.function.name += name;
			const args = delta.function?.arguments;
			if (typeof args === 'string') call.function.arguments += args;
		}
	}

	result(): ToolCall[] {
		return [...this.calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
	}
}

/** Tool calls of a whole (non-streamed) message, in the shape the API documents. */
function toolCallsOf(value: unknown): ToolCall[] {
	if (!Array.isArray(value)) return [];
	const assembler = new ToolCallAssembler();
	assembler.add(value as ToolCallDelta[]);
	return assembler.result();
}

function emptyCompletion(): Completion {
	return {
		id: '',
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: '',
		choices: [
			{ index: 0, message: { role: 'assistant', content: '' }, finish_reason: '', logprobs: null },
		],
	};
}

function parseChunk(data: string): CompletionChunk {
	let chunk: CompletionChunk;
	try {
		chunk = parseUntrustedJson<CompletionChunk>(data);
	} catch {
		throw new AttemptError('broken', 'The answer stream held a chunk that is not JSON');
	}
	if (chunk.error) {
		throw new AttemptError(
			'server',
			`The server reported an error mid-answer: ${chunk.error.message}`,
		);
	}
	return chunk;
}

/** Some proxies ignore stream: true and send a whole completion; accept it if it is complete. */
function fromJsonBody(text: string, callbacks: StreamCallbacks): Completion {
	let parsed: CompletionChunk;
	try {
		parsed = parseUntrustedJson<CompletionChunk>(text);
	} catch {
		throw new AttemptError('broken', 'The answer is not valid JSON');
	}
	const message = parsed.choices?.[0]?.message;
	if (!message) throw new AttemptError('broken', 'The answer held no choices');
	const completion = emptyCompletion();
	Object.assign(completion, {
		id: parsed.id ?? '',
		model: parsed.model ?? '',
		created: parsed.created ?? completion.created,
		system_fingerprint: parsed.system_fingerprint,
		usage: parsed.usage ?? undefined,
	});
	const choice = completion.choices[0];
	choice.finish_reason = parsed.choices?.[0]?.finish_reason ?? 'stop';
	choice.message.content = typeof message.content === 'string' ? message.content : '';
	if (typeof message.reasoning_content === 'string' && message.reasoning_content !== '') {
		choice.message.reasoning_content = message.reasoning_content;
		callbacks.onReasoning?.(message.reasoning_content);
	}
	if (choice.message.content) callbacks.onContent?.(choice.message.content);
	const calls = toolCallsOf(message.tool_calls);
	if (calls.length > 0) choice.message.tool_calls = calls;
	return completion;
}

/** Model ids at an endpoint, through the SDK's paginated list. */
export async function listModelIds(client: OpenAI, signal: AbortSignal): Promise<string[]> {
	const ids: string[] = [];
	for await (const model of client.models.list({ signal, timeout: 15_000, maxRetries: 0 })) {
		ids.push(model.id);
	}
	return ids;
}
