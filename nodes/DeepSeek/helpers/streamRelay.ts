import type { ChunkType } from 'n8n-workflow';

import { ThinkTagSplitter } from '../../shared/thinkTags';

export const RESTART_NOTICE = 'The answer broke off; it follows again from the start';

/**
 * Forwards an answer's tokens to a streaming webhook response as they arrive. Reasoning is sent
 * only if asked, wrapped in <think> tags. When an attempt breaks and is retried, the caller must
 * never get a mixture of two answers: while the new answer repeats what the caller has, nothing is
 * sent again; if it differs, or ends sooner, the caller gets an error chunk saying the answer
 * restarts, a new begin chunk, and the new answer whole.
 */
export class StreamRelay {
	private sent = '';
	private replayFrom = -1;
	private splitter = new ThinkTagSplitter();
	private inThink = false;

	constructor(
		private readonly send: (type: ChunkType, text?: string) => void,
		private readonly withReasoning: boolean,
	) {}

	readonly onRetry = (): void => {
		this.replayFrom = this.sent === '' ? -1 : 0;
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
		if (this.replayFrom >= 0) this.restart(this.sent.slice(0, this.replayFrom));
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
			if (!text.startsWith(expected)) {
				this.restart(this.sent.slice(0, this.replayFrom) + text);
				return;
			}
			this.replayFrom = -1;
			text = text.slice(expected.length);
		}
		this.sent += text;
		this.send('item', text);
	}

	private restart(text: string): void {
		this.replayFrom = -1;
		this.send('error', RESTART_NOTICE);
		this.send('begin');
		this.sent = text;
		if (text) this.send('item', text);
	}
}
