import { interruptedAttempt, type AttemptFailure } from '../failures';
import { backoffMs } from './deadline';

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

const RETRY_AFTER_CAP_MS = 30_000;
const MAX_RATE_LIMIT_WAITS = 30;

type Next = 'retry' | 'failover' | 'stop';

/** The failover rules (docs/reliability.md), as a decision on one failed attempt's kind. */
export function decide(kind: FailureKind, retriesHere: number, maxRetries: number): Next {
	const { next } = FAILURE_KINDS[kind];
	if (next === 'retry-then-failover') return retriesHere < maxRetries ? 'retry' : 'failover';
	return next;
}

/** Where a request stands at one URL when an attempt there fails. */
export interface AttemptState {
	/** Whether the URL is the primary (the breaker hears of it) or the backup. */
	primary: boolean;
	/** Retries after server errors and broken answers at this URL so far. */
	retriesHere: number;
	/** Waits after 429s at this URL so far. */
	rateLimitWaits: number;
	/** Characters of this request's answer that reached a streaming caller. */
	streamedChars: number;
	maxRetries: number;
	itemDeadline: number;
	now: number;
}

/** What the send loop does after a failed attempt, and what it tells the limiter and breaker. */
export interface Decision {
	next: 'stop' | 'failover' | 'wait';
	/** The failure recorded at this URL, and the item's where the request stops. */
	failure: AttemptFailure;
	waitMs: number;
	/** The state after this attempt (its counters, for the next attempt at the same URL). */
	retriesHere: number;
	rateLimitWaits: number;
	/** A 429: the run's limiter slows down. */
	slowDown: boolean;
	/** What this attempt proves of the primary, for the breaker (only when it was the primary). */
	primaryIs?: 'answered' | 'down';
	/** A 402 or a used-up quota: every other item of the run fails with this failure too. */
	exhausts: boolean;
}

/**
 * The one decision after a failed attempt: the table's rule for its kind, overridden where text
 * was already streamed (never asked again), a 429 was waited on too often (or as the server asks,
 * capped), the wait would pass the item's deadline, or the balance is gone.
 */
export function decideAfterFailure(attempt: AttemptFailure, state: AttemptState): Decision {
	let failure = attempt;
	let next: Next = decide(failure.kind, state.retriesHere, state.maxRetries);
	if (state.streamedChars > 0 && next !== 'stop') {
		failure = interruptedAttempt(failure, state.streamedChars);
		next = 'stop';
	}
	const decision: Decision = {
		next: next === 'retry' ? 'wait' : next,
		failure,
		waitMs: 0,
		retriesHere: state.retriesHere,
		rateLimitWaits: state.rateLimitWaits,
		slowDown: false,
		exhausts: next === 'stop' && failure.kind === 'balance',
	};
	if (state.primary) {
		if (next === 'failover') decision.primaryIs = 'down';
		else if (FAILURE_KINDS[failure.kind].provesPrimaryUp) decision.primaryIs = 'answered';
	}
	if (next !== 'retry') return decision;
	// A 429 of either kind waits as the server asks and slows the run down.
	if (FAILURE_KINDS[failure.kind].next === 'retry') {
		decision.slowDown = true;
		decision.rateLimitWaits++;
		if (decision.rateLimitWaits > MAX_RATE_LIMIT_WAITS) return { ...decision, next: 'stop' };
		decision.waitMs =
			failure.retryAfterMs !== undefined
				? Math.max(250, Math.min(failure.retryAfterMs, RETRY_AFTER_CAP_MS))
				: backoffMs(decision.rateLimitWaits - 1);
	} else {
		decision.waitMs = backoffMs(state.retriesHere);
		decision.retriesHere++;
	}
	if (state.now + decision.waitMs >= state.itemDeadline) return { ...decision, next: 'stop' };
	return decision;
}
