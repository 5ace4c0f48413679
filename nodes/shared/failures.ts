import type { AttemptFact } from './facts/attempt';
import type { RequestAdvice } from './facts/failure';
import type { HistoryFact } from './facts/input';
import type { Endpoint, EndpointOutcome, EndpointRole, FailoverFacts } from './transport/endpoint';
import { isRetryable, type FailureKind } from './transport/failureKinds';
import type { RunScope } from './transport/request';

/**
 * One failed attempt, classified, as facts: its kind and what happened (the server's own words,
 * numbers, codes), which the wording module turns into words. A value, never thrown: the
 * transport returns failures and the calling node turns the final one into an n8n error with its
 * item index. Facts never hold the API key (see redact).
 */
export class AttemptFailure {
	constructor(
		readonly kind: FailureKind,
		readonly fact: AttemptFact,
		readonly status?: number,
		readonly retryAfterMs?: number,
		/** The network error code, where no response came (ECONNREFUSED, ENOTFOUND, …). */
		readonly code?: string,
	) {}
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

/**
 * The final failure of a request after retries and failover, as facts: the node words it where it
 * reports it (nodeErrors).
 */
export class RequestFailure {
	constructor(
		readonly kind: FailureKind,
		/** What happened in the last attempt: the server's own words where it said something. */
		readonly fact: AttemptFact,
		readonly details: FailureDetails,
		/** What the request itself tells to do: a parameter or a model id the server refused. */
		readonly advice?: RequestAdvice,
	) {}
}

/** An attempt that a stopped execution ended. */
export function stoppedAttempt(): AttemptFailure {
	return new AttemptFailure('cancelled', { what: 'stopped' });
}

/**
 * An attempt that failed after part of its answer had been streamed to the caller: asking again
 * would send the caller that text twice, so the item ends here.
 */
export function interruptedAttempt(failure: AttemptFailure, streamedChars: number): AttemptFailure {
	return new AttemptFailure(
		'interrupted',
		{ what: 'interrupted', streamedChars, cause: failure.fact },
		failure.status,
		undefined,
		failure.code,
	);
}

/** An attempt, or a wait between attempts, that the item's own deadline ended. */
export function itemTimeoutAttempt(): AttemptFailure {
	return new AttemptFailure('item-timeout', { what: 'item-timeout' });
}

/** A stopped execution, before or between requests. */
export function cancelledFailure(endpoint: EndpointRole = 'primary', attempts = 0): RequestFailure {
	return new RequestFailure(
		'cancelled',
		{ what: 'stopped' },
		{
			status: null,
			endpoint,
			attempts,
			failover: endpoint === 'failover',
			retryable: false,
		},
	);
}

/** Wrong history input, returned for the caller to raise: what is wrong, as facts. */
export class HistoryProblem {
	constructor(readonly fact: HistoryFact) {}
}

/** The final failure of a request: its last attempt's, with every URL asked and how it failed. */
export function finalFailure(
	failure: AttemptFailure,
	endpoint: EndpointRole,
	attempts: number,
	failover: boolean,
	urls: EndpointOutcome[] = [],
): RequestFailure {
	return new RequestFailure(failure.kind, failure.fact, {
		status: failure.status ?? null,
		endpoint,
		attempts,
		failover,
		retryable: isRetryable(failure.kind),
		...(urls.length > 0 && { urls }),
	});
}

export function outcomeAt(endpoint: Endpoint, failure: AttemptFailure): EndpointOutcome {
	return {
		endpoint: endpoint.role,
		url: endpoint.baseUrl,
		status: failure.status ?? null,
		code: failure.code ?? null,
		fact: failure.fact,
	};
}

/** The primary's failure in this request, or, where the breaker skipped it, that it was skipped. */
export function primaryOutcome(
	scope: RunScope,
	outcomes: EndpointOutcome[],
): FailoverFacts['primary'] {
	const found = outcomes.find((outcome) => outcome.endpoint === 'primary');
	if (found) return found;
	return {
		endpoint: 'primary',
		url: scope.endpoints[0].baseUrl,
		status: null,
		code: null,
		fact: { what: 'primary-skipped' },
		skipped: true,
	};
}

/** Records a URL's latest failure in a request, replacing the one before at the same URL. */
export function recordOutcome(
	outcomes: EndpointOutcome[],
	endpoint: Endpoint,
	failure: AttemptFailure,
): void {
	const outcome = outcomeAt(endpoint, failure);
	const index = outcomes.findIndex((known) => known.endpoint === endpoint.role);
	if (index === -1) outcomes.push(outcome);
	else outcomes[index] = outcome;
}
