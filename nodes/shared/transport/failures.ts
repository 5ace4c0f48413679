import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';

import type { EndpointRole } from './endpoints';

/** What went wrong at an endpoint, in the terms the failover rules decide on. */
export type FailureKind =
	| 'connection' // refused, DNS, TLS, reset before any response
	| 'timeout' // no headers, an idle body, or the attempt took longer than its timeout
	| 'server' // 500, 502, 503, 504 and other 5xx
	| 'broken' // a 200 that is HTML, has no choices, is unreadable or ends early
	| 'rate-limit' // 429
	| 'balance' // 402
	| 'auth' // 401, 403
	| 'request' // 400, 404, 422 and other 4xx: the request itself is wrong
	| 'cancelled' // the execution was stopped
	| 'item-timeout'; // the item's own deadline ran out

/** One failed attempt, classified. Messages never hold the API key (see redact). */
export class AttemptError extends Error {
	constructor(
		readonly kind: FailureKind,
		message: string,
		readonly status?: number,
		readonly retryAfterMs?: number,
	) {
		super(message);
		this.name = 'AttemptError';
	}
}

/** The final failure of a request after retries and failover. */
export class MetaChatRequestError extends Error {
	constructor(
		readonly kind: FailureKind,
		readonly apiMessage: string,
		readonly details: {
			status: number | null;
			endpoint: EndpointRole;
			attempts: number;
			failover: boolean;
			retryable: boolean;
		},
	) {
		super(apiMessage);
		this.name = 'MetaChatRequestError';
	}
}

/** Whether a failure of this kind is worth trying again later (at all, not in this run). */
export function isRetryable(kind: FailureKind): boolean {
	return ['connection', 'timeout', 'server', 'broken', 'rate-limit', 'item-timeout'].includes(kind);
}

export function kindForStatus(status: number): FailureKind {
	if (status === 402) return 'balance';
	if (status === 401 || status === 403) return 'auth';
	if (status === 429) return 'rate-limit';
	if (status === 408) return 'timeout';
	if (status >= 500) return 'server';
	return 'request';
}

/** Replaces the key, and any bearer token, wherever a server or library echoed it. */
export function redact(text: string, apiKey: string): string {
	let result = text;
	if (apiKey.length >= 4) result = result.split(apiKey).join('[redacted]');
	return result.replace(/Bearer\s+[^\s"',]+/gi, 'Bearer [redacted]');
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
	const ms = Number(headers?.get('retry-after-ms'));
	if (Number.isFinite(ms) && ms > 0) return ms;
	const value = headers?.get('retry-after');
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function apiMessageOf(error: APIError): string {
	const body = error.error as { message?: unknown } | string | undefined;
	if (typeof body === 'string' && body) return body;
	if (body && typeof body === 'object' && typeof body.message === 'string') return body.message;
	return error.message;
}

const CODE_WORDS: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ECONNRESET: 'the connection was reset',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be looked up',
	ETIMEDOUT: 'the connection timed out',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	EPIPE: 'the connection was closed while sending',
	UND_ERR_SOCKET: 'the server closed the connection',
	UND_ERR_HEADERS_TIMEOUT: 'no headers arrived in time',
	UND_ERR_BODY_TIMEOUT: 'the body stopped arriving',
};

/**
 * Words for a network error code. n8n replaces any error message that contains a raw code such
 * as ECONNREFUSED with a generic text, which would hide which MetaChat URL failed.
 */
function describeCode(code: string | undefined): string {
	if (!code) return 'the connection failed';
	if (CODE_WORDS[code]) return CODE_WORDS[code];
	if (/CERT|TLS|SSL/i.test(code)) return 'the TLS certificate was not accepted';
	return 'the connection failed';
}

function causeCode(error: unknown): string | undefined {
	let current = error as { code?: unknown; cause?: unknown; errors?: unknown } | undefined;
	for (let depth = 0; current && depth < 6; depth++) {
		if (typeof current.code === 'string') return current.code;
		// A refused connection to a host with several addresses arrives as an AggregateError.
		current = (current.cause ?? (Array.isArray(current.errors) ? current.errors[0] : undefined)) as
			typeof current | undefined;
	}
	return undefined;
}

/** Turns whatever the SDK or fetch threw into an AttemptError. */
export function classify(error: unknown, apiKey: string): AttemptError {
	if (error instanceof AttemptError) {
		// Our own messages may quote the server too, e.g. an error object inside a stream.
		const message = redact(error.message, apiKey);
		if (message === error.message) return error;
		return new AttemptError(error.kind, message, error.status, error.retryAfterMs);
	}
	if (error instanceof APIUserAbortError) return new AttemptError('cancelled', 'Request aborted');
	if (error instanceof APIConnectionTimeoutError) {
		return new AttemptError('timeout', 'No answer before the timeout');
	}
	if (error instanceof APIConnectionError) {
		return new AttemptError('connection', `Could not connect: ${describeCode(causeCode(error))}`);
	}
	if (error instanceof APIError && typeof error.status === 'number') {
		const kind = kindForStatus(error.status);
		return new AttemptError(
			kind,
			redact(apiMessageOf(error), apiKey),
			error.status,
			retryAfterMs(error.headers),
		);
	}
	return new AttemptError('broken', `The answer broke off: ${describeCode(causeCode(error))}`);
}
