/**
 * The one list of the ways a request can fail at an endpoint, with what each means for the
 * failover rules (docs/reliability.md). The failover decision, the wording and the tests read it.
 */
export const FAILURE_KINDS = {
	/** Refused, DNS, TLS, reset before any response. */
	connection: { retryable: true, next: 'failover', provesPrimaryUp: false },
	/** No headers in time, or the body went silent: the endpoint is unwell. */
	timeout: { retryable: true, next: 'failover', provesPrimaryUp: false },
	/** A live answer still arriving when the request's Timeout ran out: not the endpoint's fault. */
	'answer-timeout': { retryable: true, next: 'stop', provesPrimaryUp: false },
	/** 500, 502, 503, 504 and other 5xx. */
	server: { retryable: true, next: 'retry-then-failover', provesPrimaryUp: false },
	/** A 200 that is HTML, has no choices, is unreadable, too large or ends early. */
	broken: { retryable: true, next: 'retry-then-failover', provesPrimaryUp: false },
	/** 429. */
	'rate-limit': { retryable: true, next: 'retry', provesPrimaryUp: false },
	/** A gateway's 429 saying its upstream is saturated: waited on as a 429, one gateway behind both URLs. */
	'upstream-busy': { retryable: true, next: 'retry', provesPrimaryUp: false },
	/** 402; a gateway's used-up quota (a 401 or 403 that says quota, a 429 `insufficient_quota`). */
	balance: { retryable: false, next: 'stop', provesPrimaryUp: true },
	/** 401, 403. */
	auth: { retryable: false, next: 'stop', provesPrimaryUp: true },
	/** 400, 404, 422 and other 4xx: the request itself is wrong. */
	request: { retryable: false, next: 'stop', provesPrimaryUp: true },
	/** The answer broke off after part of it had been streamed to the caller. */
	interrupted: { retryable: true, next: 'stop', provesPrimaryUp: false },
	/** The execution was stopped. */
	cancelled: { retryable: false, next: 'stop', provesPrimaryUp: false },
	/** The item's own deadline ran out. */
	'item-timeout': { retryable: true, next: 'stop', provesPrimaryUp: false },
} as const satisfies Record<string, FailureKindRules>;

export interface FailureKindRules {
	/** Whether a failure of this kind is worth trying again later (at all, not in this run). */
	retryable: boolean;
	/** What the failover rules do after one failed attempt of this kind. */
	next: 'failover' | 'retry-then-failover' | 'retry' | 'stop';
	/** Whether it proves the primary is up: it answered, only not with a completion. */
	provesPrimaryUp: boolean;
}

/** What went wrong at an endpoint, in the terms the failover rules decide on. */
export type FailureKind = keyof typeof FAILURE_KINDS;

/** Every kind, in the table's order. */
export const FAILURE_KIND_LIST = Object.keys(FAILURE_KINDS) as FailureKind[];

/** Whether a failure of this kind is worth trying again later (at all, not in this run). */
export function isRetryable(kind: FailureKind): boolean {
	return FAILURE_KINDS[kind].retryable;
}

export function kindForStatus(status: number): FailureKind {
	if (status === 402) return 'balance';
	if (status === 401 || status === 403) return 'auth';
	if (status === 429) return 'rate-limit';
	if (status === 408) return 'timeout';
	if (status >= 500) return 'server';
	return 'request';
}
