import type { IHttpRequestOptions } from 'n8n-workflow';

import type { CompletionBody, Completion } from '../protocol/wire';
import {
	causeCode,
	failureFromRequestError,
	failureFromStatus,
	header,
	type Headers,
} from './classify';
import { fromJsonBody, fromStream, tooLarge } from './completion';
import { failureForCause, type AttemptDeadline } from './deadline';
import { AttemptFailure } from '../failures';
import { modelIdsFromBody } from './modelIds';
import { redacted } from './redact';
import type { StreamCallbacks } from './request';

/**
 * n8n's request helper, bound to the node that calls it and its MetaChat credential
 * (`this.helpers.httpRequestWithAuthentication` with 'metaChatApi'): n8n adds the key, applies its
 * proxy settings and SSRF policy. The only way this package talks to MetaChat.
 */
export type MetaChatHttp = (options: IHttpRequestOptions) => Promise<unknown>;

export interface FullResponse {
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

/** A body n8n returned with `encoding: 'stream'`: a Node readable, destroyed when we stop. */
export type BodyStream = AsyncIterable<Uint8Array | string> & { destroy?: (error?: Error) => void };

export function isStream(value: unknown): value is BodyStream {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
	);
}

export function destroy(body: unknown): void {
	if (isStream(body)) body.destroy?.();
}

/**
 * Reads at most maxBytes of a body as text, then lets the rest go. A body that breaks off (the
 * socket closed, or destroyed by the deadline) gives what had arrived, with `lost` and its cause.
 */
export async function readText(
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
export async function send(
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
 * A JSON body as text, bounded at MAX_JSON_BODY_BYTES (over it: the failure). A body that broke
 * off rethrows its error, for the caller's catch to classify with the deadline's cause.
 */
async function readJsonBody(
	body: unknown,
	deadline: AttemptDeadline,
): Promise<string | AttemptFailure> {
	const { text, cut, lost } = await readText(body, MAX_JSON_BODY_BYTES, deadline.activity);
	if (lost) throw lost.error;
	return cut ? tooLarge(MAX_JSON_BODY_BYTES, 'bytes') : text;
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
			const text = await readJsonBody(response.body, deadline);
			if (text instanceof AttemptFailure) return text;
			return fromJsonBody(text, callbacks, apiKey);
		}
		if (!type.includes('text/event-stream')) {
			destroy(response.body);
			return new AttemptFailure('broken', { what: 'wrong-type', contentType: type.split(';')[0] });
		}
		if (!isStream(response.body)) {
			return new AttemptFailure('broken', { what: 'empty-body' });
		}
		const result = await fromStream(response.body, deadline, callbacks, apiKey);
		// A server may quote the request, key included, in an error inside the stream.
		return result instanceof AttemptFailure ? redacted(result, apiKey) : result;
	} catch (error) {
		if (deadline.cause) return failureForCause(deadline.cause, deadline);
		return new AttemptFailure('broken', { what: 'broke-off', code: causeCode(error) });
	} finally {
		destroy(response.body);
	}
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
		const text = await readJsonBody(response.body, deadline);
		if (text instanceof AttemptFailure) return text;
		return modelIdsFromBody(text, header(response.headers, 'content-type'), apiKey);
	} catch (error) {
		if (deadline.cause) return failureForCause(deadline.cause, deadline);
		return new AttemptFailure('broken', { what: 'model-list-unreadable', code: causeCode(error) });
	}
}
