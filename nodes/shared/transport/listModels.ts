import { requestModelIds, type MetaChatHttp } from './client';
import { AttemptDeadline } from './deadline';
import { readCredentialFields, type CredentialFields, type Endpoint } from './endpoints';
import { AttemptFailure, type FailureKind } from './failures';

const LIST_TIMEOUT_MS = 15_000;

/** Failures of the URL, not of the credential: the backup may still answer. */
const UNREACHABLE: FailureKind[] = ['connection', 'timeout', 'server', 'broken'];

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
	const { apiKey, endpoints } = credential;
	let last: AttemptFailure | undefined;
	for (const endpoint of endpoints) {
		const result = await listAt(http, endpoint, apiKey);
		if (!(result instanceof AttemptFailure)) return result;
		last = result;
		if (!isUnreachable(result)) return result;
	}
	return last!;
}

/** Whether a model-list failure is the network's (show the fallback list) or the credential's. */
export function isUnreachable(failure: AttemptFailure): boolean {
	return UNREACHABLE.includes(failure.kind);
}
