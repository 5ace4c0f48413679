import type { AttemptFact } from '../wording';
import { kindForStatus } from './failureKinds';
import { AttemptFailure, stoppedAttempt } from './failures';
import { quote, redact } from './redact';

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
function serverMessage(body: string, contentType: string, status: number): AttemptFact {
	const text = body.trim();
	const said = (words: string): AttemptFact => ({ what: 'server-said', text: quote(words) });
	if (text === '') return { what: 'status-only', status };
	if (/html/i.test(contentType) || /^<(?:!doctype|html)/i.test(text)) {
		const title =
			/<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1] ?? /<h1[^>]*>([^<]*)<\/h1>/i.exec(text)?.[1];
		return { what: 'status-html', status, title: title ? quote(title, 120) : undefined };
	}
	try {
		const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
		const error = parsed.error as { message?: unknown } | string | undefined;
		if (typeof error === 'string' && error) return said(error);
		if (error && typeof error === 'object' && typeof error.message === 'string') {
			return said(error.message);
		}
		if (typeof parsed.message === 'string') return said(parsed.message);
	} catch {
		// Not JSON: the text itself, cut.
	}
	return said(text);
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
	const fact: AttemptFact = bodyLost
		? { what: 'status-body-lost', status }
		: serverMessage(redact(body, apiKey), header(headers, 'content-type'), status);
	return new AttemptFailure(kindForStatus(status), fact, status, retryAfterMs(headers));
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
		const fact: AttemptFact = { what: 'no-answer-in-time' };
		return new AttemptFailure('timeout', fact, undefined, undefined, code);
	}
	if (code) {
		const fact: AttemptFact = { what: 'no-connection', code };
		return new AttemptFailure('connection', fact, undefined, undefined, code);
	}
	// No network code (a URL n8n's SSRF policy blocks, for instance): n8n's own words.
	const message = error instanceof Error ? error.message : String(error);
	return new AttemptFailure('connection', {
		what: 'no-connection',
		text: quote(redact(message, apiKey)),
	});
}
