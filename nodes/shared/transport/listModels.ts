import { readCredentialFields, type CredentialFields } from '../credentialFields';
import { keyHash } from './breaker';
import { requestModelIds } from './client';
import { AttemptDeadline } from './deadline';
import type { Endpoint } from './endpoint';
import type { MetaChatHttp } from './client';
import { FAILURE_KINDS } from './failureKinds';
import { AttemptFailure, itemTimeoutAttempt, stoppedAttempt } from '../failures';
import { wait } from './wait';

/** How long one read of /models may take at a URL. */
const LIST_TIMEOUT_MS = 15_000;
/** How long a URL may stay silent (no headers, no byte) before the read asks the next one. */
const LIST_IDLE_MS = 5_000;

async function listAt(
	http: MetaChatHttp,
	endpoint: Endpoint,
	apiKey: string,
): Promise<string[] | AttemptFailure> {
	// No caller's signal or deadline: items share a read, and each stops waiting on its own.
	const never = new AbortController().signal;
	const deadline = new AttemptDeadline(never, LIST_TIMEOUT_MS, LIST_IDLE_MS, Infinity);
	try {
		const result = await requestModelIds(http, endpoint.baseUrl, apiKey, deadline);
		// A list still arriving when the read's time is up: this URL cannot serve it.
		if (result instanceof AttemptFailure && result.kind === 'answer-timeout') {
			return new AttemptFailure('timeout', { what: 'no-answer-in-time' });
		}
		return result;
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

/** The URLs and the key's hash (the breaker's): the cache holds no key, and keys never share a list. */
function cacheKey(apiKey: string, endpoints: Endpoint[]): string {
	return `${endpoints.map((endpoint) => endpoint.baseUrl).join(' ')} ${keyHash(apiKey)}`;
}

/** Who waits for a model list: an item, until its execution stops or its deadline passes. */
export interface ListWaiter {
	signal: AbortSignal;
	deadline: number;
}

/**
 * The model ids MetaChat serves to this key, read once and kept for MODEL_LIST_TTL_MS (the
 * editor's model list fills the same cache), for the error of a model id MetaChat refuses. The
 * items of one execution share one read; each waits for it only until its execution is stopped
 * or its Item Timeout passes, and no waiter ends the read for the others.
 */
export async function servedModelIds(
	http: MetaChatHttp,
	apiKey: string,
	endpoints: Endpoint[],
	waiter: ListWaiter,
): Promise<string[] | AttemptFailure> {
	const key = cacheKey(apiKey, endpoints);
	const known = served.get(key);
	if (known && Date.now() - known.at < MODEL_LIST_TTL_MS) return known.ids;
	// Keyed by the execution's request helper: n8n ends its requests when that execution stops,
	// which must not reach another execution's items.
	let reads = pending.get(http);
	if (!reads) pending.set(http, (reads = new Map()));
	let reading = reads.get(key);
	if (!reading) {
		const own = reads;
		reading = modelIdsAt(http, apiKey, endpoints).finally(() => own.delete(key));
		reads.set(key, reading);
	}
	return await until(reading, waiter);
}

/** The read's result, or the waiter's own stop or deadline, whichever comes first. */
async function until(
	reading: Promise<string[] | AttemptFailure>,
	{ signal, deadline }: ListWaiter,
): Promise<string[] | AttemptFailure> {
	if (signal.aborted) return stoppedAttempt();
	const done = new AbortController();
	const gaveUp = wait(
		Math.max(0, deadline - Date.now()),
		AbortSignal.any([signal, done.signal]),
	).then(() => (signal.aborted ? stoppedAttempt() : itemTimeoutAttempt()));
	try {
		return await Promise.race([reading, gaveUp]);
	} finally {
		done.abort();
	}
}

const pending = new WeakMap<MetaChatHttp, Map<string, Promise<string[] | AttemptFailure>>>();

/** Whether a model-list failure is the network's (show the fallback list) or the credential's. */
export function isUnreachable(failure: AttemptFailure): boolean {
	// Failures of the URL, not of the credential (those the failover rules move on): the backup
	// may still answer.
	return FAILURE_KINDS[failure.kind].next.includes('failover');
}
