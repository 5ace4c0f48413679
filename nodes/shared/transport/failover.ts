import { refusesImages, refusesModel, rejectedParameter } from '../protocol/rejectedParameter';
import { serverText, type AttemptFact } from '../facts/attempt';
import type { RequestAdvice } from '../facts/failure';
import type { Completion, CompletionBody } from '../protocol/wire';
import { primaryBreaker, PrimaryBreaker } from './breaker';
import { requestCompletion } from './client';
import { AttemptDeadline } from './deadline';
import type { Endpoint, EndpointOutcome, EndpointRole } from './endpoint';
import { decideAfterFailure } from './failureKinds';
import {
	AttemptFailure,
	finalFailure,
	itemTimeoutAttempt,
	primaryOutcome,
	recordOutcome,
	RequestFailure,
	stoppedAttempt,
} from '../failures';
import { servedModelIds } from './listModels';
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
export { decide } from './failureKinds';

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
		const result = await new Sending(scope, signal, body, policy, callbacks, order, (outcome) => {
			if (outcome === 'answered') breaker.primaryAnswered(breakerKey);
			else breaker.primaryFailed(breakerKey);
			probe = undefined;
		}).send();
		if (!(result instanceof RequestFailure) || result.kind !== 'request') return result;
		// A server that refuses a parameter we sent by default: say which option leaves it out;
		// one that refuses the model id: say which ids it serves.
		const said = serverText(result.fact);
		const parameter = rejectedParameter(body, said);
		const advice: RequestAdvice | undefined = refusesImages(body, said)
			? { refused: 'images', model: body.model }
			: parameter
				? { refused: 'parameter', parameter }
				: refusesModel(said)
					? { refused: 'model', model: body.model, served: await servedList(scope, signal, policy) }
					: undefined;
		return advice ? new RequestFailure(result.kind, result.fact, result.details, advice) : result;
	} finally {
		if (probe) breaker.release(breakerKey, probe);
	}
}

async function servedList(
	scope: RunScope,
	signal: AbortSignal,
	policy: RequestPolicy,
): Promise<string[] | AttemptFact> {
	const waiter = { signal, deadline: policy.itemDeadline };
	const ids = await servedModelIds(scope.http, scope.apiKey, scope.endpoints, waiter);
	return ids instanceof AttemptFailure ? ids.fact : ids;
}

/** An attempt at a URL: its result within a slot of the run's limiter, or why none was made. */
type Attempted =
	{ result: Completion | AttemptFailure; ticket: number } | RequestFailure | 'stopped';

/**
 * One request sent to its URLs in order. It only carries out what `decideAfterFailure` decides
 * after each failed attempt, and keeps what the final failure tells: the attempts made, the last
 * failure and each URL's.
 */
class Sending {
	private attempts = 0;
	private last: { failure: AttemptFailure; endpoint: EndpointRole } | undefined;
	/** The last failure at each URL asked, so a final error can tell every one of them. */
	private readonly outcomes: EndpointOutcome[] = [];

	constructor(
		private readonly scope: RunScope,
		private readonly signal: AbortSignal,
		private readonly body: CompletionBody,
		private readonly policy: RequestPolicy,
		private readonly callbacks: DeltaCallbacks,
		private readonly order: Endpoint[],
		private readonly primaryIs: (outcome: 'answered' | 'down') => void,
	) {}

	async send(): Promise<Answer | RequestFailure> {
		for (const [position, endpoint] of this.order.entries()) {
			const result = await this.sendAt(endpoint, position);
			if (result !== 'failover') return result;
		}
		const { failure, endpoint } = this.last!;
		return this.final(failure, endpoint, this.order.length - 1);
	}

	/** Attempts at one URL until it answers, the request stops, or the rules move on. */
	private async sendAt(
		endpoint: Endpoint,
		position: number,
	): Promise<Answer | RequestFailure | 'failover'> {
		let retriesHere = 0;
		let rateLimitWaits = 0;
		for (;;) {
			const attempted = await this.attempt(endpoint);
			if (attempted === 'stopped') return this.stopped(endpoint, position);
			if (attempted instanceof RequestFailure) return attempted;
			const { result, ticket } = attempted;
			if (!(result instanceof AttemptFailure)) return this.answered(endpoint, result);
			const decision = decideAfterFailure(result, {
				primary: endpoint.role === 'primary',
				retriesHere,
				rateLimitWaits,
				streamedChars: this.callbacks.streamedChars?.() ?? 0,
				maxRetries: this.policy.maxRetries,
				itemDeadline: this.policy.itemDeadline,
				now: Date.now(),
			});
			this.last = { failure: decision.failure, endpoint: endpoint.role };
			recordOutcome(this.outcomes, endpoint, decision.failure);
			if (decision.primaryIs) this.primaryIs(decision.primaryIs);
			if (decision.slowDown) this.scope.limiter.onRateLimited(ticket);
			({ retriesHere, rateLimitWaits } = decision);
			if (decision.next === 'failover') return 'failover';
			if (decision.next === 'stop') {
				const final = this.fail(endpoint, position, decision.failure);
				if (decision.exhausts) this.scope.exhausted = final;
				return final;
			}
			const slept = await wait(decision.waitMs, this.signal);
			if (!slept) return this.fail(endpoint, position, stoppedAttempt());
		}
	}

	/** One attempt at a URL, within a slot of the run's limiter. */
	private async attempt(endpoint: Endpoint): Promise<Attempted> {
		const { scope, signal, policy } = this;
		if (scope.exhausted) return scope.exhausted;
		if (Date.now() >= policy.itemDeadline || signal.aborted) return 'stopped';
		const ticket = await scope.limiter.acquire(signal, policy.itemDeadline);
		if (ticket === undefined) return 'stopped';
		// Another item may have hit 402 while this one waited for its slot.
		if (scope.exhausted) {
			scope.limiter.release();
			return scope.exhausted;
		}
		if (this.attempts > 0) this.callbacks.onRetry?.();
		this.attempts++;
		const idleMs = idleTimeoutMs(policy.timeoutMs);
		const deadline = new AttemptDeadline(signal, policy.timeoutMs, idleMs, policy.itemDeadline);
		try {
			const { http, apiKey } = scope;
			const result = await requestCompletion(
				http,
				endpoint.baseUrl,
				apiKey,
				this.body,
				deadline,
				this.callbacks,
			);
			return { result, ticket };
		} finally {
			deadline.dispose();
			scope.limiter.release();
		}
	}

	private answered(endpoint: Endpoint, completion: Completion): Answer {
		this.scope.limiter.onSuccess();
		if (endpoint.role === 'primary') this.primaryIs('answered');
		const answer: Answer = { completion, endpoint: endpoint.role, attempts: this.attempts };
		if (endpoint.role === 'failover') {
			answer.failedOver = {
				primary: primaryOutcome(this.scope, this.outcomes),
				backupUrl: endpoint.baseUrl,
			};
		}
		return answer;
	}

	private fail(endpoint: Endpoint, position: number, failure: AttemptFailure): RequestFailure {
		recordOutcome(this.outcomes, endpoint, failure);
		return this.final(failure, endpoint.role, position);
	}

	/** The stop or the item's deadline, before an attempt: the last URL's failure stays the one told. */
	private stopped(endpoint: Endpoint, position: number): RequestFailure {
		const failure = this.signal.aborted ? stoppedAttempt() : itemTimeoutAttempt();
		return this.final(failure, this.last?.endpoint ?? endpoint.role, position);
	}

	private final(failure: AttemptFailure, endpoint: EndpointRole, position: number): RequestFailure {
		const triedBackup = this.order
			.slice(0, position + 1)
			.some((known) => known.role === 'failover');
		return finalFailure(failure, endpoint, this.attempts, triedBackup, this.outcomes);
	}
}
