import { AttemptFailure, itemTimeoutAttempt, stoppedAttempt } from '../failures';
import { wait } from './wait';

/**
 * Why an attempt was stopped. `idle` (no headers, or no byte, for idleMs) means the endpoint is
 * unwell; `answer-timeout` means a live answer was still arriving when the request's own time ran
 * out, which is not the endpoint's fault (docs/reliability.md).
 */
export type AbortCause = 'cancelled' | 'item-timeout' | 'idle' | 'answer-timeout';

/**
 * One attempt's deadlines. `stopped` settles when the run is cancelled, when the item's deadline
 * or the attempt's time passes, or when no byte has arrived for idleMs (keep-alive lines count).
 * One watcher sleeps until the next possible deadline instead of being reset on every chunk.
 */
export class AttemptDeadline {
	private readonly disposed = new AbortController();
	private readonly attemptEnd: number;
	private lastActivity = Date.now();
	private readonly onStop: Array<(cause: AbortCause) => void> = [];
	cause: AbortCause | undefined;
	/** Settles with the cause once the attempt must stop; never rejects. */
	readonly stopped: Promise<AbortCause>;

	constructor(
		private readonly parent: AbortSignal,
		readonly attemptMs: number,
		readonly idleMs: number,
		private readonly itemDeadline: number,
	) {
		this.attemptEnd = this.lastActivity + attemptMs;
		this.stopped = new Promise((resolve) => this.onStop.push(resolve));
		if (parent.aborted) {
			this.stop('cancelled');
			return;
		}
		parent.addEventListener('abort', this.onParentAbort, { once: true });
		void this.watch();
	}

	/** How long n8n's request helper may wait for the response headers. */
	get headersTimeoutMs(): number {
		return Math.max(
			1,
			Math.min(this.idleMs, this.attemptEnd - Date.now(), this.itemDeadline - Date.now()),
		);
	}

	readonly activity = (): void => {
		this.lastActivity = Date.now();
	};

	/** Runs `stop` at once when the attempt must end (or now, if it already must). */
	whenStopped(stop: (cause: AbortCause) => void): void {
		if (this.cause) stop(this.cause);
		else this.onStop.push(stop);
	}

	dispose(): void {
		this.disposed.abort();
		this.parent.removeEventListener('abort', this.onParentAbort);
	}

	private readonly onParentAbort = (): void => this.stop('cancelled');

	private stop(cause: AbortCause): void {
		if (this.cause) return;
		this.cause = cause;
		this.disposed.abort();
		for (const listener of this.onStop.splice(0)) listener(cause);
	}

	private async watch(): Promise<void> {
		while (!this.cause) {
			const next = Math.min(this.lastActivity + this.idleMs, this.attemptEnd, this.itemDeadline);
			if (!(await wait(Math.max(0, next - Date.now()), this.disposed.signal))) return;
			const now = Date.now();
			if (now >= this.itemDeadline) this.stop('item-timeout');
			else if (now - this.lastActivity >= this.idleMs) this.stop('idle');
			else if (now >= this.attemptEnd) this.stop('answer-timeout');
		}
	}
}

/** What stopping an attempt for this cause means, as the failover rules read it. */
export function failureForCause(cause: AbortCause, deadline: AttemptDeadline): AttemptFailure {
	switch (cause) {
		case 'cancelled':
			return stoppedAttempt();
		case 'item-timeout':
			return itemTimeoutAttempt();
		case 'idle':
			return new AttemptFailure('timeout', { what: 'idle', idleMs: deadline.idleMs });
		case 'answer-timeout':
			return new AttemptFailure('answer-timeout', {
				what: 'answer-timeout',
				attemptMs: deadline.attemptMs,
			});
	}
}

/** Full-jitter exponential backoff: from 1 s, doubling, capped at 20 s. */
export function backoffMs(retry: number, random: () => number = Math.random): number {
	const ceiling = Math.min(20_000, 1000 * 2 ** Math.max(0, retry));
	return Math.round(random() * ceiling);
}
