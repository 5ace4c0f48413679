import { sleep } from 'n8n-workflow';

/**
 * Gates request starts for one node run: at most `limit` requests in flight, optionally no more
 * than `requestsPerMinute` starts, and the limit halves on a 429 and creeps back up on success.
 */
export class RequestLimiter {
	private limit: number;
	private inFlight = 0;
	private readonly waiters: Array<() => void> = [];
	private readonly spacingMs: number;
	private nextStart = 0;
	private successes = 0;

	constructor(
		private readonly maxConcurrency: number,
		requestsPerMinute = 0,
	) {
		this.limit = Math.max(1, Math.floor(maxConcurrency));
		this.spacingMs = requestsPerMinute > 0 ? 60_000 / requestsPerMinute : 0;
	}

	get currentLimit(): number {
		return this.limit;
	}

	async acquire(signal: AbortSignal): Promise<void> {
		while (this.inFlight >= this.limit) {
			await new Promise<void>((resolve, reject) => {
				const wake = () => {
					signal.removeEventListener('abort', onAbort);
					resolve();
				};
				const onAbort = () => {
					const index = this.waiters.indexOf(wake);
					if (index !== -1) this.waiters.splice(index, 1);
					reject(signal.reason);
				};
				if (signal.aborted) return reject(signal.reason);
				this.waiters.push(wake);
				signal.addEventListener('abort', onAbort, { once: true });
			});
		}
		this.inFlight++;
		if (this.spacingMs > 0) {
			const now = Date.now();
			const start = Math.max(now, this.nextStart);
			this.nextStart = start + this.spacingMs;
			if (start > now) {
				try {
					await sleep(start - now, signal);
				} catch (error) {
					this.release();
					throw error;
				}
			}
		}
	}

	release(): void {
		this.inFlight--;
		if (this.inFlight < this.limit) this.waiters.shift()?.();
	}

	onRateLimited(): void {
		this.limit = Math.max(1, Math.floor(this.limit / 2));
		this.successes = 0;
	}

	onSuccess(): void {
		if (this.limit >= this.maxConcurrency) return;
		if (++this.successes >= this.limit) {
			this.successes = 0;
			this.limit++;
			this.waiters.shift()?.();
		}
	}
}
