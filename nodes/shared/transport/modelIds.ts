import { isValidModelId } from '../protocol/models';
import { parseUntrustedJson } from '../protocol/untrustedJson';
import { AttemptFailure } from '../failures';
import { redact } from './redact';

/** How many ids of a /models answer are kept: more than any real list, few enough to show. */
export const MAX_MODEL_IDS = 1000;

/** Longer than any model id the nodes accept (isValidModelId): dropped before any other work. */
const MAX_RAW_ID_CHARS = 1000;

/**
 * The model ids in a /models answer (OpenAI's `{ data: [{ id }] }`), or what is wrong with it. An
 * id is the server's text, shown in the editor and in errors: the key is taken out wherever the
 * server echoed it, control characters are removed, and only ids the nodes would accept as a
 * Model ID are kept, each once, at most MAX_MODEL_IDS of them.
 */
export function modelIdsFromBody(
	text: string,
	contentType: string,
	apiKey: string,
): string[] | AttemptFailure {
	if (/html/i.test(contentType) || /^\s*<(?:!doctype|html)/i.test(text)) {
		return new AttemptFailure('broken', { what: 'model-list-html' });
	}
	let parsed: { data?: unknown } | null;
	try {
		parsed = parseUntrustedJson<{ data?: unknown } | null>(text);
	} catch {
		return new AttemptFailure('broken', { what: 'model-list-format' });
	}
	if (!parsed || !Array.isArray(parsed.data)) {
		return new AttemptFailure('broken', { what: 'model-list-format' });
	}
	const ids = new Set<string>();
	for (const model of parsed.data as unknown[]) {
		if (ids.size >= MAX_MODEL_IDS) break;
		const id = cleanModelId((model as { id?: unknown } | null)?.id, apiKey);
		if (id !== undefined) ids.add(id);
	}
	return [...ids];
}

/** One id as the nodes may show it, or undefined; redacted before anything else reads it. */
function cleanModelId(raw: unknown, apiKey: string): string | undefined {
	if (typeof raw !== 'string' || raw.length > MAX_RAW_ID_CHARS) return undefined;
	const id = redact(raw, apiKey)
		.replace(/\p{Cc}/gu, '')
		.trim();
	return isValidModelId(id) ? id : undefined;
}
