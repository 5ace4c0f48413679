import type { EndpointRole } from './endpoints';

/** What went wrong at an endpoint, in the terms the failover rules decide on. */
export type FailureKind =
	| 'connection' // refused, DNS, TLS, reset before any response
	| 'timeout' // no headers in time, or the body went silent: the endpoint is unwell
	| 'answer-timeout' // a live answer still arriving when the request's Timeout ran out
	| 'server' // 500, 502, 503, 504 and other 5xx
	| 'broken' // a 200 that is HTML, has no choices, is unreadable, too large or ends early
	| 'rate-limit' // 429
	| 'balance' // 402
	| 'auth' // 401, 403
	| 'request' // 400, 404, 422 and other 4xx: the request itself is wrong
	| 'interrupted' // the answer broke off after part of it had been streamed to the caller
	| 'cancelled' // the execution was stopped
	| 'item-timeout'; // the item's own deadline ran out

/**
 * One failed attempt, classified. A value, never thrown: the transport returns failures and the
 * calling node turns the final one into an n8n error with its item index. Messages never hold
 * the API key (see redact).
 */
export class AttemptFailure {
	constructor(
		readonly kind: FailureKind,
		readonly message: string,
		readonly status?: number,
		readonly retryAfterMs?: number,
		/** The network error code, where no response came (ECONNREFUSED, ENOTFOUND, …). */
		readonly code?: string,
	) {}
}

/** How a request ended at one URL: the last failure there. */
export interface EndpointOutcome {
	endpoint: EndpointRole;
	url: string;
	status: number | null;
	code: string | null;
	message: string;
}

export interface FailureDetails {
	status: number | null;
	endpoint: EndpointRole;
	attempts: number;
	failover: boolean;
	retryable: boolean;
	/** Each URL asked, in order, with how it failed. */
	urls?: EndpointOutcome[];
}

/** The final failure of a request after retries and failover, as the node reports it. */
export class RequestFailure {
	constructor(
		readonly kind: FailureKind,
		readonly apiMessage: string,
		readonly details: FailureDetails,
		/** What to do about it, where the request itself tells (a parameter the server refused). */
		readonly hint?: string,
	) {}
}

const STOPPED = 'The execution was stopped';

/** An attempt that a stopped execution ended. */
export function stoppedAttempt(): AttemptFailure {
	return new AttemptFailure('cancelled', STOPPED);
}

/**
 * An attempt that failed after part of its answer had been streamed to the caller: asking again
 * would send the caller that text twice, so the item ends here.
 */
export function interruptedAttempt(failure: AttemptFailure, streamedChars: number): AttemptFailure {
	return new AttemptFailure(
		'interrupted',
		`${streamedChars} characters had been streamed when it broke off (${failure.message})`,
		failure.status,
		undefined,
		failure.code,
	);
}

/** An attempt, or a wait between attempts, that the item's own deadline ended. */
export function itemTimeoutAttempt(): AttemptFailure {
	return new AttemptFailure('item-timeout', 'The item ran out of time (Item Timeout option)');
}

/** A stopped execution, before or between requests. */
export function cancelledFailure(endpoint: EndpointRole = 'primary', attempts = 0): RequestFailure {
	return new RequestFailure('cancelled', STOPPED, {
		status: null,
		endpoint,
		attempts,
		failover: endpoint === 'failover',
		retryable: false,
	});
}

/** Whether a failure of this kind is worth trying again later (at all, not in this run). */
export function isRetryable(kind: FailureKind): boolean {
	return [
		'connection',
		'timeout',
		'answer-timeout',
		'server',
		'broken',
		'interrupted',
		'rate-limit',
		'item-timeout',
	].includes(kind);
}

export function kindForStatus(status: number): FailureKind {
	if (status === 402) return 'balance';
	if (status === 401 || status === 403) return 'auth';
	if (status === 429) return 'rate-limit';
	if (status === 408) return 'timeout';
	if (status >= 500) return 'server';
	return 'request';
}

/** A run of this many characters of the key, anywhere in a text, counts as the key. */
const KEY_FRAGMENT_CHARS = 8;

/**
 * Replaces the key, and any bearer token, wherever a server or library echoed it. A word that
 * holds a fragment of the key (cut off, or masked as `sk-abc…xyz`) goes as a whole, so no part of
 * the key survives.
 */
export function redact(text: string, apiKey: string): string {
	let result = text;
	if (apiKey.length >= 4) result = result.split(apiKey).join('[redacted]');
	if (apiKey.length >= KEY_FRAGMENT_CHARS) result = redactFragments(result, apiKey);
	return result.replace(/Bearer\s+[^\s"',]+/gi, 'Bearer [redacted]');
}

function redactFragments(text: string, apiKey: string): string {
	const fragments = new Set<string>();
	for (let i = 0; i + KEY_FRAGMENT_CHARS <= apiKey.length; i++) {
		fragments.add(apiKey.slice(i, i + KEY_FRAGMENT_CHARS));
	}
	const word = /[^\s"'`,;()<>[\]{}]+/g;
	return text.replace(word, (found) => {
		if (found.length < KEY_FRAGMENT_CHARS) return found;
		for (let i = 0; i + KEY_FRAGMENT_CHARS <= found.length; i++) {
			if (fragments.has(found.slice(i, i + KEY_FRAGMENT_CHARS))) return '[redacted]';
		}
		return found;
	});
}

/** The same failure with the key taken out of its message, wherever a server echoed it. */
export function redacted(failure: AttemptFailure, apiKey: string): AttemptFailure {
	const message = redact(failure.message, apiKey);
	if (message === failure.message) return failure;
	return new AttemptFailure(
		failure.kind,
		message,
		failure.status,
		failure.retryAfterMs,
		failure.code,
	);
}

/** How much of a server's own words an error message quotes; the rest is cut with a note. */
const MAX_QUOTED_CHARS = 500;

/**
 * Cuts a quoted server text to a readable length, saying so. Redact first: a key cut in two here
 * would no longer be found.
 */
export function quote(text: string, max = MAX_QUOTED_CHARS): string {
	const clean = text.replace(/\s+/g, ' ').trim();
	if (clean.length <= max) return clean;
	return `${clean.slice(0, max)}… (${clean.length - max} more characters cut)`;
}

/** Response headers as n8n's request helper returns them. */
export type Headers = Record<string, string | string[] | number | undefined>;

/** A header's value by its lower-case name, whatever case the server used; '' when absent. */
export function header(headers: Headers | undefined, name: string): string {
	if (!headers) return '';
	const found = Object.keys(headers).find((key) => key.toLowerCase() === name);
	const value = found === undefined ? undefined : headers[found];
	return Array.isArray(value) ? String(value[0] ?? '') : value === undefined ? '' : String(value);
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
	const ms = Number(header(headers, 'retry-after-ms'));
	if (Number.isFinite(ms) && ms > 0) return ms;
	const value = header(headers, 'retry-after');
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The server's own words in an error body: its JSON error message, or the text, cut to size. */
function serverMessage(body: string, contentType: string, status: number): string {
	const text = body.trim();
	if (text === '') return `status ${status}`;
	if (/html/i.test(contentType) || /^<(?:!doctype|html)/i.test(text)) {
		const title =
			/<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1] ?? /<h1[^>]*>([^<]*)<\/h1>/i.exec(text)?.[1];
		return `an HTML error page${title ? ` ("${quote(title, 120)}")` : ''} with status ${status}`;
	}
	try {
		const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
		const error = parsed.error as { message?: unknown } | string | undefined;
		if (typeof error === 'string' && error) return quote(error);
		if (error && typeof error === 'object' && typeof error.message === 'string') {
			return quote(error.message);
		}
		if (typeof parsed.message === 'string') return quote(parsed.message);
	} catch {
		// Not JSON: the text itself, cut.
	}
	return text ? quote(text) : `status ${status}`;
}

/**
 * An HTTP error answer (status 400 and above) as a failure. The status decides what it is; a body
 * that broke off or went silent (`bodyLost`) only loses the server's words.
 */
export function failureFromStatus(
	status: number,
	headers: Headers | undefined,
	body: string,
	apiKey: string,
	bodyLost = false,
): AttemptFailure {
	const words = bodyLost
		? `status ${status} (the error message broke off before it arrived)`
		: serverMessage(redact(body, apiKey), header(headers, 'content-type'), status);
	return new AttemptFailure(kindForStatus(status), words, status, retryAfterMs(headers));
}

const CODE_WORDS: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ECONNRESET: 'the connection was reset',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be looked up',
	ETIMEDOUT: 'the connection timed out',
	ECONNABORTED: 'no answer came in time',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	EPIPE: 'the connection was closed while sending',
	ERR_STREAM_PREMATURE_CLOSE: 'the server closed the connection',
	UND_ERR_SOCKET: 'the server closed the connection',
};

/**
 * Words for a network error code. n8n replaces any error message that contains a raw code such
 * as ECONNREFUSED with a generic text, which would hide which MetaChat URL failed.
 */
export function describeCode(code: string | undefined): string {
	if (!code) return 'the connection failed';
	if (CODE_WORDS[code]) return CODE_WORDS[code];
	if (/CERT|TLS|SSL/i.test(code)) return 'the TLS certificate was not accepted';
	return 'the connection failed';
}

/** The first error code along an error's causes (n8n wraps the HTTP library's error). */
export function causeCode(error: unknown): string | undefined {
	let current = error as
		{ code?: unknown; httpCode?: unknown; cause?: unknown; errors?: unknown } | undefined;
	for (let depth = 0; current && typeof current === 'object' && depth < 8; depth++) {
		// n8n 1.x's request helper throws a NodeApiError that keeps the network code only as
		// httpCode (for a status, httpCode holds digits, which the pattern leaves out).
		for (const code of [current.code, current.httpCode]) {
			if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
		}
		// A refused connection to a host with several addresses arrives as an AggregateError.
		current = (current.cause ?? (Array.isArray(current.errors) ? current.errors[0] : undefined)) as
			typeof current | undefined;
	}
	return undefined;
}

/** What n8n's request helper threw before any response arrived, as a failure. */
export function failureFromRequestError(error: unknown, apiKey: string): AttemptFailure {
	const code = causeCode(error);
	if (code === 'ERR_CANCELED') return stoppedAttempt();
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
		return new AttemptFailure('timeout', 'No answer came in time', undefined, undefined, code);
	}
	if (code) {
		const words = `Could not connect: ${describeCode(code)}`;
		return new AttemptFailure('connection', words, undefined, undefined, code);
	}
	// No network code (a URL n8n's SSRF policy blocks, for instance): n8n's own words.
	const message = error instanceof Error ? error.message : String(error);
	return new AttemptFailure('connection', `Could not connect: ${quote(redact(message, apiKey))}`);
}
