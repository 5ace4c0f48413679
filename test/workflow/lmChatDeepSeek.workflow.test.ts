import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { LmChatDeepSeek } from '../../nodes/LmChatDeepSeek/LmChatDeepSeek.node';
import { runWorkflow, type SubNodeSpec } from '../harness';
import { aiNodesAvailable as available, aiNodeTypes, LANGCHAIN, LC } from './aiNodes';
import {
	chatModelNode,
	MODEL_TYPE,
	allText,
	useSimulatorPair,
	type SimulatorPair,
	metaChatCredential,
} from './fixtures';

if (!available) console.warn(`n8n's AI nodes not found in ${LANGCHAIN}: engine tests skipped`);

function nodeTypes() {
	return {
		[MODEL_TYPE]: new LmChatDeepSeek(),
		...aiNodeTypes(
			'agent',
			'toolCalculator',
			'memoryBufferWindow',
			'chainLlm',
			'chainSummarization',
			'informationExtractor',
			'textClassifier',
		),
	};
}

function modelNode(model: string, options: INodeParameters = {}): SubNodeSpec['node'] {
	return chatModelNode(model, options);
}

interface Flow {
	root: { name: string; type: string; typeVersion: number; parameters: INodeParameters };
	model?: string;
	modelOptions?: INodeParameters;
	tool?: boolean;
	/** A window memory; a string is its session key. */
	memory?: boolean | string;
	items?: IDataObject[];
	streaming?: boolean;
}

async function run(pair: SimulatorPair, flow: Flow) {
	const to = flow.root.name;
	const subNodes: SubNodeSpec[] = [
		{
			node: modelNode(flow.model ?? 'deepseek-reasoner', flow.modelOptions),
			to,
			type: NodeConnectionTypes.AiLanguageModel,
		},
	];
	if (flow.tool) {
		subNodes.push({
			node: { name: 'Calculator', type: `${LC}.toolCalculator`, typeVersion: 1, parameters: {} },
			to,
			type: NodeConnectionTypes.AiTool,
		});
	}
	if (flow.memory) {
		subNodes.push({
			node: {
				name: 'Memory',
				type: `${LC}.memoryBufferWindow`,
				typeVersion: 1.3,
				parameters: {
					sessionIdType: 'customKey',
					sessionKey: typeof flow.memory === 'string' ? flow.memory : 'session-1',
					contextWindowLength: 5,
				},
			},
			to,
			type: NodeConnectionTypes.AiMemory,
		});
	}
	return await runWorkflow({
		nodeTypes: nodeTypes(),
		...metaChatCredential(pair),
		items: (flow.items ?? [{ chatInput: 'What is 6 times 7?' }]).map((json) => ({ json })),
		nodes: [flow.root],
		subNodes,
		streaming: flow.streaming,
		mode: flow.streaming ? 'webhook' : 'manual',
	});
}

const agent = (typeVersion: number, options: INodeParameters = {}) => ({
	name: 'AI Agent',
	type: `${LC}.agent`,
	typeVersion,
	parameters: { promptType: 'define', text: '={{ $json.chatInput }}', options },
});

interface Sent {
	role: string;
	content: string | null;
	reasoning_content?: string;
	tool_calls?: Array<{ id: string }>;
}

const chatRequests = (sim: SimulatorPair['primary']) =>
	sim.requests.filter((request) => request.path.endsWith('/chat/completions'));
const messagesOf = (request: { body: unknown }) => (request.body as { messages: Sent[] }).messages;
const calculate = { rounds: [[{ name: 'Calculator', arguments: { input: '6 * 7' } }]] };

interface ModelLog {
	response: { generations: Array<Array<{ text: string }>> };
	tokenUsage?: IDataObject;
	tokenUsageEstimate?: IDataObject;
}

/** What n8n's logs show of the model's calls: the sub-node's run data, a run per call. */
const modelLogs = (result: Awaited<ReturnType<typeof run>>) =>
	result.runData['DeepSeek Model'].map(
		(entry) => entry.data?.ai_languageModel?.[0]?.[0]?.json as unknown as ModelLog,
	);
const loggedText = (log: ModelLog) => log.response.generations[0][0].text;

/** The logs show the usage the simulator answered each call with, not n8n's estimate. */
function expectServerUsage(logs: ModelLog[], sim: SimulatorPair['primary']) {
	const answered = chatRequests(sim).filter((request) => request.usage);
	expect(logs.map((log) => log.tokenUsage)).toEqual(
		answered.map(({ usage }) => ({
			promptTokens: usage!.prompt_tokens,
			completionTokens: usage!.completion_tokens,
			totalTokens: usage!.total_tokens,
		})),
	);
	expect(logs.filter((log) => log.tokenUsageEstimate)).toEqual([]);
}

/** deepseek-reasoner's tool round in the logs: each call's reasoning, the tool call, the answer. */
function expectLoggedToolRound(
	result: Awaited<ReturnType<typeof run>>,
	sim: SimulatorPair['primary'],
) {
	const logs = modelLogs(result);
	expect(logs).toHaveLength(2);
	expectServerUsage(logs, sim);
	// Where the backup answered, each entry begins with the failover notice (its own test below).
	const [call, answer] = logs.map((log) =>
		loggedText(log).replace(/^MetaChat failover: .*\n\n/, ''),
	);
	expect(call).toMatch(/^Reasoning: \[simulated reasoning\] .*I will call Calculator\./);
	expect(call).toMatch(/\n\nTool call: Calculator \{"input":"6 \* 7"\}$/);
	expect(answer).toMatch(/^Reasoning: \[simulated reasoning\] .*\n\nAnswer: .*Calculator said/);
}

(available ? describe : describe.skip)('the MetaChat DeepSeek chat model in n8n’s AI nodes', () => {
	const pair = useSimulatorPair();

	it.each([
		['answering', false],
		['at 503, so the backup answers', true],
	])(
		'AI Agent 2.2 runs a tool with deepseek-reasoner, the primary %s; the logs show each call',
		async (_, primaryDown) => {
			const serving = primaryDown ? pair.backup : pair.primary;
			serving.scriptTools(calculate);
			if (primaryDown) pair.primary.setFault({ type: '503' });
			const result = await run(pair, { root: agent(2.2), tool: true });
			expect(result.error).toBeUndefined();
			const [item] = result.output('AI Agent');
			expect(item.json.output).toMatch(/Calculator said 42/);
			const [first, second] = chatRequests(serving);
			expect(chatRequests(serving)).toHaveLength(2);
			const reasoning = messagesOf(second).find((message) => message.tool_calls);
			expect(reasoning?.reasoning_content).toMatch(/I will call Calculator/);
			expect(messagesOf(first).some((message) => 'reasoning_content' in message)).toBe(false);
			expectLoggedToolRound(result, serving);
		},
	);

	it('AI Agent 3.1 answers without tools', async () => {
		const result = await run(pair, { root: agent(3.1) });
		expect(result.error).toBeUndefined();
		const [item] = result.output('AI Agent');
		expect(item.json.output).toMatch(/^\[simulated deepseek-reasoner\]/);
		expect(item.json.output).not.toMatch(/simulated reasoning/);
	});

	it('AI Agent 3.1 runs a tool through the workflow engine, passing the reasoning back; the logs show each call', async () => {
		pair.primary.scriptTools(calculate);
		const result = await run(pair, { root: agent(3.1), tool: true });
		expect(result.error).toBeUndefined();
		const requests = chatRequests(pair.primary);
		expect(requests).toHaveLength(2);
		const call = messagesOf(requests[1]).find((message) => message.tool_calls);
		expect(call?.reasoning_content).toMatch(/I will call Calculator/);
		expectLoggedToolRound(result, pair.primary);
	});

	describe('AI Agent 3.1 with "Force tool call on first iteration"', () => {
		const forced = agent(3.1, { forceToolCallOnFirstIteration: true });
		const items = [{ chatInput: '6 * 7' }];

		it('forces the call where Thinking is Disabled: DeepSeek gets tool_choice required', async () => {
			// No script: the simulator calls a tool only because the request forces it.
			const result = await run(pair, {
				root: forced,
				tool: true,
				model: 'deepseek-chat',
				modelOptions: { thinking: 'disabled' },
				items,
			});
			expect(result.error).toBeUndefined();
			const [first, second] = chatRequests(pair.primary);
			expect((first.body as { tool_choice?: unknown }).tool_choice).toBe('required');
			expect((second.body as { tool_choice?: unknown }).tool_choice).toBeUndefined();
			expect(result.output('AI Agent')[0].json.output).toMatch(/Calculator said .*"42"/);
		});

		it.each(['deepseek-reasoner', 'deepseek-v4-flash', 'deepseek-chat'])(
			'where %s may think, leaves tool_choice out and says so in the log, never a 400',
			async (model) => {
				const logger = Container.get(Logger);
				const warn = jest.spyOn(logger, 'warn');
				try {
					const result = await run(pair, { root: forced, tool: true, model, items });
					expect(result.error).toBeUndefined();
					const [first] = chatRequests(pair.primary);
					expect(first.body).not.toHaveProperty('tool_choice');
					expect(result.output('AI Agent')[0].json.output).toMatch(/^\[simulated /);
					expect(warn).toHaveBeenCalledWith(
						expect.stringMatching(
							/thinking mode cannot be forced to call a tool, .* the caller's tool_choice "required" was left out/,
						),
						expect.objectContaining({ node: 'DeepSeek Model' }),
					);
				} finally {
					warn.mockRestore();
				}
			},
		);
	});

	it.each([
		['generated', false],
		['streamed', true],
	])(
		"shows in the %s call's log entry that the backup answered, and why the primary did not",
		async (_, streaming) => {
			pair.primary.setFault({ type: '500' });
			const result = await run(pair, {
				root: agent(2.2, streaming ? { enableStreaming: true } : {}),
				streaming,
			});
			expect(result.error).toBeUndefined();
			const notice = `MetaChat failover: the primary URL (${pair.primary.url}) answered 500: Server error, please try again later. The failover URL (${pair.backup.url}) answered instead.`;
			const [entry] = modelLogs(result).map(loggedText);
			expect(entry.startsWith(`${notice}\n\nReasoning: [simulated reasoning]`)).toBe(true);
			expect(entry).toMatch(/\n\nAnswer: \[simulated deepseek-reasoner\]/);
			// The answer the agent gets is the model's alone.
			expect(result.output('AI Agent')[0].json.output).not.toMatch(/failover/i);
		},
	);

	it("says in n8n's log when the backup answered, naming the primary and its status", async () => {
		pair.primary.setFault({ type: '500' });
		const warn = jest.spyOn(Container.get(Logger), 'warn');
		try {
			const result = await run(pair, { root: agent(3.1) });
			expect(result.error).toBeUndefined();
			const notice = `MetaChat failover: the primary URL (${pair.primary.url}) answered 500: Server error, please try again later. The failover URL (${pair.backup.url}) answered instead.`;
			expect(warn).toHaveBeenCalledWith(
				notice,
				expect.objectContaining({ node: 'DeepSeek Model' }),
			);
		} finally {
			warn.mockRestore();
		}
	});

	it('the agent with a memory carries the first turn into the second', async () => {
		const first = await run(pair, {
			root: agent(2.2),
			memory: true,
			items: [{ chatInput: 'My name is Ada.' }],
		});
		expect(first.error).toBeUndefined();
		const second = await run(pair, {
			root: agent(2.2),
			memory: true,
			items: [{ chatInput: 'What is my name?' }],
		});
		expect(second.error).toBeUndefined();
		const sent = messagesOf(chatRequests(pair.primary).at(-1)!);
		expect(sent.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
		expect(sent[0].content).toBe('My name is Ada.');
		expect(sent[1].content).toMatch(/simulated deepseek-reasoner/);
	});

	it('the Basic LLM Chain answers each of three items, paired', async () => {
		const result = await run(pair, {
			root: {
				name: 'Basic LLM Chain',
				type: `${LC}.chainLlm`,
				typeVersion: 1.7,
				parameters: { promptType: 'define', text: '={{ $json.chatInput }}' },
			},
			model: 'deepseek-chat',
			items: ['alpha', 'beta', 'gamma'].map((word) => ({ chatInput: `Say ${word}` })),
		});
		expect(result.error).toBeUndefined();
		const items = result.output('Basic LLM Chain');
		expect(items.map((item) => item.json.text)).toEqual([
			expect.stringMatching(/Say alpha/),
			expect.stringMatching(/Say beta/),
			expect.stringMatching(/Say gamma/),
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// n8n shows the usage MetaChat reported, not its own estimate, and each answer as it is.
		const logs = modelLogs(result);
		expectServerUsage(logs, pair.primary);
		expect(logs.map(loggedText)).toEqual(items.map((item) => item.json.text));
	});

	// n8n's agent puts a line break between the text parts of an answer; LangChain appends the
	// parts of the chunks it joins. A streamed answer must reach it as one text.
	describe('the answer reaches the AI Agent as one text, as the simulator gave it', () => {
		const answer = '[simulated deepseek-chat] Summary: What is 6 times 7?';

		it.each([
			[1.6, false],
			[1.7, false],
			[1.8, false],
			[1.9, false],
			[2, false],
			[2.1, false],
			[2.1, true],
			[2.2, false],
			[2.2, true],
		])('AI Agent %s, streaming %s', async (version, streaming) => {
			const result = await run(pair, {
				root: agent(version, version >= 2.1 ? { enableStreaming: streaming } : {}),
				model: 'deepseek-chat',
				streaming,
			});
			expect(result.error).toBeUndefined();
			expect(result.output('AI Agent')[0].json.output).toBe(answer);
			if (streaming) {
				const tokens = result.chunks.filter((chunk) => chunk.type === 'item');
				expect(tokens.length).toBeGreaterThan(1);
				expect(tokens.map((chunk) => chunk.content).join('')).toBe(answer);
			}
		});
	});

	describe('the Basic LLM Chain with the model’s Response Format', () => {
		const chain = (typeVersion: number) => ({
			name: 'Title Analysis',
			type: `${LC}.chainLlm`,
			typeVersion,
			parameters: { promptType: 'define', text: '={{ $json.chatInput }}' },
		});
		// The prompts do not say "json", which DeepSeek (and the simulator) require for JSON output:
		// the model adds its hint.
		const items = ['Rivers', 'Mountains'].map((title) => ({
			chatInput: `Suggest a better title for: ${title}`,
		}));

		it.each([1.7, 1.9])(
			'JSON in chain %s: the parsed object’s fields are the item',
			async (version) => {
				const result = await run(pair, {
					root: chain(version),
					model: 'deepseek-chat',
					modelOptions: { responseFormat: 'json_object' },
					items,
				});
				expect(result.error).toBeUndefined();
				expect(result.output('Title Analysis').map((item) => item.json)).toEqual(
					items.map(({ chatInput }) => ({
						simulated: true,
						model: 'deepseek-chat',
						summary: chatInput,
					})),
				);
				for (const request of chatRequests(pair.primary)) {
					expect((request.body as IDataObject).response_format).toEqual({ type: 'json_object' });
				}
			},
		);

		it.each([1.7, 1.9])('Text in chain %s: the answer is the item’s text', async (version) => {
			const result = await run(pair, {
				root: chain(version),
				model: 'deepseek-chat',
				modelOptions: { responseFormat: 'text' },
				items,
			});
			expect(result.error).toBeUndefined();
			expect(result.output('Title Analysis').map((item) => item.json)).toEqual(
				items.map(({ chatInput }) => ({
					text: `[simulated deepseek-chat] Summary: ${chatInput}`,
				})),
			);
		});
	});

	describe('options set by expressions', () => {
		const chain = {
			name: 'Basic LLM Chain',
			type: `${LC}.chainLlm`,
			typeVersion: 1.7,
			parameters: { promptType: 'define', text: '={{ $json.chatInput }}' },
		};

		it('sends numbers given as text as numbers', async () => {
			const result = await run(pair, {
				root: chain,
				model: 'deepseek-chat',
				modelOptions: { temperature: '={{ "0.3" }}', maxTokens: '={{ "100" }}' },
			});
			expect(result.error).toBeUndefined();
			expect(chatRequests(pair.primary)[0].body).toMatchObject({
				temperature: 0.3,
				max_tokens: 100,
			});
		});

		it('refuses a Timeout that is not a number, naming the option, the item and what it got', async () => {
			const result = await run(pair, {
				root: chain,
				model: 'deepseek-chat',
				modelOptions: { timeout: '={{ "soon" }}' },
			});
			expect(result.status).toBe('error');
			expect(allText(result.run)).toMatch(
				/The Timeout \(Ms\) option of item 0 must be a number of at least 1, not the text \\"soon\\"/,
			);
			expect(chatRequests(pair.primary)).toHaveLength(0);
		});
	});

	it('the Summarization Chain summarises a text', async () => {
		const result = await run(pair, {
			root: {
				name: 'Summarization Chain',
				type: `${LC}.chainSummarization`,
				typeVersion: 2.1,
				parameters: { options: {} },
			},
			model: 'deepseek-chat',
			items: [{ text: 'Rivers carry water from mountains to the sea. '.repeat(20) }],
		});
		expect(result.error).toBeUndefined();
		const [item] = result.output('Summarization Chain');
		expect(JSON.stringify(item.json)).toMatch(/simulated deepseek-chat/);
	});

	it('the Information Extractor gets structured output in thinking mode, with no forced tool choice', async () => {
		const result = await run(pair, {
			root: {
				name: 'Information Extractor',
				type: `${LC}.informationExtractor`,
				typeVersion: 1.2,
				parameters: {
					text: '={{ $json.chatInput }}',
					schemaType: 'manual',
					inputSchema:
						'{"type":"object","properties":{"city":{"type":"string"},"country":{"type":"string"}}}',
					options: {},
				},
			},
			modelOptions: { responseFormat: 'json_object' },
			items: [{ chatInput: 'Extract the facts: the city is Paris, the country is France.' }],
		});
		expect(result.error).toBeUndefined();
		const [item] = result.output('Information Extractor');
		expect(item.json.output).toEqual({ city: 'Paris', country: 'France' });
		for (const request of chatRequests(pair.primary)) {
			expect((request.body as IDataObject).tool_choice).toBeUndefined();
		}
	});

	it('streams the agent’s answer tokens to a streaming caller, without the reasoning', async () => {
		pair.primary.configure({ replyTokens: 20 });
		const result = await run(pair, {
			root: agent(2.2, { enableStreaming: true }),
			streaming: true,
		});
		expect(result.error).toBeUndefined();
		const tokens = result.chunks.filter((chunk) => chunk.type === 'item');
		expect(tokens.length).toBeGreaterThan(5);
		const text = tokens.map((chunk) => chunk.content).join('');
		expect(text).toMatch(/^\[simulated deepseek-reasoner\]/);
		expect(text).not.toMatch(/simulated reasoning/);
	});

	it.each([2.2, 3.1])(
		'AI Agent %s streaming a tool loop passes the reasoning back from the store; the logs show each call',
		async (version) => {
			pair.primary.scriptTools(calculate);
			const result = await run(pair, {
				root: agent(version, { enableStreaming: true }),
				tool: true,
				streaming: true,
			});
			expect(result.error).toBeUndefined();
			const text = result.chunks
				.filter((chunk) => chunk.type === 'item')
				.map((chunk) => chunk.content)
				.join('');
			// AI Agent 3 hands the tool's result on as [{"response":"42"}].
			expect(text).toMatch(/Calculator said (42|\[\{"response":"42"\}\])$/);
			const requests = chatRequests(pair.primary);
			expect(requests).toHaveLength(2);
			const call = messagesOf(requests[1]).find((message) => message.tool_calls);
			expect(call?.reasoning_content).toMatch(/I will call Calculator/);
			expectLoggedToolRound(result, pair.primary);
		},
	);

	describe("DeepSeek V4's passback rule (the simulator's V4 mode)", () => {
		beforeAll(() => pair.primary.configure({ passbackRule: 'v4' }));
		afterAll(() => pair.primary.configure({ passbackRule: 'v3.2' }));

		it.each([
			[2.2, 'deepseek-v4-pro'],
			[3.1, 'deepseek-v4-pro'],
			[2.2, 'deepseek-reasoner'],
			[3.1, 'deepseek-v4-flash'],
		])(
			'AI Agent %s with %s: a second turn with tools through the memory',
			async (version, model) => {
				const session = `v4-${version}-${model}`;
				for (const chatInput of ['What is 6 times 7?', 'And 7 times 8?']) {
					pair.primary.scriptTools(calculate);
					const result = await run(pair, {
						root: agent(version),
						model,
						tool: true,
						memory: session,
						items: [{ chatInput }],
					});
					expect(result.error).toBeUndefined();
					expect(result.output('AI Agent')[0].json.output).toMatch(/Calculator said/);
				}
				const requests = chatRequests(pair.primary);
				expect(requests.every((request) => request.status === 200)).toBe(true);
				// The second turn's requests hold the first turn as the memory kept it (AI Agent 3 keeps
				// its tool calls too), every answer of a turn with tool calls with its reasoning.
				const last = messagesOf(requests.at(-1)!);
				expect(last[0].content).toBe('What is 6 times 7?');
				const firstTurn = last.slice(
					0,
					last.findIndex((m, i) => i > 0 && m.role === 'user'),
				);
				if (firstTurn.some((message) => message.tool_calls)) {
					const answers = firstTurn.filter((message) => message.role === 'assistant');
					expect(answers.map((message) => typeof message.reasoning_content)).toEqual(
						answers.map(() => 'string'),
					);
				}
			},
		);
	});
});
