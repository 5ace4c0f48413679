import type { AttemptFact } from '../facts/attempt';
import { kindForStatus, type FailureKind } from './failureKinds';
import { AttemptFailure, stoppedAttempt } from '../failures';
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

/** What an error body says: its words as a fact, and its `code` and `type` where it has them. */
interface ErrorBody {
	fact: AttemptFact;
	/** The words themselves (redacted, uncut), for the gateway rules below; '' where there are none. */
	words: string;
	code: string;
	type: string;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The server's own words in an error body: its JSON error message, or the text, cut to size. */
function readErrorBody(body: string, contentType: string, status: number): ErrorBody {
	const trimmed = body.trim();
	const said = (words: string, code = '', type = ''): ErrorBody => ({
		fact: { what: 'server-said', text: quote(words) },
		words,
		code,
		type,
	});
	if (trimmed === '')
		return { fact: { what: 'status-only', status }, words: '', code: '', type: '' };
	if (/html/i.test(contentType) || /^<(?:!doctype|html)/i.test(trimmed)) {
		const title =
			/<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1] ??
			/<h1[^>]*>([^<]*)<\/h1>/i.exec(trimmed)?.[1];
		const fact: AttemptFact = {
			what: 'status-html',
			status,
			title: title ? quote(title, 120) : undefined,
		};
		return { fact, words: '', code: '', type: '' };
	}
	try {
		const parsed = JSON.parse(trimmed) as { error?: unknown; message?: unknown };
		const error = parsed.error as { message?: unknown; code?: unknown; type?: unknown } | string;
		if (typeof error === 'string' && error) return said(error);
		if (error && typeof error === 'object') {
			const code = typeof error.code === 'number' ? String(error.code) : text(error.code);
			if (text(error.message)) return said(text(error.message), code, text(error.type));
		}
		if (text(parsed.message)) return said(text(parsed.message));
	} catch {
		// Not JSON: the text itself, cut.
	}
	return said(trimmed);
}

/** A gateway's words for a used-up quota (one-api, new-api: "该令牌额度已用尽", "user quota is not enough"). */
const QUOTA_WORDS = /额度|quota/i;
/** new-api's and one-api's 429 when the channels behind a group are saturated. */
const SATURATED_WORDS = /上游负载已饱和|upstream (?:load )?(?:is )?saturated/i;

/**
 * The kind of an error answer (docs/reliability.md): by status first, then by the body's `code`,
 * then by known words. A gateway's used-up quota stops like a 402 whatever status carries it; its
 * "upstream saturated" 429 is waited on as a 429 and worded as the gateway's.
 */
function kindOfError(status: number, said: ErrorBody): FailureKind {
	const kind = kindForStatus(status);
	const codes = [said.code, said.type];
	if (kind === 'auth') {
		if (codes.includes('insufficient_user_quota') || QUOTA_WORDS.test(said.words)) return 'balance';
	}
	if (kind === 'rate-limit') {
		if (codes.includes('insufficient_quota')) return 'balance';
		if (SATURATED_WORDS.test(said.words)) return 'upstream-busy';
	}
	return kind;
}

/**
 * An HTTP error answer (status 400 and above) as a failure. The status decides what it is, with
 * the gateway rules above; a body that broke off or went silent (`bodyLost`) only loses the
 * server's words.
 */
export function failureFromStatus(
	status: number,
	headers: Headers | undefined,
	body: string,
	apiKey: string,
	bodyLost = false,
): AttemptFailure {
	if (bodyLost) {
		const fact: AttemptFact = { what: 'status-body-lost', status };
		return new AttemptFailure(kindForStatus(status), fact, status, retryAfterMs(headers));
	}
	const said = readErrorBody(redact(body, apiKey), header(headers, 'content-type'), status);
	return new AttemptFailure(kindOfError(status, said), said.fact, status, retryAfterMs(headers));
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
