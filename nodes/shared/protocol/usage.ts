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

/** Adds usage figures field by field (nested ones too), so a loop reports what it cost in all. */
export function addUsage(total: Usage | undefined, next: Usage | undefined): Usage | undefined {
	if (!next) return total;
	if (!total) return addUsage({} as Usage, next);
	const add = (into: Record<string, unknown>, from: Record<string, unknown>) => {
		for (const [key, value] of Object.entries(from)) {
			// A server's usage is data: no key of it may reach a prototype.
			if (!isSafeKey(key)) continue;
			const current = Object.hasOwn(into, key) ? into[key] : undefined;
			if (typeof value === 'number')
				into[key] = (typeof current === 'number' ? current : 0) + value;
			else if (value && typeof value === 'object' && !Array.isArray(value)) {
				if (!current || typeof current !== 'object') into[key] = {};
				add(into[key] as Record<string, unknown>, value as Record<string, unknown>);
			}
		}
	};
	add(total, next);
	return total;
}
