import { refusesModel, rejectedParameter } from '../protocol/rejectedParameter';
import type { RequestAdvice } from '../facts/failure';
import type { Completion, CompletionBody } from '../protocol/wire';
import { primaryBreaker, PrimaryBreaker } from './breaker';
import { requestCompletion } from './client';
import { AttemptDeadline, backoffMs } from './deadline';
import type { Endpoint, EndpointOutcome, EndpointRole } from './endpoint';
import { FAILURE_KINDS, type FailureKind } from './failureKinds';
import {
	AttemptFailure,
	interruptedAttempt,
	itemTimeoutAttempt,
	RequestFailure,
	stoppedAttempt,
} from '../failures';
import { servedModelIds } from './listModels';
import { finalFailure, primaryOutcome, recordOutcome } from './outcomes';
import type { Answer, DeltaCallbacks, RequestPolicy, RunScope } from './request';
import { wait } from './wait';

/**
 * How long an endpoint may stay silent (no headers, no byte, not even a keep-alive) before it
 * counts as unwell and the attempt fails over: half the request's Timeout, at most 60 s. DeepSeek
 * sends keep-alives while a request waits and streams reasoning while it thinks, so a live answer
 * is never this quiet; half the Timeout keeps "silent" and "still answering" apart at its end.
 */
export const IDLE_TIMEOUT_MS = 60_000;

export function idleTimeoutMs(timeoutMs: number): number {
	return Math.max(1, Math.min(IDLE_TIMEOUT_MS, Math.floor(timeoutMs / 2)));
}
const RETRY_AFTER_CAP_MS = 30_000;
const MAX_RATE_LIMIT_WAITS = 30;

type Next = 'retry' | 'failover' | 'stop';

/** The failover rules (docs/reliability.md), as a decision on one failed attempt. */
export function decide(kind: FailureKind, retriesHere: number, maxRetries: number): Next {
	const { next } = FAILURE_KINDS[kind];
	if (next === 'retry-then-failover') return retriesHere < maxRetries ? 'retry' : 'failover';
	return next;
}

/**
 * Sends one completion with the failover rules: retries at the same URL where they can help,
 * moves to the backup where the primary cannot answer, and never moves for the caller's own
 * errors. The final failure comes back as a value, for the calling node to report with its item.
 */
export async function completeWithFailover(
	scope: RunScope,
	body: CompletionBody,
	policy: RequestPolicy,
	callbacks: DeltaCallbacks = {},
	breaker: PrimaryBreaker = primaryBreaker,
): Promise<Answer | RequestFailure> {
	const endpoints = policy.failover ? scope.endpoints : scope.endpoints.slice(0, 1);
	const signal = policy.signal ? AbortSignal.any([scope.signal, policy.signal]) : scope.signal;
	const breakerKey = PrimaryBreaker.key(scope.endpoints[0].baseUrl, scope.apiKey);
	const claim = endpoints.length > 1 ? breaker.claim(breakerKey) : { skipPrimary: false };
	// The probe is settled by the primary's answer or failure; any other way out frees it.
	let probe = claim.probe;
	try {
		const order = claim.skipPrimary ? [endpoints[1], endpoints[0]] : endpoints;
		const result = await sendInOrder(scope, signal, body, policy, callbacks, order, (outcome) => {
			if (outcome === 'answered') breaker.primaryAnswered(breakerKey);
			else breaker.primaryFailed(breakerKey);
			probe = undefined;
		});
		if (!(result instanceof RequestFailure) || result.kind !== 'request') return result;
		// A server that refuses a parameter we sent by default: say which option leaves it out;
		// one that refuses the model id: say which ids it serves.
		const parameter = rejectedParameter(body, result.apiMessage);
		const advice: RequestAdvice | undefined = parameter
			? { refused: 'parameter', parameter }
			: refusesModel(result.apiMessage)
				? { refused: 'model', model: body.model, served: await servedList(scope, signal, policy) }
				: undefined;
		return advice
			? new RequestFailure(result.kind, result.apiMessage, result.details, advice)
			: result;
	} finally {
		if (probe) breaker.release(breakerKey, probe);
	}
}

async function servedList(
	scope: RunScope,
	signal: AbortSignal,
	policy: RequestPolicy,
): Promise<string[] | string> {
	const waiter = { signal, deadline: policy.itemDeadline };
	const ids = await servedModelIds(scope.http, scope.apiKey, scope.endpoints, waiter);
	return ids instanceof AttemptFailure ? ids.message : ids;
}

async function sendInOrder(
	scope: RunScope,
	signal: AbortSignal,
	body: CompletionBody,
	policy: RequestPolicy,
	callbacks: DeltaCallbacks,
	order: Endpoint[],
	primaryIs: (outcome: 'answered' | 'down') => void,
): Promise<Answer | RequestFailure> {
	const triedBackup = (position: number) =>
		order.slice(0, position + 1).some((endpoint) => endpoint.role === 'failover');
	let attempts = 0;
	let last: { failure: AttemptFailure; endpoint: EndpointRole } | undefined;
	// The last failure at each URL asked, so a final error can tell every one of them.
	const outcomes: EndpointOutcome[] = [];
	const record = (endpoint: Endpoint, failure: AttemptFailure) =>
		recordOutcome(outcomes, endpoint, failure);

	for (const [position, endpoint] of order.entries()) {
		const fail = (failure: AttemptFailure) => {
			record(endpoint, failure);
			return finalFailure(failure, endpoint.role, attempts, triedBackup(position), outcomes);
		};
		const stopped = () => {
			const failure = signal.aborted ? stoppedAttempt() : itemTimeoutAttempt();
			return finalFailure(
				failure,
				last?.endpoint ?? endpoint.role,
				attempts,
				triedBackup(position),
				outcomes,
			);
		};
		let retriesHere = 0;
		let rateLimitWaits = 0;
		for (;;) {
			if (scope.exhausted) return scope.exhausted;
			if (Date.now() >= policy.itemDeadline || signal.aborted) return stopped();

			const ticket = await scope.limiter.acquire(signal, policy.itemDeadline);
			if (ticket === undefined) return stopped();
			// Another item may have hit 402 while this one waited for its slot.
			if (scope.exhausted) {
				scope.limiter.release();
				return scope.exhausted;
			}
			if (attempts > 0) callbacks.onRetry?.();
			attempts++;
			const deadline = new AttemptDeadline(
				signal,
				policy.timeoutMs,
				idleTimeoutMs(policy.timeoutMs),
				policy.itemDeadline,
			);
			let result: Completion | AttemptFailure;
			try {
				result = await requestCompletion(
					scope.http,
					endpoint.baseUrl,
					scope.apiKey,
					body,
					deadline,
					callbacks,
				);
			} finally {
				deadline.dispose();
				scope.limiter.release();
			}
			if (!(result instanceof AttemptFailure)) {
				scope.limiter.onSuccess();
				if (endpoint.role === 'primary') primaryIs('answered');
				const answer: Answer = { completion: result, endpoint: endpoint.role, attempts };
				if (endpoint.role === 'failover') {
					answer.failedOver = {
						primary: primaryOutcome(scope, outcomes),
						backupUrl: endpoint.baseUrl,
					};
				}
				return answer;
			}

			let failure = result;
			let next = decide(failure.kind, retriesHere, policy.maxRetries);
			const streamed = callbacks.streamedChars?.() ?? 0;
			if (streamed > 0 && next !== 'stop') {
				failure = interruptedAttempt(failure, streamed);
				next = 'stop';
			}
			last = { failure, endpoint: endpoint.role };
			record(endpoint, failure);
			if (endpoint.role === 'primary') {
				if (next === 'failover') primaryIs('down');
				else if (FAILURE_KINDS[failure.kind].provesPrimaryUp) primaryIs('answered');
			}
			if (next === 'stop') {
				const final = fail(failure);
				if (failure.kind === 'balance') scope.exhausted = final;
				return final;
			}
			if (next === 'failover') break;

			let waitMs: number;
			// A 429 of either kind waits as the server asks and slows the run down.
			if (FAILURE_KINDS[failure.kind].next === 'retry') {
				scope.limiter.onRateLimited(ticket);
				if (++rateLimitWaits > MAX_RATE_LIMIT_WAITS) return fail(failure);
				waitMs =
					failure.retryAfterMs !== undefined
						? Math.max(250, Math.min(failure.retryAfterMs, RETRY_AFTER_CAP_MS))
						: backoffMs(rateLimitWaits - 1);
			} else {
				waitMs = backoffMs(retriesHere);
				retriesHere++;
			}
			if (Date.now() + waitMs >= policy.itemDeadline) return fail(failure);
			const slept = await wait(waitMs, signal);
			if (!slept) return fail(stoppedAttempt());
		}
	}
	return finalFailure(
		last!.failure,
		last!.endpoint,
		attempts,
		triedBackup(order.length - 1),
		outcomes,
	);
}
