import type { Endpoint } from './transport/endpoint';
import { AttemptFailure } from './failures';
import type { AttemptFact, UrlProblem } from './facts/attempt';

/** A URL in the credential that cannot be used: which field, and what is wrong with it. */
export class EndpointProblem {
	constructor(
		readonly field: string,
		readonly problem: UrlProblem,
	) {}

	/** What is wrong, as the fact the wording turns into words that name the field and the fix. */
	get fact(): AttemptFact {
		return { what: 'bad-url', field: this.field, problem: this.problem };
	}
}

/** The URL a text is, or undefined: one with spaces in it is none, even where URL() would mend it. */
function parseUrl(text: string): URL | undefined {
	if (/\s/.test(text)) return undefined;
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

/** What is wrong with a base URL that does not parse, told without quoting it. */
function unparsable(text: string): UrlProblem {
	if (text === '') return 'empty';
	if (/\s/.test(text)) return 'spaces';
	if (!text.includes('://')) return 'no-scheme';
	return 'not-a-url';
}

/**
 * Trims a base URL and drops trailing slashes. A bare host (no path) gets MetaChat's /v1, so
 * "https://llm-api.mmchat.xyz" works; any other path is kept as the user wrote it. A value that
 * is not a URL is never quoted (it may be a key pasted into the wrong field); a user name,
 * password or query string, which requests would lose, is refused.
 */
export function normaliseBaseUrl(raw: unknown, field: string): string | EndpointProblem {
	const refuse = (problem: UrlProblem) => new EndpointProblem(field, problem);
	if (raw !== undefined && raw !== null && typeof raw !== 'string') return refuse('not-text');
	const text = typeof raw === 'string' ? raw.trim() : '';
	const url = parseUrl(text);
	if (!url) return refuse(unparsable(text));
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return refuse('wrong-scheme');
	}
	if (url.username !== '' || url.password !== '') {
		return refuse('user-info');
	}
	if (url.search !== '') {
		return refuse('query');
	}
	url.hash = '';
	let path = url.pathname.replace(/\/+$/, '');
	if (path === '') path = '/v1';
	return `${url.origin}${path}`;
}

export interface EndpointCredentials {
	baseUrl?: unknown;
	/** The credential's "Use Failover URL" switch; missing in credentials saved before it existed. */
	useFailover?: unknown;
	failoverBaseUrl?: unknown;
}

/**
 * The primary URL, then the backup when failover is on and its URL is set and differs from the
 * primary. Failover is off where the switch is off, and, as in credentials saved before the
 * switch existed, where the Failover Base URL is empty.
 */
export function resolveEndpoints(credentials: EndpointCredentials): Endpoint[] | EndpointProblem {
	const primary = normaliseBaseUrl(credentials.baseUrl, 'Base URL');
	if (primary instanceof EndpointProblem) return primary;
	const endpoints: Endpoint[] = [{ role: 'primary', baseUrl: primary }];
	const backup = typeof credentials.failoverBaseUrl === 'string' ? credentials.failoverBaseUrl : '';
	if (credentials.useFailover !== false && backup.trim() !== '') {
		const baseUrl = normaliseBaseUrl(backup, 'Failover Base URL');
		if (baseUrl instanceof EndpointProblem) return baseUrl;
		if (baseUrl !== primary) endpoints.push({ role: 'failover', baseUrl });
	}
	return endpoints;
}

/** The key and URLs of a MetaChat credential, as every request needs them. */
export interface MetaChatCredential {
	apiKey: string;
	endpoints: Endpoint[];
}

export type CredentialFields = EndpointCredentials & { apiKey?: unknown };

/**
 * Reads a MetaChat credential: a non-empty API key and the URLs to call, or the failure that
 * names the field to fix (kind 'auth' for the key, 'request' for a URL).
 */
export function readCredentialFields(
	credentials: CredentialFields,
): MetaChatCredential | AttemptFailure {
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey.trim() : '';
	if (apiKey === '') return new AttemptFailure('auth', { what: 'no-api-key' });
	const endpoints = resolveEndpoints(credentials);
	if (endpoints instanceof EndpointProblem) {
		return new AttemptFailure('request', endpoints.fact);
	}
	return { apiKey, endpoints };
}
