import { createClient, listModelIds } from './client';
import { resolveEndpoints, type Endpoint, type EndpointCredentials } from './endpoints';
import { AttemptError, classify, type FailureKind } from './failures';

const LIST_TIMEOUT_MS = 15_000;

/** Failures of the URL, not of the credential: the backup may still answer. */
const UNREACHABLE: FailureKind[] = ['connection', 'timeout', 'server', 'broken'];

type ListCredentials = EndpointCredentials & { apiKey?: unknown };

function keyOf(credentials: ListCredentials): string {
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey.trim() : '';
	if (apiKey === '') throw new AttemptError('auth', 'The MetaChat credential has no API key');
	return apiKey;
}

async function listAt(endpoint: Endpoint, apiKey: string): Promise<string[]> {
	const signal = AbortSignal.timeout(LIST_TIMEOUT_MS);
	try {
		return await listModelIds(createClient(endpoint.baseUrl, apiKey), signal);
	} catch (error) {
		if (signal.aborted) {
			throw new AttemptError('timeout', `No model list within ${LIST_TIMEOUT_MS / 1000} s`);
		}
		throw classify(error, apiKey);
	}
}

/**
 * Model ids from /models at the primary URL, or at the backup when the primary cannot be reached.
 * A key the server refuses (401, 402, 403) or a wrong URL (404) fails at once: the backup fronts
 * the same account, and the editor must show the problem rather than a fallback list.
 */
export async function fetchModelIds(credentials: ListCredentials): Promise<string[]> {
	const apiKey = keyOf(credentials);
	let last: AttemptError | undefined;
	for (const endpoint of resolveEndpoints(credentials, true)) {
		try {
			return await listAt(endpoint, apiKey);
		} catch (error) {
			last = error as AttemptError;
			if (!UNREACHABLE.includes(last.kind)) throw last;
		}
	}
	throw last!;
}

export interface EndpointCheck {
	endpoint: Endpoint;
	failure?: AttemptError;
}

/** Asks every URL of the credential for its model list, for the credential's Test. */
export async function checkEndpoints(credentials: ListCredentials): Promise<EndpointCheck[]> {
	const apiKey = keyOf(credentials);
	return await Promise.all(
		resolveEndpoints(credentials, true).map(async (endpoint) => {
			try {
				await listAt(endpoint, apiKey);
				return { endpoint };
			} catch (error) {
				return { endpoint, failure: error as AttemptError };
			}
		}),
	);
}

/** Whether a model-list failure is the network's (show the fallback list) or the credential's. */
export function isUnreachable(error: unknown): boolean {
	return error instanceof AttemptError && UNREACHABLE.includes(error.kind);
}
