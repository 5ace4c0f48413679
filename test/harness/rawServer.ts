import http from 'http';
import type { AddressInfo, Socket } from 'net';

/** What a raw server does with one request: anything a hostile or broken server could. */
export type RawHandler = (
	request: http.IncomingMessage,
	response: http.ServerResponse,
	body: string,
) => void;

export interface RawServer {
	/** The base URL, ending in /v1 as MetaChat's does. */
	url: string;
	/** Requests received, by path. */
	paths: string[];
	handle: (handler: RawHandler) => void;
	close: () => Promise<void>;
}

/**
 * A loopback HTTP server whose answers a test writes byte by byte, for what the simulator (which
 * plays MetaChat) never sends: error bodies that break off, streams that grow without end.
 */
export async function startRawServer(): Promise<RawServer> {
	let handler: RawHandler = (_request, response) => response.writeHead(500).end();
	const paths: string[] = [];
	const sockets = new Set<Socket>();
	const server = http.createServer((request, response) => {
		const parts: Buffer[] = [];
		request.on('data', (part: Buffer) => parts.push(part));
		request.on('end', () => {
			paths.push(request.url ?? '');
			handler(request, response, Buffer.concat(parts).toString('utf8'));
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/v1`,
		paths,
		handle: (next) => {
			handler = next;
		},
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** Writes an SSE chunk of a chat completion. */
export function sseChunk(response: http.ServerResponse, chunk: unknown): boolean {
	return response.write(`data: ${JSON.stringify(chunk)}\n\n`);
}

/** Writes the status and the content type, JSON unless told. */
export function head(response: http.ServerResponse, status: number, type = 'application/json') {
	return response.writeHead(status, { 'content-type': type });
}

/** A streamed answer's envelope, with one choice. */
export const chunk = (delta: unknown, finish: string | null = null) => ({
	id: 'raw-1',
	object: 'chat.completion.chunk',
	created: 1,
	model: 'deepseek-chat',
	choices: [{ index: 0, delta, finish_reason: finish }],
});
