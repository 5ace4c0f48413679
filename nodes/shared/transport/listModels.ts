import { readCredentialFields, type CredentialFields } from '../credentialFields';
import { requestModelIds } from './client';
import { AttemptDeadline } from './deadline';
import type { Endpoint } from './endpoint';
import type { MetaChatHttp } from './exchange';
import { FAILURE_KINDS } from './failureKinds';
import { AttemptFailure } from './failures';

const LIST_TIMEOUT_MS = 15_000;

async function listAt(
	http: MetaChatHttp,
	endpoint: Endpoint,
	apiKey: string,
): Promise<string[] | AttemptFailure> {
	const never = new AbortController().signal;
	const deadline = new AttemptDeadline(
		never,
		LIST_TIMEOUT_MS,
		LIST_TIMEOUT_MS,
		Date.now() + LIST_TIMEOUT_MS,
	);
	try {
		return await requestModelIds(http, endpoint.baseUrl, apiKey, deadline);
	} finally {
		deadline.dispose();
	}
}

/**
 * Model ids from /models at the primary URL, or at the backup when the primary cannot be reached.
 * A key the server refuses (401, 402, 403) or a wrong URL (404) fails at once: the backup fronts
 * the same account, and the editor must show the problem rather than a fallback list.
 */
export async function fetchModelIds(
	http: MetaChatHttp,
	credentials: CredentialFields,
): Promise<string[] | AttemptFailure> {
	const credential = readCredentialFields(credentials);
	if (credential instanceof AttemptFailure) return credential;
	return await modelIdsAt(http, credential.apiKey, credential.endpoints);
}

async function modelIdsAt(
	http: MetaChatHttp,
	apiKey: string,
	endpoints: Endpoint[],
): Promise<string[] | AttemptFailure> {
	let last: AttemptFailure | undefined;
	for (const endpoint of endpoints) {
		const result = await listAt(http, endpoint, apiKey);
		if (!(result instanceof AttemptFailure)) {
			remember(cacheKey(apiKey, endpoints), result);
			return result;
		}
		last = result;
		if (!isUnreachable(result)) return result;
	}
	return last!;
}

/** How long a model list read stays the answer to "which models does MetaChat serve". */
export const MODEL_LIST_TTL_MS = 10 * 60_000;

const MAX_CACHED_LISTS = 64;

const served = new Map<string, { ids: string[]; at: number }>();

function remember(key: string, ids: string[]): void {
	served.delete(key);
	served.set(key, { ids, at: Date.now() });
	// The oldest first: a Map keeps insertion order.
	if (served.size > MAX_CACHED_LISTS) served.delete(served.keys().next().value as string);
}

/** The key as a hash (FNV-1a): the cache holds no key, and two keys may see different lists. */
function cacheKey(apiKey: string, endpoints: Endpoint[]): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < apiKey.length; i++) {
		hash ^= apiKey.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return `${endpoints.map((endpoint) => endpoint.baseUrl).join(' ')} ${hash.toString(16)}`;
}

/**
 * The model ids MetaChat serves to this key, read once and kept for MODEL_LIST_TTL_MS (the
 * editor's model list fills the same cache), for the error of a model id MetaChat refuses.
 */
export async function servedModelIds(
	http: MetaChatHttp,
	apiKey: string,
	endpoints: Endpoint[],
): Promise<string[] | AttemptFailure> {
	const key = cacheKey(apiKey, endpoints);
	const known = served.get(key);
	if (known && Date.now() - known.at < MODEL_LIST_TTL_MS) return known.ids;
	// Items that fail at once share one read.
	let reading = pending.get(key);
	if (!reading) {
		reading = modelIdsAt(http, apiKey, endpoints).finally(() => pending.delete(key));
		pending.set(key, reading);
	}
	return await reading;
}

const pending = new Map<string, Promise<string[] | AttemptFailure>>();

/** Whether a model-list failure is the network's (show the fallback list) or the credential's. */
export function isUnreachable(failure: AttemptFailure): boolean {
	// Failures of the URL, not of the credential (those the failover rules move on): the backup
	// may still answer.
	return FAILURE_KINDS[failure.kind].next.includes('failover');
}
