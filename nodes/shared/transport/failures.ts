import type { EndpointRole } from './endpoint';
import type { FailureKind } from './failureKinds';

/**
 * One failed attempt, classified. A value, never thrown: the transport returns failures and the
 * calling node turns the final one into an n8n error with its item index. Messages never hold
 * the API key (see redact).
 */
export class AttemptFailure {
	constructor(
		readonly kind: FailureKind,
		readonly message: string,
		readonly status?: number,
		readonly retryAfterMs?: number,
		/** The network error code, where no response came (ECONNREFUSED, ENOTFOUND, …). */
		readonly code?: string,
	) {}
}

/** How a request ended at one URL: the last failure there. */
export interface EndpointOutcome {
	endpoint: EndpointRole;
	url: string;
	status: number | null;
	code: string | null;
	message: string;
}

export interface FailureDetails {
	status: number | null;
	endpoint: EndpointRole;
	attempts: number;
	failover: boolean;
	retryable: boolean;
	/** Each URL asked, in order, with how it failed. */
	urls?: EndpointOutcome[];
}

/** The final failure of a request after retries and failover, as the node reports it. */
export class RequestFailure {
	constructor(
		readonly kind: FailureKind,
		readonly apiMessage: string,
		readonly details: FailureDetails,
		/** What to do about it, where the request itself tells (a parameter the server refused). */
		readonly hint?: string,
	) {}
}

const STOPPED = 'The execution was stopped';

/** An attempt that a stopped execution ended. */
export function stoppedAttempt(): AttemptFailure {
	return new AttemptFailure('cancelled', STOPPED);
}

/**
 * An attempt that failed after part of its answer had been streamed to the caller: asking again
 * would send the caller that text twice, so the item ends here.
 */
export function interruptedAttempt(failure: AttemptFailure, streamedChars: number): AttemptFailure {
	return new AttemptFailure(
		'interrupted',
		`${streamedChars} characters had been streamed when it broke off (${failure.message})`,
		failure.status,
		undefined,
		failure.code,
	);
}

/** An attempt, or a wait between attempts, that the item's own deadline ended. */
export function itemTimeoutAttempt(): AttemptFailure {
	return new AttemptFailure('item-timeout', 'The item ran out of time (Item Timeout option)');
}

/** A stopped execution, before or between requests. */
export function cancelledFailure(endpoint: EndpointRole = 'primary', attempts = 0): RequestFailure {
	return new RequestFailure('cancelled', STOPPED, {
		status: null,
		endpoint,
		attempts,
		failover: endpoint === 'failover',
		retryable: false,
	});
}
