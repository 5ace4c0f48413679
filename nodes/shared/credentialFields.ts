import type { Endpoint } from './transport/endpoint';
import { AttemptFailure } from './transport/failures';

/** A URL in the credential that cannot be used, with words that name the field and the fix. */
export class EndpointProblem {
	constructor(readonly message: string) {}
}

const EXAMPLE = 'https://llm-api.mmchat.xyz/v1';

/** The URL a text is, or undefined: one with spaces in it is none, even where URL() would mend it. */
function parseUrl(text: string): URL | undefined {
	if (/\s/.test(text)) return undefined;
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

/** What is wrong with a base URL that does not parse, said without quoting it. */
function unparsable(text: string): string {
	if (text === '') return 'is empty';
	if (/\s/.test(text)) return 'has spaces in it, so it is not a URL (is it the key?)';
	if (!text.includes('://')) return 'does not start with https:// or http://';
	return 'is not a URL: check the host name';
}

/**
 * Trims a base URL and drops trailing slashes. A bare host (no path) gets MetaChat's /v1, so
 * "https://llm-api.mmchat.xyz" works; any other path is kept as the user wrote it. A value that
 * is not a URL is never quoted (it may be a key pasted into the wrong field); a user name,
 * password or query string, which requests would lose, is refused.
 */
export function normaliseBaseUrl(raw: unknown, field: string): string | EndpointProblem {
	const refuse = (what: string, fix = `use e.g. ${EXAMPLE}`) =>
		new EndpointProblem(`The credential's ${field} ${what}: ${fix}`);
	if (raw !== undefined && raw !== null && typeof raw !== 'string') return refuse('is not text');
	const text = typeof raw === 'string' ? raw.trim() : '';
	const url = parseUrl(text);
	if (!url) return refuse(unparsable(text));
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return refuse('must start with https:// or http://');
	}
	if (url.username !== '' || url.password !== '') {
		return refuse(
			'has a user name or password in it (user:password@ before the host), which requests would drop',
			'remove it; the key goes in the API Key field',
		);
	}
	if (url.search !== '') {
		return refuse(
			'has a query string (the part from the ?), which requests would drop',
			`remove it, e.g. ${EXAMPLE}`,
		);
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
	if (apiKey === '') return new AttemptFailure('auth', 'The MetaChat credential has no API key');
	const endpoints = resolveEndpoints(credentials);
	if (endpoints instanceof EndpointProblem) return new AttemptFailure('request', endpoints.message);
	return { apiKey, endpoints };
}
