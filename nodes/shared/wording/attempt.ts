import type { AttemptFact, UrlProblem } from '../facts/attempt';

export const EXAMPLE_URL = 'https://llm-api.mmchat.xyz/v1';

const URL_PROBLEMS: Record<UrlProblem, [what: string, fix: string]> = {
	'not-text': ['is not text', `use e.g. ${EXAMPLE_URL}`],
	empty: ['is empty', `use e.g. ${EXAMPLE_URL}`],
	spaces: ['has spaces in it, so it is not a URL (is it the key?)', `use e.g. ${EXAMPLE_URL}`],
	'no-scheme': ['does not start with https:// or http://', `use e.g. ${EXAMPLE_URL}`],
	'not-a-url': ['is not a URL: check the host name', `use e.g. ${EXAMPLE_URL}`],
	'wrong-scheme': ['must start with https:// or http://', `use e.g. ${EXAMPLE_URL}`],
	'user-info': [
		'has a user name or password in it (user:password@ before the host), which requests would drop',
		'remove it; the key goes in the API Key field',
	],
	query: [
		'has a query string (the part from the ?), which requests would drop',
		`remove it, e.g. ${EXAMPLE_URL}`,
	],
};

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

function seconds(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** What happened, in words: the server's own where it said something. */
export function factWords(fact: AttemptFact): string {
	switch (fact.what) {
		case 'stopped':
			return 'The execution was stopped';
		case 'item-timeout':
			return 'The item ran out of time (Item Timeout option)';
		case 'idle':
			return `No answer: nothing arrived for ${seconds(fact.idleMs)}`;
		case 'answer-timeout':
			return `The answer was still arriving after ${seconds(fact.attemptMs)} (Timeout option)`;
		case 'interrupted':
			return `${fact.streamedChars} characters had been streamed when it broke off (${factWords(fact.cause)})`;
		case 'server-said':
			return fact.text;
		case 'status-only':
			return `status ${fact.status}`;
		case 'status-html':
			return `an HTML error page${fact.title ? ` ("${fact.title}")` : ''} with status ${fact.status}`;
		case 'status-body-lost':
			return `status ${fact.status} (the error message broke off before it arrived)`;
		case 'no-answer-in-time':
			return 'No answer came in time';
		case 'no-connection':
			return `Could not connect: ${fact.text ?? describeCode(fact.code)}`;
		case 'mid-answer-error':
			return `The server reported an error mid-answer: ${fact.text}`;
		case 'cut-for-resources':
			return 'The answer was cut off: DeepSeek ran short of resources (finish_reason insufficient_system_resource)';
		case 'wrong-type':
			return `The server answered ${fact.contentType || 'without a type'}, not an answer`;
		case 'empty-body':
			return 'The server answered with an empty body';
		case 'broke-off':
			return `The answer broke off: ${describeCode(fact.code)}`;
		case 'too-large': {
			const size = `${fact.limit / 1024 / 1024} ${fact.unit === 'bytes' ? 'MiB' : 'Mi characters'}`;
			const limit = fact.part ? `one ${fact.part} of ${size}` : size;
			return `The answer was larger than ${limit} and was cut off`;
		}
		case 'bad-tool-index':
			return `The answer held a tool call with the index ${String(fact.index)}`;
		case 'too-many-tool-calls':
			return `The answer held more than ${fact.max} tool calls`;
		case 'no-choices':
			return 'The answer held no choices';
		case 'no-message':
			return 'The answer held no message';
		case 'ended-early':
			return 'The answer stream ended before it was complete';
		case 'chunk-not-json':
			return 'The answer stream held a chunk that is not JSON';
		case 'not-json':
			return 'The answer is not valid JSON';
		case 'not-object':
			return 'The answer is not a JSON object';
		case 'model-list-format':
			return 'The model list is not in the OpenAI format';
		case 'model-list-html':
			return 'The model list came as an HTML page, not JSON';
		case 'model-list-unreadable':
			return `The model list could not be read: ${describeCode(fact.code)}`;
		case 'no-api-key':
			return 'The MetaChat credential has no API key';
		case 'bad-url': {
			const [what, fix] = URL_PROBLEMS[fact.problem];
			return `The credential's ${fact.field} ${what}: ${fix}`;
		}
		case 'primary-skipped':
			return 'Was not asked: it failed moments ago, so requests go to the backup for a while';
	}
}
