export type AbortCause = 'cancelled' | 'item-timeout' | 'timeout';

/**
 * One attempt's abort signal. It fires when the run is cancelled, when the item's deadline or the
 * attempt's timeout passes, or when no byte has arrived for idleMs (keep-alive lines count as bytes).
 * One timer is rescheduled lazily instead of being reset on every chunk.
 */
export class AttemptDeadline {
	private readonly controller = new AbortController();
	private readonly attemptEnd: number;
	private lastActivity = Date.now();
	private timer: NodeJS.Timeout | undefined;
	cause: AbortCause | undefined;

	constructor(
		private readonly parent: AbortSignal,
		attemptMs: number,
		private readonly idleMs: number,
		private readonly itemDeadline: number,
	) {
		this.attemptEnd = this.lastActivity + attemptMs;
		if (parent.aborted) {
			this.abort('cancelled');
			return;
		}
		parent.addEventListener('abort', this.onParentAbort, { once: true });
		this.schedule();
	}

	get signal(): AbortSignal {
		return this.controller.signal;
	}

	readonly activity = (): void => {
		this.lastActivity = Date.now();
	};

	dispose(): void {
		clearTimeout(this.timer);
		this.parent.removeEventListener('abort', this.onParentAbort);
	}

	private readonly onParentAbort = (): void => this.abort('cancelled');

	private abort(cause: AbortCause): void {
		if (this.cause) return;
		this.cause = cause;
		clearTimeout(this.timer);
		this.controller.abort(new Error(`attempt aborted: ${cause}`));
	}

	private schedule(): void {
		const next = Math.min(this.lastActivity + this.idleMs, this.attemptEnd, this.itemDeadline);
		this.timer = setTimeout(this.check, Math.max(0, next - Date.now()));
		this.timer.unref?.();
	}

	private readonly check = (): void => {
		const now = Date.now();
		if (now >= this.itemDeadline) this.abort('item-timeout');
		else if (now >= this.attemptEnd || now - this.lastActivity >= this.idleMs)
			this.abort('timeout');
		else this.schedule();
	};
}

/** Waits ms, or rejects as soon as the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal.aborted) return reject(signal.reason);
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal.reason);
		};
		const timer = setTimeout(() => {
			signal.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal.addEventListener('abort', onAbort, { once: true });
	});
}

/** Full-jitter exponential backoff: from 1 s, doubling, capped at 20 s. */
export function backoffMs(retry: number, random: () => number = Math.random): number {
	const ceiling = Math.min(20_000, 1000 * 2 ** Math.max(0, retry));
	return Math.round(random() * ceiling);
}
