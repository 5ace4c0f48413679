import path from 'path';

import type {
	ICredentialType,
	IDataObject,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IVersionedNodeType,
	INodeTypeDescription,
	ISupplyDataFunctions,
	SupplyData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { MetaChatApi } from '../../credentials/MetaChatApi.credentials';
import { LmChatDeepSeek } from '../../nodes/LmChatDeepSeek/LmChatDeepSeek.node';
import { runWorkflow, type RunWorkflowOptions, type SubNodeSpec } from '../harness';
import { startSimulator } from '../simulator/simulator';
import {
	aiNodesAvailable as available,
	aiNodeTypes,
	LANGCHAIN,
	LC,
	loadAiNode as load,
	N8N_MODULES,
} from './aiNodes';
import {
	chatModelNode,
	MODEL_TYPE,
	API_KEY,
	forgetDownPrimaries,
	type Simulator,
} from './fixtures';

// Every node and version of the installed n8n (the pinned 2.40.7) that takes a chat model on an
// ai_languageModel input, read from its node descriptions; each has a case below (or one in
// aiNodeMatrix.test.ts) that runs it through n8n's engine with the MetaChat DeepSeek Chat Model and
// asserts what the user gets, and the same with n8n's OpenAI Chat Model pointed at the simulator.
// afterAll prints the table docs/compatibility.md shows.

if (!available) console.warn(`n8n's AI nodes not found in ${LANGCHAIN}: engine tests skipped`);

const BASE = 'n8n-nodes-base';
const OPENAI_TYPE = `${LC}.lmChatOpenAi`;
const MODELS = [
	'deepseek-chat',
	'deepseek-reasoner',
	'deepseek-v4-flash',
	'deepseek-v4-pro',
	'deepseek-flash',
	'deepseek-r1t2-chimera',
];
const OPENAI_MODEL = 'deepseek-reasoner';
const OPENAI_COLUMN = `n8n's OpenAI Chat Model (\`${OPENAI_MODEL}\`)`;
/** The model a helper node (the other model of a fallback or a selector) asks for. */
const HELPER_MODEL = 'deepseek-chat';
/** Columns run at once, each on its own simulators (the machine has two cores). */
const CONCURRENCY = 3;

interface Column {
	name: string;
	via: 'metachat' | 'openai';
	model: string;
}
const COLUMNS: Column[] = [
	...MODELS.map((model) => ({ name: model, via: 'metachat' as const, model })),
	{ name: OPENAI_COLUMN, via: 'openai', model: OPENAI_MODEL },
];

/** One column's servers: the model under test asks `primary` (ours fails over to `backup`); the helper model asks `other`. */
interface Lane {
	primary: Simulator;
	backup: Simulator;
	other: Simulator;
}

/** Every node description the installed n8n ships, from its own nodes.json. */
function installedDescriptions(): Array<INodeTypeDescription & { package: string }> {
	return [
		[LC, path.join(LANGCHAIN, 'dist', 'types', 'nodes.json')],
		[BASE, path.join(N8N_MODULES, BASE, 'dist', 'types', 'nodes.json')],
	].flatMap(([pkg, file]) =>
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		(require(file) as INodeTypeDescription[]).map((description) => ({
			...description,
			package: pkg,
		})),
	);
}

/**
 * The node types and version groups (one implementation each) with an ai_languageModel input. n8n
 * writes most inputs as expressions of the node's parameters (a fallback model, an auto-fix
 * switch, a metric); an expression that can return that input counts, so it is scanned as text.
 */
function languageModelInputs(): Array<{ type: string; versions: number[] }> {
	return installedDescriptions()
		.filter((description) =>
			JSON.stringify(description.inputs ?? []).includes(NodeConnectionTypes.AiLanguageModel),
		)
		.map((description) => ({
			type: `${description.package}.${description.name}`,
			versions: [description.version].flat(),
		}));
}

function openAiCredentialType(): ICredentialType {
	const file = path.join(N8N_MODULES, BASE, 'dist', 'credentials', 'OpenAiApi.credentials.js');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const module = require(file) as { OpenAiApi: new () => ICredentialType };
	return new module.OpenAiApi();
}

function loadBase(file: string, name: string): INodeType | IVersionedNodeType {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const module = require(path.join(N8N_MODULES, BASE, 'dist', 'nodes', file)) as Record<
		string,
		new () => INodeType | IVersionedNodeType
	>;
	return new module[name]();
}

// LangChain as n8n's nodes load it, for the test's own data sources below.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireN8n = (id: string) => require(require.resolve(id, { paths: [LANGCHAIN] })) as never;

const DOCUMENTS = [
	'The MetaChat lamp is 40 cm tall and ships in a recycled box.',
	'The MetaChat lamp has a two-year warranty covering the switch and the cable.',
];

/**
 * A retriever over two fixed documents on an ai_retriever output: the data a Question and Answer
 * Chain or a retriever that takes a model reads (the model, not the data, is what is tested).
 */
class TestRetriever implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Retriever',
		name: 'testRetriever',
		group: ['transform'],
		version: 1,
		description: 'Two fixed documents',
		defaults: { name: 'Test Retriever' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiRetriever],
		properties: [],
	};

	async supplyData(this: ISupplyDataFunctions): Promise<SupplyData> {
		const { BaseRetriever } = requireN8n('@langchain/core/retrievers') as {
			BaseRetriever: new (fields?: object) => object;
		};
		const { Document } = requireN8n('@langchain/core/documents') as {
			Document: new (fields: { pageContent: string }) => object;
		};
		class Fixed extends BaseRetriever {
			lc_namespace = ['test', 'retrievers'];
			async _getRelevantDocuments() {
				return DOCUMENTS.map((pageContent) => new Document({ pageContent }));
			}
		}
		return { response: new Fixed() };
	}
}

/** A vector store over the same two documents on an ai_vectorStore output (its search: both). */
class TestVectorStore implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Vector Store',
		name: 'testVectorStore',
		group: ['transform'],
		version: 1,
		description: 'Two fixed documents',
		defaults: { name: 'Test Vector Store' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiVectorStore],
		properties: [],
	};

	async supplyData(this: ISupplyDataFunctions): Promise<SupplyData> {
		const { VectorStore } = requireN8n('@langchain/core/vectorstores') as {
			VectorStore: new (embeddings: object, fields: object) => object;
		};
		const { Document } = requireN8n('@langchain/core/documents') as {
			Document: new (fields: { pageContent: string }) => object;
		};
		class Fixed extends VectorStore {
			_vectorstoreType() {
				return 'test';
			}
			async addVectors() {}
			async addDocuments() {}
			async similaritySearchVectorWithScore() {
				return DOCUMENTS.map((pageContent) => [new Document({ pageContent }), 1]);
			}
		}
		const embeddings = {
			embedQuery: async () => [1],
			embedDocuments: async (texts: string[]) => texts.map(() => [1]),
		};
		return { response: new Fixed(embeddings, {}) };
	}
}

// The Chat Trigger's page template loads sanitize-html, whose parser is an ES module jest cannot
// require; the engine never renders that page (a trigger passes its items on), so it is stubbed.
if (available)
	jest.doMock(
		require.resolve('sanitize-html', {
			paths: [path.join(LANGCHAIN, 'dist', 'nodes', 'trigger', 'ChatTrigger')],
		}),
		() => (html: string) => html,
	);

let types: Record<string, INodeType | IVersionedNodeType> | undefined;

/** n8n's nodes the cases use, loaded once. */
function nodeTypes() {
	return (types ??= {
		[MODEL_TYPE]: new LmChatDeepSeek(),
		[OPENAI_TYPE]: load('llms/LMChatOpenAi/LmChatOpenAi.node.js', 'LmChatOpenAi'),
		...aiNodeTypes(
			'agent',
			'agentTool',
			'chainLlm',
			'chainSummarization',
			'chainRetrievalQa',
			'retrieverMultiQuery',
			'retrieverContextualCompression',
			'code',
			'documentDefaultDataLoader',
			'modelSelector',
			'guardrails',
			'outputParserStructured',
			'outputParserAutofixing',
			'toolCalculator',
			'memoryBufferWindow',
			'chatTrigger',
			'toolVectorStore',
		),
		[`${BASE}.webhook`]: loadBase('Webhook/Webhook.node.js', 'Webhook'),
		[`${BASE}.evaluation`]: loadBase('Evaluation/Evaluation/Evaluation.node.ee.js', 'Evaluation'),
		'test.testRetriever': new TestRetriever(),
		'test.testVectorStore': new TestVectorStore(),
	});
}

type NodeSpec = RunWorkflowOptions['nodes'][number];

/** What a case is given: its column's model and servers, and a way to run a workflow. */
interface Ctx {
	column: Column;
	model: string;
	lane: Lane;
	/** The model under test (ours or n8n's OpenAI Chat Model) as a sub-node. */
	modelNode(name?: string, options?: INodeParameters): NodeSpec;
	/** The other column's model, on the `other` simulator (asked for HELPER_MODEL). */
	helperNode(name?: string): NodeSpec;
	run(flow: {
		nodes: NodeSpec[];
		subNodes?: SubNodeSpec[];
		items: IDataObject[];
		streaming?: boolean;
		mode?: RunWorkflowOptions['mode'];
		/** The run may end in an error the case checks itself. */
		allowError?: boolean;
	}): Promise<Awaited<ReturnType<typeof runWorkflow>>>;
	/** The chat completions the model under test's server received. */
	requests(): Simulator['requests'];
}

function ourNode(name: string, model: string, options: INodeParameters = {}): NodeSpec {
	return chatModelNode(model, options, name);
}

function openAiNode(name: string, model: string, options: INodeParameters = {}): NodeSpec {
	return {
		name,
		type: OPENAI_TYPE,
		typeVersion: 1.3,
		parameters: {
			model: { __rl: true, mode: 'id', value: model },
			responsesApiEnabled: false,
			// No retries of a refused request: the fallback cases fail it on purpose.
			options: { maxRetries: 0, ...options },
		},
		credentials: { openAiApi: { id: '3', name: 'OpenAI account' } },
	};
}

function context(column: Column, lane: Lane): Ctx {
	const ours = column.via === 'metachat';
	const chatRequests = () =>
		lane.primary.requests.filter((request) => request.path.endsWith('/chat/completions'));
	return {
		column,
		model: column.model,
		lane,
		modelNode: (name = 'Chat Model', options = {}) =>
			ours ? ourNode(name, column.model, options) : openAiNode(name, column.model, options),
		helperNode: (name = 'Helper Model') =>
			ours ? openAiNode(name, HELPER_MODEL) : ourNode(name, HELPER_MODEL),
		requests: chatRequests,
		async run(flow) {
			const result = await runWorkflow({
				nodeTypes: nodeTypes(),
				credentialTypes: { metaChatApi: new MetaChatApi(), openAiApi: openAiCredentialType() },
				credentials: {
					metaChatApi: ours
						? { apiKey: API_KEY, baseUrl: lane.primary.url, failoverBaseUrl: lane.backup.url }
						: { apiKey: API_KEY, baseUrl: lane.other.url, useFailover: false },
					openAiApi: {
						apiKey: API_KEY,
						url: ours ? lane.other.url : lane.primary.url,
						header: false,
					},
				},
				items: flow.items.map((json) => ({ json })),
				nodes: flow.nodes,
				subNodes: flow.subNodes,
				streaming: flow.streaming,
				mode: flow.mode ?? (flow.streaming ? 'webhook' : 'manual'),
				timeoutMs: 30_000,
			});
			if (result.error && !flow.allowError) {
				const { message, description } = result.error as { message: string; description?: string };
				throw new Error(`${message}${description ? ` (${description})` : ''}`);
			}
			return result;
		},
	};
}

/** A node's outputs (every branch) in its last run. */
function outputs(result: Awaited<ReturnType<typeof runWorkflow>>, name: string) {
	return (result.runData[name]?.at(-1)?.data?.main ?? [[]]).map(
		(branch) => branch ?? [],
	) as INodeExecutionData[][];
}

const sub = (
	node: NodeSpec,
	to: string,
	type: SubNodeSpec['type'] = NodeConnectionTypes.AiLanguageModel,
	index = 0,
): SubNodeSpec => ({ node, to, type, index });

interface Sent {
	role: string;
	content: unknown;
	reasoning_content?: unknown;
	tool_calls?: unknown[];
}
const messagesOf = (request: { body: unknown }) => (request.body as { messages: Sent[] }).messages;
const NO_REASONING = /<\/?think>|simulated reasoning/;
const answerOf = (model: string) => new RegExp(`^\\[simulated ${model}\\]`);

const agent = (typeVersion: number, parameters: INodeParameters = {}): NodeSpec => ({
	name: 'AI Agent',
	type: `${LC}.agent`,
	typeVersion,
	parameters: { promptType: 'define', text: '={{ $json.text }}', ...parameters },
});

const chainLlm = (parameters: INodeParameters = {}): NodeSpec => ({
	name: 'Basic LLM Chain',
	type: `${LC}.chainLlm`,
	typeVersion: 1.9,
	parameters: { promptType: 'define', text: '={{ $json.text }}', ...parameters },
});

const calculator = (to: string) =>
	sub(
		{ name: 'Calculator', type: `${LC}.toolCalculator`, typeVersion: 1, parameters: {} },
		to,
		NodeConnectionTypes.AiTool,
	);

const calculate = { rounds: [[{ name: 'Calculator', arguments: { input: '6 * 7' } }]] };

const CITY_SCHEMA = {
	type: 'object',
	properties: {
		city: { type: 'string' },
		country: { type: 'string' },
		population: { type: 'number' },
		capital: { type: 'boolean', description: 'whether it is the capital' },
	},
	required: ['city', 'country', 'population', 'capital'],
};
const CITY = {
	text: 'Describe the city: Lyon, country: France, population: 520000, capital: no.',
	expected: { city: 'Lyon', country: 'France', population: 520000, capital: false },
};

const structuredParser = (parameters: INodeParameters = {}): NodeSpec => ({
	name: 'Structured Output Parser',
	type: `${LC}.outputParserStructured`,
	typeVersion: 1.3,
	parameters: { schemaType: 'manual', inputSchema: JSON.stringify(CITY_SCHEMA), ...parameters },
});

/** Three turns through a Simple Memory, each with a tool round, under DeepSeek V4's passback rule. */
async function memoryTurns(ctx: Ctx, version: number) {
	ctx.lane.primary.configure({ passbackRule: 'v4' });
	const session = `surface-${version}-${ctx.column.name}`;
	const turns = ['What is 6 times 7?', 'And 7 times 8?', 'And 8 times 9?'];
	for (const text of turns) {
		ctx.lane.primary.scriptTools(calculate);
		const result = await ctx.run({
			nodes: [agent(version)],
			subNodes: [
				sub(ctx.modelNode(), 'AI Agent'),
				calculator('AI Agent'),
				sub(
					{
						name: 'Simple Memory',
						type: `${LC}.memoryBufferWindow`,
						typeVersion: 1.3,
						parameters: {
							sessionIdType: 'customKey',
							sessionKey: session,
							contextWindowLength: 10,
						},
					},
					'AI Agent',
					NodeConnectionTypes.AiMemory,
				),
			],
			items: [{ text }],
		});
		const [item] = outputs(result, 'AI Agent')[0];
		expect(item.json.output).toMatch(/Calculator said .*42/);
		expect(String(item.json.output)).not.toMatch(NO_REASONING);
	}
	const requests = ctx.requests();
	expect(requests.map((request) => request.status)).toEqual(requests.map(() => 200));
	// The third turn's last request holds the earlier turns as the memory kept them, and every
	// assistant message that made tool calls carries its reasoning back ("" where unknown).
	const last = messagesOf(requests.at(-1)!);
	expect(last.filter((message) => message.role === 'user').map((m) => m.content)).toEqual(turns);
	for (const request of requests) {
		const sent = messagesOf(request);
		// The R1 snapshots refuse reasoning_content anywhere; the others follow V4's rule: every
		// assistant message of a turn that made tool calls carries it.
		if (ctx.model === 'deepseek-r1t2-chimera') {
			expect(sent.filter((m) => 'reasoning_content' in m)).toEqual([]);
			continue;
		}
		const starts = sent.flatMap((m, i) => (m.role === 'user' ? [i] : []));
		for (const [n, start] of starts.entries()) {
			const turn = sent.slice(start, starts[n + 1] ?? sent.length);
			if (!turn.some((m) => m.tool_calls)) continue;
			const answers = turn.filter((m) => m.role === 'assistant');
			expect(answers.map((m) => typeof m.reasoning_content)).toEqual(answers.map(() => 'string'));
		}
	}
}

/** The agent's answer streamed to a Chat Trigger or a Webhook set to stream. */
async function streamed(ctx: Ctx, version: number, trigger: 'chat' | 'webhook') {
	const triggerNode: NodeSpec =
		trigger === 'chat'
			? {
					name: 'When chat message received',
					type: `${LC}.chatTrigger`,
					typeVersion: 1.3,
					parameters: { options: { responseMode: 'streaming' } },
				}
			: {
					name: 'Webhook',
					type: `${BASE}.webhook`,
					typeVersion: 2.1,
					parameters: { httpMethod: 'POST', path: 'ask', responseMode: 'streaming' },
				};
	const root =
		trigger === 'chat'
			? {
					...agent(version),
					parameters: { promptType: 'auto', options: { enableStreaming: true } },
				}
			: agent(version, { text: '={{ $json.body.text }}', options: { enableStreaming: true } });
	const question = 'What is the capital of France?';
	ctx.lane.primary.configure({ replyTokens: 12 });
	const result = await ctx.run({
		nodes: [triggerNode, root],
		subNodes: [sub(ctx.modelNode(), 'AI Agent')],
		items: [
			trigger === 'chat'
				? { sessionId: 'stream-1', action: 'sendMessage', chatInput: question }
				: { body: { text: question }, headers: {}, query: {}, params: {} },
		],
		streaming: true,
		mode: trigger === 'chat' ? 'chat' : 'webhook',
	});
	const [item] = outputs(result, 'AI Agent')[0];
	const tokens = result.chunks.filter((chunk) => chunk.type === 'item');
	expect(tokens.length).toBeGreaterThan(1);
	const text = tokens.map((chunk) => chunk.content).join('');
	expect(text).toMatch(answerOf(ctx.model));
	expect(text).not.toMatch(NO_REASONING);
	expect(text).toBe(item.json.output);
	expect(result.chunks.map((chunk) => chunk.type)).toContain('end');
}

/** A root with Enable Fallback Model: the model under test as the main model or as the fallback. */
async function fallback(ctx: Ctx, root: NodeSpec, role: 'main fails' | 'fallback') {
	const fallbackName = 'Fallback Model';
	const subNodes =
		role === 'fallback'
			? // The helper model's server refuses its key: the root falls back to the model under test.
				[
					sub(ctx.helperNode(), root.name, undefined, 0),
					sub(ctx.modelNode(fallbackName), root.name, undefined, 1),
				]
			: [
					sub(ctx.modelNode(), root.name, undefined, 0),
					sub(ctx.helperNode(fallbackName), root.name, undefined, 1),
				];
	if (role === 'fallback') ctx.lane.other.setFault({ type: '401' });
	else for (const sim of [ctx.lane.primary, ctx.lane.backup]) sim.setFault({ type: '401' });
	const result = await ctx.run({
		nodes: [{ ...root, parameters: { ...root.parameters, needsFallback: true } }],
		subNodes,
		items: [{ text: 'Name a colour of the sky.' }],
	});
	const [item] = outputs(result, root.name)[0];
	const answer = String(item.json.output ?? item.json.text);
	expect(answer).toMatch(answerOf(role === 'fallback' ? ctx.model : HELPER_MODEL));
	expect(answer).not.toMatch(NO_REASONING);
	const asked = ctx.lane.other.requests.filter((r) => r.path.endsWith('/chat/completions'));
	expect(asked.length).toBeGreaterThan(0);
	expect(ctx.requests().length).toBeGreaterThan(0);
}

/** The Question and Answer Chain over the test retriever, itself behind a retriever that takes a model, or not. */
async function questionAndAnswer(
	ctx: Ctx,
	via?: 'retrieverMultiQuery' | 'retrieverContextualCompression',
) {
	const chain: NodeSpec = {
		name: 'Question and Answer Chain',
		type: `${LC}.chainRetrievalQa`,
		typeVersion: 1.7,
		parameters: { promptType: 'define', text: '={{ $json.text }}', options: {} },
	};
	const retriever: NodeSpec = {
		name: 'Test Retriever',
		type: 'test.testRetriever',
		typeVersion: 1,
		parameters: {},
	};
	const subNodes = [sub(ctx.modelNode(), chain.name)];
	if (via) {
		const wrapper: NodeSpec = {
			name: 'Model Retriever',
			type: `${LC}.${via}`,
			typeVersion: 1,
			parameters: {},
		};
		subNodes.push(
			sub(wrapper, chain.name, NodeConnectionTypes.AiRetriever),
			sub(ctx.modelNode('Retriever Model'), wrapper.name),
			sub(retriever, wrapper.name, NodeConnectionTypes.AiRetriever),
		);
	} else subNodes.push(sub(retriever, chain.name, NodeConnectionTypes.AiRetriever));
	const question = 'How long is the warranty of the lamp?';
	const result = await ctx.run({ nodes: [chain], subNodes, items: [{ text: question }] });
	const [item] = outputs(result, chain.name)[0];
	expect(item.json.response).toMatch(answerOf(ctx.model));
	expect(String(item.json.response)).toContain(question);
	expect(String(item.json.response)).not.toMatch(NO_REASONING);
	const requests = ctx.requests();
	const last = JSON.stringify(messagesOf(requests.at(-1)!));
	if (via === 'retrieverContextualCompression') {
		// The model extracted from each document what the chain then read as its context.
		expect(requests).toHaveLength(DOCUMENTS.length + 1);
		for (const [index, document] of DOCUMENTS.entries())
			expect(JSON.stringify(messagesOf(requests[index]))).toContain(document);
		expect(last.split(`[simulated ${ctx.model}]`)).toHaveLength(DOCUMENTS.length + 1);
		return;
	}
	// The last request is the chain's: the question with the retrieved warranty document.
	expect(last).toContain('two-year warranty');
	// The MultiQuery Retriever asked the model for other wordings of the question first.
	if (via) {
		expect(requests.length).toBeGreaterThan(1);
		expect(JSON.stringify(messagesOf(requests[0]))).toMatch(/different versions of the given user/);
	}
}

/** The Basic LLM Chain with a parser that asks the model to fix a first answer that does not parse. */
async function autoFix(ctx: Ctx, parser: 'structured' | 'autofixing') {
	ctx.lane.primary.setFault({ type: 'badjson', times: 1 });
	const root = chainLlm({ hasOutputParser: true });
	const subNodes = [sub(ctx.modelNode(), root.name)];
	if (parser === 'structured') {
		const node = structuredParser({ autoFix: true });
		subNodes.push(
			sub(node, root.name, NodeConnectionTypes.AiOutputParser),
			sub(ctx.modelNode('Fixing Model'), node.name),
		);
	} else {
		const fixing: NodeSpec = {
			name: 'Auto-fixing Output Parser',
			type: `${LC}.outputParserAutofixing`,
			typeVersion: 1,
			parameters: {},
		};
		subNodes.push(
			sub(fixing, root.name, NodeConnectionTypes.AiOutputParser),
			sub(ctx.modelNode('Fixing Model'), fixing.name),
			sub(structuredParser(), fixing.name, NodeConnectionTypes.AiOutputParser),
		);
	}
	const result = await ctx.run({ nodes: [root], subNodes, items: [{ text: CITY.text }] });
	expect(outputs(result, root.name)[0].map((item) => item.json.output)).toEqual([CITY.expected]);
	const requests = ctx.requests();
	expect(requests).toHaveLength(2);
	expect(JSON.stringify(messagesOf(requests[1]))).toMatch(/did not satisfy the constraints/);
}

/** An AI Agent calling an AI Agent Tool whose own agent uses the model too. */
async function agentTool(ctx: Ctx, version: 2.2 | 3) {
	const tool: NodeSpec = {
		name: 'Expert',
		type: `${LC}.agentTool`,
		typeVersion: version,
		parameters: {
			text: "={{ $fromAI('question', 'The question for the expert', 'string') }}",
			toolDescription: 'Answers questions about colours',
			options: {},
		},
	};
	ctx.lane.primary.scriptTools({
		rounds: [[{ name: 'Expert', arguments: { question: 'Which colour is the sky?' } }]],
	});
	const result = await ctx.run({
		nodes: [agent(3.1)],
		subNodes: [
			sub(ctx.modelNode(), 'AI Agent'),
			sub(tool, 'AI Agent', NodeConnectionTypes.AiTool),
			sub(ctx.modelNode('Expert Model'), tool.name),
		],
		items: [{ text: 'Ask the expert which colour the sky is.' }],
	});
	const [item] = outputs(result, 'AI Agent')[0];
	// The outer agent quotes the tool's result: the inner agent's answer to the question it was given.
	expect(item.json.output).toMatch(/Expert said/);
	expect(String(item.json.output)).toContain(`[simulated ${ctx.model}]`);
	expect(String(item.json.output)).toContain('Which colour is the sky?');
	expect(String(item.json.output)).not.toMatch(NO_REASONING);
	const inner = ctx
		.requests()
		.filter((request) =>
			messagesOf(request).some(
				(m) => m.role === 'user' && m.content === 'Which colour is the sky?',
			),
		);
	expect(inner).toHaveLength(1);
}

interface Case {
	name: string;
	check(ctx: Ctx): Promise<void>;
}

const CASES: Case[] = [
	{
		name: 'AI Agent 1.9 (a tool)',
		async check(ctx) {
			ctx.lane.primary.scriptTools(calculate);
			const result = await ctx.run({
				nodes: [agent(1.9)],
				subNodes: [sub(ctx.modelNode(), 'AI Agent'), calculator('AI Agent')],
				items: [{ text: 'What is 6 times 7?' }],
			});
			expect(outputs(result, 'AI Agent')[0][0].json.output).toMatch(/Calculator said .*42/);
		},
	},
	{
		name: 'AI Agent 2.2 (Simple Memory, three turns with tools, V4 passback)',
		check: async (ctx) => await memoryTurns(ctx, 2.2),
	},
	{
		name: 'AI Agent 3.1 (Simple Memory, three turns with tools, V4 passback)',
		check: async (ctx) => await memoryTurns(ctx, 3.1),
	},
	{
		name: 'AI Agent 2.2 (streaming to the Chat Trigger)',
		check: async (ctx) => await streamed(ctx, 2.2, 'chat'),
	},
	{
		name: 'AI Agent 3.1 (streaming to the Chat Trigger)',
		check: async (ctx) => await streamed(ctx, 3.1, 'chat'),
	},
	{
		name: 'AI Agent 2.2 (streaming to a Webhook)',
		check: async (ctx) => await streamed(ctx, 2.2, 'webhook'),
	},
	{
		name: 'AI Agent 3.1 (streaming to a Webhook)',
		check: async (ctx) => await streamed(ctx, 3.1, 'webhook'),
	},
	{
		name: 'AI Agent 3.1 (Enable Fallback Model: this model as the fallback)',
		check: async (ctx) => await fallback(ctx, agent(3.1), 'fallback'),
	},
	{
		name: 'AI Agent 3.1 (Enable Fallback Model: this model failing, the fallback answers)',
		check: async (ctx) => await fallback(ctx, agent(3.1), 'main fails'),
	},
	{
		name: 'Basic LLM Chain 1.9 (Enable Fallback Model: this model as the fallback)',
		check: async (ctx) => await fallback(ctx, chainLlm(), 'fallback'),
	},
	{
		name: 'Basic LLM Chain 1.9 (Enable Fallback Model: this model failing, the fallback answers)',
		check: async (ctx) => await fallback(ctx, chainLlm(), 'main fails'),
	},
	...([2.2, 3.1] as const).map((version): Case => ({
		name: `AI Agent ${version} (Return Intermediate Steps)`,
		async check(ctx) {
			ctx.lane.primary.scriptTools(calculate);
			const result = await ctx.run({
				nodes: [agent(version, { options: { returnIntermediateSteps: true } })],
				subNodes: [sub(ctx.modelNode(), 'AI Agent'), calculator('AI Agent')],
				items: [{ text: 'What is 6 times 7?' }],
			});
			const [item] = outputs(result, 'AI Agent')[0];
			expect(item.json.output).toMatch(/Calculator said .*42/);
			const [step] = item.json.intermediateSteps as Array<{
				action: { tool: string; toolInput: IDataObject; messageLog: IDataObject[] };
				observation: string;
			}>;
			expect(step.action.tool).toBe('Calculator');
			expect(step.action.toolInput).toMatchObject({ input: '6 * 7' });
			expect(step.observation).toContain('42');
			// AI Agent 3 builds the step's message itself, whatever the model; AI Agent 2.2 logs the
			// model's own message, which n8n's own chat models shape with the API's id, the raw tool
			// calls, the finish reason in LangChain's spelling, the model and the usage.
			if (version === 3.1) return;
			const [message] = step.action.messageLog;
			expect(message.id).toEqual(expect.stringMatching(/^(?!run-)\S/));
			expect(message.content).toEqual(expect.any(String));
			expect(message.additional_kwargs).toMatchObject({
				tool_calls: [expect.objectContaining({ type: 'function' })],
			});
			expect(message.response_metadata).toMatchObject({
				finish_reason: 'tool_calls',
				model_name: expect.stringContaining(ctx.model),
			});
			expect(JSON.stringify(message.response_metadata)).toMatch(/"(tokenUsage|usage)"/);
		},
	})),
	{
		name: 'AI Agent Tool 2.2 (called by an AI Agent 3.1)',
		check: async (ctx) => await agentTool(ctx, 2.2),
	},
	{
		name: 'AI Agent Tool 3 (called by an AI Agent 3.1)',
		check: async (ctx) => await agentTool(ctx, 3),
	},
	{
		name: 'Summarization Chain 1',
		async check(ctx) {
			const root: NodeSpec = {
				name: 'Summarization Chain',
				type: `${LC}.chainSummarization`,
				typeVersion: 1,
				parameters: { type: 'stuff' },
			};
			const loader: NodeSpec = {
				name: 'Default Data Loader',
				type: `${LC}.documentDefaultDataLoader`,
				typeVersion: 1.1,
				parameters: {
					jsonMode: 'expressionData',
					jsonData: '={{ $json.text }}',
					textSplittingMode: 'simple',
				},
			};
			const result = await ctx.run({
				nodes: [root],
				subNodes: [
					sub(ctx.modelNode(), root.name),
					sub(loader, root.name, NodeConnectionTypes.AiDocument),
				],
				items: [{ text: 'Rivers carry water from the mountains to the sea.' }],
			});
			const output = outputs(result, root.name)[0][0].json.response as IDataObject;
			expect(output.text).toMatch(new RegExp(`${answerOf(ctx.model).source} Summary: `));
			expect(output.text).toContain('Rivers carry water from the mountains to the sea.');
		},
	},
	{
		name: 'Question and Answer Chain 1.7 (a retriever)',
		check: async (ctx) => await questionAndAnswer(ctx),
	},
	{
		name: 'Question and Answer Chain 1.7 (MultiQuery Retriever)',
		check: async (ctx) => await questionAndAnswer(ctx, 'retrieverMultiQuery'),
	},
	{
		name: 'Question and Answer Chain 1.7 (Contextual Compression Retriever)',
		check: async (ctx) => await questionAndAnswer(ctx, 'retrieverContextualCompression'),
	},
	{
		name: 'Vector Store Question Answer Tool 1.1 (run as a node)',
		async check(ctx) {
			const root: NodeSpec = {
				name: 'Lamp Facts',
				type: `${LC}.toolVectorStore`,
				typeVersion: 1.1,
				parameters: { description: 'Facts about the MetaChat lamp', topK: 2 },
			};
			const question = 'How long is the warranty of the lamp?';
			const result = await ctx.run({
				nodes: [root],
				subNodes: [
					sub(ctx.modelNode(), root.name),
					sub(
						{
							name: 'Test Vector Store',
							type: 'test.testVectorStore',
							typeVersion: 1,
							parameters: {},
						},
						root.name,
						NodeConnectionTypes.AiVectorStore,
					),
				],
				items: [{ input: question }],
			});
			const [item] = outputs(result, root.name)[0];
			expect(item.json.response).toMatch(answerOf(ctx.model));
			expect(String(item.json.response)).toContain(question);
			expect(String(item.json.response)).not.toMatch(NO_REASONING);
			// The model was asked the question with the documents the store found.
			expect(JSON.stringify(messagesOf(ctx.requests().at(-1)!))).toContain('two-year warranty');
		},
	},
	{
		name: 'Structured Output Parser 1.3 (Auto-Fix Format, a first answer that does not parse)',
		check: async (ctx) => await autoFix(ctx, 'structured'),
	},
	{
		name: 'Auto-fixing Output Parser 1 (a first answer that does not parse)',
		check: async (ctx) => await autoFix(ctx, 'autofixing'),
	},
	{
		name: 'Model Selector 1 (the rule picks this model)',
		async check(ctx) {
			const root = chainLlm();
			const selector: NodeSpec = {
				name: 'Model Selector',
				type: `${LC}.modelSelector`,
				typeVersion: 1,
				parameters: {
					numberInputs: 2,
					rules: {
						rule: [
							{
								modelIndex: 2,
								conditions: {
									options: { caseSensitive: true, typeValidation: 'strict', version: 2 },
									combinator: 'and',
									conditions: [
										{
											id: 'long',
											leftValue: '={{ $json.tier }}',
											rightValue: 'pro',
											operator: { type: 'string', operation: 'equals' },
										},
									],
								},
							},
						],
					},
				},
			};
			const result = await ctx.run({
				nodes: [root],
				subNodes: [
					sub(selector, root.name),
					sub(ctx.helperNode('Model 1'), selector.name, undefined, 0),
					sub(ctx.modelNode('Model 2'), selector.name, undefined, 1),
				],
				items: [{ text: 'Name a colour of the sky.', tier: 'pro' }],
			});
			const [item] = outputs(result, root.name)[0];
			expect(item.json.text).toMatch(answerOf(ctx.model));
			expect(ctx.lane.other.requests.filter((r) => r.path.endsWith('/chat/completions'))).toEqual(
				[],
			);
		},
	},
	...([1, 2] as const).map((version): Case => ({
		name: `Guardrails ${version} (the LLM checks Jailbreak and Topical Alignment)`,
		async check(ctx) {
			const root: NodeSpec = {
				name: 'Guardrails',
				type: `${LC}.guardrails`,
				typeVersion: version,
				parameters: {
					operation: 'classify',
					text: '={{ $json.text }}',
					guardrails: {
						jailbreak: { value: { threshold: 0.7 } },
						topicalAlignment: {
							value: { prompt: 'The user asks about lamps and their warranty.', threshold: 0.7 },
						},
					},
				},
			};
			const result = await ctx.run({
				nodes: [root],
				subNodes: [sub(ctx.modelNode(), root.name)],
				items: [{ text: 'How long is the warranty of the lamp?' }],
			});
			const [pass, fail] = outputs(result, root.name);
			expect(fail ?? []).toEqual([]);
			expect(pass).toHaveLength(1);
			// Both checks asked the model and read its answer (an answer that fails to parse or a
			// failed request fails the item).
			expect(ctx.requests().length).toBe(2);
			expect(JSON.stringify(pass[0].json)).not.toMatch(/executionFailed":true/);
		},
	})),
	{
		name: 'LangChain Code 1 (invoke and stream the model)',
		async check(ctx) {
			const root: NodeSpec = {
				name: 'LangChain Code',
				type: `${LC}.code`,
				typeVersion: 1,
				parameters: {
					code: {
						execute: {
							code: [
								"const llm = await this.getInputConnectionData('ai_languageModel', 0);",
								'const out = [];',
								'for (const item of this.getInputData()) {',
								'  const invoked = await llm.invoke(item.json.text);',
								'  const parts = [];',
								'  const stream = await llm.stream(item.json.text);',
								// A for await loop over the stream never ends inside the sandbox under jest.
								'  const reader = stream.getReader();',
								'  for (let next = await reader.read(); !next.done; next = await reader.read()) parts.push(next.value.content);',
								'  out.push({ json: { invoked: invoked.content, streamed: parts } });',
								'}',
								'return out;',
							].join('\n'),
						},
					},
					inputs: {
						input: [
							{ type: 'main', maxConnections: 1, required: true },
							{ type: 'ai_languageModel', maxConnections: 1, required: true },
						],
					},
					outputs: { output: [{ type: 'main' }] },
				},
			};
			const result = await ctx.run({
				nodes: [root],
				subNodes: [sub(ctx.modelNode(), root.name)],
				items: [{ text: 'Name a colour of the sky.' }],
			});
			const [item] = outputs(result, root.name)[0];
			// A string from invoke() and from every streamed chunk, as n8n's own models give.
			expect(typeof item.json.invoked).toBe('string');
			expect(item.json.invoked).toMatch(answerOf(ctx.model));
			expect(item.json.invoked).not.toMatch(NO_REASONING);
			const streamedParts = item.json.streamed as unknown[];
			expect(streamedParts.every((part) => typeof part === 'string')).toBe(true);
			expect(streamedParts.join('')).toBe(item.json.invoked);
		},
	},
	...(['correctness', 'helpfulness'] as const).map((metric): Case => ({
		name: `Evaluation 4.8 (Set Metrics: ${metric[0].toUpperCase()}${metric.slice(1)}, the Model input)`,
		async check(ctx) {
			const root: NodeSpec = {
				name: 'Evaluation',
				type: `${BASE}.evaluation`,
				typeVersion: 4.8,
				parameters: {
					operation: 'setMetrics',
					metric,
					expectedAnswer: 'The sky is blue.',
					actualAnswer: '={{ $json.answer }}',
					userQuery: '={{ $json.question }}',
					options: {},
				},
			};
			const result = await ctx.run({
				nodes: [root],
				subNodes: [sub(ctx.modelNode(), root.name)],
				items: [{ question: 'What colour is the sky?', answer: 'The sky is blue.' }],
			});
			const [item] = outputs(result, root.name)[0];
			const score = item.json[metric === 'correctness' ? 'Correctness' : 'Helpfulness'];
			expect(Number.isInteger(score)).toBe(true);
			expect(score as number).toBeGreaterThanOrEqual(1);
			expect(score as number).toBeLessThanOrEqual(5);
		},
	})),
];

/**
 * Which rows (here, or in aiNodeMatrix.test.ts) run each node and version that takes a chat
 * model. A node or version the installed n8n has and this map does not fails the test by name.
 */
const MATRIX = 'aiNodeMatrix.test.ts: ';
const COVERAGE: Array<{ type: string; versions: number[]; rows: string[] }> = [
	{
		type: `${LC}.agent`,
		versions: [1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9],
		rows: ['AI Agent 1.9 (a tool)'],
	},
	{
		type: `${LC}.agent`,
		versions: [2, 2.1, 2.2],
		rows: [
			`${MATRIX}AI Agent 2.2 (Structured Output Parser 1.3)`,
			'AI Agent 2.2 (Simple Memory, three turns with tools, V4 passback)',
			'AI Agent 2.2 (streaming to the Chat Trigger)',
			'AI Agent 2.2 (streaming to a Webhook)',
			'AI Agent 2.2 (Return Intermediate Steps)',
		],
	},
	{
		type: `${LC}.agent`,
		versions: [3, 3.1],
		rows: [
			`${MATRIX}AI Agent 3.1 (a tool)`,
			'AI Agent 3.1 (Simple Memory, three turns with tools, V4 passback)',
			'AI Agent 3.1 (Enable Fallback Model: this model as the fallback)',
			'AI Agent 3.1 (Return Intermediate Steps)',
		],
	},
	{
		type: `${LC}.agentTool`,
		versions: [2.2],
		rows: ['AI Agent Tool 2.2 (called by an AI Agent 3.1)'],
	},
	{ type: `${LC}.agentTool`, versions: [3], rows: ['AI Agent Tool 3 (called by an AI Agent 3.1)'] },
	{ type: `${LC}.chainSummarization`, versions: [1], rows: ['Summarization Chain 1'] },
	{
		type: `${LC}.chainSummarization`,
		versions: [2, 2.1],
		rows: [`${MATRIX}Summarization Chain 2.1 (stuff)`],
	},
	{
		type: `${LC}.chainLlm`,
		versions: [1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9],
		rows: [
			`${MATRIX}Basic LLM Chain 1.9 (Structured Output Parser 1.3)`,
			'Basic LLM Chain 1.9 (Enable Fallback Model: this model as the fallback)',
		],
	},
	{
		type: `${LC}.chainRetrievalQa`,
		versions: [1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7],
		rows: ['Question and Answer Chain 1.7 (a retriever)'],
	},
	{
		type: `${LC}.sentimentAnalysis`,
		versions: [1, 1.1],
		rows: [`${MATRIX}Sentiment Analysis 1.1 (categories)`],
	},
	{
		type: `${LC}.informationExtractor`,
		versions: [1, 1.1, 1.2],
		rows: [`${MATRIX}Information Extractor 1.2 (JSON schema)`],
	},
	{
		type: `${LC}.textClassifier`,
		versions: [1, 1.1],
		rows: [`${MATRIX}Text Classifier 1.1 (three categories and Other)`],
	},
	{ type: `${LC}.code`, versions: [1], rows: ['LangChain Code 1 (invoke and stream the model)'] },
	{
		type: `${LC}.outputParserAutofixing`,
		versions: [1],
		rows: ['Auto-fixing Output Parser 1 (a first answer that does not parse)'],
	},
	{
		type: `${LC}.outputParserStructured`,
		versions: [1, 1.1, 1.2, 1.3],
		rows: ['Structured Output Parser 1.3 (Auto-Fix Format, a first answer that does not parse)'],
	},
	{
		type: `${LC}.retrieverContextualCompression`,
		versions: [1],
		rows: ['Question and Answer Chain 1.7 (Contextual Compression Retriever)'],
	},
	{
		type: `${LC}.retrieverMultiQuery`,
		versions: [1],
		rows: ['Question and Answer Chain 1.7 (MultiQuery Retriever)'],
	},
	{
		type: `${LC}.toolVectorStore`,
		versions: [1, 1.1],
		rows: ['Vector Store Question Answer Tool 1.1 (run as a node)'],
	},
	{
		type: `${LC}.modelSelector`,
		versions: [1],
		rows: ['Model Selector 1 (the rule picks this model)'],
	},
	{
		type: `${LC}.guardrails`,
		versions: [1],
		rows: ['Guardrails 1 (the LLM checks Jailbreak and Topical Alignment)'],
	},
	{
		type: `${LC}.guardrails`,
		versions: [2],
		rows: ['Guardrails 2 (the LLM checks Jailbreak and Topical Alignment)'],
	},
	{
		type: `${BASE}.evaluation`,
		versions: [4.6, 4.7, 4.8],
		rows: [
			'Evaluation 4.8 (Set Metrics: Correctness, the Model input)',
			'Evaluation 4.8 (Set Metrics: Helpfulness, the Model input)',
		],
	},
];

/** Nodes with a chat model input that no workflow here can run, and why (a row in the table). */
const NOT_RUN: Array<{ type: string; versions: number[]; row: string; why: string }> = [
	{
		type: `${LC}.microsoftAgent365Trigger`,
		versions: [1, 1.1],
		row: 'Microsoft Agent 365 Trigger 1.1',
		why: 'not run here: a trigger that answers Microsoft 365 Agents with Microsoft credentials',
	},
];

/** What n8n's OpenAI Chat Model pointed at MetaChat gives, where it is not "works". */
const OPENAI_OUTCOMES: Record<string, RegExp> = {
	// LangChain's OpenAI client sends the tool-call message back without its reasoning_content,
	// which DeepSeek's thinking mode needs back, and (AI Agent 3) with `content: []`, which the
	// simulator refuses where DeepSeek's answer is not documented.
	'AI Agent 1.9 (a tool)':
		/^fails: Bad request - please check your parameters \(Missing `reasoning_content` field in the assistant message at message index 1\)$/,
	'AI Agent 2.2 (Simple Memory, three turns with tools, V4 passback)':
		/^fails: Bad request - please check your parameters \(The `reasoning_content` in the thinking mode must be passed back to the API\.\)$/,
	'AI Agent 3.1 (Simple Memory, three turns with tools, V4 passback)': /content must be a string/,
	'AI Agent 2.2 (Return Intermediate Steps)':
		/^fails: Bad request - please check your parameters \(Missing `reasoning_content` field in the assistant message at message index 1\)$/,
	'AI Agent 3.1 (Return Intermediate Steps)': /content must be a string/,
	'AI Agent Tool 2.2 (called by an AI Agent 3.1)': /content must be a string/,
	'AI Agent Tool 3 (called by an AI Agent 3.1)': /content must be a string/,
	// LangChain's OpenAI client asks for structured output with json_schema, which DeepSeek refuses.
	'Evaluation 4.8 (Set Metrics: Correctness, the Model input)':
		/^fails: Failed to evaluate correctness \(Error from language model: Bad request - please check your parameters\)$/,
	'Evaluation 4.8 (Set Metrics: Helpfulness, the Model input)':
		/^fails: Failed to evaluate helpfulness \(Error from language model: Bad request - please check your parameters\)$/,
};

const table = new Map<string, Map<string, string>>();

/** Runs fn on each item, at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
	const queue = [...items];
	await Promise.all(
		Array.from({ length: limit }, async () => {
			for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
		}),
	);
}

const summary = (error: unknown) =>
	`fails: ${String((error as { message?: unknown })?.message ?? error)
		.split('\n')[0]
		.replace(/\|/g, '\\|')
		.slice(0, 140)}`;

(available ? describe : describe.skip)(
	"n8n's AI surface (every node that takes a chat model) × DeepSeek models",
	() => {
		const lanes = new Map<string, Lane>();

		beforeAll(async () => {
			// Loading n8n's nodes (and LangChain under them) takes seconds on a busy machine: once,
			// here, not in the first case's time.
			nodeTypes();
			for (const column of COLUMNS) {
				const start = (name: string) =>
					startSimulator({ name: `${name}-${column.name}`, apiKey: API_KEY });
				lanes.set(column.name, {
					primary: await start('primary'),
					backup: await start('backup'),
					other: await start('other'),
				});
			}
		}, 120_000);

		afterAll(async () => {
			for (const lane of lanes.values())
				for (const sim of Object.values(lane)) await (sim as Simulator).close();
			if (table.size === 0) return;
			const names = COLUMNS.map((column) => column.name);
			const header = COLUMNS.map((c) => (c.via === 'metachat' ? `\`${c.name}\`` : c.name));
			const lines = [
				`| AI node (case) | ${header.join(' | ')} |`,
				`|---|${names.map(() => '---').join('|')}|`,
				...CASES.map(
					({ name }) =>
						`| ${name} | ${names.map((column) => table.get(name)?.get(column) ?? 'not run').join(' | ')} |`,
				),
				...NOT_RUN.map(({ row, why }) => `| ${row} | ${names.map(() => why).join(' | ')} |`),
			];
			console.log(lines.join('\n'));
		});

		it('has a case for every node and version of the installed n8n that takes a chat model', () => {
			const found = languageModelInputs();
			const covered = [...COVERAGE, ...NOT_RUN];
			const missing = found.flatMap(({ type, versions }) =>
				versions
					.filter(
						(v) => !covered.some((entry) => entry.type === type && entry.versions.includes(v)),
					)
					.map((v) => `${type} ${v}`),
			);
			expect(missing).toEqual([]);
			// And every row the map names exists.
			const rows = new Set(CASES.map((c) => c.name));
			const unknown = COVERAGE.flatMap((entry) => entry.rows).filter(
				(row) => !row.startsWith(MATRIX) && !rows.has(row),
			);
			expect(unknown).toEqual([]);
		});

		it.each(CASES.map((testCase) => [testCase.name, testCase] as const))(
			'%s',
			async (name, testCase) => {
				const row = new Map<string, string>();
				const details = new Map<string, string>();
				table.set(name, row);
				await pool(COLUMNS, CONCURRENCY, async (column) => {
					const lane = lanes.get(column.name)!;
					try {
						await testCase.check(context(column, lane));
						row.set(column.name, 'works');
					} catch (error) {
						row.set(column.name, summary(error));
						details.set(column.name, String((error as Error)?.message ?? error).slice(0, 1500));
					} finally {
						for (const sim of Object.values(lane) as Simulator[]) sim.reset();
						lane.primary.configure({ passbackRule: 'v3.2', replyTokens: undefined });
						forgetDownPrimaries();
					}
				});
				const ours = MODELS.filter((model) => row.get(model) !== 'works').map(
					(model) => `${model}: ${details.get(model) ?? row.get(model)}`,
				);
				expect(ours).toEqual([]);
				expect(row.get(OPENAI_COLUMN)).toMatch(OPENAI_OUTCOMES[name] ?? /^works$/);
			},
			// Seven columns, three at a time, on a shared two-core machine.
			120_000,
		);
	},
);
