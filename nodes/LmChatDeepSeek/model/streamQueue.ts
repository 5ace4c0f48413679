import { StreamReplay } from '../../shared/transport/streamReplay';

/** Turns callbacks into an async iterable: chunks are pushed as they arrive and read in order. */
export class StreamQueue<T> {
	private readonly items: T[] = [];
	private wake: (() => void) | undefined;
	private ended = false;
	private failure: { error: unknown } | undefined;

	push(item: T): void {
		this.items.push(item);
		this.signal();
	}

	end(): void {
		this.ended = true;
		this.signal();
	}

	fail(error: unknown): void {
		this.failure = { error };
		this.signal();
	}

	async *drain(): AsyncGenerator<T> {
		for (;;) {
			if (this.items.length > 0) {
				yield this.items.shift() as T;
				continue;
			}
			if (this.failure) throw this.failure.error;
			if (this.ended) return;
			await new Promise<void>((resolve) => (this.wake = resolve));
		}
	}

	private signal(): void {
		const wake = this.wake;
		this.wake = undefined;
		wake?.();
	}
}

/**
 * Passes streamed text on once. When a broken attempt is retried, the new answer's text that the
 * reader already has is skipped; if the new answer differs from it, nothing more is passed on and
 * onDiverge is called, because the reader cannot take back text and must not get a mixture.
 */
export class ReplayGuard {
	private readonly replay = new StreamReplay();
	private diverged = false;

	constructor(
		private readonly send: (text: string) => void,
		private readonly onDiverge: () => void,
	) {}

	readonly onRetry = (): void => {
		this.replay.retry();
	};

	readonly push = (text: string): void => {
		if (this.diverged) return;
		const step = this.replay.take(text);
		if (step.kind === 'diverged') {
			this.diverged = true;
			this.onDiverge();
		} else if (step.kind === 'pass') {
			this.send(step.text);
		}
	};
}
