import type { ChunkType, IExecuteFunctions } from 'n8n-workflow';

import { ThinkTagSplitter } from '../../shared/protocol';

/** n8n's sendChunk is async underneath; a failed write to the caller must not fail the item. */
export function sendChunk(
	ctx: IExecuteFunctions,
	type: ChunkType,
	itemIndex: number,
	text?: string,
) {
	void Promise.resolve(ctx.sendChunk(type, itemIndex, text)).catch(() => undefined);
}

/**
 * Forwards an answer's tokens to a streaming webhook response as they arrive. Reasoning is sent
 * only if asked, wrapped in <think> tags. It counts what it sent of the current request's answer:
 * once anything has gone out, a broken attempt is not retried (the transport asks streamedChars),
 * so the caller never gets text twice or a mixture of two answers. Each request of a tool loop is
 * an answer of its own, and inline <think> tags are looked for at the start of each.
 */
export class StreamRelay {
	private splitter = new ThinkTagSplitter();
	private inThink = false;
	private sent = 0;

	constructor(
		private readonly send: (type: ChunkType, text?: string) => void,
		private readonly withReasoning: boolean,
	) {}

	readonly streamedChars = (): number => this.sent;

	/** Before an attempt after the first: nothing of this request went out, so it starts clean. */
	readonly onRetry = (): void => {
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

	/** Ends one request's answer; what the caller has of it stays, the next request starts fresh. */
	readonly onAnswered = (): void => {
		const { reasoning, content } = this.splitter.flush();
		if (reasoning) this.onReasoning(reasoning);
		if (content) this.answer(content);
		this.closeThink();
		this.splitter = new ThinkTagSplitter();
		this.sent = 0;
	};

	finish(): void {
		this.onAnswered();
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
		this.sent += text.length;
		this.send('item', text);
	}
}
