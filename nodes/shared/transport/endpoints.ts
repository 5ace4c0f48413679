export type EndpointRole = 'primary' | 'failover';

export interface Endpoint {
	role: EndpointRole;
	baseUrl: string;
}

export class EndpointConfigError extends Error {}

/**
 * Trims a base URL and drops trailing slashes. A bare host (no path) gets MetaChat's /v1, so
 * "https://llm-api.mmchat.xyz" works; any other path is kept as the user wrote it.
 */
export function normaliseBaseUrl(raw: unknown, field: string): string {
	const text = typeof raw === 'string' ? raw.trim() : '';
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new EndpointConfigError(
			`The credential's ${field} "${text}" is not a URL: use e.g. https://llm-api.mmchat.xyz/v1`,
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new EndpointConfigError(`The credential's ${field} must start with https:// or http://`);
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

export function resolveEndpoints(credentials: EndpointCredentials, failover: boolean): Endpoint[] {
	const endpoints: Endpoint[] = [
		{ role: 'primary', baseUrl: normaliseBaseUrl(credentials.baseUrl, 'Base URL') },
	];
	const backup = typeof credentials.failoverBaseUrl === 'string' ? credentials.failoverBaseUrl : '';
	if (failover && backup.trim() !== '') {
		const baseUrl = normaliseBaseUrl(backup, 'Failover Base URL');
		if (baseUrl !== endpoints[0].baseUrl) endpoints.push({ role: 'failover', baseUrl });
	}
	return endpoints;
}
