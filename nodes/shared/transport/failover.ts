import { refusedModelHint, refusesModel, rejectedParameter } from '../protocol/rejectedParameter';
import type { Completion, CompletionBody } from '../protocol/wire';
import { primaryBreaker, PrimaryBreaker } from './breaker';
import { requestCompletion, type MetaChatHttp, type StreamCallbacks } from './client';
import { AttemptDeadline, backoffMs } from './deadline';
import type { Endpoint, EndpointRole } from './endpoints';
import {
	AttemptFailure,
	interruptedAttempt,
	isRetryable,
	itemTimeoutAttempt,
	RequestFailure,
	stoppedAttempt,
	type EndpointOutcome,
	type FailureKind,
} from './failures';
import type { RequestLimiter } from './limiter';
import { servedModelIds } from './listModels';
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

/** What all items of one node run share. */
export interface RunScope {
	apiKey: string;
	endpoints: Endpoint[];
	/** Aborts on n8n's execution cancel, or when the run stops after a fatal item error. */
	signal: AbortSignal;
	limiter: RequestLimiter;
	/** n8n's request helper of the calling node, with the MetaChat credential. */
	http: MetaChatHttp;
	/** Set by a 402: the balance is gone for every item, so the rest fail fast with the same error. */
	exhausted?: RequestFailure;
}

export interface RequestPolicy {
	timeoutMs: number;
	itemDeadline: number;
	maxRetries: number;
	/** Whether the backup URL may be used for this item. */
	failover: boolean;
	/** This request's own abort (an agent's call), besides the run's. */
	signal?: AbortSignal;
}

export interface Answer {
	completion: Completion;
	endpoint: EndpointRole;
	attempts: number;
	/** Set where the backup answered: how the primary failed (or that it was skipped), and where. */
	failedOver?: FailoverFacts;
}

/** Why an answer came from the backup URL, for the notice the calling node gives. */
export interface FailoverFacts {
	/** The primary's last failure in this request; `skipped` where the breaker left it out. */
	primary: EndpointOutcome & { skipped?: boolean };
	backupUrl: string;
}

export type DeltaCallbacks = StreamCallbacks & {
	/** Called before each attempt after the first, so streamed output can be reconciled. */
	onRetry?: () => void;
	/**
	 * How many characters of this request's answer have reached a streaming caller. Once any
	 * have, a failed attempt is not repeated: the caller would get the text twice.
	 */
	streamedChars?: () => number;
};

type Next = 'retry' | 'failover' | 'stop';

/** The failover rules (docs/reliability.md), as a decision on one failed attempt. */
export function decide(kind: FailureKind, retriesHere: number, maxRetries: number): Next {
	switch (kind) {
		case 'connection':
		case 'timeout':
			return 'failover';
		// A live answer that ran long is not the endpoint's fault: fail the item, stay here.
		case 'answer-timeout':
			return 'stop';
		case 'server':
		case 'broken':
			return retriesHere < maxRetries ? 'retry' : 'failover';
		case 'rate-limit':
			return 'retry';
		default:
			return 'stop';
	}
}

function finalFailure(
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

function outcomeAt(endpoint: Endpoint, failure: AttemptFailure): EndpointOutcome {
	return {
		endpoint: endpoint.role,
		url: endpoint.baseUrl,
		status: failure.status ?? null,
		code: failure.code ?? null,
		message: failure.message,
	};
}

/** The primary's failure in this request, or, where the breaker skipped it, that it was skipped. */
function primaryOutcome(scope: RunScope, outcomes: EndpointOutcome[]): FailoverFacts['primary'] {
	const found = outcomes.find((outcome) => outcome.endpoint === 'primary');
	if (found) return found;
	return {
		endpoint: 'primary',
		url: scope.endpoints[0].baseUrl,
		status: null,
		code: null,
		message: 'Was not asked: it failed moments ago, so requests go to the backup for a while',
		skipped: true,
	};
}

/** Kinds of failure that prove the primary is up: it answered, only not with a completion. */
const ANSWERED: FailureKind[] = ['request', 'auth', 'balance'];

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
		const hint =
			rejectedParameter(body, result.apiMessage) ??
			(refusesModel(result.apiMessage)
				? refusedModelHint(body.model, await servedList(scope))
				: undefined);
		return hint ? new RequestFailure(result.kind, result.apiMessage, result.details, hint) : result;
	} finally {
		if (probe) breaker.release(breakerKey, probe);
	}
}

async function servedList(scope: RunScope): Promise<string[] | string> {
	const ids = await servedModelIds(scope.http, scope.apiKey, scope.endpoints);
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
	const record = (endpoint: Endpoint, failure: AttemptFailure) => {
		const outcome = outcomeAt(endpoint, failure);
		const index = outcomes.findIndex((known) => known.endpoint === endpoint.role);
		if (index === -1) outcomes.push(outcome);
		else outcomes[index] = outcome;
	};

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
				else if (ANSWERED.includes(failure.kind)) primaryIs('answered');
			}
			if (next === 'stop') {
				const final = fail(failure);
				if (failure.kind === 'balance') scope.exhausted = final;
				return final;
			}
			if (next === 'failover') break;

			let waitMs: number;
			if (failure.kind === 'rate-limit') {
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
