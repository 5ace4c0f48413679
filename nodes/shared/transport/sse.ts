/**
 * Reads a server-sent-event body line by line. Comment lines (DeepSeek's ": keep-alive") carry no
 * data but still prove the connection is alive, so every chunk of bytes is reported to onActivity.
 */
export async function* readSseData(
	body: ReadableStream<Uint8Array>,
	onActivity: () => void,
): AsyncGenerator<string> {
	const decoder = new TextDecoder();
	let buffer = '';
	let data: string[] = [];
	for await (const bytes of body as unknown as AsyncIterable<Uint8Array>) {
		onActivity();
		buffer += decoder.decode(bytes, { stream: true });
		let newline: number;
		while ((newline = buffer.indexOf('\n')) !== -1) {
			let line = buffer.slice(0, newline);
			buffer = buffer.slice(newline + 1);
			if (line.endsWith('\r')) line = line.slice(0, -1);
			if (line === '') {
				if (data.length > 0) {
					yield data.join('\n');
					data = [];
				}
			} else if (line.startsWith('data:')) {
				data.push(line.slice(line.charAt(5) === ' ' ? 6 : 5));
			}
		}
	}
	buffer += decoder.decode();
	if (buffer.startsWith('data:')) data.push(buffer.slice(buffer.charAt(5) === ' ' ? 6 : 5));
	if (data.length > 0) yield data.join('\n');
}
