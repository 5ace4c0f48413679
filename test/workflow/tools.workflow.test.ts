import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { MAX_TOOL_RESULT_CHARS } from '../../nodes/DeepSeek/helpers/connectedTools';
import { JSON_HINT } from '../../nodes/shared/protocol/requestBody';
import {
	chat,
	completions,
	CREDENTIALS,
	NODE_TYPE,
	PARIS,
	reason,
	runDeepSeek,
	scriptBoth,
	useSimulatorPair,
} from './fixtures';
import { lookupTool, toolHooks } from './toolNodes';

type Sent = {
	messages: Array<Record<string, unknown>>;
	tools?: Array<{ function: { name: string; parameters: Record<string, unknown> } }>;
	[key: string]: unknown;
};
const bodies = (sim: Parameters<typeof completions>[0]) =>
	completions(sim).map((request) => request.body as Sent);

describe('DeepSeek node with tools through n8n', () => {
	const pair = useSimulatorPair();
	afterEach(() => {
		toolHooks.onCall = undefined;
	});

	it('deepseek-reasoner calls a connected tool and answers from its result, passing the reasoning back', async () => {
		scriptBoth(pair, PARIS);
		const result = await runDeepSeek(pair, {
			parameters: reason(),
			items: [{ json: { text: 'What is the weather in Paris?' } }],
			tools: [lookupTool()],
		});
		expect(result.error).toBeUndefined();
		const [item] = result.output('DeepSeek');
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json.content).toBe(
			'[simulated deepseek-reasoner] Tool results: Lookup said [{"city":"Paris","weather":"sunny, 21 °C"}]',
		);
		expect(item.json.finish_reason).toBe('stop');
		expect(item.json.toolCalls).toEqual([
			{ round: 1, tool: 'Lookup', arguments: { city: 'Paris' }, resultChars: expect.any(Number) },
		]);

		const [first, second] = bodies(pair.primary);
		expect(first.tools).toEqual([
			{
				type: 'function',
				function: {
					name: 'Lookup',
					description: 'Looks up the current weather of a city',
					parameters: {
						type: 'object',
						properties: { city: { type: 'string', description: 'The city to look up' } },
						required: ['city'],
					},
				},
			},
		]);
		expect(first).not.toHaveProperty('tool_choice');
		expect(second.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
		expect(second.messages[1]).toMatchObject({
			reasoning_content: expect.stringMatching(/I will call Lookup/),
			tool_calls: [{ function: { name: 'Lookup', arguments: '{"city":"Paris"}' } }],
		});
		expect(completions(pair.backup)).toHaveLength(0);

		const messages = item.json.messages as Array<Record<string, unknown>>;
		expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
		expect(messages[1].reasoning_content).toEqual(second.messages[1].reasoning_content);
		expect(messages[2]).toEqual(second.messages[2]);
		// DeepSeek V4 wants every answer of a turn with tool calls back with its reasoning.
		expect(messages[3]).toEqual({
			role: 'assistant',
			content: item.json.content,
			reasoning_content: item.json.reasoning_content,
		});
	});

	it('sums usage over the loop, with the context cache figures', async () => {
		scriptBoth(pair, PARIS);
		const withTools = await runDeepSeek(pair, { parameters: reason(), tools: [lookupTool()] });
		const usage = withTools.output('DeepSeek')[0].json.usage as Record<string, number>;
		expect(usage.prompt_cache_hit_tokens + usage.prompt_cache_miss_tokens).toBe(
			usage.prompt_tokens,
		);
		// The second request alone re-sends the whole first round, so the sum exceeds it.
		const secondPrompt = bodies(pair.primary)[1].messages.length;
		expect(secondPrompt).toBe(3);
		expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
		expect(usage.prompt_tokens).toBeGreaterThan(usage.prompt_cache_hit_tokens);
	});

	it('runs several calls of one round side by side and sends every result back in order', async () => {
		scriptBoth(pair, {
			rounds: [
				[
					{ name: 'Lookup', arguments: { city: 'Paris' } },
					{ name: 'Lookup', arguments: { city: 'Oslo' } },
				],
			],
		});
		let running = 0;
		let most = 0;
		toolHooks.onCall = async () => {
			most = Math.max(most, ++running);
			await new Promise((resolve) => setTimeout(resolve, 50));
			running--;
		};
		const result = await runDeepSeek(pair, { parameters: reason(), tools: [lookupTool()] });
		const [item] = result.output('DeepSeek');
		expect(most).toBe(2);
		expect(item.json.content).toMatch(/Paris.*sunny.*\|.*Oslo.*snow/);
		const sent = bodies(pair.primary)[1].messages;
		const calls = sent[1].tool_calls as Array<{ id: string }>;
		expect(sent.slice(2).map((m) => m.tool_call_id)).toEqual(calls.map((call) => call.id));
	});

	it('turns a tool that throws into a result the model reads, not a failed item', async () => {
		scriptBoth(pair, { rounds: [[{ name: 'Broken', arguments: { city: 'Paris' } }]] });
		const result = await runDeepSeek(pair, {
			parameters: reason(),
			tools: [lookupTool('Broken', 'throw')],
		});
		expect(result.error).toBeUndefined();
		const [item] = result.output('DeepSeek');
		expect(item.json.content).toMatch(/Broken said Error: .*The weather service is down for Paris/);
		expect(item.json.toolCalls).toEqual([
			expect.objectContaining({
				tool: 'Broken',
				error: expect.stringMatching(/weather service is down/),
			}),
		]);
	});

	it('cuts a huge tool result at the documented size, with a note', async () => {
		scriptBoth(pair, PARIS);
		const result = await runDeepSeek(pair, {
			parameters: reason(),
			tools: [lookupTool('Lookup', 'huge')],
		});
		const toolMessage = bodies(pair.primary)[1].messages[2];
		const content = toolMessage.content as string;
		expect(content.length).toBeLessThan(MAX_TOOL_RESULT_CHARS + 200);
		expect(content).toMatch(
			/\[Result cut: the tool returned \d+ characters; only the first 32000 are shown\.\]$/,
		);
		expect(result.output('DeepSeek')[0].json.toolCalls).toEqual([
			expect.objectContaining({ truncated: true, resultChars: expect.any(Number) }),
		]);
		expect(
			(result.output('DeepSeek')[0].json.toolCalls as Array<{ resultChars: number }>)[0]
				.resultChars,
		).toBeGreaterThan(100_000);
	});

	it('ends the item with a clear result at Max Tool Calls Iterations, and its messages carry on', async () => {
		scriptBoth(pair, { rounds: [[{ name: 'Lookup', arguments: { city: 'Oslo' } }]], repeat: true });
		const result = await runDeepSeek(pair, {
			parameters: reason({ options: { maxToolsIterations: 2 } }),
			tools: [lookupTool()],
		});
		expect(result.error).toBeUndefined();
		const [item] = result.output('DeepSeek');
		expect(completions(pair.primary)).toHaveLength(3);
		expect(item.json).toMatchObject({
			finish_reason: 'max_tool_iterations',
			notice: expect.stringMatching(/Stopped after 2 rounds .*Lookup/),
		});
		expect(item.json.toolCalls).toHaveLength(2);

		pair.primary.scriptTools(null);
		const next = await runDeepSeek(pair, {
			parameters: reason({ history: '={{ $json.messages }}' }),
			items: [{ json: { text: 'Just answer, please.', messages: item.json.messages } }],
			tools: [lookupTool()],
		});
		expect(next.error).toBeUndefined();
		expect(next.output('DeepSeek')[0].json.finish_reason).toBe('stop');
	});

	it('moves the rest of the loop to the backup when the primary dies between rounds', async () => {
		scriptBoth(pair, PARIS);
		toolHooks.onCall = () => pair.primary.setFault({ type: '503' });
		const result = await runDeepSeek(pair, { parameters: reason(), tools: [lookupTool()] });
		expect(result.error).toBeUndefined();
		const [item] = result.output('DeepSeek');
		expect(item.json.endpoint).toBe('failover');
		expect(item.json.content).toMatch(/Lookup said .*sunny/);
		const [atBackup] = bodies(pair.backup);
		expect(atBackup.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
		expect(atBackup.messages[1].reasoning_content).toEqual(expect.any(String));
	});

	it('a second turn from the first turn’s messages keeps the reasoning of the tool turn (V4 rule)', async () => {
		scriptBoth(pair, PARIS);
		const first = await runDeepSeek(pair, { parameters: reason(), tools: [lookupTool()] });
		const messages = first.output('DeepSeek')[0].json.messages;
		pair.primary.reset();
		const second = await runDeepSeek(pair, {
			parameters: reason({ history: '={{ $json.messages }}' }),
			items: [{ json: { text: 'And tomorrow?', messages } }],
			tools: [lookupTool()],
		});
		expect(second.error).toBeUndefined();
		const [sent] = bodies(pair.primary);
		expect(sent.messages.map((m) => [m.role, 'reasoning_content' in m])).toEqual([
			['user', false],
			['assistant', true],
			['tool', false],
			['assistant', true],
			['user', false],
		]);
	});

	it('a Chat turn with a tool round, then its messages as the History of Reason: the unknown reasoning goes as ""', async () => {
		scriptBoth(pair, PARIS);
		const first = await runDeepSeek(pair, { parameters: chat(), tools: [lookupTool()] });
		expect(first.error).toBeUndefined();
		const messages = first.output('DeepSeek')[0].json.messages;
		scriptBoth(pair, null);
		pair.primary.reset();
		const second = await runDeepSeek(pair, {
			parameters: reason({ history: '={{ $json.messages }}' }),
			items: [{ json: { text: 'And tomorrow?', messages } }],
			continueOnFail: true,
		});
		const [item] = second.output('DeepSeek');
		expect(item.json.error).toBeUndefined();
		expect(item.json.finish_reason).toBe('stop');
		const [sent] = bodies(pair.primary);
		expect(sent.messages[1]).toMatchObject({ role: 'assistant', reasoning_content: '' });
	});

	it('drops all reasoning for an R1 snapshot, which rejects it', async () => {
		const history = [
			{ role: 'user', content: 'Weather?' },
			{
				role: 'assistant',
				content: '',
				reasoning_content: 'ask the tool',
				tool_calls: [{ id: 'c1', type: 'function', function: { name: 'Lookup', arguments: '{}' } }],
			},
			{ role: 'tool', tool_call_id: 'c1', content: 'sunny' },
			{ role: 'assistant', content: 'Sunny.' },
		];
		const result = await runDeepSeek(pair, {
			parameters: reason({
				model: { __rl: true, mode: 'id', value: 'deepseek-r1-250528' },
				history: JSON.stringify(history),
			}),
		});
		expect(result.error).toBeUndefined();
		expect(JSON.stringify(bodies(pair.primary)[0].messages)).not.toContain('reasoning_content');
	});

	it('stops the loop when the execution is stopped', async () => {
		scriptBoth(pair, { rounds: [[{ name: 'Lookup', arguments: { city: 'Oslo' } }]], repeat: true });
		const result = await runDeepSeek(pair, {
			parameters: reason(),
			tools: [lookupTool('Lookup', 'slow')],
			cancelAfterMs: 400,
		});
		expect(result.status).toBe('canceled');
		await new Promise((resolve) => setTimeout(resolve, 1600));
		expect(completions(pair.primary)).toHaveLength(1);
	});

	it('keeps order and pairing of many items that each run a loop', async () => {
		scriptBoth(pair, PARIS);
		const items = Array.from({ length: 6 }, (_, index) => ({
			json: { text: `Question ${index}` },
		}));
		const result = await runDeepSeek(pair, { parameters: reason(), items, tools: [lookupTool()] });
		const output = result.output('DeepSeek');
		expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		expect(output.every((item) => /sunny/.test(String(item.json.content)))).toBe(true);
		expect(completions(pair.primary)).toHaveLength(12);
	});

	it('uses another DeepSeek node as a tool (n8n gives that variant no Tools input)', async () => {
		scriptBoth(pair, {
			rounds: [[{ name: 'Ask_DeepSeek', arguments: { question: 'Why is the sky blue?' } }]],
		});
		const result = await runDeepSeek(pair, {
			parameters: reason(),
			tools: [
				{
					name: 'Ask DeepSeek',
					type: `${NODE_TYPE}Tool`,
					typeVersion: 1,
					parameters: chat({
						prompt: "={{ $fromAI('question', 'The question to ask', 'string') }}",
					}) as INodeParameters,
					credentials: CREDENTIALS,
				},
			],
		});
		expect(result.error).toBeUndefined();
		const [item] = result.output('DeepSeek');
		expect(item.json.content).toMatch(/Ask_DeepSeek said .*Summary: Why is the sky blue\?/);
		const inner = bodies(pair.primary)[1];
		expect(inner).toMatchObject({
			model: 'deepseek-chat',
			messages: [{ role: 'user', content: 'Why is the sky blue?' }],
		});
		expect(inner).not.toHaveProperty('tools');
	});

	it('streams the final answer to a streaming webhook response, once, after the tool round', async () => {
		scriptBoth(pair, PARIS);
		const result = await runDeepSeek(pair, {
			parameters: reason(),
			tools: [lookupTool()],
			streaming: true,
		});
		const [item] = result.output('DeepSeek');
		const items = result.chunks.filter((chunk) => chunk.type === 'item');
		expect(items.map((chunk) => chunk.content).join('')).toBe(item.json.content);
		expect(result.chunks.map((chunk) => chunk.type).filter((type) => type !== 'item')).toEqual([
			'begin',
			'end',
		]);
	});

	it('rejects two tools with the same name with a clear error', async () => {
		const result = await runDeepSeek(pair, {
			parameters: reason(),
			tools: [lookupTool('Look up'), lookupTool('Look_up')],
			continueOnFail: true,
		});
		expect(result.output('DeepSeek')[0].json.error).toMatch(/Two connected tools are both called/);
		expect(completions(pair.primary)).toHaveLength(0);
	});
});

describe('thinking controls and JSON output', () => {
	const pair = useSimulatorPair();
	const sent = () => completions(pair.primary)[0].body as Record<string, unknown>;

	it.each([
		['chat, deepseek-chat, default', chat(), { type: 'disabled' }, undefined],
		[
			'chat, thinking on, effort high',
			chat({ options: { thinking: 'enabled', reasoningEffort: 'high' } }),
			{ type: 'enabled' },
			'high',
		],
		[
			'reason, deepseek-reasoner, effort max',
			reason({ options: { reasoningEffort: 'max' } }),
			undefined,
			'max',
		],
		[
			'reason on an R1 snapshot',
			reason({
				model: { __rl: true, mode: 'id', value: 'deepseek-r1-250528' },
				options: { thinking: 'enabled', reasoningEffort: 'low' },
			}),
			undefined,
			undefined,
		],
		[
			'chat, thinking off, effort low (no effect)',
			chat({ options: { reasoningEffort: 'low' } }),
			{ type: 'disabled' },
			undefined,
		],
	])('%s', async (_name, parameters, thinking, effort) => {
		const result = await runDeepSeek(pair, { parameters });
		expect(result.error).toBeUndefined();
		expect(sent().thinking).toEqual(thinking);
		expect(sent().reasoning_effort).toEqual(effort);
	});

	it('adds a system hint with "json" when the prompt lacks it, and parses the answer into data', async () => {
		const result = await runDeepSeek(pair, {
			parameters: chat({ options: { responseFormat: 'json_object' } }),
		});
		expect(result.error).toBeUndefined();
		const [item] = result.output('DeepSeek');
		expect(item.json.data).toMatchObject({ simulated: true, model: 'deepseek-chat' });
		expect((sent().messages as unknown[])[0]).toEqual({ role: 'system', content: JSON_HINT });
	});

	it('adds no hint when the prompt says JSON already', async () => {
		await runDeepSeek(pair, {
			parameters: chat({
				options: { responseFormat: 'json_object', systemMessage: 'Answer in JSON.' },
			}),
		});
		expect(JSON.stringify(sent().messages)).not.toContain(JSON_HINT);
	});

	it('retries an empty JSON answer once', async () => {
		pair.primary.setFault({ type: 'empty', times: 1 });
		const result = await runDeepSeek(pair, {
			parameters: chat({ options: { responseFormat: 'json_object' } }),
		});
		expect(result.output('DeepSeek')[0].json.data).toMatchObject({ simulated: true });
		expect(completions(pair.primary)).toHaveLength(2);
	});

	it.each([
		['an answer that is not JSON', { type: 'text' as const }, /not valid JSON/],
		['two empty answers', { type: 'empty' as const, times: 2 }, /empty answer twice/],
	])('fails the item clearly on %s', async (_name, fault, message) => {
		pair.primary.setFault(fault);
		const result = await runDeepSeek(pair, {
			parameters: chat({ options: { responseFormat: 'json_object' } }),
			continueOnFail: true,
		});
		const [item] = result.output('DeepSeek');
		expect(item.json.error).toMatch(message);
		expect(item.pairedItem).toEqual({ item: 0 });
	});
});

describe("DeepSeek V4's passback rule (the simulator's V4 mode)", () => {
	const pair = useSimulatorPair();
	beforeAll(() => {
		pair.primary.configure({ passbackRule: 'v4' });
		pair.backup.configure({ passbackRule: 'v4' });
	});
	afterAll(() => {
		pair.primary.configure({ passbackRule: 'v3.2' });
		pair.backup.configure({ passbackRule: 'v3.2' });
	});

	it.each([
		['deepseek-v4-pro', reason],
		['deepseek-v4-flash', (extra = {}) => chat({ options: { thinking: 'model' }, ...extra })],
		['deepseek-reasoner', reason],
		['deepseek-chat', chat],
	])(
		'%s: three turns with tool rounds, each fed the messages of the one before',
		async (model, operation) => {
			let messages: IDataObject[] = [];
			for (const text of ['Weather in Paris?', 'And tomorrow?', 'Thanks, and Oslo?']) {
				pair.primary.reset();
				pair.primary.scriptTools(PARIS);
				const result = await runDeepSeek(pair, {
					parameters: operation({
						model: { __rl: true, mode: 'id', value: model },
						history: '={{ $json.messages }}',
					}),
					items: [{ json: { text, messages } }],
					tools: [lookupTool()],
					continueOnFail: true,
				});
				const [item] = result.output('DeepSeek');
				expect(item.json.error).toBeUndefined();
				expect(item.json.content).toMatch(/Lookup said/);
				messages = item.json.messages as IDataObject[];
			}
			// The last request carried the reasoning of every answer of the two earlier tool turns.
			const last = bodies(pair.primary).at(-1)!.messages;
			const answers = last.filter((m, index) => m.role === 'assistant' && index < last.length - 2);
			expect(answers).toHaveLength(4);
			expect(answers.every((m) => typeof m.reasoning_content === 'string')).toBe(true);
		},
	);
});
