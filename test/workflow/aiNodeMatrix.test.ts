import path from 'path';

import type {
	ICredentialType,
	IDataObject,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { MetaChatApi } from '../../credentials/MetaChatApi.credentials';
import { LmChatDeepSeek } from '../../nodes/LmChatDeepSeek/LmChatDeepSeek.node';
import { runWorkflow, type SubNodeSpec } from '../harness';
import {
	aiNodesAvailable as available,
	aiNodeTypes,
	LANGCHAIN,
	LC,
	loadAiNode as load,
	N8N_MODULES,
} from './aiNodes';
import { API_KEY, useSimulatorPair, type SimulatorPair } from './fixtures';

// n8n's AI root nodes (the installed n8n's, at the versions its editor adds today) with the MetaChat
// DeepSeek Chat Model, for every DeepSeek model: each test asserts the node's real result, and
// afterAll prints the table docs/compatibility.md shows ("The AI nodes with each DeepSeek model").

if (!available) console.warn(`n8n's AI nodes not found in ${LANGCHAIN}: engine tests skipped`);

const MODEL_TYPE = 'n8n-nodes-metachat.lmChatDeepSeek';
const MODELS = [
	'deepseek-chat',
	'deepseek-reasoner',
	'deepseek-v4-flash',
	'deepseek-v4-pro',
	'deepseek-flash',
	'deepseek-r1t2-chimera',
];

// The comparison column: n8n's own OpenAI Chat Model pointed at MetaChat (the credential's URL),
// with the Responses API off (MetaChat serves Chat Completions only), asked for deepseek-reasoner.
const OPENAI_TYPE = `${LC}.lmChatOpenAi`;
const OPENAI_MODEL = 'deepseek-reasoner';
const OPENAI_COLUMN = `n8n's OpenAI Chat Model (\`${OPENAI_MODEL}\`)`;

/**
 * Cases n8n's OpenAI Chat Model is not run in: map_reduce counts tokens with the model's own
 * count, which downloads a tokenizer and, with no network (as here), waits through its retries
 * past any test's time (the stop button does not end it). Our model counts locally.
 */
const OPENAI_NOT_RUN: Record<string, string> = {
	'Summarization Chain 2.1 (map_reduce)':
		'not run here: offline, its token count waits for a tokenizer download',
};

/** Which chat model the next run connects: ours (default) or n8n's OpenAI Chat Model. */
let via: 'metachat' | 'openai' = 'metachat';

function openAiCredentialType(): ICredentialType {
	const file = path.join(
		N8N_MODULES,
		'n8n-nodes-base',
		'dist',
		'credentials',
		'OpenAiApi.credentials.js',
	);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const module = require(file) as { OpenAiApi: new () => ICredentialType };
	return new module.OpenAiApi();
}

function nodeTypes() {
	return {
		[MODEL_TYPE]: new LmChatDeepSeek(),
		[OPENAI_TYPE]: load('llms/LMChatOpenAi/LmChatOpenAi.node.js', 'LmChatOpenAi'),
		...aiNodeTypes(
			'agent',
			'chainLlm',
			'chainSummarization',
			'informationExtractor',
			'textClassifier',
			'sentimentAnalysis',
			'toolCalculator',
			'outputParserStructured',
		),
	};
}

const ROOT = 'AI Node';

interface Flow {
	type: string;
	typeVersion: number;
	parameters: INodeParameters;
	items: IDataObject[];
	/** A Structured Output Parser with this JSON schema on the root's output parser input. */
	outputSchema?: object;
	/** n8n's Calculator tool on the root's tool input. */
	tool?: boolean;
	/** The chat model's Options (both models name JSON output `responseFormat: 'json_object'`). */
	modelOptions?: INodeParameters;
}

async function run(pair: SimulatorPair, model: string, flow: Flow) {
	const modelNode: SubNodeSpec['node'] =
		via === 'openai'
			? {
					name: 'OpenAI Chat Model',
					type: OPENAI_TYPE,
					typeVersion: 1.3,
					parameters: {
						model: { __rl: true, mode: 'id', value: model },
						responsesApiEnabled: false,
						options: flow.modelOptions ?? {},
					},
					credentials: { openAiApi: { id: '3', name: 'OpenAI account' } },
				}
			: {
					name: 'DeepSeek Model',
					type: MODEL_TYPE,
					typeVersion: 1,
					parameters: {
						model: { __rl: true, mode: 'list', value: model },
						options: flow.modelOptions ?? {},
					},
					credentials: { metaChatApi: { id: '1', name: 'MetaChat account' } },
				};
	const subNodes: SubNodeSpec[] = [
		{ node: modelNode, to: ROOT, type: NodeConnectionTypes.AiLanguageModel },
	];
	if (flow.tool)
		subNodes.push({
			node: { name: 'Calculator', type: `${LC}.toolCalculator`, typeVersion: 1, parameters: {} },
			to: ROOT,
			type: NodeConnectionTypes.AiTool,
		});
	if (flow.outputSchema)
		subNodes.push({
			node: {
				name: 'Structured Output Parser',
				type: `${LC}.outputParserStructured`,
				typeVersion: 1.3,
				parameters: { schemaType: 'manual', inputSchema: JSON.stringify(flow.outputSchema) },
			},
			to: ROOT,
			type: NodeConnectionTypes.AiOutputParser,
		});
	const result = await runWorkflow({
		nodeTypes: nodeTypes(),
		credentialTypes: { metaChatApi: new MetaChatApi(), openAiApi: openAiCredentialType() },
		credentials: {
			metaChatApi: { apiKey: API_KEY, baseUrl: pair.primary.url, failoverBaseUrl: pair.backup.url },
			openAiApi: { apiKey: API_KEY, url: pair.primary.url, header: false },
		},
		items: flow.items.map((json) => ({ json })),
		nodes: [
			{ name: ROOT, type: flow.type, typeVersion: flow.typeVersion, parameters: flow.parameters },
		],
		subNodes,
		timeoutMs: 30_000,
	});
	// The node's error, as the editor would show it (an ExecutionError of n8n's, from another realm).
	if (result.error) {
		const { message, description } = result.error as { message: string; description?: string };
		throw new Error(`${message}${description ? ` (${description})` : ''}`);
	}
	const outputs: INodeExecutionData[][] = result.runData[ROOT]?.at(-1)?.data?.main?.map(
		(branch) => branch ?? [],
	) ?? [[]];
	const requests = pair.primary.requests.filter((request) =>
		request.path.endsWith('/chat/completions'),
	);
	expect(requests.map((request) => request.status)).toEqual(requests.map(() => 200));
	return { outputs, requests };
}

/** The user messages the simulator received, in order. */
const userTexts = (requests: Array<{ body: unknown }>) =>
	requests.map((request) =>
		(request.body as { messages: Array<{ role: string; content: string }> }).messages
			.filter((message) => message.role === 'user')
			.map((message) => message.content)
			.join('\n'),
	);

const NO_REASONING = /<\/?think>|simulated reasoning/;

// Four paragraphs of about 4,000 characters each, one chunk each at 5,000 characters a chunk.
// Their 4,000 tokens (our model counts 4 characters a token) are past map_reduce's 3,000, below
// which LangChain skips the map step and summarises the whole text at once, as stuff does.
const TOPICS = [
	'Rivers carry water from the mountains to the sea.',
	'Forests shelter thousands of species of birds.',
	'Deserts receive less than ten inches of rain a year.',
	'Glaciers store most of the fresh water on the planet.',
];
const LONG_TEXT = TOPICS.map((lead, index) =>
	[
		lead,
		...Array.from(
			{ length: 80 },
			(_, n) => `Detail ${index + 1}.${n + 1} adds a little more context here.`,
		),
	].join(' '),
).join('\n\n');

function summarization(method: 'map_reduce' | 'stuff' | 'refine'): Flow {
	return {
		type: `${LC}.chainSummarization`,
		typeVersion: 2.1,
		parameters: {
			chunkSize: 5000,
			chunkOverlap: 0,
			options: { summarizationMethodAndPrompts: { values: { summarizationMethod: method } } },
		},
		items: [{ text: LONG_TEXT }],
	};
}

const ORDERS = [
	{
		text: 'Customer: Ada Lovelace, city: Paris, quantity: 3, delivery date: 2026-03-05, gift wrap: yes.',
		expected: {
			customer: 'Ada Lovelace',
			city: 'Paris',
			quantity: 3,
			deliveryDate: '2026-03-05',
			giftWrap: true,
		},
	},
	{
		text: 'Hello! Customer: Grace Hopper, city: Lyon, quantity: 12, delivery date: 2026-04-01, gift wrap: no. Thanks',
		expected: {
			customer: 'Grace Hopper',
			city: 'Lyon',
			quantity: 12,
			deliveryDate: '2026-04-01',
			giftWrap: false,
		},
	},
];

const attribute = (name: string, type: string, description: string, required = true) => ({
	name,
	type,
	description,
	required,
});

function extractorFromAttributes(): Flow {
	return {
		type: `${LC}.informationExtractor`,
		typeVersion: 1.2,
		parameters: {
			text: '={{ $json.text }}',
			schemaType: 'fromAttributes',
			attributes: {
				attributes: [
					attribute('customer', 'string', "The customer's full name"),
					attribute('city', 'string', 'Where the order goes'),
					attribute('quantity', 'number', 'How many lamps'),
					attribute('deliveryDate', 'date', 'When it must arrive'),
					attribute('giftWrap', 'boolean', 'Whether to gift wrap it', false),
				],
			},
			options: {},
		},
		items: ORDERS.map(({ text }) => ({ text })),
	};
}

const ORDER_SCHEMA = {
	type: 'object',
	properties: {
		customer: { type: 'string', description: "the customer's full name" },
		city: { type: 'string' },
		quantity: { type: 'integer', minimum: 1 },
		deliveryDate: { type: 'string', format: 'date' },
		giftWrap: { type: 'boolean' },
	},
	required: ['customer', 'city', 'quantity', 'deliveryDate', 'giftWrap'],
};

function extractorFromSchema(): Flow {
	return {
		type: `${LC}.informationExtractor`,
		typeVersion: 1.2,
		parameters: {
			text: '={{ $json.text }}',
			schemaType: 'manual',
			inputSchema: JSON.stringify(ORDER_SCHEMA),
			options: {},
		},
		items: ORDERS.map(({ text }) => ({ text })),
	};
}

const TICKETS = {
	billing: 'I was charged twice on my last invoice, please refund one payment.',
	shipping: 'My parcel tracking has not moved for a week, where is my delivery?',
	technical: 'The app crashes with an error every time I try to login.',
	other: 'What are your opening hours on Sunday?',
	billingAndShipping: 'Refund the charge for the delivery: the parcel never arrived.',
};

function classifier(options: INodeParameters, texts: string[]): Flow {
	return {
		type: `${LC}.textClassifier`,
		typeVersion: 1.1,
		parameters: {
			inputText: '={{ $json.text }}',
			categories: {
				categories: [
					{ category: 'Billing', description: 'invoices, payments, refunds and charges' },
					{ category: 'Shipping', description: 'delivery, tracking, parcels and couriers' },
					{ category: 'Technical', description: 'bugs, errors, crashes and login problems' },
				],
			},
			options,
		},
		items: texts.map((text) => ({ text })),
	};
}

const REVIEWS = {
	positive: 'I love this lamp, great quality and fast shipping, thanks!',
	neutral: 'The lamp is 40 cm tall and comes in a box.',
	negative: 'The lamp arrived broken and support was rude. Terrible.',
};

function sentiment(options: INodeParameters): Flow {
	return {
		type: `${LC}.sentimentAnalysis`,
		typeVersion: 1.1,
		parameters: { inputText: '={{ $json.text }}', options },
		items: [REVIEWS.positive, REVIEWS.negative, REVIEWS.neutral].map((text) => ({ text })),
	};
}

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
const CITIES = [
	{
		text: 'Describe the city: Paris, country: France, population: 2100000, capital: yes.',
		expected: { city: 'Paris', country: 'France', population: 2100000, capital: true },
	},
	{
		text: 'Describe the city: Lyon, country: France, population: 520000, capital: no.',
		expected: { city: 'Lyon', country: 'France', population: 520000, capital: false },
	},
];

const texts = (items: INodeExecutionData[]) => items.map((item) => item.json.text);

interface Case {
	name: string;
	check: (pair: SimulatorPair, model: string) => Promise<void>;
}

function summaryCase(
	method: 'map_reduce' | 'stuff' | 'refine',
	calls: (chunks: number) => number,
): Case {
	return {
		name: `Summarization Chain 2.1 (${method})`,
		async check(pair, model) {
			const { outputs, requests } = await run(pair, model, summarization(method));
			const [item] = outputs[0];
			// LangChain's refine chain names its answer output_text, the others text.
			const output = item.json.output as IDataObject;
			const text = (method === 'refine' ? output.output_text : output.text) as string;
			expect(text).toMatch(new RegExp(`^\\[simulated ${model}\\] Summary: `));
			for (const lead of TOPICS) expect(text).toContain(lead);
			expect(text).not.toMatch(NO_REASONING);
			expect(text).not.toMatch(/Detail \d/);
			expect(requests).toHaveLength(calls(TOPICS.length));
			if (method === 'map_reduce') {
				// One chunk a map request, then the combining request with the four summaries.
				const sent = userTexts(requests);
				const leads = (text: string) => TOPICS.filter((lead) => text.includes(lead));
				expect(sent.map((text) => leads(text).length)).toEqual([1, 1, 1, 1, 4]);
				expect(sent.at(-1)).not.toMatch(/Detail \d/);
			}
		},
	};
}

const CASES: Case[] = [
	summaryCase('map_reduce', (chunks) => chunks + 1),
	summaryCase('stuff', () => 1),
	summaryCase('refine', (chunks) => chunks),
	{
		name: 'Information Extractor 1.2 (attributes)',
		async check(pair, model) {
			const { outputs } = await run(pair, model, extractorFromAttributes());
			expect(outputs[0].map((item) => item.json.output)).toEqual(ORDERS.map((o) => o.expected));
		},
	},
	{
		name: 'Information Extractor 1.2 (JSON schema)',
		async check(pair, model) {
			const { outputs } = await run(pair, model, extractorFromSchema());
			expect(outputs[0].map((item) => item.json.output)).toEqual(ORDERS.map((o) => o.expected));
		},
	},
	{
		name: 'Information Extractor 1.2 (a first answer that does not parse, fixed)',
		async check(pair, model) {
			pair.primary.setFault({ type: 'badjson', times: 1 });
			const flow = { ...extractorFromSchema(), items: [{ text: ORDERS[1].text }] };
			const { outputs, requests } = await run(pair, model, flow);
			expect(outputs[0].map((item) => item.json.output)).toEqual([ORDERS[1].expected]);
			expect(requests).toHaveLength(2);
			const [, fix] = userTexts(requests);
			expect(fix).toMatch(/Above, the Completion did not satisfy the constraints/);
			expect(fix).toContain('"customer":"Grace Hopper"');
		},
	},
	{
		name: 'Text Classifier 1.1 (three categories and Other)',
		async check(pair, model) {
			const { outputs } = await run(
				pair,
				model,
				classifier({ fallback: 'other' }, [
					TICKETS.technical,
					TICKETS.billing,
					TICKETS.other,
					TICKETS.shipping,
				]),
			);
			expect(outputs.map(texts)).toEqual([
				[TICKETS.billing],
				[TICKETS.shipping],
				[TICKETS.technical],
				[TICKETS.other],
			]);
		},
	},
	{
		name: 'Text Classifier 1.1 (multiple categories)',
		async check(pair, model) {
			const { outputs } = await run(
				pair,
				model,
				classifier({ multiClass: true }, [
					TICKETS.billingAndShipping,
					TICKETS.technical,
					TICKETS.other,
				]),
			);
			expect(outputs.map(texts)).toEqual([
				[TICKETS.billingAndShipping],
				[TICKETS.billingAndShipping],
				[TICKETS.technical],
			]);
		},
	},
	{
		name: 'Sentiment Analysis 1.1 (categories)',
		async check(pair, model) {
			const { outputs } = await run(pair, model, sentiment({}));
			expect(outputs.map(texts)).toEqual([
				[REVIEWS.positive],
				[REVIEWS.neutral],
				[REVIEWS.negative],
			]);
			expect(outputs[0][0].json.sentimentAnalysis).toEqual({ category: 'Positive' });
		},
	},
	{
		name: 'Sentiment Analysis 1.1 (detailed results)',
		async check(pair, model) {
			const { outputs } = await run(
				pair,
				model,
				sentiment({ categories: 'Happy, Neutral, Angry', includeDetailedResults: true }),
			);
			expect(outputs.map(texts)).toEqual([
				[REVIEWS.positive],
				[REVIEWS.neutral],
				[REVIEWS.negative],
			]);
			const [happy, neutral, angry] = outputs.map(
				(branch) => branch[0].json.sentimentAnalysis as IDataObject,
			);
			expect(happy).toEqual({ category: 'Happy', strength: 1, confidence: expect.any(Number) });
			expect(angry).toMatchObject({ category: 'Angry', strength: 1 });
			expect(neutral).toMatchObject({ category: 'Neutral', strength: 0.5, confidence: 0.5 });
			for (const result of [happy, neutral, angry]) {
				expect(result.confidence as number).toBeGreaterThanOrEqual(0);
				expect(result.confidence as number).toBeLessThanOrEqual(1);
			}
			expect(happy.confidence as number).toBeGreaterThan(0.5);
		},
	},
	{
		name: 'Basic LLM Chain 1.9 (Structured Output Parser 1.3)',
		async check(pair, model) {
			const { outputs } = await run(pair, model, {
				type: `${LC}.chainLlm`,
				typeVersion: 1.9,
				parameters: { promptType: 'define', text: '={{ $json.text }}', hasOutputParser: true },
				items: CITIES.map(({ text }) => ({ text })),
				outputSchema: CITY_SCHEMA,
			});
			expect(outputs[0].map((item) => item.json.output)).toEqual(CITIES.map((c) => c.expected));
		},
	},
	{
		name: 'Basic LLM Chain 1.9 (the model’s Response Format JSON)',
		async check(pair, model) {
			// The prompt does not say "json", which DeepSeek requires for JSON output.
			const items = ['Rivers', 'Mountains'].map((title) => ({
				text: `Suggest a better title for: ${title}`,
			}));
			const { outputs } = await run(pair, model, {
				type: `${LC}.chainLlm`,
				typeVersion: 1.9,
				parameters: { promptType: 'define', text: '={{ $json.text }}' },
				items,
				modelOptions: { responseFormat: 'json_object' },
			});
			// The chain parses the answer into the item, as with n8n's own chat models.
			expect(outputs[0].map((item) => item.json)).toEqual(
				items.map(({ text }) => ({ simulated: true, model, summary: text })),
			);
		},
	},
	{
		name: 'AI Agent 2.2 (Structured Output Parser 1.3)',
		async check(pair, model) {
			const { outputs, requests } = await run(pair, model, {
				type: `${LC}.agent`,
				typeVersion: 2.2,
				parameters: { promptType: 'define', text: '={{ $json.text }}', hasOutputParser: true },
				items: CITIES.map(({ text }) => ({ text })),
				outputSchema: CITY_SCHEMA,
			});
			expect(outputs[0].map((item) => item.json.output)).toEqual(CITIES.map((c) => c.expected));
			for (const request of requests) {
				const tools = (request.body as { tools?: Array<{ function: { name: string } }> }).tools;
				expect(tools?.map((tool) => tool.function.name)).toEqual(['format_final_json_response']);
			}
		},
	},
	{
		name: 'AI Agent 3.1 (a tool)',
		async check(pair, model) {
			pair.primary.scriptTools({
				rounds: [[{ name: 'Calculator', arguments: { input: '6 * 7' } }]],
			});
			const { outputs, requests } = await run(pair, model, agent31({}, true));
			expect(requests).toHaveLength(2);
			expect(outputs[0][0].json.output).toMatch(/Calculator said .*42/);
			expect(String(outputs[0][0].json.output)).not.toMatch(NO_REASONING);
		},
	},
	{
		name: 'AI Agent 3.1 (Force tool call on first iteration)',
		async check(pair, model) {
			// No script: a tool is called only where the request forces it. Every model here may
			// think (Thinking at Model Default), where DeepSeek refuses a forced tool_choice: the
			// model leaves it out, and the agent answers.
			const { outputs, requests } = await run(
				pair,
				model,
				agent31({ forceToolCallOnFirstIteration: true }, true),
			);
			expect(outputs[0][0].json.output).toMatch(/^\[simulated /);
			expect(requests[0].body).not.toHaveProperty('tool_choice');
		},
	},
	{
		name: 'AI Agent 3.1 (Structured Output Parser 1.3)',
		async check(pair, model) {
			const { outputs } = await run(pair, model, {
				...agent31({}, false),
				parameters: { ...agent31({}, false).parameters, hasOutputParser: true },
				items: CITIES.map(({ text }) => ({ text })),
				outputSchema: CITY_SCHEMA,
			});
			expect(outputs[0].map((item) => item.json.output)).toEqual(CITIES.map((c) => c.expected));
		},
	},
];

/** AI Agent 3.1 on the item's text, with n8n's Calculator tool where asked. */
function agent31(options: INodeParameters, tool: boolean): Flow {
	return {
		type: `${LC}.agent`,
		typeVersion: 3.1,
		parameters: { promptType: 'define', text: '={{ $json.text }}', options },
		items: [{ text: '6 * 7' }],
		tool,
	};
}

/** The version the editor adds: a versioned node's default, else the newest. */
function editorVersion(type: INodeType | IVersionedNodeType): number {
	if ('nodeVersions' in type) return type.description.defaultVersion ?? type.currentVersion;
	const { version } = type.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

/** What n8n's OpenAI Chat Model pointed at MetaChat gives, where it is not "works". */
const OPENAI_OUTCOMES: Record<string, RegExp> = {
	// LangChain's OpenAI client sends the tool-call message back with `content: []` (refused by the
	// simulator, strict where DeepSeek's answer is not documented) and without its
	// reasoning_content, which DeepSeek's thinking mode needs back (the next 400 it would meet).
	'AI Agent 3.1 (a tool)':
		/^fails: Bad request - please check your parameters \(messages\[1\]: content must be a string\)$/,
	// It adds no "json" to a prompt that lacks it, which DeepSeek requires for JSON output.
	'Basic LLM Chain 1.9 (the model’s Response Format JSON)':
		/^fails: Bad request - please check your parameters \(Prompt must contain the word 'json' in some form to use 'response_format' of type 'json_object'\.\)$/,
	// It sends the forced tool_choice as is, which thinking mode refuses.
	'AI Agent 3.1 (Force tool call on first iteration)':
		/^fails: Bad request - please check your parameters \(deepseek-reasoner does not support this tool_choice in thinking mode\)$/,
};

/** What each case gave with each model: "works", or how it failed. */
const table = new Map<string, Map<string, string>>();

(available ? describe : describe.skip)(
	"n8n's AI nodes × DeepSeek models, with the MetaChat DeepSeek Chat Model",
	() => {
		const pair = useSimulatorPair();

		afterAll(() => {
			if (table.size === 0) return;
			for (const [name, why] of Object.entries(OPENAI_NOT_RUN))
				table.get(name)?.set(OPENAI_COLUMN, why);
			const columns = [...MODELS, OPENAI_COLUMN];
			const lines = [
				`| AI node (mode) | ${MODELS.map((model) => `\`${model}\``).join(' | ')} | ${OPENAI_COLUMN} |`,
				`|---|${columns.map(() => '---').join('|')}|`,
				...CASES.map(
					({ name }) =>
						`| ${name} | ${columns.map((column) => table.get(name)?.get(column) ?? 'not run').join(' | ')} |`,
				),
			];
			console.log(lines.join('\n'));
		});

		it('runs the versions the installed n8n adds today (AI Agent: 2.2, as asked, besides 3.1)', () => {
			const types: Record<string, INodeType | IVersionedNodeType> = nodeTypes();
			const version = (name: string) => editorVersion(types[`${LC}.${name}`]);
			expect({
				chainSummarization: version('chainSummarization'),
				informationExtractor: version('informationExtractor'),
				textClassifier: version('textClassifier'),
				sentimentAnalysis: version('sentimentAnalysis'),
				chainLlm: version('chainLlm'),
				outputParserStructured: version('outputParserStructured'),
				agent: version('agent'),
			}).toEqual({
				chainSummarization: 2.1,
				informationExtractor: 1.2,
				textClassifier: 1.1,
				sentimentAnalysis: 1.1,
				chainLlm: 1.9,
				outputParserStructured: 1.3,
				agent: 3.1,
			});
		});

		it.each(
			CASES.flatMap((testCase) => MODELS.map((model) => [testCase.name, model, testCase] as const)),
		)('%s with %s', async (name, model, testCase) => {
			const row = table.get(name) ?? new Map<string, string>();
			table.set(name, row);
			try {
				await testCase.check(pair, model);
				row.set(model, 'works');
			} catch (error) {
				const message = String((error as { message?: unknown })?.message ?? error);
				row.set(model, `fails: ${message.split('\n')[0].replace(/\|/g, '\\|').slice(0, 120)}`);
				throw error;
			}
		});

		// The same checks with n8n's OpenAI Chat Model pointed at MetaChat, for the README's
		// comparison column: each case gives what it gave when this test was written, "works" or
		// the error n8n shows.
		it.each(
			CASES.filter(({ name }) => !(name in OPENAI_NOT_RUN)).map(
				(testCase) => [testCase.name, testCase] as const,
			),
		)("%s with n8n's OpenAI Chat Model", async (name, testCase) => {
			const row = table.get(name) ?? new Map<string, string>();
			table.set(name, row);
			via = 'openai';
			let outcome = 'works';
			try {
				await testCase.check(pair, OPENAI_MODEL);
			} catch (error) {
				const message = String((error as { message?: unknown })?.message ?? error);
				outcome = `fails: ${message.split('\n')[0].replace(/\|/g, '\\|').slice(0, 160)}`;
			} finally {
				via = 'metachat';
			}
			row.set(OPENAI_COLUMN, outcome);
			expect(outcome).toMatch(OPENAI_OUTCOMES[name] ?? /^works$/);
		});
	},
);
