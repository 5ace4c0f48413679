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
