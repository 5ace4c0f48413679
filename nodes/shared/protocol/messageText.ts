/** The text of a message's content: a string, or the text parts of a list of content parts. */
export function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content
		.map((part: { type?: unknown; text?: unknown } | null) =>
			part?.type === 'text' && typeof part.text === 'string' ? part.text : '',
		)
		.filter((text) => text !== '')
		.join('\n');
}

/** A tool's result as the text of a tool message: DeepSeek takes text content only. */
export function toolResultText(result: unknown): string {
	if (typeof result === 'string') return result;
	if (result === undefined) return '';
	// Only text parts count as content parts: a tool's JSON items may have a `type` field of their own.
	const isTextParts =
		Array.isArray(result) &&
		result.length > 0 &&
		result.every(
			(part: { type?: unknown; text?: unknown } | null) =>
				part?.type === 'text' && typeof part.text === 'string',
		);
	if (isTextParts) return textOf(result);
	try {
		return JSON.stringify(result) ?? String(result);
	} catch {
		return String(result);
	}
}
