import { isSafeKey } from './untrustedJson';
import type { Usage } from './wire';

/**
 * A usage object as DeepSeek sends it: numbers, and objects of numbers one level down. Anything
 * else (an array, a text, a field of the wrong type) is left out rather than reshaped.
 */
export function usageOf(raw: unknown): Usage | undefined {
	if (!isPlainObject(raw)) return undefined;
	const usage: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(raw)) {
		if (!isSafeKey(key)) continue;
		if (typeof value === 'number' && Number.isFinite(value)) usage[key] = value;
		else if (isPlainObject(value)) {
			const numbers = Object.entries(value).filter(
				([, inner]) => typeof inner === 'number' && Number.isFinite(inner),
			);
			if (numbers.length > 0) usage[key] = Object.fromEntries(numbers);
		}
	}
	return Object.keys(usage).length > 0 ? (usage as unknown as Usage) : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
