import { wait } from './wait';

/** Without a Concurrency option the node starts here and adapts up to ADAPTIVE_MAX. */
export const ADAPTIVE_START = 16;
export const ADAPTIVE_MAX = 64;

/**
 * Gates request starts for one node run: at most `limit` requests in flight, and no more than
 * `requestsPerMinute` starts whatever the limit. The limit halves once per burst of 429s (the
 * 429s of requests that started before the last decrease are the same burst) and grows back by
 * one per round of successes, up to maxLimit.
 */
export class RequestLimiter {
	private limit: number;
	private inFlight = 0;
	private readonly waiters: Array<() => void> = [];
	private readonly spacingMs: number;
	private nextStart = 0;
	private successes = 0;
	private generation = 0;

	constructor(
		readonly maxLimit: number,
		requestsPerMinute = 0,
		start = maxLimit,
	) {
		this.maxLimit = Math.max(1, Math.floor(maxLimit));
		this.limit = Math.max(1, Math.min(this.maxLimit, Math.floor(start)));
		this.spacingMs = requestsPerMinute > 0 ? 60_000 / requestsPerMinute : 0;
	}

	/**
	 * Waits for a slot, until the signal aborts or the deadline passes. Returns the ticket that
	 * tells onRateLimited which burst a 429 belongs to, or undefined when the wait was given up
	 * (then no slot is held).
	 */
	async acquire(runSignal: AbortSignal, deadline = Infinity): Promise<number | undefined> {
		let bounded: AbortSignal | undefined;
		// Most starts never wait: the deadline's timer is made only for one that does.
		const waitSignal = () =>
			(bounded ??= Number.isFinite(deadline)
				? AbortSignal.any([runSignal, AbortSignal.timeout(Math.max(0, deadline - Date.now()))])
				: runSignal);
		while (this.inFlight >= this.limit) {
			const signal = waitSignal();
			const woken = await new Promise<boolean>((resolve) => {
				const wake = () => {
					signal.removeEventListener('abort', onAbort);
					resolve(true);
				};
				const onAbort = () => {
					const index = this.waiters.indexOf(wake);
					if (index !== -1) this.waiters.splice(index, 1);
					resolve(false);
				};
				if (signal.aborted) return resolve(false);
				this.waiters.push(wake);
				signal.addEventListener('abort', onAbort, { once: true });
			});
			if (!woken) return undefined;
		}
		this.inFlight++;
		const ticket = this.generation;
		if (this.spacingMs > 0) {
			const now = Date.now();
			const start = Math.max(now, this.nextStart);
			this.nextStart = start + this.spacingMs;
			if (start > now) {
				const slept = await wait(start - now, waitSignal());
				if (!slept) {
					this.release();
					return undefined;
				}
			}
		}
		return ticket;
	}

	release(): void {
		this.inFlight--;
		this.wake();
	}

	onRateLimited(ticket: number): void {
		if (ticket < this.generation) return;
		this.generation++;
		this.limit = Math.max(1, Math.floor(this.limit / 2));
		this.successes = 0;
	}

	onSuccess(): void {
		if (this.limit >= this.maxLimit) return;
		if (++this.successes >= this.limit) {
			this.successes = 0;
			this.limit++;
			this.wake();
		}
	}

	private wake(): void {
		for (let free = this.limit - this.inFlight; free > 0 && this.waiters.length > 0; free--) {
			this.waiters.shift()!();
		}
	}
}
