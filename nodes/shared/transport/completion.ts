import { randomUUID } from 'crypto';

import { usageOf } from '../protocol/usage';
import type { Completion, ToolCall, Usage } from '../protocol/wire';
import { parseUntrustedJson } from '../protocol/untrustedJson';
import { failureForCause, type AttemptDeadline } from './deadline';
import type { BodyStream } from './client';
import type { AttemptFact } from '../facts/attempt';
import { AttemptFailure } from '../failures';
import { quote, redact } from './redact';
import type { StreamCallbacks } from './request';
import { EVENT_TOO_LONG, LINE_TOO_LONG, MAX_SSE_LINE_CHARS, readSseData } from './sse';

/** Content, reasoning and tool arguments of one answer together; past this it is cut off. */
export const MAX_ANSWER_CHARS = 8 * 1024 * 1024;
/** Tool calls in one answer, as OpenAI's SDK bounds them. */
export const MAX_TOOL_CALLS = 128;

export function tooLarge(
	limit: number,
	unit: 'bytes' | 'characters',
	part?: 'line' | 'event',
): AttemptFailure {
	return new AttemptFailure('broken', { what: 'too-large', limit, unit, part });
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
	error?: { message?: unknown } | string;
}

/** DeepSeek's finish_reason for an answer it stopped for want of resources: a fragment, not an answer. */
export const CUT_FOR_RESOURCES = 'insufficient_system_resource';

/**
 * The usage as DeepSeek shapes it: some hosts put `reasoning_tokens` at the top level, where
 * DeepSeek has it in `completion_tokens_details`; it is copied there (and kept where it was).
 */
function deepSeekUsage(raw: unknown): Usage | undefined {
	const usage = usageOf(raw);
	const reasoning = (usage as { reasoning_tokens?: unknown } | undefined)?.reasoning_tokens;
	if (!usage || typeof reasoning !== 'number') return usage;
	const details = usage.completion_tokens_details as Record<string, number> | undefined;
	if (typeof details?.reasoning_tokens === 'number') return usage;
	return { ...usage, completion_tokens_details: { ...details, reasoning_tokens: reasoning } };
}

/** The words of an error a server sent inside a stream, in any of the shapes servers send it. */
function streamErrorWords(error: unknown): string {
	if (typeof error === 'string' && error) return error;
	const object = (error ?? {}) as { message?: unknown; error?: unknown };
	if (typeof object.message === 'string' && object.message) return object.message;
	if (object.error !== undefined && object.error !== error) return streamErrorWords(object.error);
	return 'no message';
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
		if (chunk.error) return this.failWithError(chunk.error);
		const { completion } = this;
		if (typeof chunk.id === 'string' && chunk.id) completion.id = chunk.id;
		if (typeof chunk.model === 'string' && chunk.model) completion.model = chunk.model;
		if (typeof chunk.created === 'number') completion.created = chunk.created;
		if (typeof chunk.system_fingerprint === 'string') {
			completion.system_fingerprint = chunk.system_fingerprint;
		}
		const usage = deepSeekUsage(chunk.usage);
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
				this.callbacks.onContent?.(part.content, completion.id || undefined);
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
				return this.fail('broken', { what: 'bad-tool-index', index });
			}
			if (index >= MAX_TOOL_CALLS) {
				return this.fail('broken', { what: 'too-many-tool-calls', max: MAX_TOOL_CALLS });
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
		this.failure = tooLarge(MAX_ANSWER_CHARS, 'characters');
		return false;
	}

	/** A server's error inside the answer (an `error` chunk, or an `event: error`), its words quoted. */
	failWithError(error: unknown): false {
		const words = quote(redact(streamErrorWords(error), this.apiKey));
		return this.fail('server', { what: 'mid-answer-error', text: words });
	}

	private fail(kind: 'server' | 'broken', fact: AttemptFact): false {
		this.failure = new AttemptFailure(kind, fact);
		return false;
	}

	/** The completion, or why the answer cannot be used. */
	finish(requireFinishReason: boolean): Completion | AttemptFailure {
		if (this.failure) return this.failure;
		if (!this.sawChoice) return new AttemptFailure('broken', { what: 'no-choices' });
		if (!this.sawMessage) return new AttemptFailure('broken', { what: 'no-message' });
		const choice = this.completion.choices[0];
		// DeepSeek stopped for want of resources: the text is a fragment, a server failure.
		if (choice.finish_reason === CUT_FOR_RESOURCES) {
			return new AttemptFailure('server', { what: 'cut-for-resources' });
		}
		if (!choice.finish_reason) {
			if (requireFinishReason) {
				return new AttemptFailure('broken', { what: 'ended-early' });
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

export async function fromStream(
	body: BodyStream,
	deadline: AttemptDeadline,
	callbacks: StreamCallbacks,
	apiKey: string,
): Promise<Completion | AttemptFailure> {
	const builder = new CompletionBuilder(callbacks, apiKey);
	for await (const event of readSseData(body, deadline.activity)) {
		if (event === LINE_TOO_LONG) return tooLarge(MAX_SSE_LINE_CHARS, 'bytes', 'line');
		if (event === EVENT_TOO_LONG) return tooLarge(MAX_SSE_LINE_CHARS, 'bytes', 'event');
		const { data } = event;
		if (data === '[DONE]') break;
		let chunk: CompletionChunk;
		try {
			chunk = parseUntrustedJson<CompletionChunk>(data);
		} catch {
			// An `event: error` may carry plain text: those are the server's words.
			if (event.event === 'error') {
				builder.failWithError(data);
				break;
			}
			return new AttemptFailure('broken', { what: 'chunk-not-json' });
		}
		if (event.event === 'error') {
			builder.failWithError(chunk && typeof chunk === 'object' ? chunk : data);
			break;
		}
		if (!chunk || typeof chunk !== 'object' || !builder.add(chunk)) break;
	}
	if (deadline.cause) return failureForCause(deadline.cause, deadline);
	// As OpenAI's SDK does: a stream that never said why it ended is not a complete answer.
	return builder.finish(true);
}

/** Some proxies ignore stream: true and send a whole completion; accept it if it is complete. */
export function fromJsonBody(
	text: string,
	callbacks: StreamCallbacks,
	apiKey: string,
): Completion | AttemptFailure {
	let parsed: CompletionChunk;
	try {
		parsed = parseUntrustedJson<CompletionChunk>(text);
	} catch {
		return new AttemptFailure('broken', { what: 'not-json' });
	}
	if (!parsed || typeof parsed !== 'object') {
		return new AttemptFailure('broken', { what: 'not-object' });
	}
	const builder = new CompletionBuilder(callbacks, apiKey);
	builder.add(parsed, true);
	return builder.finish(false);
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
