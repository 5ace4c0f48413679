import type { CompletionBody, Completion } from '../protocol/wire';
import { parseUntrustedJson } from '../protocol/untrustedJson';
import { causeCode, describeCode, header } from './classify';
import { fromJsonBody, fromStream, tooLarge, type StreamCallbacks } from './completion';
import type { AttemptDeadline } from './deadline';
import { failureForCause } from './deadline';
import {
	destroy,
	isStream,
	MAX_JSON_BODY_BYTES,
	readText,
	send,
	type MetaChatHttp,
} from './exchange';
import { AttemptFailure } from './failures';
import { redact, redacted } from './redact';

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
