import { createHash } from 'crypto';

const COOLDOWN_MS = 30_000;

interface BreakerState {
	openUntil: number;
	probing: boolean;
}

/**
 * Remembers, per process, that a primary URL is down so later items go straight to the backup;
 * after a cooldown one item probes the primary again. Keyed by URL and a hash of the key, never
 * the key itself, and holds no item data.
 */
export class PrimaryBreaker {
	private readonly states = new Map<string, BreakerState>();

	constructor(private readonly cooldownMs = COOLDOWN_MS) {}

	static key(baseUrl: string, apiKey: string): string {
		return `${baseUrl} ${createHash('sha256').update(apiKey).digest('hex').slice(0, 16)}`;
	}

	/** Whether this request should skip the primary; claims the probe when the cooldown is over. */
	skipPrimary(key: string, now = Date.now()): boolean {
		const state = this.states.get(key);
		if (!state) return false;
		if (now < state.openUntil || state.probing) return true;
		state.probing = true;
		return false;
	}

	primaryFailed(key: string, now = Date.now()): void {
		this.states.set(key, { openUntil: now + this.cooldownMs, probing: false });
	}

	primaryAnswered(key: string): void {
		this.states.delete(key);
	}

	/** Forgets every URL's state. */
	reset(): void {
		this.states.clear();
	}

	/** A probe that ended for a reason that says nothing about the primary's health. */
	probeInconclusive(key: string): void {
		const state = this.states.get(key);
		if (state) state.probing = false;
	}
}

export const primaryBreaker = new PrimaryBreaker();
