import type { AttemptFact } from '../facts/attempt';
import { AttemptFailure } from '../failures';

/** A run of this many characters of the key, anywhere in a text, counts as the key. */
const KEY_FRAGMENT_CHARS = 8;

/**
 * Replaces the key, and any bearer token, wherever a server or library echoed it. A word that
 * holds a fragment of the key (cut off, or masked as `sk-abc…xyz`) goes as a whole, so no part of
 * the key survives.
 */
export function redact(text: string, apiKey: string): string {
	let result = text;
	if (apiKey.length >= 4) result = result.split(apiKey).join('[redacted]');
	if (apiKey.length >= KEY_FRAGMENT_CHARS) result = redactFragments(result, apiKey);
	return result.replace(/Bearer\s+[^\s"',]+/gi, 'Bearer [redacted]');
}

function redactFragments(text: string, apiKey: string): string {
	const fragments = new Set<string>();
	for (let i = 0; i + KEY_FRAGMENT_CHARS <= apiKey.length; i++) {
		fragments.add(apiKey.slice(i, i + KEY_FRAGMENT_CHARS));
	}
	const word = /[^\s"'`,;()<>[\]{}]+/g;
	return text.replace(word, (found) => {
		if (found.length < KEY_FRAGMENT_CHARS) return found;
		for (let i = 0; i + KEY_FRAGMENT_CHARS <= found.length; i++) {
			if (fragments.has(found.slice(i, i + KEY_FRAGMENT_CHARS))) return '[redacted]';
		}
		return found;
	});
}

/** The same failure with the key taken out of its facts, wherever a server echoed it. */
export function redacted(failure: AttemptFailure, apiKey: string): AttemptFailure {
	const fact = redactFact(failure.fact, apiKey);
	if (JSON.stringify(fact) === JSON.stringify(failure.fact)) return failure;
	return new AttemptFailure(failure.kind, fact, failure.status, failure.retryAfterMs, failure.code);
}

/** A fact with the key taken out of each of its texts. */
function redactFact(fact: AttemptFact, apiKey: string): AttemptFact {
	const entries = Object.entries(fact).map(([name, value]) => [
		name,
		name !== 'what' && typeof value === 'string'
			? redact(value, apiKey)
			: value && typeof value === 'object'
				? redactFact(value as AttemptFact, apiKey)
				: value,
	]);
	return Object.fromEntries(entries) as AttemptFact;
}

/** How much of a server's own words an error message quotes; the rest is cut with a note. */
const MAX_QUOTED_CHARS = 500;

/**
 * Cuts a quoted server text to a readable length, saying so. Redact first: a key cut in two here
 * would no longer be found.
 */
export function quote(text: string, max = MAX_QUOTED_CHARS): string {
	const clean = text.replace(/\s+/g, ' ').trim();
	if (clean.length <= max) return clean;
	return `${clean.slice(0, max)}… (${clean.length - max} more characters cut)`;
}
