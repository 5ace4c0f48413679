import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { LmChatDeepSeek } from '../../nodes/LmChatDeepSeek/LmChatDeepSeek.node';
import { runWorkflow } from '../harness';
import type { Fault, Tuning } from '../simulator/simulator';
import { LC, loadAiNode, subNodeCasesRun } from './aiNodes';
import {
	allText,
	API_KEY,
	chat,
	completions,
	PARIS,
	reason,
	runDeepSeek,
	scriptBoth,
	useSimulatorPair,
	type SimulatorPair,
	chatModelNode,
	MODEL_TYPE,
	metaChatCredential,
} from './fixtures';
import { lookupTool } from './toolNodes';

// What DeepSeek and the OpenAI-compatible gateways resellers run really send (issue 31), served
// by the simulator's real shapes (test/simulator/realShapes.js), through both nodes.

const both = (pair: SimulatorPair, tuning: Partial<Tuning>) => {
	pair.primary.configure(tuning);
	pair.backup.configure(tuning);
};
const plain = { realShapes: [], lineEnding: 'lf' } as Partial<Tuning>;

type Output = IDataObject & {
	content: string;
	reasoning_content?: string;
	usage: Record<string, unknown>;
	toolCalls?: unknown;
	finish_reason: string;
	notice?: string;
	attempts: number;
	endpoint: string;
};

describe('the DeepSeek node on the shapes real traffic has', () => {
	const pair = useSimulatorPair();
	afterEach(() => both(pair, plain));

	const first = async (parameters: IDataObject, extra: { tools?: boolean } = {}) => {
		const result = await runDeepSeek(pair, {
			parameters,
			items: [{ json: { text: 'What is the weather in Paris?' } }],
			...(extra.tools && { tools: [lookupTool()] }),
		});
		expect(result.error).toBeUndefined();
		return result.output('DeepSeek')[0].json as Output;
	};

	describe.each([
		['DeepSeek’s own stream (usage: null on every chunk, nulls beside content)', 'deepseekStream'],
		[
			'another host’s stream (role and tool_calls null, reasoning_tokens at the top)',
			'gatewayNulls',
		],
	] as const)('%s', (_, shape) => {
		it('gives the content, reasoning and usage the plain stream gives', async () => {
			const before = await first(reason());
			both(pair, { realShapes: [shape] });
			const after = await first(reason());
			expect(after.content).toBe(before.content);
			expect(after.reasoning_content).toBe(before.reasoning_content);
			expect(after.finish_reason).toBe('stop');
			// DeepSeek's usage: the reasoning tokens in completion_tokens_details, whichever host.
			expect(after.usage).toMatchObject({
				prompt_tokens: before.usage.prompt_tokens,
				completion_tokens: before.usage.completion_tokens,
				total_tokens: before.usage.total_tokens,
				completion_tokens_details: before.usage.completion_tokens_details,
			});
			if (shape === 'gatewayNulls') expect(after.usage).not.toHaveProperty('prompt_tokens_details');
			else expect(after.usage.prompt_tokens_details).toEqual({ cached_tokens: 0 });
		});

		it('gives the tool calls the plain stream gives, arguments arriving in small pieces', async () => {
			scriptBoth(pair, PARIS);
			const before = await first(reason(), { tools: true });
			scriptBoth(pair, PARIS);
			both(pair, { realShapes: [shape] });
			const after = await first(reason(), { tools: true });
			expect(after.toolCalls).toEqual(before.toolCalls);
			expect(after.content).toBe(before.content);
			const sent = (completions(pair.primary).at(-1)!.body as { messages: IDataObject[] }).messages;
			const call = sent.find((message) => message.tool_calls) as {
				tool_calls: Array<{ id: string; function: { arguments: string } }>;
			};
			expect(call.tool_calls[0].function.arguments).toBe('{"city":"Paris"}');
			if (shape === 'deepseekStream') expect(call.tool_calls[0].id).toMatch(/^call_00_/);
		});

		it('reads deepseek-chat, whose usage has no completion_tokens_details', async () => {
			both(pair, { realShapes: [shape] });
			const answer = await first(chat({ options: { thinking: 'disabled' } }));
			expect(answer.content).toMatch(/^\[simulated deepseek-chat\]/);
			expect(answer).not.toHaveProperty('reasoning_content');
			expect(answer.usage.total_tokens).toBeGreaterThan(0);
		});
	});

	it('keeps an answer that thinking left empty (content "", finish_reason length) a success, with a hint naming the fix', async () => {
		both(pair, { realShapes: ['reasoningInMaxTokens'] });
		const result = await runDeepSeek(pair, {
			parameters: reason({ options: { maxTokens: 5 } }),
			items: [{ json: { text: 'one' } }, { json: { text: 'two' } }],
		});
		expect(result.error).toBeUndefined();
		const items = result.output('DeepSeek').map((item) => item.json as Output);
		const notice =
			'The answer is empty: the model used the whole token budget thinking (finish_reason "length"). Raise Options > Maximum Number of Tokens, or set Options > Reasoning Effort lower, and run it again.';
		for (const item of items) {
			expect(item).toMatchObject({ content: '', finish_reason: 'length', notice });
			expect(item.reasoning_content).toMatch(/^\[simulated reasoning\]/);
		}
		expect(result.runData.DeepSeek[0].hints).toEqual([
			{ type: 'warning', location: 'outputPane', message: notice },
		]);
	});

	describe('error bodies', () => {
		const failed = async (fault: Fault, options: IDataObject = {}, items = 1) => {
			pair.primary.setFault(fault);
			const result = await runDeepSeek(pair, {
				parameters: chat({ options: { concurrency: 1, ...options } }),
				items: Array.from({ length: items }, (_, index) => ({ json: { text: `t${index}` } })),
				continueOnFail: true,
			});
			return result.output('DeepSeek').map((item) => item.json as Record<string, string>);
		};

		it("quotes DeepSeek's own 401 (type and code differ), never failing over", async () => {
			const [item] = await failed({ type: 'deepseek-401' });
			expect(item.error).toBe(
				`MetaChat rejected the API key (401): Authentication Fails, Your api key: ****${API_KEY.slice(-4)} is invalid`,
			);
			expect(completions(pair.backup)).toHaveLength(0);
		});

		it('words DeepSeek’s 402 as the balance, and the other items fail fast', async () => {
			const items = await failed({ type: 'deepseek-402' }, {}, 3);
			expect(items.map((item) => item.error)).toEqual(
				Array(3).fill('MetaChat balance exhausted (402)'),
			);
			expect(completions(pair.primary)).toHaveLength(1);
			expect(completions(pair.backup)).toHaveLength(0);
		});

		it.each([
			[
				'a one-api 401 saying the token’s quota is used up',
				{ type: 'gateway-401-quota', errorType: 'one_api_error' },
				401,
				'该令牌额度已用尽',
			],
			[
				'a new-api 403 insufficient_user_quota, in Chinese',
				{ type: 'gateway-403-quota' },
				403,
				'用户额度不足',
			],
			[
				'a 403 insufficient_user_quota, in English',
				{ type: 'gateway-403-quota', english: true },
				403,
				'user quota is not enough',
			],
			[
				'a 429 whose code is insufficient_quota',
				{ type: 'gateway-429-quota' },
				429,
				'the quota of this token is used up',
			],
		] as Array<[string, Fault, number, string]>)(
			'words %s as a used-up quota: not retried, never failed over, the other items fail fast',
			async (_, fault, status, words) => {
				const items = await failed(fault, { maxRetries: 2 }, 3);
				for (const item of items) {
					expect(item.error).toMatch(
						new RegExp(
							`^MetaChat says the balance or quota of this key is used up \\(${status}\\): ${words}.* \\(request id: `,
						),
					);
					expect(item.message).toMatch(
						/^Top up the MetaChat balance, or raise this key's \(token's\) quota in the MetaChat console/,
					);
				}
				expect(completions(pair.primary)).toHaveLength(1);
				expect(completions(pair.backup)).toHaveLength(0);
			},
		);

		it.each(['gateway-503-no-channel', 'gateway-503-model-not-found'])(
			'fails over on a gateway’s %s',
			async (type) => {
				pair.primary.setFault({ type: type as Fault['type'] });
				const result = await runDeepSeek(pair, {
					parameters: chat({ options: { maxRetries: 0 } }),
				});
				expect(result.output('DeepSeek')[0].json.endpoint).toBe('failover');
			},
		);

		it('waits on the gateway’s "upstream saturated" 429 as on a 429, and the retry answers', async () => {
			pair.primary.setFault({ type: 'gateway-429-saturated', times: 1 });
			const result = await runDeepSeek(pair, { parameters: chat() });
			const [item] = result.output('DeepSeek');
			expect(item.json).toMatchObject({ endpoint: 'primary', attempts: 2 });
			expect(completions(pair.backup)).toHaveLength(0);
		});

		it('words a saturated upstream that does not clear as the gateway’s, quoting it, not as the user’s rate limit', async () => {
			// The longest backoffs (1 s, then 2 s): the second wait would pass the Item Timeout, so
			// the item ends on the gateway's answer, half a second before its deadline.
			const random = jest.spyOn(Math, 'random').mockReturnValue(0.9999);
			const [item] = await failed({ type: 'gateway-429-saturated' }, { itemTimeout: 1500 }).finally(
				() => random.mockRestore(),
			);
			expect(completions(pair.primary)).toHaveLength(2);
			expect(item.error).toMatch(
				/^MetaChat's gateway kept answering that its upstream is busy \(429\): 当前分组上游负载已饱和，请稍后再试 \(request id: /,
			);
			expect(item.message).not.toMatch(/Concurrency/);
			expect(completions(pair.backup)).toHaveLength(0);
		});
	});

	describe('finish_reason insufficient_system_resource', () => {
		it('is asked again whole where nobody read any of it, and the second answer comes', async () => {
			pair.primary.setFault({ type: 'insufficient-system-resource', times: 1 });
			const answer = await first(chat());
			expect(answer).toMatchObject({ endpoint: 'primary', attempts: 2, finish_reason: 'stop' });
			expect(answer.content).toMatch(
				/^\[simulated deepseek-chat\] Summary: What is the weather in Paris\?$/,
			);
		});

		it('fails over as a 5xx does', async () => {
			pair.primary.setFault({ type: 'insufficient-system-resource' });
			const answer = await first(chat({ options: { maxRetries: 1 } }));
			expect(answer.endpoint).toBe('failover');
			expect(completions(pair.primary)).toHaveLength(2);
		});

		it('is worded where nothing else answers', async () => {
			pair.primary.setFault({ type: 'insufficient-system-resource' });
			const result = await runDeepSeek(pair, {
				parameters: chat({ options: { maxRetries: 0, failover: false } }),
				continueOnFail: true,
			});
			expect(result.output('DeepSeek')[0].json.error).toBe(
				'MetaChat could not answer: The answer was cut off: DeepSeek ran short of resources (finish_reason insufficient_system_resource)',
			);
		});
	});

	describe('a stream error in another shape', () => {
		it.each([
			['as text, data: {"error": "…"}', 'stream-error-text'],
			['as an event: error whose data is {"message": …}', 'stream-error-event'],
		])('%s quotes the server’s words', async (_, type) => {
			pair.primary.setFault({ type: type as Fault['type'] });
			const result = await runDeepSeek(pair, {
				parameters: chat({ options: { maxRetries: 0, failover: false } }),
				continueOnFail: true,
			});
			expect(result.output('DeepSeek')[0].json.error).toMatch(
				/^MetaChat could not answer: The server reported an error mid-answer: upstream error: do request failed \(request id: /,
			);
		});
	});

	it.each(['cr', 'crlf'] as const)('reads a stream whose lines end in %s', async (lineEnding) => {
		const before = await first(reason());
		both(pair, { lineEnding, realShapes: ['deepseekStream'] });
		const after = await first(reason());
		expect(after).toMatchObject({
			content: before.content,
			reasoning_content: before.reasoning_content,
			endpoint: 'primary',
			attempts: 1,
		});
	});

	it('keeps the failover hint short however the primary’s messages differ: grouped, counted, one quoted', async () => {
		pair.primary.setFault({ type: 'gateway-503-no-channel' });
		const result = await runDeepSeek(pair, {
			parameters: chat({ options: { maxRetries: 0, concurrency: 20 } }),
			items: Array.from({ length: 20 }, (_, index) => ({ json: { text: `t${index}` } })),
		});
		expect(result.error).toBeUndefined();
		expect(result.output('DeepSeek').every((item) => item.json.endpoint === 'failover')).toBe(true);
		const [hint] = result.runData.DeepSeek[0].hints ?? [];
		expect(hint.message.match(/request id/g)).toHaveLength(1);
		expect(hint.message.length).toBeLessThan(500);
		expect(hint.message).toMatch(/answered 503/);
		expect(hint.message).toMatch(/for 20 of 20 items\.$/);
	});
});

(subNodeCasesRun ? describe : describe.skip)(
	'the chat model sub-node on the shapes real traffic has',
	() => {
		const pair = useSimulatorPair();
		afterEach(() => both(pair, plain));

		/** The Basic LLM Chain with the sub-node, one item. */
		const runChain = async (model: string, options: INodeParameters = {}) =>
			await runWorkflow({
				nodeTypes: {
					[MODEL_TYPE]: new LmChatDeepSeek(),
					[`${LC}.chainLlm`]: loadAiNode('chains/ChainLLM/ChainLlm.node.js', 'ChainLlm'),
				},
				...metaChatCredential(pair),
				items: [{ json: { chatInput: 'What is the weather in Paris?' } }],
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
						node: chatModelNode(model, options),
						to: 'Chain',
						type: NodeConnectionTypes.AiLanguageModel,
					},
				],
			});
		const answered = async (model: string, options: INodeParameters = {}) => {
			const result = await runChain(model, options);
			expect(result.error).toBeUndefined();
			return { text: String(result.output('Chain')[0].json.text), result };
		};
		const usageLogged = (result: Awaited<ReturnType<typeof runChain>>) =>
			(result.runData['DeepSeek Model'][0].data?.ai_languageModel?.[0]?.[0]?.json as IDataObject)
				.tokenUsage;
		const errorOf = async (model: string, options: INodeParameters = {}) => {
			const result = await runChain(model, options);
			expect(result.error).toBeDefined();
			expect(allText(result.run)).not.toContain(API_KEY);
			return result.error!.message;
		};

		it.each(['deepseekStream', 'gatewayNulls'] as const)(
			'gives the answer and the usage the plain stream gives (%s)',
			async (shape) => {
				const before = await answered('deepseek-reasoner');
				both(pair, { realShapes: [shape] });
				const after = await answered('deepseek-reasoner');
				expect(after.text).toBe(before.text);
				expect(usageLogged(after.result)).toEqual(usageLogged(before.result));
			},
		);

		it('says in the log when thinking used the whole budget, naming Max Tokens and Reasoning Effort', async () => {
			both(pair, { realShapes: ['reasoningInMaxTokens'] });
			const warn = jest.spyOn(Container.get(Logger), 'warn');
			try {
				const { text } = await answered('deepseek-reasoner', { maxTokens: 5 });
				expect(text).toBe('');
				expect(warn).toHaveBeenCalledWith(
					expect.stringMatching(
						/^The answer is empty: the model used the whole token budget thinking \(finish_reason "length"\)\. Raise Options > Output: Maximum Number of Tokens, or set Options > Thinking: Reasoning Effort lower/,
					),
					expect.objectContaining({ node: 'DeepSeek Model' }),
				);
			} finally {
				warn.mockRestore();
			}
		});

		it('fails over on insufficient_system_resource, as on a 5xx', async () => {
			pair.primary.setFault({ type: 'insufficient-system-resource' });
			const { text } = await answered('deepseek-chat', { maxRetries: 1 });
			expect(text).toMatch(/^\[simulated deepseek-chat\]/);
			expect(completions(pair.primary)).toHaveLength(2);
			expect(completions(pair.backup)).toHaveLength(1);
		});

		it('words insufficient_system_resource where nothing else answers', async () => {
			pair.primary.setFault({ type: 'insufficient-system-resource' });
			expect(await errorOf('deepseek-chat', { maxRetries: 0, failover: false })).toBe(
				'MetaChat could not answer: The answer was cut off: DeepSeek ran short of resources (finish_reason insufficient_system_resource)',
			);
		});

		it.each([
			[
				'gateway-403-quota',
				/^MetaChat says the balance or quota of this key is used up \(403\): 用户额度不足/,
			],
			[
				'gateway-429-quota',
				/^MetaChat says the balance or quota of this key is used up \(429\): the quota/,
			],
			[
				'deepseek-401',
				/^MetaChat rejected the API key \(401\): Authentication Fails, Your api key: \*{4}/,
			],
		])('words %s with the server’s words, asking once', async (type, words) => {
			pair.primary.setFault({ type: type as Fault['type'] });
			expect(await errorOf('deepseek-chat', { maxRetries: 2 })).toMatch(words);
			expect(completions(pair.primary)).toHaveLength(1);
			expect(completions(pair.backup)).toHaveLength(0);
		});
	},
);
