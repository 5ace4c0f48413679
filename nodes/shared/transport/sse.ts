/** A server-sent-event line longer than this is not an answer: the stream is abandoned. */
export const MAX_SSE_LINE_CHARS = 4 * 1024 * 1024;

/** Yielded, as the last value, when a line grew past the limit. */
export const LINE_TOO_LONG = Symbol('line too long');
/** Yielded, as the last value, when one event's data lines together grew past the limit. */
export const EVENT_TOO_LONG = Symbol('event too long');

/**
 * Reads a server-sent-event body line by line. Comment lines (DeepSeek's ": keep-alive") carry no
 * data but still prove the connection is alive, so every chunk of bytes is reported to onActivity.
 * A line that grows past MAX_SSE_LINE_CHARS ends the read (LINE_TOO_LONG) instead of filling memory,
 * and so does an event whose data lines, with no blank line between them, do (EVENT_TOO_LONG).
 */
export async function* readSseData(
	body: AsyncIterable<Uint8Array | string>,
	onActivity: (bytes: number) => void,
	maxLineChars = MAX_SSE_LINE_CHARS,
): AsyncGenerator<string | typeof LINE_TOO_LONG | typeof EVENT_TOO_LONG> {
	const decoder = new TextDecoder();
	let buffer = '';
	let data: string[] = [];
	let dataChars = 0;
	for await (const bytes of body) {
		onActivity(bytes.length);
		buffer += typeof bytes === 'string' ? bytes : decoder.decode(bytes, { stream: true });
		let newline: number;
		while ((newline = buffer.indexOf('\n')) !== -1) {
			let line = buffer.slice(0, newline);
			buffer = buffer.slice(newline + 1);
			if (line.endsWith('\r')) line = line.slice(0, -1);
			if (line === '') {
				if (data.length > 0) {
					yield data.join('\n');
					data = [];
					dataChars = 0;
				}
			} else if (line.startsWith('data:')) {
				const value = dataOf(line);
				dataChars += value.length + 1;
				if (dataChars > maxLineChars) {
					yield EVENT_TOO_LONG;
					return;
				}
				data.push(value);
			}
		}
		if (buffer.length > maxLineChars) {
			yield LINE_TOO_LONG;
			return;
		}
	}
	buffer += decoder.decode();
	if (buffer.startsWith('data:')) data.push(dataOf(buffer));
	if (data.length > 0) yield data.join('\n');
}

/** A `data:` line's value, without the one space the format allows after the colon. */
function dataOf(line: string): string {
	return line.slice(line.charAt(5) === ' ' ? 6 : 5);
}
