export type ReplayStep =
	{ kind: 'pass'; text: string } | { kind: 'skip' } | { kind: 'diverged'; matched: string };

/**
 * What a streamed answer's text means for a reader who cannot take text back. After a retry the
 * new answer is compared with what the reader already has: text it repeats is skipped, text past
 * it is passed on, and text that differs from it is reported as diverged.
 */
export class StreamReplay {
	private sent = '';
	private replayFrom = -1;

	retry(): void {
		this.replayFrom = this.sent === '' ? -1 : 0;
	}

	/** Whether the new answer has so far only repeated what the reader has (and not all of it). */
	get replaying(): boolean {
		return this.replayFrom >= 0;
	}

	/** The part of what the reader has that the new answer has repeated so far. */
	get matched(): string {
		return this.sent.slice(0, this.replayFrom);
	}

	take(text: string): ReplayStep {
		if (this.replayFrom >= 0) {
			const expected = this.sent.slice(this.replayFrom);
			if (expected.startsWith(text)) {
				this.replayFrom += text.length;
				if (this.replayFrom >= this.sent.length) this.replayFrom = -1;
				return { kind: 'skip' };
			}
			if (!text.startsWith(expected)) return { kind: 'diverged', matched: this.matched };
			this.replayFrom = -1;
			text = text.slice(expected.length);
		}
		this.sent += text;
		return { kind: 'pass', text };
	}

	/** The reader starts over and now has exactly this text. */
	reset(sent: string): void {
		this.sent = sent;
		this.replayFrom = -1;
	}
}
