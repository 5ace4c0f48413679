/**
 * The reasoning of assistant tool-call messages, kept by execution and tool-call id.
 *
 * DeepSeek (thinking mode) refuses a request whose assistant tool-call messages lack their
 * `reasoning_content`, but n8n's message types drop it: the SDK's LangChain adapter keeps no
 * `additional_kwargs`, and AI Agent v3 rebuilds every earlier tool call from the workflow engine's
 * records as a fresh message between model calls, with a new model instance each time. The tool-call
 * id is the one thing that survives all of that, so the reasoning is kept here under it, in this
 * process (an execution and its agent rounds run in one process, also in queue mode).
 */
export interface ReasoningStoreLimits {
	/** Entries in all executions together; the oldest go first. */
	maxEntries: number;
	/** Characters of reasoning in all entries together. */
	maxChars: number;
	/** How long an entry is kept after it was last written or read. */
	ttlMs: number;
}

export const DEFAULT_REASONING_LIMITS: ReasoningStoreLimits = {
	maxEntries: 5_000,
	maxChars: 20_000_000,
	ttlMs: 60 * 60 * 1000,
};

interface Entry {
	reasoning: string;
	touched: number;
}

export class ReasoningStore {
	private readonly entries = new Map<string, Entry>();
	private chars = 0;

	constructor(
		private readonly limits: ReasoningStoreLimits = DEFAULT_REASONING_LIMITS,
		private readonly now: () => number = Date.now,
	) {}

	get size(): number {
		return this.entries.size;
	}

	remember(executionId: string, toolCallIds: string[], reasoning: string): void {
		if (reasoning === '' || reasoning.length > this.limits.maxChars) return;
		for (const id of toolCallIds) {
			const key = keyOf(executionId, id);
			this.drop(key);
			this.entries.set(key, { reasoning, touched: this.now() });
			this.chars += reasoning.length;
		}
		this.evict();
	}

	recall(executionId: string, toolCallId: string): string | undefined {
		const key = keyOf(executionId, toolCallId);
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		if (this.now() - entry.touched > this.limits.ttlMs) {
			this.drop(key);
			return undefined;
		}
		// Re-inserted so the map's order stays least recently used first.
		this.entries.delete(key);
		entry.touched = this.now();
		this.entries.set(key, entry);
		return entry.reasoning;
	}

	private drop(key: string): void {
		const entry = this.entries.get(key);
		if (!entry) return;
		this.chars -= entry.reasoning.length;
		this.entries.delete(key);
	}

	private evict(): void {
		const expired = this.now() - this.limits.ttlMs;
		for (const [key, entry] of this.entries) {
			const over = this.entries.size > this.limits.maxEntries || this.chars > this.limits.maxChars;
			if (!over && entry.touched >= expired) break;
			this.drop(key);
		}
	}
}

function keyOf(executionId: string, toolCallId: string): string {
	return `${executionId}\u0000${toolCallId}`;
}

/** One per process: the agent's rounds of an execution each build a new model instance. */
export const reasoningStore = new ReasoningStore();
