import { readSseData, type SseEvent } from '../../../../../nodes/shared/transport/sse';

/** The events of a body that arrives in these pieces. */
async function events(...pieces: string[]): Promise<Array<SseEvent | symbol>> {
	async function* body() {
		for (const piece of pieces) yield Buffer.from(piece);
	}
	const read: Array<SseEvent | symbol> = [];
	for await (const event of readSseData(body(), () => undefined)) read.push(event);
	return read;
}

describe('reading server-sent events', () => {
	const two = [
		{ event: 'message', data: '{"a":1}' },
		{ event: 'message', data: '[DONE]' },
	];

	it.each([
		['LF', '\n'],
		['CRLF', '\r\n'],
		['a bare CR', '\r'],
	])('splits lines ending in %s, as the format allows', async (_, end) => {
		expect(await events(`data: {"a":1}${end}${end}data: [DONE]${end}${end}`)).toEqual(two);
	});

	it('keeps a CRLF split between two pieces one line end', async () => {
		expect(await events('data: {"a":1}\r', '\n\r', '\ndata: [DONE]\r', '\n\r\n')).toEqual(two);
	});

	it('gives an event its type', async () => {
		expect(await events('event: error\r\ndata: {"message":"down"}\r\n\r\n')).toEqual([
			{ event: 'error', data: '{"message":"down"}' },
		]);
	});
});
