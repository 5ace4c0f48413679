const OPEN = '<think>';
const CLOSE = '</think>';

/**
 * Splits a model's inline thinking (`<think>…</think>` at the start of the content) from its
 * answer, as text arrives in pieces. Content that does not open with <think> passes through.
 */
export class ThinkTagSplitter {
	private state: 'start' | 'think' | 'answer-start' | 'answer' = 'start';
	private pending = '';

	/** Feeds a piece of content; returns what is now known to be reasoning and answer. */
	push(text: string): { reasoning: string; content: string } {
		this.pending += text;
		let reasoning = '';
		let content = '';
		for (;;) {
			if (this.state === 'start') {
				const trimmed = this.pending.trimStart();
				if (trimmed.startsWith(OPEN)) {
					this.pending = trimmed.slice(OPEN.length);
					this.state = 'think';
				} else if (OPEN.startsWith(trimmed)) {
					break;
				} else {
					this.state = 'answer';
				}
			} else if (this.state === 'think') {
				const close = this.pending.indexOf(CLOSE);
				if (close !== -1) {
					reasoning += this.pending.slice(0, close);
					this.pending = this.pending.slice(close + CLOSE.length);
					this.state = 'answer-start';
				} else {
					// Hold back a tail that could be the start of a split closing tag.
					const keep = this.pending.length - CLOSE.length + 1;
					if (keep > 0) {
						reasoning += this.pending.slice(0, keep);
						this.pending = this.pending.slice(keep);
					}
					break;
				}
			} else if (this.state === 'answer-start') {
				this.pending = this.pending.trimStart();
				if (this.pending === '') break;
				this.state = 'answer';
			} else {
				content += this.pending;
				this.pending = '';
				break;
			}
		}
		return { reasoning, content };
	}

	/** Whatever is still held back once the text is complete. */
	flush(): { reasoning: string; content: string } {
		const rest = this.pending;
		this.pending = '';
		if (this.state === 'think') return { reasoning: rest, content: '' };
		if (this.state === 'start' && rest.trim() === '') return { reasoning: '', content: '' };
		return { reasoning: '', content: rest };
	}
}

/** Splits a whole answer at once. */
export function splitThinkTags(text: string): { reasoning: string; content: string } {
	const splitter = new ThinkTagSplitter();
	const head = splitter.push(text);
	const tail = splitter.flush();
	return { reasoning: head.reasoning + tail.reasoning, content: head.content + tail.content };
}

/**
 * An answer's text and reasoning: its `reasoning_content`, or the inline <think>…</think> it opens
 * with (the R1T2 chimera thinks that way), which is then never part of the text.
 */
export function answerParts(message: { content?: string | null; reasoning_content?: string }): {
	content: string;
	reasoning: string;
} {
	const content = message.content ?? '';
	const reasoning = message.reasoning_content ?? '';
	if (!content.trimStart().startsWith(OPEN)) return { content, reasoning };
	const split = splitThinkTags(content);
	return { content: split.content, reasoning: reasoning || split.reasoning };
}

/**
 * Whether an answer is empty because thinking used up the token budget (content "", some
 * reasoning, finish_reason "length"): a success, with a notice naming the fix.
 */
export function thinkingUsedBudget(
	content: string,
	reasoning: string,
	finishReason: string,
): boolean {
	return content.trim() === '' && reasoning !== '' && finishReason === 'length';
}
