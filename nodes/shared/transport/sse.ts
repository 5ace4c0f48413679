/** A server-sent-event line longer than this is not an answer: the stream is abandoned. */
export const MAX_SSE_LINE_CHARS = 4 * 1024 * 1024;

/** Yielded, as the last value, when a line grew past the limit. */
export const LINE_TOO_LONG = Symbol('line too long');
/** Yielded, as the last value, when one event's data lines together grew past the limit. */
export const EVENT_TOO_LONG = Symbol('event too long');

/** One event of a stream: its data lines joined, and its `event:` type ('message' unless it says). */
export interface SseEvent {
	event: string;
	data: string;
}

/**
 * Reads a server-sent-event body line by line; a line ends in CR, LF or CRLF, as the format
 * allows. Comment lines (DeepSeek's ": keep-alive") carry no data but still prove the connection
 * is alive, so every chunk of bytes is reported to onActivity. A line that grows past
 * MAX_SSE_LINE_CHARS ends the read (LINE_TOO_LONG) instead of filling memory, and so does an event
 * whose data lines, with no blank line between them, do (EVENT_TOO_LONG).
 */
export async function* readSseData(
	body: AsyncIterable<Uint8Array | string>,
	onActivity: (bytes: number) => void,
	maxLineChars = MAX_SSE_LINE_CHARS,
): AsyncGenerator<SseEvent | typeof LINE_TOO_LONG | typeof EVENT_TOO_LONG> {
	const decoder = new TextDecoder();
	let buffer = '';
	let data: string[] = [];
	let dataChars = 0;
	let event = '';
	const dispatch = (): SseEvent | undefined => {
		const found =
			data.length > 0 ? { event: event || 'message', data: data.join('\n') } : undefined;
		data = [];
		dataChars = 0;
		event = '';
		return found;
	};
	for await (const bytes of body) {
		onActivity(bytes.length);
		buffer += typeof bytes === 'string' ? bytes : decoder.decode(bytes, { stream: true });
		let end: number;
		while ((end = buffer.search(/[\r\n]/)) !== -1) {
			// A CR at the end of what has arrived may be the first half of a CRLF.
			if (buffer[end] === '\r' && end === buffer.length - 1) break;
			const line = buffer.slice(0, end);
			buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
			if (line === '') {
				const found = dispatch();
				if (found) yield found;
			} else if (line.startsWith('data:')) {
				const value = valueOf(line, 5);
				dataChars += value.length + 1;
				if (dataChars > maxLineChars) {
					yield EVENT_TOO_LONG;
					return;
				}
				data.push(value);
			} else if (line.startsWith('event:')) {
				event = valueOf(line, 6);
			}
		}
		if (buffer.length > maxLineChars) {
			yield LINE_TOO_LONG;
			return;
		}
	}
	buffer += decoder.decode();
	for (const line of buffer.split(/\r\n|\r|\n/)) {
		if (line.startsWith('data:')) data.push(valueOf(line, 5));
		else if (line.startsWith('event:')) event = valueOf(line, 6);
	}
	const found = dispatch();
	if (found) yield found;
}

/** A field line's value, without the one space the format allows after the colon. */
function valueOf(line: string, colon: number): string {
	return line.slice(line.charAt(colon) === ' ' ? colon + 1 : colon);
}
