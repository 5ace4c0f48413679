import type { INode } from 'n8n-workflow';
import type { Message, StreamChunk } from '@n8n/ai-node-sdk';
import { z } from 'zod';

import {
	DeepSeekChatModel,
	type DeepSeekModelSettings,
	type ModelConnection,
} from '../../../../../nodes/LmChatDeepSeek/model/DeepSeekChatModel';
import { ReasoningStore } from '../../../../../nodes/LmChatDeepSeek/model/reasoningStore';
import { primaryBreaker, PrimaryBreaker } from '../../../../../nodes/shared/transport/breaker';
import { resolveEndpoints } from '../../../../../nodes/shared/credentialFields';
import type { Endpoint } from '../../../../../nodes/shared/transport/endpoint';
import { RequestFailure } from '../../../../../nodes/shared/failures';
import { RequestLimiter } from '../../../../../nodes/shared/transport/limiter';
import { MetaChatSession } from '../../../../../nodes/shared/session';
import { factWords } from '../../../../../nodes/shared/wording';
import { directMetaChatHttp } from '../../../../harness/metaChatHttp';
import { startSimulator, type Simulator } from '../../../../simulator/simulator';

const KEY = 'sk-model-test-0123456789';

const lookupTool = {
	type: 'function' as const,
	name: 'lookup',
	description: 'Looks a city up',
	inputSchema: z.object({ city: z.string() }),
};

const question: Message[] = [
	{ role: 'system', content: [{ type: 'text', text: 'You are a helpful assistant' }] },
	{ role: 'user', content: [{ type: 'text', text: 'What is the weather in Paris?' }] },
];

/** The AI Agent v3's second round: each earlier tool call rebuilt as a bare message, no reasoning. */
function rebuiltRound(toolCallId: string, result: string): Message[] {
	return [
		...question,
		{
			role: 'assistant',
			content: [{ type: 'tool-call', toolCallId, toolName: 'lookup', input: '{"city":"Paris"}' }],
		},
		{
			role: 'tool',
			content: [{ type: 'tool-result', toolCallId, result }],
		},
	];
}

interface SentMessage {
	role: string;
	content: string | null;
	reasoning_content?: string;
	tool_calls?: Array<{ id: string }>;
}

describe('the DeepSeek chat model on the shared MetaChat client', () => {
	let primary: Simulator;
	let backup: Simulator;
	let store: ReasoningStore;

	beforeAll(async () => {
		primary = await startSimulator({ name: 'primary', apiKey: KEY });
		backup = await startSimulator({ name: 'backup', apiKey: KEY });
	});
	beforeEach(() => {
		store = new ReasoningStore();
	});
	afterEach(() => {
		primary.reset();
		backup.reset();
		// A test whose primary failed leaves it marked down for this process: mark it answered.
		const [first] = resolveEndpoints({ baseUrl: primary.url }) as Endpoint[];
		primaryBreaker.primaryAnswered(PrimaryBreaker.key(first.baseUrl, KEY));
	});
	afterAll(async () => {
		await primary.close();
		await backup.close();
	});

	/** A model as supplyData builds one: a new instance (and run scope) per agent round. */
	const warnings: string[] = [];
	function model(settings: Partial<DeepSeekModelSettings> = {}, executionId = 'exec-1') {
		const connection: ModelConnection = {
			session: new MetaChatSession({ name: 'DeepSeek Model' } as INode, {
				apiKey: KEY,
				endpoints: resolveEndpoints({
					baseUrl: primary.url,
					failoverBaseUrl: backup.url,
				}) as Endpoint[],
				signal: new AbortController().signal,
				limiter: new RequestLimiter(5),
				http: directMetaChatHttp(KEY),
			}),
			executionId,
			store,
			toError: (error) => error as Error,
			warn: (message) => warnings.push(message),
		};
		return new DeepSeekChatModel(
			{
				model: 'deepseek-reasoner',
				thinking: 'default',
				timeoutMs: 10_000,
				maxRetries: 1,
				failover: true,
				...settings,
			},
			connection,
		);
	}

	const chatRequests = (sim: Simulator) =>
		sim.requests.filter((request) => request.path.endsWith('/chat/completions'));
	const sentMessages = (sim: Simulator, index: number) =>
		(chatRequests(sim)[index].body as { messages: SentMessage[] }).messages;

	it('answers a plain question with text, token usage and no reasoning in the text', async () => {
		const result = await model().generate(question);
		expect(result.message.content).toEqual([
			{ type: 'text', text: expect.stringMatching(/^\[simulated deepseek-reasoner\]/) },
		]);
		expect(result.finishReason).toBe('stop');
		expect(result.usage?.promptTokens).toBeGreaterThan(0);
		expect(result.usage?.outputTokenDetails?.reasoning).toBeGreaterThan(0);
		expect(result.providerMetadata).toMatchObject({
			reasoning_content: expect.stringMatching(/simulated reasoning/),
			endpoint: 'primary',
		});
	});

	it('sends the tools as functions and returns the tool calls the model makes', async () => {
		primary.scriptTools({ rounds: [[{ name: 'lookup', arguments: { city: 'Paris' } }]] });
		const result = await model().withTools([lookupTool]).generate(question);
		expect(result.finishReason).toBe('tool-calls');
		expect(result.message.content).toEqual([
			{
				type: 'tool-call',
				toolCallId: expect.any(String),
				toolName: 'lookup',
				input: '{"city":"Paris"}',
			},
		]);
		const body = chatRequests(primary)[0].body as { tools: unknown[]; tool_choice?: unknown };
		expect(body.tools).toEqual([
			{
				type: 'function',
				function: expect.objectContaining({
					name: 'lookup',
					parameters: expect.objectContaining({ properties: { city: { type: 'string' } } }),
				}),
			},
		]);
		expect(body.tool_choice).toBeUndefined();
	});

	it.each([false, true])(
		'passes the reasoning of a tool call back on a later round built without it (streamed: %p)',
		async (streamed) => {
			primary.scriptTools({ rounds: [[{ name: 'lookup', arguments: { city: 'Paris' } }]] });
			const first = await model().withTools([lookupTool]).generate(question);
			const call = first.message.content[0];
			if (call.type !== 'tool-call' || !call.toolCallId) throw new Error('no tool call');
			const reasoning = first.providerMetadata?.reasoning_content;
			expect(reasoning).toMatch(/I will call lookup/);

			const second = model().withTools([lookupTool]);
			const messages = rebuiltRound(call.toolCallId, '"18 °C and sunny"');
			let text: string;
			if (streamed) {
				const chunks: StreamChunk[] = [];
				for await (const chunk of second.stream(messages)) chunks.push(chunk);
				text = chunks.map((chunk) => (chunk.type === 'text-delta' ? chunk.delta : '')).join('');
			} else {
				const result = await second.generate(messages);
				text = result.message.content
					.map((part) => (part.type === 'text' ? part.text : ''))
					.join('');
			}
			expect(text).toContain('lookup said "18 °C and sunny"');
			const sent = sentMessages(primary, 1);
			expect(sent[2]).toMatchObject({
				role: 'assistant',
				tool_calls: [{ id: call.toolCallId }],
				reasoning_content: reasoning,
			});
			expect(sent.filter((message) => 'reasoning_content' in message)).toHaveLength(1);
		},
	);

	it('keeps reasoning per execution: another execution with the same tool-call id does not get it', async () => {
		primary.scriptTools({ rounds: [[{ name: 'lookup', arguments: { city: 'Paris' } }]] });
		const first = await model({}, 'exec-A').withTools([lookupTool]).generate(question);
		const call = first.message.content[0];
		if (call.type !== 'tool-call' || !call.toolCallId) throw new Error('no tool call');
		await model({}, 'exec-B')
			.withTools([lookupTool])
			.generate(rebuiltRound(call.toolCallId, '"x"'));
		// Thinking mode needs the field, so it is sent empty rather than with another run's reasoning.
		expect(sentMessages(primary, 1)[2].reasoning_content).toBe('');
	});

	it('sends no reasoning at all to the R1 snapshots, which refuse it', async () => {
		primary.scriptTools({ rounds: [[{ name: 'lookup', arguments: { city: 'Paris' } }]] });
		const r1 = { model: 'deepseek-r1-250528' };
		const first = await model(r1).withTools([lookupTool]).generate(question);
		const call = first.message.content.find((part) => part.type === 'tool-call');
		if (call?.type !== 'tool-call' || !call.toolCallId) throw new Error('no tool call');
		const result = await model(r1)
			.withTools([lookupTool])
			.generate(rebuiltRound(call.toolCallId, '"18 °C"'));
		expect(result.finishReason).toBe('stop');
		expect(sentMessages(primary, 1).some((message) => 'reasoning_content' in message)).toBe(false);
	});

	it('moves the rest of the loop to the backup, reasoning included, when the primary dies between rounds', async () => {
		primary.scriptTools({ rounds: [[{ name: 'lookup', arguments: { city: 'Paris' } }]] });
		backup.scriptTools({ rounds: [[{ name: 'lookup', arguments: { city: 'Paris' } }]] });
		const first = await model().withTools([lookupTool]).generate(question);
		expect(first.providerMetadata?.endpoint).toBe('primary');
		const call = first.message.content[0];
		if (call.type !== 'tool-call' || !call.toolCallId) throw new Error('no tool call');

		primary.setFault({ type: '503' });
		const second = await model()
			.withTools([lookupTool])
			.generate(rebuiltRound(call.toolCallId, '"18 °C"'));
		expect(second.providerMetadata?.endpoint).toBe('failover');
		expect(second.finishReason).toBe('stop');
		expect(sentMessages(backup, 0)[2].reasoning_content).toBe(
			first.providerMetadata?.reasoning_content,
		);
	});

	it('streams the answer as text deltas, without the reasoning, and ends with usage', async () => {
		primary.configure({ replyTokens: 30 });
		const chunks: StreamChunk[] = [];
		for await (const chunk of model().stream(question)) chunks.push(chunk);
		const deltas = chunks.filter((chunk) => chunk.type === 'text-delta');
		expect(deltas.length).toBeGreaterThan(5);
		const text = deltas.map((chunk) => (chunk.type === 'text-delta' ? chunk.delta : '')).join('');
		expect(text).toMatch(/^\[simulated deepseek-reasoner\]/);
		expect(text).not.toMatch(/simulated reasoning/);
		const finish = chunks.at(-1);
		expect(finish).toMatchObject({ type: 'finish', finishReason: 'stop' });
		expect(finish?.type === 'finish' && finish.usage?.totalTokens).toBeGreaterThan(0);
	});

	it('fails a stream broken after text reached the reader, never asking again', async () => {
		primary.configure({ replyTokens: 30 });
		primary.setFault({ type: 'reset-mid', times: 1 });
		const chunks: StreamChunk[] = [];
		const error = await (async () => {
			for await (const chunk of model().stream(question)) chunks.push(chunk);
		})().catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(RequestFailure);
		expect((error as RequestFailure).kind).toBe('interrupted');
		expect(factWords((error as RequestFailure).fact)).toMatch(/^\d+ characters had been streamed/);
		expect(chunks.some((chunk) => chunk.type === 'text-delta')).toBe(true);
		expect(chatRequests(primary)).toHaveLength(1);
		expect(chatRequests(backup)).toHaveLength(0);
	});

	it('retries a broken answer that nobody has read yet', async () => {
		primary.configure({ replyTokens: 30 });
		primary.setFault({ type: 'reset-mid', times: 1 });
		const result = await model().generate(question);
		expect(result.providerMetadata).toMatchObject({ endpoint: 'primary', attempts: 2 });
		expect(chatRequests(primary)).toHaveLength(2);
	});

	it('streams each of several tool calls of one round as its own complete call', async () => {
		primary.scriptTools({
			rounds: [
				[
					{ name: 'lookup', arguments: { city: 'Paris' } },
					{ name: 'lookup', arguments: { city: 'Rome' } },
				],
			],
		});
		const chunks: StreamChunk[] = [];
		for await (const chunk of model().withTools([lookupTool]).stream(question)) chunks.push(chunk);
		const calls = chunks.filter((chunk) => chunk.type === 'tool-call-delta');
		expect(calls).toEqual([
			{
				type: 'tool-call-delta',
				id: expect.any(String),
				name: 'lookup',
				argumentsDelta: '{"city":"Paris"}',
			},
			{
				type: 'tool-call-delta',
				id: expect.any(String),
				name: 'lookup',
				argumentsDelta: '{"city":"Rome"}',
			},
		]);
		expect(new Set(calls.map((chunk) => chunk.type === 'tool-call-delta' && chunk.id)).size).toBe(
			2,
		);
		expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
	});

	describe.each(['deepseekStream', 'gatewayNulls'] as const)(
		'on the shapes real hosts send (%s)',
		(shape) => {
			afterEach(() => primary.configure({ realShapes: [] }));

			it('gives the text, reasoning and token usage, reasoning tokens included', async () => {
				const before = await model().generate(question);
				primary.configure({ realShapes: [shape] });
				const after = await model().generate(question);
				expect(after.message.content).toEqual(before.message.content);
				expect(after.providerMetadata?.reasoning_content).toBe(
					before.providerMetadata?.reasoning_content,
				);
				expect(after.usage).toEqual(before.usage);
				expect(after.usage?.outputTokenDetails?.reasoning).toBeGreaterThan(0);
			});

			it('streams each tool call whole, its arguments read from small pieces', async () => {
				primary.configure({ realShapes: [shape] });
				primary.scriptTools({ rounds: [[{ name: 'lookup', arguments: { city: 'Paris' } }]] });
				const chunks: StreamChunk[] = [];
				for await (const chunk of model().withTools([lookupTool]).stream(question))
					chunks.push(chunk);
				expect(chunks.filter((chunk) => chunk.type === 'tool-call-delta')).toEqual([
					{
						type: 'tool-call-delta',
						id:
							shape === 'deepseekStream' ? expect.stringMatching(/^call_00_/) : expect.any(String),
						name: 'lookup',
						argumentsDelta: '{"city":"Paris"}',
					},
				]);
				expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
			});
		},
	);

	it('fails a stream DeepSeek cut for want of resources once text reached the reader, never asking again', async () => {
		primary.configure({ replyTokens: 30 });
		primary.setFault({ type: 'insufficient-system-resource', times: 1 });
		const error = await (async () => {
			for await (const _chunk of model().stream(question)) void _chunk;
		})().catch((caught: unknown) => caught);
		expect((error as RequestFailure).kind).toBe('interrupted');
		expect(factWords((error as RequestFailure).fact)).toMatch(/insufficient_system_resource/);
		expect(chatRequests(primary)).toHaveLength(1);
		expect(chatRequests(backup)).toHaveLength(0);
	});

	it('sends thinking and reasoning effort where the model takes them, and sampling as set', async () => {
		await model({
			model: 'deepseek-chat',
			thinking: 'disabled',
			temperature: 0.2,
			reasoningEffort: 'high',
		}).generate(question);
		await model({ model: 'deepseek-reasoner', temperature: 0.2, reasoningEffort: 'high' }).generate(
			question,
		);
		const [chat, reasoner] = chatRequests(primary).map(
			(request) => request.body as Record<string, unknown>,
		);
		expect(chat).toMatchObject({ thinking: { type: 'disabled' }, temperature: 0.2 });
		expect(chat.reasoning_effort).toBeUndefined();
		// Thinking mode ignores sampling; the option says so, and the setting is never dropped.
		expect(reasoner).toMatchObject({ reasoning_effort: 'high', temperature: 0.2 });
		expect(reasoner.thinking).toBeUndefined();
	});

	it('asks for JSON the way DeepSeek requires: a "json" hint when the prompt has none', async () => {
		await model({ model: 'deepseek-chat', responseFormat: 'json_object' }).generate(question);
		const [body] = chatRequests(primary).map((request) => request.body as Record<string, unknown>);
		expect(body.response_format).toEqual({ type: 'json_object' });
		expect(JSON.stringify(body.messages)).toMatch(/json/i);
	});

	it('fails with the shared client error after its own retries, never retrying a 400', async () => {
		const error = await model({ model: 'deepseek-v9-unknown' })
			.generate(question)
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(RequestFailure);
		expect((error as RequestFailure).details).toMatchObject({ status: 400, attempts: 1 });
		expect(factWords((error as RequestFailure).fact)).not.toContain(KEY);
	});

	it('stops the request when the caller aborts', async () => {
		primary.setFault({ type: 'hang' });
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 200);
		const error = await model()
			.generate(question, { abortSignal: controller.signal })
			.catch((caught: unknown) => caught);
		expect((error as RequestFailure).kind).toBe('cancelled');
		expect(chatRequests(backup)).toHaveLength(0);
	});
});
