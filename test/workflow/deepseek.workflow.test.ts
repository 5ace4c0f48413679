import { ENGINE_MAJOR } from '../harness';
import { refusedUrl } from '../simulator/simulator';
import {
	allText,
	API_KEY,
	chat,
	completions,
	reason,
	runDeepSeek,
	useSimulatorPair,
} from './fixtures';

describe('DeepSeek node through n8n', () => {
	const pair = useSimulatorPair();

	it('chats: one simplified item from the primary, with the turn in messages', async () => {
		const result = await runDeepSeek(pair, { parameters: chat() });
		expect(result.status).toBe('success');
		const [item] = result.output('DeepSeek');
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			model: 'deepseek-chat',
			finish_reason: 'stop',
			endpoint: 'primary',
			usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) },
		});
		expect(item.json.content).toMatch(/^\[simulated deepseek-chat\]/);
		expect(item.json).not.toHaveProperty('reasoning_content');
		expect(item.json.messages).toEqual([
			{ role: 'user', content: 'Summarise this: the quick brown fox jumps.' },
			{ role: 'assistant', content: item.json.content },
		]);

		const [request] = completions(pair.primary);
		expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
		expect(request.body).toMatchObject({
			model: 'deepseek-chat',
			stream: true,
			messages: [{ role: 'user', content: 'Summarise this: the quick brown fox jumps.' }],
		});
		expect(completions(pair.backup)).toHaveLength(0);
	});

	it('reasons: the answer and the reasoning in separate fields, none in messages', async () => {
		const result = await runDeepSeek(pair, { parameters: reason() });
		const [item] = result.output('DeepSeek');
		expect(item.json.model).toBe('deepseek-reasoner');
		expect(item.json.reasoning_content).toMatch(/simulated reasoning/);
		expect(item.json.content).toMatch(/^\[simulated deepseek-reasoner\]/);
		expect(allText(item.json.messages)).not.toContain('reasoning');
	});

	it('leaves the reasoning out when Include Reasoning is off', async () => {
		const result = await runDeepSeek(pair, {
			parameters: reason({ options: { includeReasoning: false } }),
		});
		expect(result.output('DeepSeek')[0].json).not.toHaveProperty('reasoning_content');
	});

	it('splits <think> tags of a model that thinks inline', async () => {
		const result = await runDeepSeek(pair, {
			parameters: reason({ model: { __rl: true, mode: 'id', value: 'deepseek-r1t2-chimera' } }),
		});
		const [item] = result.output('DeepSeek');
		expect(item.json.reasoning_content).not.toBe('');
		expect(item.json.content).not.toContain('<think>');
		expect(item.json.content).toMatch(/simulated deepseek-r1t2-chimera/);
	});

	it('carries a conversation over turns from the messages output', async () => {
		const first = await runDeepSeek(pair, {
			parameters: reason({ options: { systemMessage: 'Be brief.' } }),
			items: [{ json: { text: 'What is two plus two?' } }],
		});
		const firstItem = first.output('DeepSeek')[0];
		const second = await runDeepSeek(pair, {
			parameters: reason({
				history: '={{ $json.messages }}',
				options: { systemMessage: 'Be brief.' },
			}),
			items: [{ json: { text: 'And times three?', messages: firstItem.json.messages } }],
		});
		expect(second.status).toBe('success');
		const secondItem = second.output('DeepSeek')[0];
		expect(secondItem.json.messages).toHaveLength(4);

		const sent = completions(pair.primary)[1].body as { messages: Array<Record<string, unknown>> };
		expect(sent.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
		expect(sent.messages.every((m) => !('reasoning_content' in m))).toBe(true);
	});

	it('accepts history as a JSON string and strips reasoning_content the API would reject', async () => {
		const history = JSON.stringify([
			{ role: 'user', content: 'Hi' },
			{ role: 'assistant', content: 'Hello', reasoning_content: 'they greeted me' },
		]);
		const result = await runDeepSeek(pair, { parameters: chat({ history }) });
		expect(result.status).toBe('success');
		const sent = completions(pair.primary)[0].body as { messages: unknown[] };
		expect(sent.messages).toEqual([
			{ role: 'user', content: 'Hi' },
			{ role: 'assistant', content: 'Hello' },
			{ role: 'user', content: 'Summarise this: the quick brown fox jumps.' },
		]);
	});

	it('returns the raw completion when Simplify Output is off', async () => {
		const result = await runDeepSeek(pair, { parameters: reason({ simplify: false }) });
		const [item] = result.output('DeepSeek');
		expect(item.json).toMatchObject({
			object: 'chat.completion',
			model: 'deepseek-reasoner',
			choices: [{ message: { role: 'assistant', reasoning_content: expect.any(String) } }],
		});
	});

	it('sends the options it was given, and only those', async () => {
		await runDeepSeek(pair, {
			parameters: chat({
				options: {
					temperature: 0.2,
					maxTokens: 5,
					stop: 'END, STOP',
					responseFormat: 'json_object',
					systemMessage: 'Answer in JSON',
				},
			}),
		});
		const body = completions(pair.primary)[0].body as Record<string, unknown>;
		expect(body).toMatchObject({
			temperature: 0.2,
			max_tokens: 5,
			stop: ['END', 'STOP'],
			response_format: { type: 'json_object' },
		});
		expect(body).not.toHaveProperty('top_p');
	});

	it('keeps input order and pairing across many items sent at once', async () => {
		pair.primary.configure({ latencyMs: 20 });
		const items = Array.from({ length: 25 }, (_, index) => ({
			json: { text: `Item number ${index}` },
		}));
		const result = await runDeepSeek(pair, {
			parameters: chat({ options: { concurrency: 5 } }),
			items,
		});
		pair.primary.configure({ latencyMs: 0 });
		const output = result.output('DeepSeek');
		expect(output).toHaveLength(25);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.content).toContain(`Item number ${index}`);
		});
		expect(pair.primary.stats().maxInFlight).toBeLessThanOrEqual(5);
		expect(pair.primary.stats().maxInFlight).toBeGreaterThan(1);
	});

	describe('failover', () => {
		it('answers from the backup when the primary refuses connections', async () => {
			const result = await runDeepSeek(pair, {
				parameters: chat(),
				credentials: { baseUrl: await refusedUrl() },
			});
			expect(result.status).toBe('success');
			expect(result.output('DeepSeek')[0].json.endpoint).toBe('failover');
			expect(completions(pair.backup)).toHaveLength(1);
		});

		it('retries a 503 primary once, then answers from the backup', async () => {
			pair.primary.setFault({ type: '503' });
			const result = await runDeepSeek(pair, { parameters: chat() });
			expect(result.output('DeepSeek')[0].json.endpoint).toBe('failover');
			expect(completions(pair.primary)).toHaveLength(2);
			expect(completions(pair.backup)).toHaveLength(1);
		});

		it('fails over when the primary hangs past the timeout', async () => {
			pair.primary.setFault({ type: 'hang' });
			const started = Date.now();
			const result = await runDeepSeek(pair, {
				parameters: chat({ options: { timeout: 1000 } }),
			});
			expect(result.output('DeepSeek')[0].json.endpoint).toBe('failover');
			expect(Date.now() - started).toBeLessThan(5000);
		});

		it('does not fail over when Failover is off', async () => {
			pair.primary.setFault({ type: '503' });
			const result = await runDeepSeek(pair, {
				parameters: chat({ options: { failover: false, maxRetries: 0 } }),
			});
			expect(result.status).toBe('error');
			expect(completions(pair.backup)).toHaveLength(0);
		});

		it('never fails over on 401 and says to check the key, without the key', async () => {
			const result = await runDeepSeek(pair, {
				parameters: chat(),
				credentials: { apiKey: 'sk-wrong-key-abcdef123456' },
			});
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(/rejected the API key/);
			expect(result.error?.description).toMatch(/Check the API key/);
			expect(completions(pair.backup)).toHaveLength(0);
			expect(allText(result.error)).not.toContain('sk-wrong-key-abcdef123456');
			expect(allText(result.runData)).not.toContain('sk-wrong-key-abcdef123456');
		});

		it('never fails over on 402, and the remaining items fail fast', async () => {
			pair.primary.setFault({ type: '402' });
			const items = Array.from({ length: 10 }, (_, index) => ({ json: { text: `t${index}` } }));
			const result = await runDeepSeek(pair, {
				parameters: chat({ options: { concurrency: 1 } }),
				items,
				continueOnFail: true,
			});
			const output = result.output('DeepSeek');
			expect(output).toHaveLength(10);
			for (const [index, item] of output.entries()) {
				expect(item.pairedItem).toEqual({ item: index });
				expect(item.json.error).toMatch(/balance exhausted/);
				expect(item.json.message).toMatch(/Top up/);
			}
			expect(completions(pair.primary)).toHaveLength(1);
			expect(completions(pair.backup)).toHaveLength(0);
		});

		it('waits out a 429 at the same URL instead of failing over', async () => {
			pair.primary.setFault({ type: '429', retryAfter: 1, times: 1 });
			const result = await runDeepSeek(pair, { parameters: chat() });
			expect(result.output('DeepSeek')[0].json.endpoint).toBe('primary');
			expect(completions(pair.primary)).toHaveLength(2);
			expect(completions(pair.backup)).toHaveLength(0);
		});
	});

	describe('items and errors', () => {
		it('turns a failed item into an error item under Continue and goes on', async () => {
			const result = await runDeepSeek(pair, {
				parameters: chat({ history: '={{ $json.history }}' }),
				items: [
					{ json: { text: 'one' } },
					{ json: { text: 'two', history: [{ role: 'robot', content: 'x' }] } },
					{ json: { text: 'three' } },
				],
				continueOnFail: true,
			});
			const output = result.output('DeepSeek');
			expect(output.map((item) => item.pairedItem)).toEqual([
				{ item: 0 },
				{ item: 1 },
				{ item: 2 },
			]);
			expect(output[0].json.content).toContain('one');
			expect(output[1].json.error).toMatch(/History message 0 has the role "robot"/);
			expect(output[2].json.content).toContain('three');
		});

		it.each([
			['an empty prompt', chat({ prompt: '   ' }), /The prompt is empty/],
			['history that is not a list', chat({ history: '{"text":"hi"}' }), /History is an object/],
			['invalid history JSON', chat({ history: '[{"role":' }), /History is not valid JSON/],
			[
				'a model id with spaces from an expression',
				chat({ model: { __rl: true, mode: 'id', value: '={{ "deepseek chat" }}' } }),
				/model ID "deepseek chat" is not valid/,
			],
		])('stops on %s with an error naming the item', async (_name, parameters, message) => {
			const result = await runDeepSeek(pair, { parameters });
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(message);
			expect((result.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(0);
			expect(completions(pair.primary)).toHaveLength(0);
		});

		it('names the model ids MetaChat serves when it refuses the model, reading /models once', async () => {
			const result = await runDeepSeek(pair, {
				parameters: chat({ model: { __rl: true, mode: 'id', value: 'deepseek-v9-unknown' } }),
				items: [{ json: { text: 'one' } }, { json: { text: 'two' } }, { json: { text: 'three' } }],
				continueOnFail: true,
			});
			const output = result.output('DeepSeek');
			expect(output).toHaveLength(3);
			for (const [index, item] of output.entries()) {
				expect(item.pairedItem).toEqual({ item: index });
				expect(item.json.error).toBe('MetaChat rejected the request (400): Model Not Exist');
				expect(item.json.message).toMatch(
					/^MetaChat does not serve the model "deepseek-v9-unknown"\. Its \/models offers: deepseek-chat, deepseek-reasoner, .*deepseek-r1t2-chimera/,
				);
			}
			const lists = pair.primary.requests.filter((request) => request.path === '/v1/models');
			expect(lists).toHaveLength(1);
		});

		it('lets n8n refuse a literal model id with spaces before anything is sent', async () => {
			// n8n 2.x's engine names the parameter's issue; 1.x's only says the workflow has issues.
			await expect(
				runDeepSeek(pair, {
					parameters: chat({ model: { __rl: true, mode: 'id', value: 'deepseek chat' } }),
				}),
			).rejects.toThrow(ENGINE_MAJOR >= 2 ? /A model ID has no spaces/ : /The workflow has issues/);
			expect(completions(pair.primary)).toHaveLength(0);
		});

		it('stops within a second when the execution is cancelled', async () => {
			pair.primary.setFault({ type: 'hang' });
			const started = Date.now();
			const result = await runDeepSeek(pair, { parameters: chat(), cancelAfterMs: 300 });
			expect(Date.now() - started).toBeLessThan(1500);
			expect(result.status).toBe('canceled');
			expect(completions(pair.backup)).toHaveLength(0);
		});
	});

	it('streams the answer to a streaming webhook response, and the item is unchanged', async () => {
		const result = await runDeepSeek(pair, { parameters: reason(), streaming: true });
		const [item] = result.output('DeepSeek');
		const text = result.chunks
			.filter((chunk) => chunk.type === 'item')
			.map((chunk) => chunk.content)
			.join('');
		expect(text).toBe(item.json.content);
		expect(result.chunks[0].type).toBe('begin');
		expect(result.chunks.at(-1)?.type).toBe('end');
	});
});
