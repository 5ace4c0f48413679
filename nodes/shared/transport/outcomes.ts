import type { Endpoint, EndpointOutcome, EndpointRole, FailoverFacts } from './endpoint';
import { isRetryable } from './failureKinds';
import { AttemptFailure, primarySkippedMessage, RequestFailure } from '../failures';
import type { RunScope } from './request';

/** The final failure of a request: its last attempt's, with every URL asked and how it failed. */
export function finalFailure(
	failure: AttemptFailure,
	endpoint: EndpointRole,
	attempts: number,
	failover: boolean,
	urls: EndpointOutcome[] = [],
): RequestFailure {
	return new RequestFailure(failure.kind, failure.message, {
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
		message: failure.message,
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
		message: primarySkippedMessage(),
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
