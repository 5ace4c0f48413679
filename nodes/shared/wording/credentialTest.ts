import type { FailureKind } from '../transport/failureKinds';
import { EXAMPLE_URL } from './attempt';

/**
 * The credential Test's rules: n8n's declarative Test asks the Base URL for its model list and
 * shows, for a status, the message its rule gives (one sentence, the fix after the colon).
 */
export const TEST_RULES: ReadonlyArray<{ status: number; kind: FailureKind; message: string }> = [
	{
		status: 401,
		kind: 'auth',
		message:
			'MetaChat rejected the API key at the Base URL (401): copy it again from your MetaChat account',
	},
	{
		status: 402,
		kind: 'balance',
		message: 'MetaChat balance exhausted (402): top up the MetaChat balance',
	},
	{
		status: 403,
		kind: 'auth',
		message:
			'MetaChat refused access at the Base URL (403): check that your key may use this service',
	},
	{
		status: 404,
		kind: 'request',
		message: `No model list at the Base URL (404): check its path; it usually ends in /v1, e.g. ${EXAMPLE_URL}`,
	},
	{
		status: 429,
		kind: 'rate-limit',
		message:
			'MetaChat answered "rate limit reached" at the Base URL (429): the key works; try Test again in a minute',
	},
	...[500, 502, 503, 504].map((status) => ({
		status,
		kind: 'server' as const,
		message: `MetaChat could not answer at the Base URL (${status}): try again later`,
	})),
];
