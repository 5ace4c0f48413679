import type { ServerResponse } from 'http';

import { NodeConnectionTypes } from 'n8n-workflow';

import { MetaChatApi } from '../../credentials/MetaChatApi.credentials';
import { LmChatDeepSeek } from '../../nodes/LmChatDeepSeek/LmChatDeepSeek.node';
import { fetchModelIds } from '../../nodes/shared/transport/listModels';
import { runWorkflow } from '../harness';
import { directMetaChatHttp } from '../harness/metaChatHttp';
import { sseChunk, startRawServer, type RawServer } from '../harness/rawServer';
import { refusedUrl } from '../simulator/simulator';
import { aiNodesAvailable, LC, loadAiNode } from './aiNodes';
import {
	allText,
	API_KEY,
	chat,
	completions,
	CREDENTIALS,
	runDeepSeek,
	useSimulatorPair,
	type RunOptions,
} from './fixtures';

/** Whether any 8 characters of the key in a row stand anywhere in a text. */
function holdsKeyFragment(text: string): boolean {
	for (let i = 0; i + 8 <= API_KEY.length; i++) {
		if (text.includes(API_KEY.slice(i, i + 8))) return true;
	}
	return false;
}

const chatRequests = (raw: RawServer) => raw.paths.filter((path) => path.endsWith('/completions'));

const head = (response: ServerResponse, status: number, type = 'application/json') =>
	response.writeHead(status, { 'content-type': type });

/** A streamed answer's envelope, with one choice. */
const chunk = (delta: unknown, finish: string | null = null) => ({
	id: 'raw-1',
	object: 'chat.completion.chunk',
	created: 1,
	model: 'deepseek-chat',
	choices: [{ index: 0, delta, finish_reason: finish }],
});

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
			['names', (i: number) => ({ index: i, id: `call_${i}`, function: { name: 'n'.repeat(3 << 20) } })],
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
			expect(json.error).toBe('MetaChat sent an incomplete or invalid answer: The answer held no message');
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
