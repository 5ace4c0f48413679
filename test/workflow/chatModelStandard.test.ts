import { tool } from '@langchain/core/tools';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import path from 'path';
import { z } from 'zod';

import { LmChatDeepSeek } from '../../nodes/LmChatDeepSeek/LmChatDeepSeek.node';
import { runWorkflow } from '../harness';
import {
	chatModelNode,
	MODEL_TYPE,
	useSimulatorPair,
	type SimulatorPair,
	metaChatCredential,
} from './fixtures';

// After LangChain JS's standard chat-model tests (internal/standard-tests: the unit and integration
// tests of a chat model), those that apply to DeepSeek, run on the object the sub-node supplies:
// supplyData's response, as n8n's engine hands it to the node it serves, against the simulator.

/** The LangChain copy of the SDK's adapter, whose classes the supplied model's messages are. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lc = require(
	require.resolve('@langchain/core/messages', {
		paths: [path.dirname(require.resolve('@n8n/ai-utilities'))],
	}),
) as typeof import('@langchain/core/messages');
const { AIMessage, AIMessageChunk, HumanMessage, SystemMessage, ToolMessage } = lc;

type Message = InstanceType<typeof AIMessage>;
type Chunk = InstanceType<typeof AIMessageChunk>;

/** The supplied model, as far as the tests call it. */
interface SuppliedModel {
	invoke(input: unknown, options?: Record<string, unknown>): Promise<Message>;
	stream(input: unknown, options?: Record<string, unknown>): Promise<AsyncIterable<Chunk>>;
	bindTools(tools: unknown[], options?: Record<string, unknown>): SuppliedModel;
	withStructuredOutput(
		schema: unknown,
		config?: Record<string, unknown>,
	): { invoke(input: unknown, options?: Record<string, unknown>): Promise<unknown> };
	getLsParams(options: Record<string, unknown>): Record<string, unknown>;
}

type Probe = (model: SuppliedModel) => Promise<void>;
const probes = new Map<string, Probe>();

/** A test-only root node: takes the model on its Model input and hands it to the test's probe. */
class ModelProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Model Probe',
		name: 'test.modelProbe',
		group: ['transform'],
		version: 1,
		description: 'Hands the connected chat model to a test',
		defaults: { name: 'Probe' },
		inputs: [
			NodeConnectionTypes.Main,
			{ type: NodeConnectionTypes.AiLanguageModel, required: true, maxConnections: 1 },
		],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Key', name: 'key', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const key = this.getNodeParameter('key', 0) as string;
		const model = (await this.getInputConnectionData(
			NodeConnectionTypes.AiLanguageModel,
			0,
		)) as SuppliedModel;
		await probes.get(key)!(model);
		return [[{ json: { probed: true }, pairedItem: { item: 0 } }]];
	}
}

/** Runs the probe on the model the sub-node supplies, with this model ID and these options. */
async function withSuppliedModel(
	pair: SimulatorPair,
	probe: Probe,
	model = 'deepseek-chat',
	options: INodeParameters = {},
): Promise<void> {
	const key = `probe-${probes.size}`;
	let failure: unknown;
	probes.set(key, async (supplied) => {
		try {
			await probe(supplied);
		} catch (error) {
			failure = error;
		}
	});
	const result = await runWorkflow({
		nodeTypes: { 'test.modelProbe': new ModelProbe(), [MODEL_TYPE]: new LmChatDeepSeek() },
		...metaChatCredential(pair),
		nodes: [{ name: 'Probe', type: 'test.modelProbe', typeVersion: 1, parameters: { key } }],
		subNodes: [
			{
				node: chatModelNode(model, options),
				to: 'Probe',
				type: NodeConnectionTypes.AiLanguageModel,
			},
		],
	});
	probes.delete(key);
	if (failure) throw failure;
	expect(result.error).toBeUndefined();
	expect(result.output('Probe')).toEqual([{ json: { probed: true }, pairedItem: { item: 0 } }]);
}

const chatRequests = (pair: SimulatorPair) =>
	pair.primary.requests.filter((request) => request.path.endsWith('/chat/completions'));
const bodyOf = (pair: SimulatorPair, index = -1) =>
	chatRequests(pair).at(index)!.body as Record<string, unknown>;

const adder = tool(
	async ({ a, b }: { a: number; b: number }) => JSON.stringify({ result: a + b }),
	{
		name: 'AdderTool',
		description: 'Add two integers',
		schema: z.object({
			a: z.number().int().describe('The first integer to add.'),
			b: z.number().int().describe('The second integer to add.'),
		}),
	},
);
const adderRound = { rounds: [[{ name: 'AdderTool', arguments: { a: 1, b: 2 } }]] };
const person = z
	.object({
		name: z.string().describe('Name of the person'),
		age: z.number().int().positive().describe('Age of the person'),
	})
	.describe('A person');
const PERSON_PROMPT = 'Extract the person: the name is Ada, the age is 36.';
const ANSWER_ID = /^chatcmpl-sim-/;
const THINKING_OFF = { thinking: 'disabled' };

describe('the supplied chat model, after LangChain’s standard chat-model tests', () => {
	const pair = useSimulatorPair();

	it('invoke gives an AIMessage with a string, the response id, metadata and usage', async () => {
		await withSuppliedModel(pair, async (model) => {
			const result = await model.invoke('Hello');
			expect(result).toBeInstanceOf(AIMessage);
			expect(result.content).toMatch(/^\[simulated deepseek-chat\] /);
			expect(typeof result.content).toBe('string');
			expect(result.text).toBe(result.content);
			expect(result.id).toMatch(ANSWER_ID);
			const usage = chatRequests(pair)[0].usage as Record<string, number>;
			expect(result.usage_metadata).toMatchObject({
				input_tokens: usage.prompt_tokens,
				output_tokens: usage.completion_tokens,
				total_tokens: usage.total_tokens,
			});
			expect(result.response_metadata).toMatchObject({
				model: 'deepseek-chat',
				model_name: 'deepseek-chat',
				finish_reason: 'stop',
				usage: expect.objectContaining({ total_tokens: usage.total_tokens }),
			});
		});
	});

	it('stream gives AIMessageChunks of text that concat to the answer, its id and usage', async () => {
		pair.primary.configure({ replyTokens: 8 });
		await withSuppliedModel(pair, async (model) => {
			const chunks: Chunk[] = [];
			for await (const chunk of await model.stream('Hello')) chunks.push(chunk);
			expect(chunks.length).toBeGreaterThan(3);
			for (const chunk of chunks) {
				expect(AIMessageChunk.isInstance(chunk)).toBe(true);
				expect(typeof chunk.content).toBe('string');
			}
			const whole = chunks.reduce((sum, chunk) => sum.concat(chunk));
			expect(whole.content).toMatch(/^\[simulated deepseek-chat\] /);
			expect(whole.id).toMatch(ANSWER_ID);
			expect(whole.usage_metadata).toEqual(
				expect.objectContaining({
					input_tokens: expect.any(Number),
					total_tokens: expect.any(Number),
				}),
			);
			expect(whole.response_metadata).toMatchObject({
				finish_reason: 'stop',
				model_name: 'deepseek-chat',
			});
			// As invoke gives it, and as LangChain's streamEvents hands it on (string content).
			const answer = await model.invoke('Hello');
			expect(whole.content).toBe(answer.content);
		});
	});

	it('streamEvents hands on chunks with string content', async () => {
		await withSuppliedModel(pair, async (model) => {
			const events = (
				model as unknown as {
					streamEvents(
						input: unknown,
						options: { version: 'v2' },
					): AsyncIterable<{
						event: string;
						data: { chunk?: Chunk; output?: Chunk };
					}>;
				}
			).streamEvents('Hello', { version: 'v2' });
			const seen: Array<{ event: string; data: { chunk?: Chunk; output?: Chunk } }> = [];
			for await (const event of events) seen.push(event);
			expect(seen[0].event).toBe('on_chat_model_start');
			expect(seen.at(-1)!.event).toBe('on_chat_model_end');
			const streamed = seen.filter((event) => event.event === 'on_chat_model_stream');
			expect(streamed.length).toBeGreaterThan(0);
			for (const event of streamed) expect(typeof event.data.chunk!.content).toBe('string');
			expect(streamed.map((event) => event.data.chunk!.content).join('')).toBe(
				seen.at(-1)!.data.output!.content,
			);
		});
	});

	it('keeps the reasoning out of the content, in invoke and in stream', async () => {
		await withSuppliedModel(
			pair,
			async (model) => {
				const answer = await model.invoke('Hello');
				expect(answer.content).toMatch(/^\[simulated deepseek-reasoner\]/);
				expect(answer.content).not.toMatch(/simulated reasoning/);
				expect(answer.response_metadata.reasoning_content).toMatch(/simulated reasoning/);
				let whole: Chunk | undefined;
				for await (const chunk of await model.stream('Hello')) {
					whole = whole ? whole.concat(chunk) : chunk;
				}
				expect(whole!.content).toBe(answer.content);
				expect(whole!.response_metadata.reasoning_content).toMatch(/simulated reasoning/);
			},
			'deepseek-reasoner',
		);
	});

	it('a conversation, with two system and two human messages in a row', async () => {
		await withSuppliedModel(pair, async (model) => {
			const result = await model.invoke([
				new SystemMessage('hello'),
				new SystemMessage('hello'),
				new HumanMessage('hello'),
				new HumanMessage('hello'),
				new AIMessage('hello'),
				new AIMessage('hello'),
				new HumanMessage('how are you'),
			]);
			expect(result).toBeInstanceOf(AIMessage);
			expect(result.text).not.toBe('');
		});
	});

	it('bindTools: a tool call with its name, arguments and id; raw calls; finish reason tool_calls', async () => {
		pair.primary.scriptTools(adderRound);
		await withSuppliedModel(pair, async (model) => {
			const result = await model.bindTools([adder]).invoke('What is 1 + 2? Use the tool.');
			expect(result).toBeInstanceOf(AIMessage);
			expect(result.tool_calls).toEqual([
				{ name: 'AdderTool', args: { a: 1, b: 2 }, id: expect.any(String), type: 'tool_call' },
			]);
			expect(result.content).toBe('');
			expect(result.id).toMatch(ANSWER_ID);
			expect(result.additional_kwargs.tool_calls).toEqual([
				{
					id: result.tool_calls![0].id,
					type: 'function',
					function: { name: 'AdderTool', arguments: '{"a":1,"b":2}' },
				},
			]);
			expect(result.response_metadata.finish_reason).toBe('tool_calls');
		});
	});

	it('bindTools with an OpenAI-formatted tool, forced where Thinking is Disabled', async () => {
		await withSuppliedModel(
			pair,
			async (model) => {
				const bound = model.bindTools(
					[
						{
							type: 'function',
							function: {
								name: 'math_addition',
								description: 'Add two integers',
								parameters: {
									type: 'object',
									properties: { a: { type: 'integer' }, b: { type: 'integer' } },
									required: ['a', 'b'],
								},
							},
						},
					],
					{ tool_choice: 'math_addition' },
				);
				const result = await bound.invoke('What is the sum of 1836281973 and 19973286?');
				expect(result.tool_calls?.[0]?.name).toBe('math_addition');
				expect(bodyOf(pair).tool_choice).toEqual({
					type: 'function',
					function: { name: 'math_addition' },
				});
			},
			'deepseek-chat',
			THINKING_OFF,
		);
	});

	it.each([
		['string', ''],
		['list', [{ type: 'text', text: 'some text' }]],
	])('a tool-call history with %s content goes back and is answered', async (_, content) => {
		await withSuppliedModel(pair, async (model) => {
			const call = {
				name: 'AdderTool',
				args: { a: 1, b: 2 },
				id: 'abc123',
				type: 'tool_call' as const,
			};
			const result = await model
				.bindTools([adder])
				.invoke([
					new HumanMessage('What is 1 + 2'),
					new AIMessage({ content, tool_calls: [call] }),
					new ToolMessage('{"result":3}', 'abc123', 'AdderTool'),
				]);
			expect(result).toBeInstanceOf(AIMessage);
			expect(typeof result.content).toBe('string');
			expect(result.content).not.toBe('');
			const sent = bodyOf(pair).messages as Array<Record<string, unknown>>;
			expect(sent.slice(1)).toEqual([
				expect.objectContaining({
					role: 'assistant',
					tool_calls: [
						{
							id: 'abc123',
							type: 'function',
							function: { name: 'AdderTool', arguments: '{"a":1,"b":2}' },
						},
					],
				}),
				{ role: 'tool', tool_call_id: 'abc123', content: '{"result":3}' },
			]);
		});
	});

	it('a tool round through the agent’s own loop: the answer’s message goes back as it came', async () => {
		pair.primary.scriptTools(adderRound);
		await withSuppliedModel(pair, async (model) => {
			const bound = model.bindTools([adder]);
			const question = new HumanMessage('What is 1 + 2? Use the tool.');
			const called = await bound.invoke([question]);
			const result = await bound.invoke([
				question,
				called,
				new ToolMessage('{"result":3}', called.tool_calls![0].id!, 'AdderTool'),
			]);
			expect(result.content).toMatch(/AdderTool said/);
			const sent = bodyOf(pair).messages as Array<{ role: string; content: unknown }>;
			expect(sent.map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
		});
	});

	describe('withStructuredOutput', () => {
		it('with a forced tool call where Thinking is Disabled', async () => {
			await withSuppliedModel(
				pair,
				async (model) => {
					const result = await model
						.withStructuredOutput(person, { name: 'person' })
						.invoke(PERSON_PROMPT);
					// The simulator fills a forced call's arguments from the prompt's words.
					expect(result).toEqual({ name: expect.any(String), age: expect.any(Number) });
					const body = bodyOf(pair);
					expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'person' } });
					expect(body).not.toHaveProperty('response_format');
				},
				'deepseek-chat',
				THINKING_OFF,
			);
		});

		it('with includeRaw: the raw AIMessage and the parsed object', async () => {
			await withSuppliedModel(
				pair,
				async (model) => {
					const result = (await model
						.withStructuredOutput(person, { includeRaw: true })
						.invoke(PERSON_PROMPT)) as { raw: Message; parsed: unknown };
					expect(result.raw).toBeInstanceOf(AIMessage);
					expect(result.parsed).toEqual(result.raw.tool_calls?.[0]?.args);
					expect(result.parsed).toEqual({ name: expect.any(String), age: expect.any(Number) });
					expect(result.raw.tool_calls?.[0]?.name).toBe('extract');
					expect(result.raw.id).toMatch(ANSWER_ID);
				},
				'deepseek-chat',
				THINKING_OFF,
			);
		});

		it.each([
			['deepseek-reasoner', undefined],
			['deepseek-reasoner', 'functionCalling'],
			['deepseek-chat', 'jsonSchema'],
			['deepseek-v4-flash', undefined],
		])(
			'%s with method %s: a JSON answer with the schema in the prompt, never a forced call or json_schema',
			async (modelId, method) => {
				await withSuppliedModel(
					pair,
					async (model) => {
						const result = await model
							.withStructuredOutput(person, { method })
							.invoke(PERSON_PROMPT);
						expect(result).toEqual({ name: 'Ada', age: 36 });
						const body = bodyOf(pair);
						expect(body.response_format).toEqual({ type: 'json_object' });
						expect(body).not.toHaveProperty('tool_choice');
						expect(JSON.stringify(body.messages)).toMatch(/JSON Schema instance/);
					},
					modelId,
				);
			},
		);

		it('with jsonMode: response_format json_object and the "json" the prompt must say', async () => {
			await withSuppliedModel(pair, async (model) => {
				const result = (await model
					.withStructuredOutput(
						{ type: 'object', properties: { summary: { type: 'string' } } },
						{ method: 'jsonMode', includeRaw: true },
					)
					.invoke('Summarise: rivers run to the sea.')) as { raw: Message; parsed: unknown };
				expect(result.parsed).toEqual(
					expect.objectContaining({ simulated: true, summary: expect.any(String) }),
				);
				const body = bodyOf(pair);
				expect(body.response_format).toEqual({ type: 'json_object' });
				expect(JSON.stringify(body.messages)).toMatch(/json/i);
			});
		});

		it('an answer that does not fit: an error naming the tool; with includeRaw, parsed null', async () => {
			await withSuppliedModel(
				pair,
				async (model) => {
					pair.primary.setFault({ type: 'text' });
					const strict = z.object({ score: z.number().int().min(1).max(5) });
					await expect(model.withStructuredOutput(strict).invoke('Rate this.')).rejects.toThrow(
						/not the JSON object the structured output asked of it/,
					);
					pair.primary.setFault({ type: 'text' });
					const raw = (await model
						.withStructuredOutput(strict, { includeRaw: true })
						.invoke('Rate this.')) as { raw: Message; parsed: unknown };
					expect(raw.parsed).toBeNull();
					expect(raw.raw.content).toMatch(/^\[simulated /);
				},
				'deepseek-reasoner',
			);
		});
	});

	it('getLsParams gives LangSmith’s standard params', async () => {
		await withSuppliedModel(
			pair,
			async (model) => {
				expect(model.getLsParams({ stop: ['END'] })).toEqual({
					ls_provider: 'deepseek',
					ls_model_name: 'deepseek-chat',
					ls_model_type: 'chat',
					ls_temperature: 0.2,
					ls_max_tokens: 100,
					ls_stop: ['END'],
				});
				expect(Object.keys(model.getLsParams({})).sort()).toEqual([
					'ls_max_tokens',
					'ls_model_name',
					'ls_model_type',
					'ls_provider',
					'ls_stop',
					'ls_temperature',
				]);
			},
			'deepseek-chat',
			{ temperature: 0.2, maxTokens: 100 },
		);
	});

	it('an aborted signal: invoke rejects, stream rejects or yields nothing', async () => {
		await withSuppliedModel(pair, async (model) => {
			await expect(model.invoke('Hello', { signal: AbortSignal.abort() })).rejects.toThrow();
			const chunks: Chunk[] = [];
			try {
				for await (const chunk of await model.stream('Hello', { signal: AbortSignal.abort() })) {
					chunks.push(chunk);
				}
			} catch {
				// Also what LangChain's test accepts.
			}
			expect(chunks).toEqual([]);
			// Abort mid-answer: the call stops, with the text so far not taken for an answer.
			pair.primary.configure({ latencyMs: 0, replyTokens: 200, tokenDelayMs: 20 });
			const controller = new AbortController();
			const stream = await model.stream('Hello', { signal: controller.signal });
			const seen: Chunk[] = [];
			await expect(
				(async () => {
					for await (const chunk of stream) {
						seen.push(chunk);
						if (seen.length === 2) controller.abort();
					}
				})(),
			).rejects.toThrow();
			expect(seen.length).toBeLessThan(10);
		});
	});
});
