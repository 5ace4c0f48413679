import { head, startRawServer, type RawServer } from '../harness/rawServer';
import { refusedUrl } from '../simulator/simulator';
import { allText, API_KEY, chat, runDeepSeek, useSimulatorPair } from './fixtures';

/** What a user reads after a run: the failover hint, the output's columns, the error details. */
describe('DeepSeek node: what the user is told', () => {
	const pair = useSimulatorPair();
	let raw: RawServer;
	beforeAll(async () => {
		raw = await startRawServer();
	});
	afterAll(async () => await raw.close());

	const hints = (result: Awaited<ReturnType<typeof runDeepSeek>>) =>
		result.runData.DeepSeek[0].hints ?? [];
	const three = [0, 1, 2].map((index) => ({ json: { text: `t${index}` } }));

	describe('a failover', () => {
		it('gives one hint for the run: the primary, its status, and the items the backup answered', async () => {
			// The first item meets the 500; the breaker then sends the others straight to the backup.
			pair.primary.setFault({ type: '500', times: 1 });
			const result = await runDeepSeek(pair, {
				parameters: chat({ options: { maxRetries: 0, concurrency: 1 } }),
				items: three,
			});
			expect(result.status).toBe('success');
			const endpoints = result.output('DeepSeek').map((item) => item.json.endpoint);
			expect(endpoints).toEqual(['failover', 'failover', 'failover']);
			expect(hints(result)).toEqual([
				{
					type: 'warning',
					location: 'outputPane',
					message: `MetaChat failover: the primary URL (${pair.primary.url}) answered 500: Server error, please try again later (1 item); was not asked: it failed moments ago, so requests go to the backup for a while (2 items). The failover URL (${pair.backup.url}) answered instead, for 3 of 3 items.`,
				},
			]);
		});

		it('names the network code of a primary that refused the connection', async () => {
			const primary = await refusedUrl();
			const result = await runDeepSeek(pair, {
				parameters: chat(),
				credentials: { baseUrl: primary },
			});
			expect(hints(result)[0].message).toBe(
				`MetaChat failover: the primary URL (${primary}) could not connect: the connection was refused (ECONNREFUSED). The failover URL (${pair.backup.url}) answered instead, for 1 of 1 item.`,
			);
		});

		it('gives no hint where the primary answered, or where failover is off', async () => {
			const answered = await runDeepSeek(pair, { parameters: chat() });
			expect(hints(answered)).toEqual([]);
			pair.primary.setFault({ type: '500', times: 1 });
			const off = await runDeepSeek(pair, {
				parameters: chat({ options: { failover: false, maxRetries: 0 } }),
				continueOnFail: true,
			});
			expect(hints(off)).toEqual([]);
		});
	});

	it('puts content, reasoning_content and endpoint first, and leaves messages out when asked', async () => {
		const result = await runDeepSeek(pair, {
			parameters: chat({ options: { thinking: 'enabled', includeMessages: false } }),
		});
		const [item] = result.output('DeepSeek');
		expect(Object.keys(item.json).slice(0, 3)).toEqual([
			'content',
			'reasoning_content',
			'endpoint',
		]);
		expect(item.json).not.toHaveProperty('messages');
	});

	describe('error details', () => {
		it("shows a 400's whole message (key taken out) in the details, the headline cut short", async () => {
			const words = `Invalid request: the field messages[0] is wrong ${'because of reasons '.repeat(20)}(key ${API_KEY})`;
			raw.handle((_request, response) =>
				head(response, 400).end(
					JSON.stringify({ error: { message: words, type: 'invalid_request_error' } }),
				),
			);
			const result = await runDeepSeek(pair, {
				parameters: chat(),
				credentials: { baseUrl: raw.url },
			});
			const error = result.error as unknown as {
				message: string;
				messages: string[];
				httpCode: string;
				context: { data: Record<string, unknown> };
			};
			expect(error.httpCode).toBe('400');
			expect(error.message).toMatch(/^MetaChat rejected the request \(400\): Invalid request/);
			expect(error.message).toMatch(/… \(the full message is in the error details\)$/);
			expect(error.message.length).toBeLessThan(300);
			const prefix = `MetaChat: the primary URL (${raw.url}) answered 400: `;
			const full = error.messages.find((line) => line.startsWith(prefix));
			expect(full).toContain('because of reasons because of reasons');
			expect(full).toContain('(key [redacted])');
			expect(full!.length).toBeLessThan(prefix.length + 600);
			expect(error.context.data).toMatchObject({
				service: 'MetaChat',
				status: 400,
				endpoint: 'primary',
			});
			expect(allText(result.run)).not.toContain(API_KEY);
		});

		it('gives a refused connection a details section naming the URL and the code', async () => {
			const primary = await refusedUrl();
			const result = await runDeepSeek(pair, {
				parameters: chat(),
				credentials: { baseUrl: primary, failoverBaseUrl: '' },
			});
			const error = result.error as unknown as {
				message: string;
				messages: string[];
				httpCode: string;
			};
			expect(error.message).toBe(
				'MetaChat could not be reached: Could not connect: the connection was refused',
			);
			expect(error.httpCode).toBe('ECONNREFUSED');
			expect(error.messages).toContain(
				`MetaChat: the primary URL (${primary}) could not connect: the connection was refused (ECONNREFUSED)`,
			);
		});

		it('names both URLs and how each failed where the backup failed too', async () => {
			const backup = await refusedUrl();
			pair.primary.setFault({ type: '503' });
			const result = await runDeepSeek(pair, {
				parameters: chat({ options: { maxRetries: 0 } }),
				credentials: { failoverBaseUrl: backup },
			});
			const error = result.error as unknown as {
				message: string;
				messages: string[];
				httpCode: string;
			};
			expect(error.message).toBe(
				`Neither MetaChat URL could answer: the primary URL (${pair.primary.url}) answered 503: Server overloaded, please try again later; the failover URL (${backup}) could not connect: the connection was refused`,
			);
			expect(error.httpCode).toBe('ECONNREFUSED');
			expect(error.messages.slice(1)).toEqual([
				`MetaChat: the primary URL (${pair.primary.url}) answered 503: Server overloaded, please try again later`,
				`MetaChat: the failover URL (${backup}) could not connect: the connection was refused (ECONNREFUSED)`,
			]);
		});
	});
});
