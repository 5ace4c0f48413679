import { randomUUID } from 'crypto';
import type { IHttpRequestOptions } from 'n8n-workflow';

import type { Completion, CompletionBody, ToolCall, Usage } from '../protocol/wire';
import { isSafeKey, parseUntrustedJson } from '../protocol/untrustedJson';
import type { AttemptDeadline } from './deadline';
import { failureForCause } from './deadline';
import {
	AttemptFailure,
	causeCode,
	describeCode,
	failureFromRequestError,
	failureFromStatus,
	header,
	type Headers,
	quote,
	redact,
	redacted,
} from './failures';
import { EVENT_TOO_LONG, LINE_TOO_LONG, readSseData } from './sse';

/**
 * n8n's request helper, bound to the node that calls it and its MetaChat credential
 * (`this.helpers.httpRequestWithAuthentication` with 'metaChatApi'): n8n adds the key, applies its
 * proxy settings and SSRF policy. The only way this package talks to MetaChat.
 */
export type MetaChatHttp = (options: IHttpRequestOptions) => Promise<unknown>;

interface FullResponse {
	body: unknown;
	headers: Headers;
	statusCode: number;
}

/** Content, reasoning and tool arguments of one answer together; past this it is cut off. */
export const MAX_ANSWER_CHARS = 8 * 1024 * 1024;
/** A whole JSON body (a server that ignores stream: true, or a model list). */
export const MAX_JSON_BODY_BYTES = 16 * 1024 * 1024;
/** How much of an error page is read to quote from; the rest is never downloaded. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** Tool calls in one answer, as OpenAI's SDK bounds them. */
export const MAX_TOOL_CALLS = 128;

export interface StreamCallbacks {
	onContent?: (delta: string) => void;
	onReasoning?: (delta: string) => void;
}

/** A body n8n returned with `encoding: 'stream'`: a Node readable, destroyed when we stop. */
type BodyStream = AsyncIterable<Uint8Array | string> & { destroy?: (error?: Error) => void };

function isStream(value: unknown): value is BodyStream {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
	);
}

function destroy(body: unknown): void {
	if (isStream(body)) body.destroy?.();
}

/**
 * Reads at most maxBytes of a body as text, then lets the rest go. A body that breaks off (the
 * socket closed, or destroyed by the deadline) gives what had arrived, with `lost` and its cause.
 */
async function readText(
	body: unknown,
	maxBytes: number,
	onActivity: () => void,
): Promise<{ text: string; cut: boolean; lost?: { error: unknown } }> {
	if (typeof body === 'string')
		return { text: body.slice(0, maxBytes), cut: body.length > maxBytes };
	if (!isStream(body)) return { text: '', cut: false };
	const decoder = new TextDecoder();
	let text = '';
	let bytes = 0;
	try {
		for await (const part of body) {
			onActivity();
			const chunk = typeof part === 'string' ? Buffer.from(part) : part;
			bytes += chunk.length;
			text += decoder.decode(chunk.subarray(0, Math.max(0, chunk.length - (bytes - maxBytes))), {
				stream: true,
			});
			if (bytes > maxBytes) return { text, cut: true };
		}
	} catch (error) {
		return { text, cut: false, lost: { error } };
	} finally {
		destroy(body);
	}
	return { text: text + decoder.decode(), cut: false };
}

/** How much later than the attempt's own deadline n8n's helper gives up waiting for headers. */
const HELPER_TIMEOUT_MARGIN_MS = 1000;

/**
 * Sends one request through n8n's helper and waits for its headers, within the attempt's
 * deadline. The helper takes no abort signal of ours (n8n sets the execution's own), so a request
 * the deadline gave up on is left to its `timeout` and its body destroyed when it comes.
 */
async function send(
	http: MetaChatHttp,
	options: IHttpRequestOptions,
	deadline: AttemptDeadline,
	apiKey: string,
): Promise<FullResponse | AttemptFailure> {
	const pending = http({
		...options,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// The deadline decides when the wait is over and why (idle, answer or item timeout);
		// the helper's own timeout comes a little later and only frees the socket.
		timeout: deadline.headersTimeoutMs + HELPER_TIMEOUT_MARGIN_MS,
	});
	const outcome = await Promise.race([
		pending.then(
			(response) => ({ response: response as FullResponse }),
			(error: unknown) => ({ error }),
		),
		deadline.stopped.then((cause) => ({ cause })),
	]);
	if ('cause' in outcome) {
		pending.then(
			(late) => destroy((late as FullResponse | undefined)?.body),
			() => undefined,
		);
		return failureForCause(outcome.cause, deadline);
	}
	if ('error' in outcome) {
		return deadline.cause
			? failureForCause(deadline.cause, deadline)
			: failureFromRequestError(outcome.error, apiKey);
	}
	const { response } = outcome;
	deadline.activity();
	deadline.whenStopped(() => destroy(response.body));
	if (response.statusCode >= 400) {
		const { text, lost } = await readText(response.body, MAX_ERROR_BODY_BYTES, deadline.activity);
		// A stop or the item's deadline ends the attempt; a body that broke off or went silent only
		// loses the server's words, and the status decides what the failure is.
		if (deadline.cause === 'cancelled' || deadline.cause === 'item-timeout') {
			return failureForCause(deadline.cause, deadline);
		}
		const bodyLost = lost !== undefined || deadline.cause !== undefined;
		return failureFromStatus(response.statusCode, response.headers, text, apiKey, bodyLost);
	}
	return response;
}

/**
 * Sends one streamed chat completion and reads it to the end. The answer is read as a stream so
 * keep-alive lines prove the connection alive, and a truncated, malformed or oversized answer is
 * detected. Returns the completion, or the attempt's failure as a value.
 */
export async function requestCompletion(
	http: MetaChatHttp,
	baseUrl: string,
	apiKey: string,
	body: CompletionBody,
	deadline: AttemptDeadline,
	callbacks: StreamCallbacks,
): Promise<Completion | AttemptFailure> {
	const response = await send(
		http,
		{
			method: 'POST',
			url: `${baseUrl}/chat/completions`,
			headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json' },
			body: { ...body, stream: true, stream_options: { include_usage: true } } as never,
			encoding: 'stream',
		},
		deadline,
		apiKey,
	);
	if (response instanceof AttemptFailure) return response;
	const type = header(response.headers, 'content-type').toLowerCase();
	try {
		if (type.includes('application/json')) {
			const { text, cut, lost } = await readText(
				response.body,
				MAX_JSON_BODY_BYTES,
				deadline.activity,
			);
			if (lost) throw lost.error;
			if (cut) return tooLarge(`${MAX_JSON_BODY_BYTES / 1024 / 1024} MiB`);
			return fromJsonBody(text, callbacks, apiKey);
		}
		if (!type.includes('text/event-stream')) {
			destroy(response.body);
			return new AttemptFailure(
				'broken',
				`The server answered ${type.split(';')[0] || 'without a type'}, not an answer`,
			);
		}
		if (!isStream(response.body)) {
			return new AttemptFailure('broken', 'The server answered with an empty body');
		}
		const result = await fromStream(response.body, deadline, callbacks, apiKey);
		// A server may quote the request, key included, in an error inside the stream.
		return result instanceof AttemptFailure ? redacted(result, apiKey) : result;
	} catch (error) {
		if (deadline.cause) return failureForCause(deadline.cause, deadline);
		return new AttemptFailure(
			'broken',
			redact(`The answer broke off: ${describeCode(causeCode(error))}`, apiKey),
		);
	} finally {
		destroy(response.body);
	}
}

function tooLarge(limit: string): AttemptFailure {
	return new AttemptFailure('broken', `The answer was larger than ${limit} and was cut off`);
}

interface ToolCallDelta {
	index?: unknown;
	id?: unknown;
	function?: { name?: unknown; arguments?: unknown };
}

interface ChunkChoice {
	delta?: { content?: unknown; reasoning_content?: unknown; tool_calls?: unknown };
	message?: { content?: unknown; reasoning_content?: unknown; tool_calls?: unknown };
	finish_reason?: unknown;
}

interface CompletionChunk {
	id?: unknown;
	model?: unknown;
	created?: unknown;
	system_fingerprint?: unknown;
	choices?: unknown;
	usage?: unknown;
	error?: { message?: unknown };
}

/** Builds one completion from a stream's chunks, bounded in size and in tool calls. */
class CompletionBuilder {
	readonly completion = emptyCompletion();
	private content = '';
	private reasoning = '';
	private chars = 0;
	private sawChoice = false;
	private sawMessage = false;
	private readonly calls = new Map<number, ToolCall>();
	failure: AttemptFailure | undefined;

	constructor(
		private readonly callbacks: StreamCallbacks,
		private readonly apiKey: string,
	) {}

	/** Reads one chunk (or a whole JSON answer); false once the answer must be abandoned. */
	add(chunk: CompletionChunk, whole = false): boolean {
		if (chunk.error) {
			const message = typeof chunk.error.message === 'string' ? chunk.error.message : 'no message';
			const words = quote(redact(message, this.apiKey));
			return this.fail('server', `The server reported an error mid-answer: ${words}`);
		}
		const { completion } = this;
		if (typeof chunk.id === 'string' && chunk.id) completion.id = chunk.id;
		if (typeof chunk.model === 'string' && chunk.model) completion.model = chunk.model;
		if (typeof chunk.created === 'number') completion.created = chunk.created;
		if (typeof chunk.system_fingerprint === 'string') {
			completion.system_fingerprint = chunk.system_fingerprint;
		}
		const usage = usageOf(chunk.usage);
		if (usage) completion.usage = usage;
		const choice = Array.isArray(chunk.choices) ? (chunk.choices[0] as ChunkChoice) : undefined;
		if (!choice || typeof choice !== 'object') return true;
		this.sawChoice = true;
		const part = whole ? choice.message : choice.delta;
		if (part && typeof part === 'object') {
			// Fields of the wrong type are ignored; an answer with no field of the right one has no message.
			if (
				typeof part.content === 'string' ||
				typeof part.reasoning_content === 'string' ||
				Array.isArray(part.tool_calls)
			) {
				this.sawMessage = true;
			}
			if (typeof part.reasoning_content === 'string' && part.reasoning_content !== '') {
				if (!this.grow(part.reasoning_content.length)) return false;
				this.reasoning += part.reasoning_content;
				this.callbacks.onReasoning?.(part.reasoning_content);
			}
			if (typeof part.content === 'string' && part.content !== '') {
				if (!this.grow(part.content.length)) return false;
				this.content += part.content;
				this.callbacks.onContent?.(part.content);
			}
			if (Array.isArray(part.tool_calls) && !this.addToolCalls(part.tool_calls)) return false;
		}
		if (typeof choice.finish_reason === 'string' && choice.finish_reason) {
			completion.choices[0].finish_reason = choice.finish_reason;
		}
		return true;
	}

	/**
	 * Tool calls arrive in pieces keyed by index, read as OpenAI's SDK reads them: a name or id in
	 * a later piece replaces the earlier one (some servers repeat the name in every piece), the
	 * arguments are appended, and a call without an id gets one.
	 */
	private addToolCalls(deltas: unknown[]): boolean {
		for (const [position, raw] of deltas.entries()) {
			if (!raw || typeof raw !== 'object') continue;
			const delta = raw as ToolCallDelta;
			const index = delta.index === undefined ? position : delta.index;
			if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) {
				return this.fail('broken', `The answer held a tool call with the index ${String(index)}`);
			}
			if (index >= MAX_TOOL_CALLS) {
				return this.fail('broken', `The answer held more than ${MAX_TOOL_CALLS} tool calls`);
			}
			let call = this.calls.get(index);
			if (!call) {
				call = { id: '', type: 'function', function: { name: '', arguments: '' } };
				this.calls.set(index, call);
			}
			// A name or id replaces the one before: only what it adds counts towards the bound.
			if (typeof delta.id === 'string' && delta.id !== '') {
				if (!this.grow(delta.id.length - call.id.length)) return false;
				call.id = delta.id;
			}
			const name = delta.function?.name;
			if (typeof name === 'string' && name !== '') {
				if (!this.grow(name.length - call.function.name.length)) return false;
				call.function.name = name;
			}
			const args = delta.function?.arguments;
			if (typeof args === 'string') {
				if (!this.grow(args.length)) return false;
				call.function.arguments += args;
			} else if (args && typeof args === 'object') {
				// Some servers send whole arguments as an object rather than JSON text.
				const text = JSON.stringify(args);
				if (!this.grow(text.length)) return false;
				call.function.arguments += text;
			}
		}
		return true;
	}

	private grow(chars: number): boolean {
		this.chars += Math.max(0, chars);
		if (this.chars <= MAX_ANSWER_CHARS) return true;
		this.failure = tooLarge(`${MAX_ANSWER_CHARS / 1024 / 1024} Mi characters`);
		return false;
	}

	private fail(kind: 'server' | 'broken', message: string): false {
		this.failure = new AttemptFailure(kind, message);
		return false;
	}

	/** The completion, or why the answer cannot be used. */
	finish(requireFinishReason: boolean): Completion | AttemptFailure {
		if (this.failure) return this.failure;
		if (!this.sawChoice) return new AttemptFailure('broken', 'The answer held no choices');
		if (!this.sawMessage) return new AttemptFailure('broken', 'The answer held no message');
		const choice = this.completion.choices[0];
		if (!choice.finish_reason) {
			if (requireFinishReason) {
				return new AttemptFailure('broken', 'The answer stream ended before it was complete');
			}
			choice.finish_reason = 'stop';
		}
		choice.message.content = this.content;
		if (this.reasoning !== '') choice.message.reasoning_content = this.reasoning;
		const calls = [...this.calls.entries()]
			.sort(([a], [b]) => a - b)
			.map(([, call]) => ({ ...call, id: call.id || `call_${randomUUID()}` }))
			.filter((call) => call.function.name !== '');
		if (calls.length > 0) choice.message.tool_calls = calls;
		return this.completion;
	}
}

async function fromStream(
	body: BodyStream,
	deadline: AttemptDeadline,
	callbacks: StreamCallbacks,
	apiKey: string,
): Promise<Completion | AttemptFailure> {
	const builder = new CompletionBuilder(callbacks, apiKey);
	for await (const data of readSseData(body, deadline.activity)) {
		if (data === LINE_TOO_LONG) return tooLarge('one line of 4 MiB');
		if (data === EVENT_TOO_LONG) return tooLarge('one event of 4 MiB');
		if (data === '[DONE]') break;
		let chunk: CompletionChunk;
		try {
			chunk = parseUntrustedJson<CompletionChunk>(data);
		} catch {
			return new AttemptFailure('broken', 'The answer stream held a chunk that is not JSON');
		}
		if (!chunk || typeof chunk !== 'object' || !builder.add(chunk)) break;
	}
	if (deadline.cause) return failureForCause(deadline.cause, deadline);
	// As OpenAI's SDK does: a stream that never said why it ended is not a complete answer.
	return builder.finish(true);
}

/** Some proxies ignore stream: true and send a whole completion; accept it if it is complete. */
function fromJsonBody(
	text: string,
	callbacks: StreamCallbacks,
	apiKey: string,
): Completion | AttemptFailure {
	let parsed: CompletionChunk;
	try {
		parsed = parseUntrustedJson<CompletionChunk>(text);
	} catch {
		return new AttemptFailure('broken', 'The answer is not valid JSON');
	}
	if (!parsed || typeof parsed !== 'object') {
		return new AttemptFailure('broken', 'The answer is not a JSON object');
	}
	const builder = new CompletionBuilder(callbacks, apiKey);
	builder.add(parsed, true);
	return builder.finish(false);
}

/**
 * A usage object as DeepSeek sends it: numbers, and objects of numbers one level down. Anything
 * else (an array, a text, a field of the wrong type) is left out rather than reshaped.
 */
function usageOf(raw: unknown): Usage | undefined {
	if (!isPlainObject(raw)) return undefined;
	const usage: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(raw)) {
		if (!isSafeKey(key)) continue;
		if (typeof value === 'number' && Number.isFinite(value)) usage[key] = value;
		else if (isPlainObject(value)) {
			const numbers = Object.entries(value).filter(
				([, inner]) => typeof inner === 'number' && Number.isFinite(inner),
			);
			if (numbers.length > 0) usage[key] = Object.fromEntries(numbers);
		}
	}
	return Object.keys(usage).length > 0 ? (usage as unknown as Usage) : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
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

/** Model ids at an endpoint (GET /models), or the failure as a value. */
export async function requestModelIds(
	http: MetaChatHttp,
	baseUrl: string,
	apiKey: string,
	deadline: AttemptDeadline,
): Promise<string[] | AttemptFailure> {
	const response = await send(
		http,
		{
			method: 'GET',
			url: `${baseUrl}/models`,
			headers: { Accept: 'application/json' },
			encoding: 'stream',
		},
		deadline,
		apiKey,
	);
	if (response instanceof AttemptFailure) return response;
	try {
		const { text, cut, lost } = await readText(
			response.body,
			MAX_JSON_BODY_BYTES,
			deadline.activity,
		);
		if (lost) throw lost.error;
		if (cut) return tooLarge(`${MAX_JSON_BODY_BYTES / 1024 / 1024} MiB`);
		const parsed = parseUntrustedJson<{ data?: unknown }>(text);
		if (!parsed || !Array.isArray(parsed.data)) {
			return new AttemptFailure('broken', 'The model list is not in the OpenAI format');
		}
		return parsed.data.flatMap((model: unknown) => {
			const id = (model as { id?: unknown } | null)?.id;
			return typeof id === 'string' && id !== '' ? [id] : [];
		});
	} catch (error) {
		if (deadline.cause) return failureForCause(deadline.cause, deadline);
		return new AttemptFailure(
			'broken',
			`The model list could not be read: ${describeCode(causeCode(error))}`,
		);
	}
}
