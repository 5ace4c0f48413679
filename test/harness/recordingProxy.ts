import http from 'http';
import type { AddressInfo, Socket } from 'net';
import net from 'net';

export interface RecordingProxy {
	url: string;
	/** What went through: "CONNECT host:port" for tunnels, "METHOD absolute-url" otherwise. */
	seen: string[];
	close(): Promise<void>;
}

/** Tests stay on this machine: the proxy relays to loopback only. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** A forward proxy on loopback that records every request it relays, tunnelled or not. */
export async function startRecordingProxy(): Promise<RecordingProxy> {
	const seen: string[] = [];
	const sockets = new Set<Socket>();
	const server = http.createServer((req, res) => {
		seen.push(`${req.method} ${req.url}`);
		const target = new URL(req.url ?? '');
		if (!LOOPBACK.has(target.hostname)) {
			res.writeHead(403).end();
			return;
		}
		const upstream = http.request(
			target,
			{ method: req.method, headers: req.headers },
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		upstream.on('error', () => res.destroy());
		req.pipe(upstream);
	});
	server.on('connect', (req: http.IncomingMessage, client: Socket, head: Buffer) => {
		seen.push(`CONNECT ${req.url}`);
		const [host, port] = (req.url ?? '').split(':');
		if (!LOOPBACK.has(host)) {
			client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
			return;
		}
		const upstream = net.connect(Number(port), host, () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			upstream.write(head);
			upstream.pipe(client);
			client.pipe(upstream);
		});
		sockets.add(upstream);
		upstream.on('error', () => client.destroy());
		client.on('error', () => upstream.destroy());
	});
	server.on('connection', (socket: Socket) => sockets.add(socket));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		seen,
		close: () => {
			for (const socket of sockets) socket.destroy();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
}
