import path from 'path';

import type { IDataObject, INodeParameters, INodeType, IVersionedNodeType } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { LmChatDeepSeek } from '../../nodes/LmChatDeepSeek/LmChatDeepSeek.node';
import { runWorkflow, type SubNodeSpec } from '../harness';
import { aiNodesAvailable as available, aiNodeTypes, LANGCHAIN, LC, N8N_MODULES } from './aiNodes';
import {
	chatModelNode,
	MODEL_TYPE,
	allText,
	useSimulatorPair,
	type SimulatorPair,
	metaChatCredential,
} from './fixtures';

// Where n8n plugs a chat model in and reads its messages as n8n's own chat models shape them: the
// fixing output parsers (content.toString()), the LangChain Code node (invoke and stream), the
// Evaluation node's LLM-judged metrics (withStructuredOutput) and the AI Agent's intermediate
// steps (the message's id, raw tool calls and metadata).

if (!available) console.warn(`n8n's AI nodes not found in ${LANGCHAIN}: engine tests skipped`);

const EVALUATION = 'n8n-nodes-base.evaluation';

function loadBaseNode(file: string, name: string): INodeType | IVersionedNodeType {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const module = require(path.join(N8N_MODULES, 'n8n-nodes-base', 'dist', 'nodes', file)) as Record<
		string,
		new () => INodeType | IVersionedNodeType
	>;
	return new module[name]();
}

function nodeTypes(): Record<string, INodeType | IVersionedNodeType> {
	return {
		[MODEL_TYPE]: new LmChatDeepSeek(),
		...aiNodeTypes(
			'agent',
			'toolCalculator',
			'chainLlm',
			'outputParserStructured',
			'outputParserAutofixing',
			'code',
		),
		[EVALUATION]: loadBaseNode('Evaluation/Evaluation/Evaluation.node.ee.js', 'Evaluation'),
	};
}

const modelNode = (name: string, model: string, options: INodeParameters = {}) =>
	chatModelNode(model, options, name);

interface Flow {
	root: { name: string; type: string; typeVersion: number; parameters: INodeParameters };
	subNodes: SubNodeSpec[];
	items: IDataObject[];
}

async function run(pair: SimulatorPair, flow: Flow) {
	return await runWorkflow({
		nodeTypes: nodeTypes(),
		...metaChatCredential(pair),
		items: flow.items.map((json) => ({ json })),
		nodes: [flow.root],
		subNodes: flow.subNodes,
		timeoutMs: 30_000,
	});
}

const chatRequests = (pair: SimulatorPair) =>
	pair.primary.requests.filter((request) => request.path.endsWith('/chat/completions'));
const lastUserText = (request: { body: unknown }) =>
	String(
		(request.body as { messages: Array<{ role: string; content: unknown }> }).messages
			.filter((message) => message.role === 'user')
			.at(-1)?.content,
	);

const CITY_SCHEMA = {
	type: 'object',
	properties: {
		city: { type: 'string' },
		country: { type: 'string' },
		population: { type: 'number' },
	},
	required: ['city', 'country', 'population'],
};
const CITY = { text: 'Describe the city: Paris, country: France, population: 2100000.' };
const PARIS = { city: 'Paris', country: 'France', population: 2100000 };
const FIX_MARK = 'Above, the Completion did not satisfy the constraints';

const chain = {
	name: 'Basic LLM Chain',
	type: `${LC}.chainLlm`,
	typeVersion: 1.7,
	parameters: { promptType: 'define', text: '={{ $json.text }}', hasOutputParser: true },
};
const structuredParser = (parameters: INodeParameters = {}) => ({
	name: 'Structured Output Parser',
	type: `${LC}.outputParserStructured`,
	typeVersion: 1.3,
	parameters: { schemaType: 'manual', inputSchema: JSON.stringify(CITY_SCHEMA), ...parameters },
});

(available ? describe : describe.skip)(
	'n8n’s AI nodes read our model’s messages as n8n’s own',
	() => {
		const pair = useSimulatorPair();

		describe('a first answer that does not parse is fixed by the model, and the item gets the object', () => {
			const expectFixed = (result: Awaited<ReturnType<typeof run>>) => {
				expect(result.error).toBeUndefined();
				expect(result.output('Basic LLM Chain').map((item) => item.json)).toEqual([
					{ output: PARIS },
				]);
				const requests = chatRequests(pair);
				expect(requests).toHaveLength(2);
				expect(lastUserText(requests[1])).toContain(FIX_MARK);
			};

			it('the Structured Output Parser with Auto-Fix Format', async () => {
				pair.primary.setFault({ type: 'badjson', times: 1 });
				const result = await run(pair, {
					root: chain,
					items: [CITY],
					subNodes: [
						{
							node: modelNode('DeepSeek Model', 'deepseek-chat'),
							to: 'Basic LLM Chain',
							type: NodeConnectionTypes.AiLanguageModel,
						},
						{
							node: structuredParser({ autoFix: true }),
							to: 'Basic LLM Chain',
							type: NodeConnectionTypes.AiOutputParser,
						},
						{
							node: modelNode('Fixing Model', 'deepseek-chat'),
							to: 'Structured Output Parser',
							type: NodeConnectionTypes.AiLanguageModel,
						},
					],
				});
				expectFixed(result);
			});

			it('the Auto-fixing Output Parser', async () => {
				pair.primary.setFault({ type: 'badjson', times: 1 });
				const result = await run(pair, {
					root: chain,
					items: [CITY],
					subNodes: [
						{
							node: modelNode('DeepSeek Model', 'deepseek-chat'),
							to: 'Basic LLM Chain',
							type: NodeConnectionTypes.AiLanguageModel,
						},
						{
							node: {
								name: 'Auto-fixing Output Parser',
								type: `${LC}.outputParserAutofixing`,
								typeVersion: 1,
								parameters: { options: {} },
							},
							to: 'Basic LLM Chain',
							type: NodeConnectionTypes.AiOutputParser,
						},
						{
							node: modelNode('Fixing Model', 'deepseek-reasoner'),
							to: 'Auto-fixing Output Parser',
							type: NodeConnectionTypes.AiLanguageModel,
						},
						{
							node: structuredParser(),
							to: 'Auto-fixing Output Parser',
							type: NodeConnectionTypes.AiOutputParser,
						},
					],
				});
				expectFixed(result);
			});
		});

		it('the LangChain Code node gets a string from invoke() and from stream()', async () => {
			// Read up to the chunk that carries the finish reason: in this harness's sandbox a stream's
			// end never comes, for n8n's own OpenAI Chat Model too.
			const code = `
const model = await this.getInputConnectionData('ai_languageModel', 0);
const invoked = await model.invoke('Hello');
let streamed = '';
const kinds = [];
const chunks = (await model.stream('Hello'))[Symbol.asyncIterator]();
for (let n = 0; n < 100; n++) {
	const { value: chunk } = await chunks.next();
	kinds.push(typeof chunk.content);
	streamed += chunk.content;
	if (chunk.response_metadata.finish_reason) break;
}
return [{ json: { invoked: invoked.content, asText: invoked.content.toString(), streamed, kinds: [...new Set(kinds)] } }];`;
			const result = await run(pair, {
				root: {
					name: 'LangChain Code',
					type: `${LC}.code`,
					typeVersion: 1,
					parameters: {
						code: { execute: { code } },
						inputs: {
							input: [
								{ type: 'main', maxConnections: 1, required: true },
								{ type: 'ai_languageModel', maxConnections: 1, required: true },
							],
						},
						outputs: { output: [{ type: 'main' }] },
					},
				},
				items: [{}],
				subNodes: [
					{
						node: modelNode('DeepSeek Model', 'deepseek-reasoner'),
						to: 'LangChain Code',
						type: NodeConnectionTypes.AiLanguageModel,
					},
				],
			});
			expect(result.error).toBeUndefined();
			const [item] = result.output('LangChain Code');
			const answer = expect.stringMatching(/^\[simulated deepseek-reasoner\] /);
			expect(item.json).toEqual({
				invoked: answer,
				asText: answer,
				streamed: answer,
				kinds: ['string'],
			});
			expect(item.json.streamed).toBe(item.json.invoked);
			expect(item.json.invoked).not.toMatch(/simulated reasoning/);
		});

		describe('the Evaluation node’s metrics judged by our model on its Model input', () => {
			const QUESTION = 'What is the capital of France?';
			const metric = (name: 'correctness' | 'helpfulness'): Flow['root'] => ({
				name: 'Evaluation',
				type: EVALUATION,
				typeVersion: 4.8,
				parameters: {
					operation: 'setMetrics',
					metric: name,
					...(name === 'correctness'
						? { expectedAnswer: 'Paris', actualAnswer: '={{ $json.answer }}' }
						: { userQuery: QUESTION, actualAnswer: '={{ $json.answer }}' }),
					options: {},
				},
			});

			it.each([
				['correctness', 'Correctness', 'deepseek-chat', {}],
				['helpfulness', 'Helpfulness', 'deepseek-reasoner', {}],
				['correctness', 'Correctness', 'deepseek-chat', { thinking: 'disabled' }],
				['helpfulness', 'Helpfulness', 'deepseek-chat', { thinking: 'disabled' }],
			] as const)(
				'%s with %s, options %j: the item gets the score',
				async (name, label, model, options) => {
					const result = await run(pair, {
						root: metric(name),
						items: [{ answer: 'The capital of France is Paris.' }],
						subNodes: [
							{
								node: modelNode('DeepSeek Model', model, options),
								to: 'Evaluation',
								type: NodeConnectionTypes.AiLanguageModel,
							},
						],
					});
					expect(allText(result.error)).toBe('');
					const [item] = result.output('Evaluation');
					expect(Object.keys(item.json)).toEqual([label]);
					expect(Number.isInteger(item.json[label])).toBe(true);
					expect(item.json[label]).toBeGreaterThanOrEqual(1);
					expect(item.json[label]).toBeLessThanOrEqual(5);
					const [request] = chatRequests(pair);
					const body = request.body as IDataObject;
					if ('thinking' in options) {
						// A forced call of the structured output's tool, which DeepSeek takes without thinking.
						expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'extract' } });
					} else {
						expect(body.response_format).toEqual({ type: 'json_object' });
						expect(body).not.toHaveProperty('tool_choice');
					}
				},
			);
		});

		// AI Agent 3 rebuilds each step's message from the engine's records, for every model alike.
		it.each([1.9, 2.2])(
			'AI Agent %s with Return Intermediate Steps: the step’s message as n8n’s own models give it',
			async (version) => {
				pair.primary.scriptTools({
					rounds: [[{ name: 'Calculator', arguments: { input: '6 * 7' } }]],
				});
				const result = await run(pair, {
					root: {
						name: 'AI Agent',
						type: `${LC}.agent`,
						typeVersion: version,
						parameters: {
							promptType: 'define',
							text: '={{ $json.chatInput }}',
							options: { returnIntermediateSteps: true },
						},
					},
					items: [{ chatInput: 'What is 6 times 7?' }],
					subNodes: [
						{
							node: modelNode('DeepSeek Model', 'deepseek-reasoner'),
							to: 'AI Agent',
							type: NodeConnectionTypes.AiLanguageModel,
						},
						{
							node: {
								name: 'Calculator',
								type: `${LC}.toolCalculator`,
								typeVersion: 1,
								parameters: {},
							},
							to: 'AI Agent',
							type: NodeConnectionTypes.AiTool,
						},
					],
				});
				expect(result.error).toBeUndefined();
				const [item] = result.output('AI Agent');
				expect(item.json.output).toMatch(/Calculator said/);
				const steps = item.json.intermediateSteps as Array<{
					action: { messageLog: Array<Record<string, unknown>>; toolCallId?: string };
				}>;
				expect(steps).toHaveLength(1);
				const [message] = steps[0].action.messageLog;
				const usage = chatRequests(pair)[0].usage as Record<string, number>;
				const kwargs = (message.kwargs ?? message) as Record<string, unknown>;
				expect(kwargs.id).toMatch(/^chatcmpl-sim-/);
				expect(kwargs.content).toBe('');
				expect(kwargs.additional_kwargs).toEqual({
					tool_calls: [
						{
							id: steps[0].action.toolCallId,
							type: 'function',
							function: { name: 'Calculator', arguments: '{"input":"6 * 7"}' },
						},
					],
				});
				expect(kwargs.response_metadata).toMatchObject({
					finish_reason: 'tool_calls',
					model_name: 'deepseek-reasoner',
					usage: expect.objectContaining({
						prompt_tokens: usage.prompt_tokens,
						completion_tokens: usage.completion_tokens,
						total_tokens: usage.total_tokens,
					}),
				});
			},
		);
	},
);
