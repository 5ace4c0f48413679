import { listModelIds, createClient } from './client';
import { resolveEndpoints, type EndpointCredentials } from './endpoints';

const LIST_TIMEOUT_MS = 15_000;

/** Model ids from /models at the primary URL, or at the backup when the primary cannot answer. */
export async function fetchModelIds(credentials: EndpointCredentials & { apiKey?: unknown }) {
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey.trim() : '';
	let lastError: unknown;
	for (const endpoint of resolveEndpoints(credentials, true)) {
		try {
			return await listModelIds(
				createClient(endpoint.baseUrl, apiKey),
				AbortSignal.timeout(LIST_TIMEOUT_MS),
			);
		} catch (error) {
			lastError = error;
		}
	}
	throw lastError;
}
