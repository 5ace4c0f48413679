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
	private sent = '';
	private replayFrom = -1;
	private diverged = false;

	constructor(
		private readonly send: (text: string) => void,
		private readonly onDiverge: () => void,
	) {}

	readonly onRetry = (): void => {
		if (this.sent !== '') this.replayFrom = 0;
	};

	readonly push = (text: string): void => {
		if (this.diverged) return;
		if (this.replayFrom >= 0) {
			const expected = this.sent.slice(this.replayFrom);
			if (expected.startsWith(text)) {
				this.replayFrom += text.length;
				if (this.replayFrom >= this.sent.length) this.replayFrom = -1;
				return;
			}
			if (!text.startsWith(expected)) {
				this.diverged = true;
				this.onDiverge();
				return;
			}
			this.replayFrom = -1;
			text = text.slice(expected.length);
			if (!text) return;
		}
		this.sent += text;
		this.send(text);
	};
}
