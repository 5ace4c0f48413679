import { createHash } from 'crypto';

const COOLDOWN_MS = 30_000;

/**
 * The key as the process-wide maps know it (the breaker, the model-list cache): a sha256 hash, so
 * they hold no key and two keys never share an entry.
 */
export function keyHash(apiKey: string): string {
	return createHash('sha256').update(apiKey).digest('hex').slice(0, 16);
}

interface BreakerState {
	openUntil: number;
	/** Held by the one request probing the primary after the cooldown. */
	probe?: symbol;
}

export interface BreakerClaim {
	skipPrimary: boolean;
	/** Set when this request is the probe: it must settle or release it on every way out. */
	probe?: symbol;
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
		return `${baseUrl} ${keyHash(apiKey)}`;
	}

	/** Whether a request should skip the primary; hands out the probe when the cooldown is over. */
	claim(key: string, now = Date.now()): BreakerClaim {
		const state = this.states.get(key);
		if (!state) return { skipPrimary: false };
		if (now < state.openUntil || state.probe) return { skipPrimary: true };
		state.probe = Symbol('probe');
		return { skipPrimary: false, probe: state.probe };
	}

	primaryFailed(key: string, now = Date.now()): void {
		this.states.set(key, { openUntil: now + this.cooldownMs });
	}

	primaryAnswered(key: string): void {
		this.states.delete(key);
	}

	/** The probe ended without proof either way (stopped, timed out, never sent): free it. */
	release(key: string, probe: symbol): void {
		const state = this.states.get(key);
		if (state?.probe === probe) state.probe = undefined;
	}
}

export const primaryBreaker = new PrimaryBreaker();
