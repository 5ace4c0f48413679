/** Keys that would reach an object's prototype if a parsed value were ever merged or copied. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function isSafeKey(key: string): boolean {
	return !UNSAFE_KEYS.has(key);
}

/**
 * JSON.parse for text from a server or a model: an answer is data, so keys that could change
 * objects outside it (`__proto__`, `constructor`, `prototype`) are dropped wherever they stand.
 */
export function parseUntrustedJson<T = unknown>(text: string): T {
	return JSON.parse(text, (key, value: unknown) => (isSafeKey(key) ? value : undefined)) as T;
}
