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
 * Passes streamed text on once: when a broken attempt is retried, the new answer's text that the
 * reader already has is skipped, so a reader never sees the same text twice.
 */
export class ReplayGuard {
	private sent = '';
	private replayFrom = -1;

	constructor(private readonly send: (text: string) => void) {}

	readonly onRetry = (): void => {
		if (this.sent !== '') this.replayFrom = 0;
	};

	readonly push = (text: string): void => {
		if (this.replayFrom >= 0) {
			const expected = this.sent.slice(this.replayFrom);
			if (expected.startsWith(text)) {
				this.replayFrom += text.length;
				if (this.replayFrom >= this.sent.length) this.replayFrom = -1;
				return;
			}
			const overlap = text.startsWith(expected) ? expected.length : 0;
			this.replayFrom = -1;
			text = text.slice(overlap);
			if (!text) return;
		}
		this.sent += text;
		this.send(text);
	};
}
