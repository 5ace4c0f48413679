import http from 'http';
import OpenAI from 'openai';
import { startSimulator, type Simulator } from '../simulator/simulator';

const KEY = 'sk-sim-unit-1234';
const lookup = {
	type: 'function' as const,
	function: {
		name: 'lookup',
		parameters: { type: 'object', properties: { city: { type: 'string' } } },
	},
};

/** The JSON of every `data:` event of an SSE body, [DONE] left out. */
const events = (text: string) =>
	text
		.split('\n\n')
		.filter((event) => event.startsWith('data: ') && event !== 'data: [DONE]')
		.map((event) => JSON.parse(event.slice('data: '.length)));

/** The tool-call deltas of an SSE body, in order. */
const toolDeltas = (text: string) =>
	events(text).flatMap((chunk) => chunk.choices[0]?.delta?.tool_calls ?? []);

describe('the MetaChat simulator', () => {
	let sim: Simulator;
	const post = (body: unknown, key = KEY) =>
		fetch(`${sim.url}/chat/completions`, {
			method: 'POST',
			headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
	const ask = (extra: object = {}) => ({
		model: 'deepseek-reasoner',
		messages: [{ role: 'user', content: 'Tell me about foxes' }],
		...extra,
	});

	beforeAll(async () => {
		sim = await startSimulator({ apiKey: KEY });
	});
	const sdk = () => new OpenAI({ baseURL: sim.url, apiKey: KEY, maxRetries: 0 });

	afterEach(() => {
		sim.reset();
		sim.configure({
			latencyMs: 0,
			keepAliveIntervalMs: 0,
			replyTokens: undefined,
			streamQuirks: [],
			rejectParams: [],
			connectionDelayMs: 0,
		});
	});
	afterAll(() => sim.close());

	it('answers like DeepSeek, marked as simulated, with reasoning for reasoning models', async () => {
		const body = await (await post(ask())).json();
		expect(body.choices[0].message.content).toBe(
			'[simulated deepseek-reasoner] Summary: Tell me about foxes',
		);
		expect(body.choices[0].message.reasoning_content).toMatch(/^\[simulated reasoning\]/);
		expect(body.usage.total_tokens).toBeGreaterThan(0);
	});

	it('rejects reasoning_content in the messages of an R1 snapshot with 400, as DeepSeek does', async () => {
		const response = await post(
			ask({
				model: 'deepseek-r1-250528',
				messages: [
					{ role: 'assistant', content: 'a', reasoning_content: 'b' },
					{ role: 'user', content: 'c' },
				],
			}),
		);
		expect(response.status).toBe(400);
		expect((await response.json()).error.message).toMatch(/remove the reasoning_content/);
	});

	it.each([
		[{ model: 'gpt-4' }, 400],
		[{ messages: [] }, 400],
		[{ messages: [{ role: 'bot', content: 'x' }] }, 400],
		[{ temperature: 3 }, 422],
	])('validates %p → %i', async (extra, status) => {
		expect((await post(ask(extra))).status).toBe(status);
	});

	it('echoes a wrong key in its 401, so tests can prove the node scrubs it', async () => {
		const response = await post(ask(), 'sk-wrong-9876');
		expect(response.status).toBe(401);
		expect((await response.json()).error.message).toContain('sk-wrong-9876');
	});

	it('streams with keep-alive comments first, reasoning, content, usage and [DONE]', async () => {
		sim.configure({ latencyMs: 60, keepAliveIntervalMs: 20 });
		const text = await (
			await post(ask({ stream: true, stream_options: { include_usage: true } }))
		).text();
		expect(text.startsWith(': keep-alive\n\n')).toBe(true);
		expect(text).toContain('"reasoning_content"');
		expect(text).toContain('"finish_reason":"stop"');
		expect(text).toContain('"usage"');
		expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
	});

	it('gives exactly replyTokens words and honours max_tokens', async () => {
		sim.configure({ replyTokens: 50 });
		const full = await (await post(ask({ model: 'deepseek-chat' }))).json();
		expect(full.choices[0].message.content.split(' ')).toHaveLength(50);
		const cut = await (await post(ask({ model: 'deepseek-chat', max_tokens: 5 }))).json();
		expect(cut.choices[0]).toMatchObject({ finish_reason: 'length' });
	});

	it.each([
		['503', 503],
		['402', 402],
		['500', 500],
	])('injects %s', async (type, status) => {
		sim.setFault({ type: type as '503' });
		expect((await post(ask())).status).toBe(status);
	});

	it('sends Retry-After with 429, and clears a fault after `times` requests', async () => {
		sim.setFault({ type: '429', retryAfter: 7, times: 1 });
		const limited = await post(ask());
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('7');
		expect((await post(ask())).status).toBe(200);
	});

	it('truncates a stream without a finish_reason or [DONE]', async () => {
		sim.setFault({ type: 'truncate' });
		const text = await (await post(ask({ stream: true }))).text();
		expect(text).not.toContain('finish_reason":"stop"');
		expect(text).not.toContain('[DONE]');
	});

	it('resets the connection', async () => {
		sim.setFault({ type: 'reset' });
		await expect(post(ask())).rejects.toThrow();
	});

	it('logs requests and takes faults through its control endpoints', async () => {
		await fetch(`${sim.url.replace('/v1', '')}/__sim/fault`, {
			method: 'POST',
			body: '{"type":"html"}',
		});
		const response = await post(ask());
		expect(response.headers.get('content-type')).toContain('text/html');
		const log = await (await fetch(`${sim.url.replace('/v1', '')}/__sim/requests`)).json();
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({
			path: '/v1/chat/completions',
			fault: 'html',
			model: 'deepseek-reasoner',
		});
		expect(log[0].headers.authorization).toBeUndefined();
	});

	it('answers 404 for a path without /v1', async () => {
		const response = await fetch(`${sim.url.replace('/v1', '')}/models`, {
			headers: { authorization: `Bearer ${KEY}` },
		});
		expect(response.status).toBe(404);
	});

	describe('odd but legal answers (streamQuirks)', () => {
		const toolAsk = (extra: object = {}) =>
			ask({ tools: [lookup], stream: true, stream_options: { include_usage: true }, ...extra });
		const calls = [
			{ name: 'lookup', arguments: '{"city":"Paris"}' },
			{ name: 'lookup', arguments: '{"city":"Oslo"}' },
		];
		beforeEach(() =>
			sim.scriptTools({
				rounds: [
					[
						{ name: 'lookup', arguments: { city: 'Paris' } },
						{ name: 'lookup', arguments: { city: 'Oslo' } },
					],
				],
			}),
		);

		it('names a tool in its first delta only, by default', async () => {
			const deltas = toolDeltas(await (await post(toolAsk())).text());
			expect(deltas.filter((delta) => delta.function.name !== undefined)).toHaveLength(2);
			expect(deltas.every((delta) => delta.function.name === undefined || delta.id)).toBe(true);
		});

		it('repeatToolName repeats the name in every tool-call delta; the SDK keeps it once', async () => {
			sim.configure({ streamQuirks: ['repeatToolName'] });
			const deltas = toolDeltas(await (await post(toolAsk())).text());
			expect(deltas.length).toBeGreaterThan(2);
			for (const delta of deltas) expect(delta.function.name).toBe('lookup');
			// A reader that appended names as it appends arguments would get "lookuplookuplookup".
			const final = await sdk()
				.chat.completions.stream(toolAsk() as never)
				.finalChatCompletion();
			expect(
				final.choices[0].message.tool_calls?.map((call) => 'function' in call && call.function),
			).toEqual(calls);
		});

		it('omitToolCallIds sends tool calls without any id, streamed or not', async () => {
			sim.configure({ streamQuirks: ['omitToolCallIds'] });
			const deltas = toolDeltas(await (await post(toolAsk())).text());
			expect(deltas.length).toBeGreaterThan(0);
			for (const delta of deltas) expect(delta).not.toHaveProperty('id');
			expect(deltas[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'lookup' } });
			const whole = await (await post(toolAsk({ stream: false }))).json();
			expect(whole.choices[0].message.tool_calls).toEqual(
				calls.map((fn) => ({ type: 'function', function: fn })),
			);
		});

		it('wants the ids a client made up for an id-less call sent back, and refuses none', async () => {
			sim.configure({ streamQuirks: ['omitToolCallIds'] });
			// The SDK's accumulator makes up call_<uuid> ids for calls that came without one.
			const final = await sdk()
				.chat.completions.stream(toolAsk() as never)
				.finalChatCompletion();
			const message = final.choices[0].message as (typeof final.choices)[0]['message'] & {
				reasoning_content?: string;
			};
			const made = message.tool_calls ?? [];
			expect(made.map((call) => call.id)).toEqual([
				expect.stringMatching(/^call_/),
				expect.stringMatching(/^call_/),
			]);
			const next = (toolCalls: object[]) =>
				post(
					ask({
						tools: [lookup],
						messages: [
							...ask().messages,
							{
								role: 'assistant',
								content: '',
								reasoning_content: message.reasoning_content,
								tool_calls: toolCalls,
							},
							...made.map((call) => ({ role: 'tool', tool_call_id: call.id, content: 'sunny' })),
						],
					}),
				);
			expect((await next(made)).status).toBe(200);
			const idless = await next(made.map(({ id: _id, ...call }) => call));
			expect(idless.status).toBe(400);
			expect((await idless.json()).error.message).toBe(
				'messages[1].tool_calls[0]: missing field `id`',
			);
		});

		it('noFinishReason ends with [DONE] but no finish_reason; the SDK helper refuses that', async () => {
			sim.scriptTools(null);
			sim.configure({ streamQuirks: ['noFinishReason'] });
			const text = await (await post(toolAsk())).text();
			expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
			const chunks = events(text);
			expect(chunks.at(-1).usage).toBeDefined();
			for (const chunk of chunks)
				for (const choice of chunk.choices) expect(choice.finish_reason).toBeNull();
			let content = '';
			for await (const chunk of await sdk().chat.completions.create(
				toolAsk() as OpenAI.ChatCompletionCreateParamsStreaming,
			))
				content += chunk.choices[0]?.delta.content ?? '';
			expect(content).toBe('[simulated deepseek-reasoner] Summary: Tell me about foxes');
			await expect(
				sdk()
					.chat.completions.stream(toolAsk() as never)
					.finalChatCompletion(),
			).rejects.toThrow(/missing finish_reason/);
		});

		it('refuses an unknown quirk (at configure() and its control endpoint); undefined clears the list', async () => {
			expect(() => sim.configure({ streamQuirks: ['repeatToolNames' as never] })).toThrow(
				/Unknown stream quirk "repeatToolNames"/,
			);
			const response = await fetch(`${sim.url.replace('/v1', '')}/__sim/configure`, {
				method: 'POST',
				body: '{"streamQuirks":["nope"]}',
			});
			expect(response.status).toBe(400);
			sim.configure({ streamQuirks: ['noFinishReason'] });
			sim.configure({ streamQuirks: undefined });
			expect(await (await post(ask({ stream: true }))).text()).toContain('"finish_reason":"stop"');
		});
	});

	describe('big answers', () => {
		it('html502 is a 502 whose body is a CDN-sized HTML page', async () => {
			sim.setFault({ type: 'html502', times: 1 });
			const response = await post(ask());
			expect(response.status).toBe(502);
			expect(response.headers.get('content-type')).toBe('text/html; charset=UTF-8');
			const page = await response.text();
			expect(page).toHaveLength(200 * 1024);
			expect(page).toMatch(/^<!DOCTYPE html>[^]*502: Bad gateway[^]*<\/html>\n$/);
			sim.setFault({ type: 'html502', sizeBytes: 5000 });
			const error = await sdk()
				.chat.completions.create(ask() as never)
				.catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(OpenAI.APIError);
			expect(error).toMatchObject({ status: 502 });
		});

		it('oversized streams about sizeBytes of content chunks, then finishes', async () => {
			const size = 1024 * 1024;
			sim.setFault({ type: 'oversized', sizeBytes: size });
			const response = await post(ask({ stream: true, stream_options: { include_usage: true } }));
			expect(response.headers.get('content-type')).toBe('text/event-stream');
			const text = await response.text();
			expect(text.length).toBeGreaterThanOrEqual(size);
			expect(text.length).toBeLessThan(size + 32 * 1024);
			expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
			const chunks = events(text);
			expect(chunks.length).toBeGreaterThan(60);
			const content = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
			expect(content.length).toBeGreaterThan(size * 0.9);
			expect(content).toMatch(/^alpha beta gamma /);
			expect(chunks.at(-2).choices[0].finish_reason).toBe('stop');
			expect(chunks.at(-1).usage.completion_tokens).toBeGreaterThan(0);
		});

		it('oversized answers a request without stream with one JSON body of exactly sizeBytes', async () => {
			const size = 3 * 1024 * 1024 + 7;
			sim.setFault({ type: 'oversized', sizeBytes: size });
			const text = await (await post(ask())).text();
			expect(text).toHaveLength(size);
			const body = JSON.parse(text);
			expect(body.choices[0]).toMatchObject({
				finish_reason: 'stop',
				message: { role: 'assistant' },
			});
			expect(body.choices[0].message.content.length).toBeGreaterThan(size - 1000);
		});

		it.each([true, false])(
			'oversized with longLine (stream: %p) is one line of sizeBytes that never ends',
			async (stream) => {
				const size = 2 * 1024 * 1024;
				sim.setFault({ type: 'oversized', sizeBytes: size, longLine: true });
				const text = await (await post(ask({ stream }))).text();
				expect(text).toHaveLength(size);
				expect(text.startsWith(stream ? 'data: {"id":' : '{"id":')).toBe(true);
				expect(text).not.toContain('\n');
				expect(() => JSON.parse(text.replace(/^data: /, ''))).toThrow();
			},
		);

		it.each([true, false])(
			'writes 64 MiB only as fast as a client reads (stream: %p), and stops when it leaves',
			async (stream) => {
				sim.setFault({ type: 'oversized' });
				const before = process.memoryUsage().rss;
				const request = http.request(`${sim.url}/chat/completions`, {
					method: 'POST',
					headers: { authorization: `Bearer ${KEY}` },
				});
				request.end(JSON.stringify(ask({ stream })));
				const response = await new Promise<http.IncomingMessage>((resolve) =>
					request.on('response', resolve),
				);
				let received = 0;
				response.on('data', (data: Buffer) => {
					received += data.length;
					response.pause();
				});
				await new Promise((resolve) => setTimeout(resolve, 500));
				// A simulator that wrote on regardless would hold the rest: about 70 MB more here.
				expect(process.memoryUsage().rss - before).toBeLessThan(32 * 1024 * 1024);
				expect(received).toBeGreaterThan(0);
				expect(sim.stats().inFlight).toBe(1);
				request.destroy();
				for (let tries = 0; sim.stats().inFlight > 0 && tries < 50; tries++)
					await new Promise((resolve) => setTimeout(resolve, 10));
				expect(sim.stats().inFlight).toBe(0);
				sim.setFault(null);
				expect((await post(ask())).status).toBe(200);
			},
		);
	});

	describe('rejectParams', () => {
		it('refuses a listed field, the first in the body, as an older backend does', async () => {
			sim.configure({ rejectParams: ['reasoning_effort', 'thinking'] });
			const response = await post(
				ask({ model: 'deepseek-chat', thinking: { type: 'enabled' }, reasoning_effort: 'high' }),
			);
			expect(response.status).toBe(400);
			expect(await response.text()).toBe(
				'{"error":{"message":"Unknown parameter: thinking","type":"invalid_request_error","param":"thinking","code":"invalid_request_error"}}',
			);
			expect((await post(ask({ model: 'deepseek-chat' }))).status).toBe(200);
			const error = await sdk()
				.chat.completions.create(ask({ reasoning_effort: 'high' }) as never)
				.catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(OpenAI.BadRequestError);
			expect(error).toMatchObject({ param: 'reasoning_effort', code: 'invalid_request_error' });
		});

		it('takes its list through the control endpoint, and refuses one that is not a list', async () => {
			const configure = (body: string) =>
				fetch(`${sim.url.replace('/v1', '')}/__sim/configure`, { method: 'POST', body });
			expect((await configure('{"rejectParams":"thinking"}')).status).toBe(400);
			expect((await configure('{"rejectParams":["stream_options"]}')).status).toBe(200);
			const response = await post(ask({ stream: true, stream_options: { include_usage: true } }));
			expect(response.status).toBe(400);
			expect((await response.json()).error.param).toBe('stream_options');
		});
	});

	describe('connectionDelayMs', () => {
		/** One chat request through an agent; resolves to how long the answer took, in ms. */
		const timed = (agent: http.Agent | false) =>
			new Promise<number>((resolve, reject) => {
				const started = performance.now();
				const request = http.request(`${sim.url}/chat/completions`, {
					method: 'POST',
					agent,
					headers: { authorization: `Bearer ${KEY}` },
				});
				request.on('error', reject);
				request.on('response', (response) => {
					if (response.statusCode !== 200) reject(new Error(`status ${response.statusCode}`));
					response.resume();
					response.on('end', () => resolve(performance.now() - started));
				});
				request.end(JSON.stringify(ask()));
			});

		it('delays the first answer of each new connection only, and counts connections', async () => {
			sim.configure({ connectionDelayMs: 300 });
			const kept = new http.Agent({ keepAlive: true, maxSockets: 1 });
			const other = new http.Agent({ keepAlive: true, maxSockets: 1 });
			try {
				const before = sim.stats().connections;
				expect(await timed(kept)).toBeGreaterThanOrEqual(290);
				expect(await timed(kept)).toBeLessThan(150);
				expect(await timed(kept)).toBeLessThan(150);
				expect(sim.stats().connections - before).toBe(1);
				expect(await timed(other)).toBeGreaterThanOrEqual(290);
				expect(await timed(kept)).toBeLessThan(150);
				expect(sim.stats().connections - before).toBe(2);
				// Without keep-alive every request is a new connection, and waits.
				expect(await timed(false)).toBeGreaterThanOrEqual(290);
				expect(sim.stats().connections - before).toBe(3);
			} finally {
				kept.destroy();
				other.destroy();
			}
		});

		it('is off by default, and keeps connections alive for clients that reuse them', async () => {
			const kept = new http.Agent({ keepAlive: true, maxSockets: 1 });
			try {
				const before = sim.stats().connections;
				for (let i = 0; i < 3; i++) expect(await timed(kept)).toBeLessThan(150);
				expect(sim.stats().connections - before).toBe(1);
			} finally {
				kept.destroy();
			}
		});
	});

	describe('a round of many tool calls', () => {
		const count = 200;
		const cities = Array.from({ length: count }, (_, i) => `city ${i}`);
		beforeEach(() =>
			sim.scriptTools({
				rounds: [cities.map((city) => ({ name: 'lookup', arguments: { city } }))],
			}),
		);

		it('streams 200 calls of one round, each whole by its index', async () => {
			const text = await (await post(ask({ tools: [lookup], stream: true }))).text();
			const built: { id?: string; name?: string; arguments: string }[] = [];
			for (const delta of toolDeltas(text)) {
				const call = (built[delta.index] ??= { arguments: '' });
				if (delta.id) call.id = delta.id;
				if (delta.function?.name) call.name = delta.function.name;
				call.arguments += delta.function?.arguments ?? '';
			}
			expect(built).toHaveLength(count);
			expect(new Set(built.map((call) => call.id)).size).toBe(count);
			expect(built.map((call) => JSON.parse(call.arguments).city)).toEqual(cities);
			expect(built.every((call) => call.name === 'lookup')).toBe(true);
			expect(events(text).at(-1).choices[0].finish_reason).toBe('tool_calls');
			const whole = await (await post(ask({ tools: [lookup] }))).json();
			expect(whole.choices[0].message.tool_calls).toHaveLength(count);
		});

		it('takes the 200 results back in one request', async () => {
			const whole = (await (await post(ask({ tools: [lookup] }))).json()).choices[0].message;
			const response = await post(
				ask({
					tools: [lookup],
					messages: [
						...ask().messages,
						whole,
						...whole.tool_calls.map((call: { id: string }, i: number) => ({
							role: 'tool',
							tool_call_id: call.id,
							content: `weather ${i}`,
						})),
					],
				}),
			);
			expect(response.status).toBe(200);
			const answer = (await response.json()).choices[0];
			expect(answer.finish_reason).toBe('stop');
			expect(answer.message.content).toContain('lookup said weather 199');
		});

		it("is more than the openai SDK's stream helper takes (128 calls); its raw stream is fine", async () => {
			const indexes = new Set<number>();
			for await (const chunk of await sdk().chat.completions.create({
				...(ask({ tools: [lookup] }) as object),
				stream: true,
			} as OpenAI.ChatCompletionCreateParamsStreaming))
				for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) indexes.add(delta.index);
			expect(indexes.size).toBe(count);
			await expect(
				sdk()
					.chat.completions.stream(ask({ tools: [lookup], stream: true }) as never)
					.finalChatCompletion(),
			).rejects.toThrow(/invalid tool call index: 128/);
		});
	});
});
