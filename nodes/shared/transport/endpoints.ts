import { AttemptFailure } from './failures';

export type EndpointRole = 'primary' | 'failover';

export interface Endpoint {
	role: EndpointRole;
	baseUrl: string;
}

/** A URL in the credential that cannot be used, with words that name the field and the fix. */
export class EndpointProblem {
	constructor(readonly message: string) {}
}

/**
 * Trims a base URL and drops trailing slashes. A bare host (no path) gets MetaChat's /v1, so
 * "https://llm-api.mmchat.xyz" works; any other path is kept as the user wrote it.
 */
export function normaliseBaseUrl(raw: unknown, field: string): string | EndpointProblem {
	const text = typeof raw === 'string' ? raw.trim() : '';
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return new EndpointProblem(
			`The credential's ${field} "${text}" is not a URL: use e.g. https://llm-api.mmchat.xyz/v1`,
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return new EndpointProblem(`The credential's ${field} must start with https:// or http://`);
	}
	url.search = '';
	url.hash = '';
	let path = url.pathname.replace(/\/+$/, '');
	if (path === '') path = '/v1';
	return `${url.origin}${path}`;
}

export interface EndpointCredentials {
	baseUrl?: unknown;
	failoverBaseUrl?: unknown;
}

/** The primary URL, then the backup when one is set and differs from the primary. */
export function resolveEndpoints(credentials: EndpointCredentials): Endpoint[] | EndpointProblem {
	const primary = normaliseBaseUrl(credentials.baseUrl, 'Base URL');
	if (primary instanceof EndpointProblem) return primary;
	const endpoints: Endpoint[] = [{ role: 'primary', baseUrl: primary }];
	const backup = typeof credentials.failoverBaseUrl === 'string' ? credentials.failoverBaseUrl : '';
	if (backup.trim() !== '') {
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
