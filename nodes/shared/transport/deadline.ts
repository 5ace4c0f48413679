import { sleep } from 'n8n-workflow';

export type AbortCause = 'cancelled' | 'item-timeout' | 'timeout';

/**
 * One attempt's abort signal. It fires when the run is cancelled, when the item's deadline or the
 * attempt's timeout passes, or when no byte has arrived for idleMs (keep-alive lines count as bytes).
 * One watcher sleeps until the next possible deadline instead of being reset on every chunk.
 */
export class AttemptDeadline {
	private readonly controller = new AbortController();
	private readonly disposed = new AbortController();
	private readonly attemptEnd: number;
	private lastActivity = Date.now();
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
		void this.watch();
	}

	get signal(): AbortSignal {
		return this.controller.signal;
	}

	readonly activity = (): void => {
		this.lastActivity = Date.now();
	};

	dispose(): void {
		this.disposed.abort();
		this.parent.removeEventListener('abort', this.onParentAbort);
	}

	private readonly onParentAbort = (): void => this.abort('cancelled');

	private abort(cause: AbortCause): void {
		if (this.cause) return;
		this.cause = cause;
		this.disposed.abort();
		this.controller.abort(new Error(`attempt aborted: ${cause}`));
	}

	private async watch(): Promise<void> {
		while (!this.cause) {
			const next = Math.min(this.lastActivity + this.idleMs, this.attemptEnd, this.itemDeadline);
			try {
				await sleep(Math.max(0, next - Date.now()), this.disposed.signal);
			} catch {
				return;
			}
			const now = Date.now();
			if (now >= this.itemDeadline) this.abort('item-timeout');
			else if (now >= this.attemptEnd || now - this.lastActivity >= this.idleMs)
				this.abort('timeout');
		}
	}
}

/** Full-jitter exponential backoff: from 1 s, doubling, capped at 20 s. */
export function backoffMs(retry: number, random: () => number = Math.random): number {
	const ceiling = Math.min(20_000, 1000 * 2 ** Math.max(0, retry));
	return Math.round(random() * ceiling);
}
