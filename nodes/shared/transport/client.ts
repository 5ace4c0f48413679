import type { CompletionBody, Completion } from '../protocol/wire';
import { causeCode, header } from './classify';
import { fromJsonBody, fromStream, tooLarge } from './completion';
import { failureForCause, type AttemptDeadline } from './deadline';
import {
	destroy,
	isStream,
	MAX_JSON_BODY_BYTES,
	readText,
	send,
	type MetaChatHttp,
} from './exchange';
import { AttemptFailure } from '../failures';
import { modelIdsFromBody } from './modelIds';
import { redacted } from './redact';
import type { StreamCallbacks } from './request';

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
