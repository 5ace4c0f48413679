import type { ChunkType, IExecuteFunctions } from 'n8n-workflow';

import { StreamReplay } from '../../shared/transport/streamReplay';
import { ThinkTagSplitter } from '../../shared/protocol/thinkTags';

export const RESTART_NOTICE = 'The answer broke off; it follows again from the start';

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
 * only if asked, wrapped in <think> tags. When an attempt breaks and is retried, the caller must
 * never get a mixture of two answers: while the new answer repeats what the caller has, nothing is
 * sent again; if it differs, or ends sooner, the caller gets an error chunk saying the answer
 * restarts, a new begin chunk, and the new answer whole. Each request of a tool loop is an answer
 * of its own: a retry is compared with its request's text only, and inline <think> tags are looked
 * for at the start of each.
 */
export class StreamRelay {
	private replay = new StreamReplay();
	private splitter = new ThinkTagSplitter();
	private inThink = false;

	constructor(
		private readonly send: (type: ChunkType, text?: string) => void,
		private readonly withReasoning: boolean,
	) {}

	readonly onRetry = (): void => {
		this.replay.retry();
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
		if (this.replay.replaying) this.restart(this.replay.matched);
		this.replay = new StreamReplay();
		this.splitter = new ThinkTagSplitter();
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
		const step = this.replay.take(text);
		if (step.kind === 'diverged') this.restart(step.matched + text);
		else if (step.kind === 'pass') this.send('item', step.text);
	}

	private restart(text: string): void {
		this.replay.reset(text);
		this.send('error', RESTART_NOTICE);
		this.send('begin');
		if (text) this.send('item', text);
	}
}
