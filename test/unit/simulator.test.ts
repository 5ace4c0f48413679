import { startSimulator, type Simulator } from '../simulator/simulator';

const KEY = 'sk-sim-unit-1234';

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
	afterEach(() => {
		sim.reset();
		sim.configure({ latencyMs: 0, keepAliveIntervalMs: 0, replyTokens: undefined });
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
});
