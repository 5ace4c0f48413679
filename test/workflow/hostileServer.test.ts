import type { ServerResponse } from 'http';

import { NodeConnectionTypes } from 'n8n-workflow';

import { MetaChatApi } from '../../credentials/MetaChatApi.credentials';
import { LmChatDeepSeek } from '../../nodes/LmChatDeepSeek/LmChatDeepSeek.node';
import { fetchModelIds } from '../../nodes/shared/transport/listModels';
import { runWorkflow } from '../harness';
import { directMetaChatHttp } from '../harness/metaChatHttp';
import { guardObjectPrototype } from '../harness/objectPrototype';
import { chunk, head, sseChunk, startRawServer, type RawServer } from '../harness/rawServer';
import { refusedUrl } from '../simulator/simulator';
import { aiNodesAvailable, LC, loadAiNode } from './aiNodes';
import {
	allText,
	API_KEY,
	chat,
	completions,
	CREDENTIALS,
	forgetDownPrimaries,
	PARIS,
	runDeepSeek,
	scriptBoth,
	useSimulatorPair,
	type RunOptions,
} from './fixtures';
import { lookupTool, toolHooks } from './toolNodes';

// Servers that break the protocol, answer strangely or send hostile data: byte by byte from a raw
// server (test/harness/rawServer.ts), or as faults and quirks of the simulator. Each case has a
// bounded, worded result and loses no item.

/** Whether any 8 characters of the key in a row stand anywhere in a text. */
function holdsKeyFragment(text: string): boolean {
	for (let i = 0; i + 8 <= API_KEY.length; i++) {
		if (text.includes(API_KEY.slice(i, i + 8))) return true;
	}
	return false;
}

const chatRequests = (raw: RawServer) => raw.paths.filter((path) => path.endsWith('/completions'));

/**
 * Servers that break the protocol in ways the simulator (which plays MetaChat honestly) never
 * does, written byte by byte: each case has a bounded, worded result, and loses no item.
 */
describe('a broken or hostile server, byte by byte, through n8n', () => {
	const pair = useSimulatorPair();
	let raw: RawServer;
	beforeAll(async () => {
		raw = await startRawServer();
	});
	afterEach(() => {
		raw.paths.length = 0;
	});
	afterAll(async () => await raw.close());

	/** The DeepSeek node with the raw server as its primary and the backup simulator behind it. */
	const run = async (options: Partial<RunOptions> & { parameters?: RunOptions['parameters'] }) =>
		await runDeepSeek(pair, {
			parameters: chat(),
			...options,
			credentials: { baseUrl: raw.url, ...options.credentials },
		});

	const failedItem = async (options: Record<string, unknown>, extra: Partial<RunOptions> = {}) => {
		const result = await run({ parameters: chat({ options }), continueOnFail: true, ...extra });
		const [item] = result.output('DeepSeek');
		expect(item.pairedItem).toEqual({ item: 0 });
		return {
			result,
			json: item.json as { error: string; message: string; details: Record<string, unknown> },
		};
	};

	describe('a 5xx whose error body breaks off or goes silent', () => {
		const brokenBody = () =>
			raw.handle((_request, response) => {
				head(response, 503);
				response.write('{"error":{"message":"overlo');
				setTimeout(() => response.socket?.destroy(), 20);
			});
		const silentBody = () =>
			raw.handle((_request, response) => {
				head(response, 503);
				response.write('{"error":{"message":"overlo');
			});

		it('is a server failure: retried once, then the backup answers', async () => {
			brokenBody();
			const result = await run({});
			const [item] = result.output('DeepSeek');
			expect(item.json.endpoint).toBe('failover');
			expect(item.json.content).toMatch(/^\[simulated deepseek-chat\]/);
			expect(chatRequests(raw)).toHaveLength(2);
			expect(completions(pair.backup)).toHaveLength(1);
		});

		it('goes silent: the status still decides, and the backup answers', async () => {
			silentBody();
			const result = await run({ parameters: chat({ options: { timeout: 1000 } }) });
			const [item] = result.output('DeepSeek');
			expect(item.json.endpoint).toBe('failover');
			expect(chatRequests(raw)).toHaveLength(2);
		});

		it('without failover, says the server failed with its status, not a raw Node error', async () => {
			brokenBody();
			const { json } = await failedItem({ failover: false, maxRetries: 0 });
			expect(json.error).toBe(
				'MetaChat could not answer (503): status 503 (the error message broke off before it arrived)',
			);
			expect(json.details).toMatchObject({ status: 503, retryable: true });
		});

		it('in the model list: the backup’s list comes instead', async () => {
			brokenBody();
			const ids = await fetchModelIds(directMetaChatHttp(API_KEY), {
				apiKey: API_KEY,
				baseUrl: raw.url,
				failoverBaseUrl: pair.backup.url,
			});
			expect(ids).toEqual(expect.arrayContaining(['deepseek-chat', 'deepseek-reasoner']));
		});

		(aiNodesAvailable ? it : it.skip)(
			'under the chat model sub-node in a Basic LLM Chain: the backup answers',
			async () => {
				brokenBody();
				const result = await runWorkflow({
					nodeTypes: {
						'n8n-nodes-metachat.lmChatDeepSeek': new LmChatDeepSeek(),
						[`${LC}.chainLlm`]: loadAiNode('chains/ChainLLM/ChainLlm.node.js', 'ChainLlm'),
					},
					credentialTypes: { metaChatApi: new MetaChatApi() },
					credentials: {
						metaChatApi: { apiKey: API_KEY, baseUrl: raw.url, failoverBaseUrl: pair.backup.url },
					},
					items: [{ json: { chatInput: 'Say hello' } }],
					nodes: [
						{
							name: 'Chain',
							type: `${LC}.chainLlm`,
							typeVersion: 1.7,
							parameters: { promptType: 'define', text: '={{ $json.chatInput }}' },
						},
					],
					subNodes: [
						{
							node: {
								name: 'Model',
								type: 'n8n-nodes-metachat.lmChatDeepSeek',
								typeVersion: 1,
								parameters: {
									model: { __rl: true, mode: 'list', value: 'deepseek-chat' },
									options: {},
								},
								credentials: CREDENTIALS,
							},
							to: 'Chain',
							type: NodeConnectionTypes.AiLanguageModel,
						},
					],
				});
				expect(result.error).toBeUndefined();
				expect(String(result.output('Chain')[0].json.text)).toMatch(/^\[simulated deepseek-chat\]/);
				expect(chatRequests(raw)).toHaveLength(2);
			},
		);
	});

	describe('the key in a long error, never a fragment of it', () => {
		// The key straddles the 500-character cut of a server's words: 10 of its characters before it.
		const before = (prefix = '') => 'x'.repeat(490 - prefix.length);

		it.each([
			[
				'a 500 text body',
				(response: ServerResponse) => {
					head(response, 500, 'text/plain');
					response.end(`${before()}${API_KEY} and more words after it`);
				},
			],
			[
				'a 400 JSON error quoting the key',
				(response: ServerResponse) => {
					head(response, 400);
					response.end(
						JSON.stringify({
							error: {
								message: `Incorrect API key provided: ${before('Incorrect API key provided: ')}${API_KEY}`,
							},
						}),
					);
				},
			],
			[
				'an error event inside a stream',
				(response: ServerResponse) => {
					head(response, 200, 'text/event-stream');
					sseChunk(response, chunk({ role: 'assistant', content: 'Hel' }));
					sseChunk(response, { error: { message: `${before()}${API_KEY} was refused` } });
					response.end();
				},
			],
			[
				'a masked key in a 401',
				(response: ServerResponse) => {
					head(response, 401);
					const masked = `${API_KEY.slice(0, 12)}****${API_KEY.slice(-4)}`;
					response.end(JSON.stringify({ error: { message: `Incorrect API key: ${masked}` } }));
				},
			],
		])('%s', async (_, answer) => {
			raw.handle((_request, response) => answer(response));
			const { result, json } = await failedItem({ failover: false, maxRetries: 0 });
			expect(json.error).toMatch(/MetaChat/);
			expect(holdsKeyFragment(allText(result.run))).toBe(false);
		});
	});

	describe('everything an answer accumulates is bounded', () => {
		it('an event of many data lines with no blank line ends at once', async () => {
			raw.handle((_request, response) => {
				head(response, 200, 'text/event-stream');
				const line = `data: ${'y'.repeat(64 * 1024)}\n`;
				let written = 0;
				// At most 16 MiB, written as fast as the client reads; it stops when the client leaves.
				const more = () => {
					while (written < 256) {
						written++;
						if (!response.write(line)) return void response.once('drain', more);
					}
					response.end();
				};
				response.on('close', () => (written = Infinity));
				more();
			});
			const { json } = await failedItem({ failover: false, maxRetries: 0 });
			expect(json.error).toMatch(/larger than one event of 4 MiB and was cut off/);
		});

		it.each([
			[
				'names',
				(i: number) => ({ index: i, id: `call_${i}`, function: { name: 'n'.repeat(3 << 20) } }),
			],
			['ids', (i: number) => ({ index: i, id: 'i'.repeat(3 << 20), function: { name: 'Lookup' } })],
		])('tool-call %s count towards the 8 Mi-character bound', async (_, call) => {
			raw.handle((_request, response) => {
				head(response, 200, 'text/event-stream');
				for (let i = 0; i < 3; i++) sseChunk(response, chunk({ tool_calls: [call(i)] }));
				sseChunk(response, chunk({}, 'tool_calls'));
				response.end('data: [DONE]\n\n');
			});
			const { json } = await failedItem({ failover: false, maxRetries: 0 });
			expect(json.error).toMatch(/larger than 8 Mi characters and was cut off/);
		});
	});

	describe('an answer that broke off after part of it was streamed', () => {
		it('is not asked again: the item fails, saying how much had arrived', async () => {
			pair.primary.setFault({ type: 'reset-mid', times: 1 });
			const result = await runDeepSeek(pair, {
				parameters: chat(),
				streaming: true,
				continueOnFail: true,
			});
			const [item] = result.output('DeepSeek');
			expect(item.json.error).toMatch(
				/^The answer broke off while it was being streamed: \d+ characters had been streamed when it broke off/,
			);
			expect(completions(pair.primary)).toHaveLength(1);
			expect(completions(pair.backup)).toHaveLength(0);
			expect(result.chunks.at(-1)?.type).toBe('error');
		});

		it('going silent after some text: no failover either', async () => {
			raw.handle((_request, response) => {
				head(response, 200, 'text/event-stream');
				sseChunk(response, chunk({ role: 'assistant', content: 'The answer starts' }));
			});
			const result = await run({
				parameters: chat({ options: { timeout: 1000 } }),
				streaming: true,
				continueOnFail: true,
			});
			expect(result.output('DeepSeek')[0].json.error).toMatch(/17 characters had been streamed/);
			expect(chatRequests(raw)).toHaveLength(1);
			expect(completions(pair.backup)).toHaveLength(0);
		});

		it('without a streaming caller, is retried, and the output says it took two attempts', async () => {
			pair.primary.setFault({ type: 'reset-mid', times: 1 });
			const result = await runDeepSeek(pair, { parameters: chat() });
			const [item] = result.output('DeepSeek');
			expect(item.json).toMatchObject({ endpoint: 'primary', attempts: 2, finish_reason: 'stop' });
		});
	});

	it('when both URLs fail, tells each URL’s failure', async () => {
		raw.handle((_request, response) => {
			head(response, 503);
			response.end(JSON.stringify({ error: { message: 'primary overloaded' } }));
		});
		const backup = await refusedUrl();
		const { json } = await failedItem(
			{ maxRetries: 0 },
			{ credentials: { baseUrl: raw.url, failoverBaseUrl: backup } },
		);
		expect(json.error).toBe(
			`Neither MetaChat URL could answer: the primary URL (${raw.url}) answered 503: primary overloaded; the failover URL (${backup}) could not connect: the connection was refused`,
		);
		expect(json.details.urls).toEqual([
			{ endpoint: 'primary', url: raw.url, status: 503, code: null, message: 'primary overloaded' },
			{
				endpoint: 'failover',
				url: backup,
				status: null,
				code: 'ECONNREFUSED',
				message: 'Could not connect: the connection was refused',
			},
		]);
	});

	describe('a 200 with nothing usable in it', () => {
		it('a choice without a message is a failure, and the backup answers', async () => {
			raw.handle((_request, response) => {
				head(response, 200);
				response.end(JSON.stringify({ id: 'x', model: 'deepseek-chat', choices: [{}] }));
			});
			const { json } = await failedItem({ failover: false, maxRetries: 0 });
			expect(json.error).toBe(
				'MetaChat sent an incomplete or invalid answer: The answer held no message',
			);
			const result = await run({});
			expect(result.output('DeepSeek')[0].json.endpoint).toBe('failover');
		});

		it('fields of the wrong type are ignored, never reshaped', async () => {
			raw.handle((_request, response) => {
				head(response, 200, 'text/event-stream');
				sseChunk(response, chunk({ content: 42, tool_calls: 'x' }));
				sseChunk(response, { ...chunk({}, 'stop'), usage: [1, 2] });
				response.end('data: [DONE]\n\n');
			});
			const { json } = await failedItem({ failover: false, maxRetries: 0 });
			expect(json.error).toMatch(/The answer held no message/);

			raw.handle((_request, response) => {
				head(response, 200, 'text/event-stream');
				sseChunk(response, chunk({ role: 'assistant', content: 'Fine', tool_calls: 'x' }));
				sseChunk(response, { ...chunk({}, 'stop'), usage: [1, 2] });
				response.end('data: [DONE]\n\n');
			});
			const result = await run({ parameters: chat({ options: { failover: false } }) });
			expect(result.output('DeepSeek')[0].json).toMatchObject({ content: 'Fine', usage: null });
		});
	});
});

type Sent = { messages: Array<{ role: string; tool_calls?: Array<Record<string, unknown>> }> };

/** Servers that answer strangely, slowly or with too much: each has a defined, bounded result. */
describe('an odd or hostile server through n8n', () => {
	const pair = useSimulatorPair();
	afterEach(() => {
		for (const sim of [pair.primary, pair.backup]) {
			sim.configure({ streamQuirks: [], tokenDelayMs: 0, replyTokens: undefined });
			sim.scriptTools(null);
		}
		forgetDownPrimaries();
	});

	const failed = async (options: Record<string, unknown>) => {
		const result = await runDeepSeek(pair, {
			parameters: chat({ options }),
			continueOnFail: true,
		});
		const [item] = result.output('DeepSeek');
		expect(item.pairedItem).toEqual({ item: 0 });
		return item.json as { error: string; message: string; details: Record<string, unknown> };
	};

	it('quotes a 502 HTML error page by its title, never whole, and fails over', async () => {
		pair.primary.setFault({ type: 'html502' });
		const off = await failed({ failover: false });
		expect(off.error).toBe(
			'MetaChat could not answer (502): an HTML error page ("simulated-cdn.example | 502: Bad gateway") with status 502',
		);
		expect(allText(off).length).toBeLessThan(2000);
		const on = await runDeepSeek(pair, { parameters: chat() });
		expect(on.output('DeepSeek')[0].json.endpoint).toBe('failover');
	});

	it('cuts off an answer larger than it keeps, and the backup answers instead', async () => {
		pair.primary.setFault({ type: 'oversized', sizeBytes: 24 * 1024 * 1024 });
		const off = await failed({ failover: false, maxRetries: 0 });
		expect(off.error).toMatch(/larger than 8 Mi characters and was cut off/);
		pair.primary.setFault({ type: 'oversized', sizeBytes: 24 * 1024 * 1024 });
		const on = await runDeepSeek(pair, { parameters: chat({ options: { maxRetries: 0 } }) });
		expect(on.output('DeepSeek')[0].json.endpoint).toBe('failover');
	});

	it('abandons a stream line that never ends', async () => {
		pair.primary.setFault({ type: 'oversized', sizeBytes: 6 * 1024 * 1024, longLine: true });
		const off = await failed({ failover: false, maxRetries: 0 });
		expect(off.error).toMatch(/larger than one line of 4 MiB/);
	});

	it('reads a stream that repeats the tool name in every chunk and sends no tool-call ids as OpenAI’s SDK does', async () => {
		for (const sim of [pair.primary, pair.backup]) {
			sim.configure({ streamQuirks: ['repeatToolName', 'omitToolCallIds'] });
		}
		scriptBoth(pair, PARIS);
		const result = await runDeepSeek(pair, {
			parameters: chat(),
			items: [{ json: { text: 'Weather in Paris?' } }],
			tools: [lookupTool()],
		});
		expect(result.error).toBeUndefined();
		const [item] = result.output('DeepSeek');
		expect(item.json.content).toMatch(/Tool results: Lookup said/);
		const second = completions(pair.primary)[1].body as Sent;
		const call = second.messages[1].tool_calls?.[0] as {
			id: string;
			function: { name: string };
		};
		expect(call.function.name).toBe('Lookup');
		expect(call.id).toMatch(/^call_[0-9a-f-]{36}$/);
		expect(second.messages[2]).toMatchObject({ role: 'tool', tool_call_id: call.id });
	});

	it('treats a stream without finish_reason as incomplete, as OpenAI’s SDK does', async () => {
		pair.primary.configure({ streamQuirks: ['noFinishReason'] });
		const off = await failed({ failover: false });
		expect(off.error).toMatch(/incomplete or invalid answer: The answer stream ended before/);
		expect(completions(pair.primary)).toHaveLength(2);
	});

	it('fails a live answer when it runs past Timeout (given as text), not at the Item Timeout, without failing over or opening the breaker', async () => {
		pair.primary.configure({ replyTokens: 60, tokenDelayMs: 50 });
		const started = Date.now();
		const live = await failed({ timeout: '={{ "1500" }}', itemTimeout: 6000 });
		expect(live.error).toMatch(/took longer than the Timeout option allows/);
		expect(Date.now() - started).toBeLessThan(2800);
		expect(live.details).toMatchObject({ endpoint: 'primary', failover: false, attempts: 1 });
		expect(completions(pair.backup)).toHaveLength(0);
		// The breaker was left alone: the next item still goes to the primary.
		pair.primary.configure({ replyTokens: undefined, tokenDelayMs: 0 });
		const next = await runDeepSeek(pair, { parameters: chat() });
		expect(next.output('DeepSeek')[0].json.endpoint).toBe('primary');
	});

	it('redacts the key from an error message inside a stream', async () => {
		pair.primary.setFault({ type: 'stream-error' });
		const result = await runDeepSeek(pair, {
			parameters: chat({ options: { failover: false, maxRetries: 0 } }),
			continueOnFail: true,
		});
		const [item] = result.output('DeepSeek');
		expect(item.json.error).toMatch(/Upstream failed for api key \[redacted\]/);
		expect(allText(result.runData)).not.toContain(API_KEY);
	});

	it('fails over when the body goes silent after the headers', async () => {
		pair.primary.configure({ replyTokens: 5, tokenDelayMs: 3000 });
		const result = await runDeepSeek(pair, { parameters: chat({ options: { timeout: 1000 } }) });
		expect(result.output('DeepSeek')[0].json.endpoint).toBe('failover');
	});
});

describe('a server that refuses a parameter sent by default', () => {
	const pair = useSimulatorPair();
	afterEach(() => pair.primary.configure({ rejectParams: [] }));

	it('names the parameter and the option that leaves it out, and does not fail over', async () => {
		pair.primary.configure({ rejectParams: ['thinking'] });
		const result = await runDeepSeek(pair, { parameters: chat(), continueOnFail: true });
		const [item] = result.output('DeepSeek');
		expect(item.json.error).toMatch(/rejected the request \(400\): Unknown parameter: thinking/);
		expect(item.json.message).toBe(
			'MetaChat does not accept the `thinking` parameter that this node sends; set Options > Thinking to Model Default to leave it out.',
		);
		expect(completions(pair.backup)).toHaveLength(0);
		// And the option it names does leave it out.
		const fixed = await runDeepSeek(pair, { parameters: chat({ options: { thinking: 'model' } }) });
		expect(fixed.output('DeepSeek')[0].json.error).toBeUndefined();
		expect(completions(pair.primary).at(-1)?.body).not.toHaveProperty('thinking');
	});
});

describe('a hostile server answer through n8n', () => {
	const pair = useSimulatorPair();
	const prototypeBefore = guardObjectPrototype();
	afterEach(() => {
		pair.primary.configure({ hostileKeys: false });
		pair.primary.scriptTools(null);
		toolHooks.onCall = undefined;
	});
	const untouched = () => {
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(typeof {}.toString).toBe('function');
		expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(prototypeBefore);
	};

	it.each([
		['a tool round', false],
		['a tool round, streamed', true],
	])(
		'changes nothing outside the answer when usage holds __proto__ and constructor keys (%s)',
		async (_name, streaming) => {
			pair.primary.configure({ hostileKeys: true });
			pair.primary.scriptTools(PARIS);
			const result = await runDeepSeek(pair, {
				parameters: chat(),
				items: [{ json: { text: 'Weather in Paris?' } }],
				tools: [lookupTool()],
				streaming,
			});
			untouched();
			expect(result.error).toBeUndefined();
			const [item] = result.output('DeepSeek');
			const usage = item.json.usage as Record<string, unknown>;
			expect(Object.keys(usage)).not.toContain('__proto__');
			expect(Object.keys(usage)).not.toContain('constructor');
			expect(usage.total_tokens).toEqual(expect.any(Number));
			expect(completions(pair.primary)).toHaveLength(2);
		},
	);

	it('keeps the raw answer free of those keys too', async () => {
		pair.primary.configure({ hostileKeys: true });
		const result = await runDeepSeek(pair, { parameters: chat({ simplify: false }) });
		untouched();
		const usage = (result.output('DeepSeek')[0].json as { usage: object }).usage;
		expect(Object.getOwnPropertyNames(usage)).not.toContain('__proto__');
		expect(Object.getPrototypeOf(usage)).toBe(Object.prototype);
	});
});
