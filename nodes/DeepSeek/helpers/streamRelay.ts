import { ThinkTagSplitter } from '../../shared/thinkTags';

/**
 * Forwards an answer's tokens to a streaming webhook response as they arrive. Reasoning is sent
 * only if asked, wrapped in <think> tags. When an attempt breaks and is retried, the text the
 * caller already has is not sent again: the new answer's matching prefix is skipped.
 */
export class StreamRelay {
	private sent = '';
	private replayFrom = -1;
	private splitter = new ThinkTagSplitter();
	private inThink = false;

	constructor(
		private readonly send: (text: string) => void,
		private readonly withReasoning: boolean,
	) {}

	readonly onRetry = (): void => {
		this.replayFrom = 0;
		this.splitter = new ThinkTagSplitter();
		this.inThink = false;
	};

	readonly onReasoning = (delta: string): void => {
		if (!this.withReasoning) return;
		if (!this.inThink) {
			this.inThink = true;
			this.emit('<think>');
		}
		this.emit(delta);
	};

	readonly onContent = (delta: string): void => {
		const { reasoning, content } = this.splitter.push(delta);
		if (reasoning) this.onReasoning(reasoning);
		if (content) this.answer(content);
	};

	finish(): void {
		const { reasoning, content } = this.splitter.flush();
		if (reasoning) this.onReasoning(reasoning);
		if (content) this.answer(content);
		this.closeThink();
	}

	private answer(text: string): void {
		this.closeThink();
		this.emit(text);
	}

	private closeThink(): void {
		if (this.inThink) {
			this.inThink = false;
			this.emit('</think>\n\n');
		}
	}

	private emit(text: string): void {
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
	}
}
