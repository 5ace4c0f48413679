import { requestCompletion } from '../../nodes/shared/transport/client';
import { AttemptDeadline } from '../../nodes/shared/transport/deadline';
import type { AttemptFailure } from '../../nodes/shared/failures';
import { factWords } from '../../nodes/shared/wording';
import type { CompletionBody } from '../../nodes/shared/protocol/wire';
import { directMetaChatHttp } from '../harness/metaChatHttp';
import { startSimulator, type Simulator } from '../simulator/simulator';

const KEY = 'sk-sim-tools-1234';
const lookup = {
	type: 'function' as const,
	function: {
		name: 'lookup',
		description: 'Looks a city up',
		parameters: { type: 'object', properties: { city: { type: 'string' } } },
	},
};
const clock = {
	type: 'function' as const,
	function: { name: 'clock', parameters: { type: 'object' } },
};

describe('the simulator with tools, read through the client', () => {
	let sim: Simulator;
	const post = (body: unknown) =>
		fetch(`${sim.url}/chat/completions`, {
			method: 'POST',
			headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
	const complete = async (body: CompletionBody) => {
		const deadline = new AttemptDeadline(new AbortController().signal, 10_000, 10_000, Infinity);
		try {
			const result = await requestCompletion(
				directMetaChatHttp(KEY),
				sim.url,
				KEY,
				body,
				deadline,
				{},
			);
			if ('kind' in result) throw new Error(factWords((result as AttemptFailure).fact));
			return result;
		} finally {
			deadline.dispose();
		}
	};
	const base = (extra: Partial<CompletionBody> = {}): CompletionBody => ({
		model: 'deepseek-reasoner',
		messages: [{ role: 'user', content: 'Weather in Paris and the time?' }],
		tools: [lookup, clock],
		...extra,
	});

	beforeAll(async () => {
		sim = await startSimulator({ apiKey: KEY });
	});
	afterEach(() => sim.reset());
	afterAll(() => sim.close());

	it.each([true, false])(
		'assembles several tool calls of one round (streamed: %p) with their reasoning',
		async (stream) => {
			sim.scriptTools({
				rounds: [
					[
						{ name: 'lookup', arguments: { city: 'Paris' } },
						{ name: 'clock', arguments: {} },
					],
				],
			});
			const body = base();
			const completion = stream
				? await complete(body)
				: await (await post({ ...body, stream: false })).json();
			const choice = completion.choices[0];
			expect(choice.finish_reason).toBe('tool_calls');
			expect(choice.message.reasoning_content).toMatch(/I will call lookup, clock/);
			expect(choice.message.tool_calls).toEqual([
				{
					id: expect.stringMatching(/^call_/),
					type: 'function',
					function: { name: 'lookup', arguments: '{"city":"Paris"}' },
				},
				{
					id: expect.stringMatching(/^call_/),
					type: 'function',
					function: { name: 'clock', arguments: '{}' },
				},
			]);
			expect(completion.usage).toMatchObject({
				prompt_cache_hit_tokens: expect.any(Number),
				prompt_cache_miss_tokens: expect.any(Number),
			});
		},
	);

	it('the client reads tool calls from a whole JSON answer to a streamed request', async () => {
		sim.scriptTools({ rounds: [[{ name: 'lookup', arguments: { city: 'Oslo' } }]] });
		sim.setFault({ type: 'nostream' });
		const completion = await complete(base());
		expect(completion.choices[0].finish_reason).toBe('tool_calls');
		expect(completion.choices[0].message.tool_calls).toEqual([
			{
				id: expect.any(String),
				type: 'function',
				function: { name: 'lookup', arguments: '{"city":"Oslo"}' },
			},
		]);
		expect(completion.usage?.prompt_cache_miss_tokens).toEqual(expect.any(Number));
	});

	it('answers from the tool results it was sent, once the script is done', async () => {
		sim.scriptTools({ rounds: [[{ name: 'lookup', arguments: { city: 'Paris' } }]] });
		const first = (await complete(base())).choices[0].message;
		const second = await complete(
			base({
				messages: [
					...base().messages,
					{
						role: 'assistant',
						content: first.content,
						reasoning_content: first.reasoning_content,
						tool_calls: first.tool_calls,
					},
					{
						role: 'tool',
						tool_call_id: first.tool_calls![0].id,
						content: '{"weather":"sunny, 21 °C"}',
					},
				],
			}),
		);
		expect(second.choices[0].finish_reason).toBe('stop');
		expect(second.choices[0].message.content).toBe(
			'[simulated deepseek-reasoner] Tool results: lookup said {"weather":"sunny, 21 °C"}',
		);
	});

	it('calls only tools the request offers, and none without tools or with tool_choice none', async () => {
		sim.scriptTools({ rounds: [[{ name: 'lookup' }, { name: 'missing' }]] });
		const offered = await complete(base());
		expect(offered.choices[0].message.tool_calls?.map((c) => c.function.name)).toEqual(['lookup']);
		for (const body of [base({ tools: undefined }), base({ tool_choice: 'none' } as never)]) {
			expect((await complete(body)).choices[0].message.tool_calls).toBeUndefined();
		}
	});

	it('repeats the last round forever when asked, for iteration limits', async () => {
		sim.scriptTools({ rounds: [[{ name: 'clock' }]], repeat: true });
		const call = {
			id: 'c1',
			type: 'function' as const,
			function: { name: 'clock', arguments: '{}' },
		};
		const messages = [
			...base().messages,
			{ role: 'assistant' as const, content: '', reasoning_content: 'r', tool_calls: [call] },
			{ role: 'tool' as const, tool_call_id: 'c1', content: 'noon' },
		];
		expect((await complete(base({ messages }))).choices[0].finish_reason).toBe('tool_calls');
	});

	const toolCall = { id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{}' } };
	const withToolTurn = (assistant: object) => [
		{ role: 'user', content: 'Weather?' },
		{ role: 'assistant', content: '', tool_calls: [toolCall], ...assistant },
		{ role: 'tool', tool_call_id: 'c1', content: 'sunny' },
	];
	const passback = /Missing `reasoning_content` field in the assistant message at message index 1/;

	it.each([
		// model, extra body, reasoning on the tool-call message, expected status, message
		['deepseek-reasoner', {}, false, 400, passback],
		['deepseek-reasoner', {}, true, 200, null],
		['deepseek-chat', {}, false, 400, passback],
		['deepseek-chat', { thinking: { type: 'disabled' } }, false, 200, null],
		['deepseek-chat', { thinking: { type: 'enabled' } }, false, 400, passback],
		['deepseek-chat', { thinking: { type: 'enabled' } }, true, 200, null],
		['deepseek-r1-250528', {}, true, 400, /remove the reasoning_content/],
		['deepseek-r1t2-chimera', {}, true, 400, /remove the reasoning_content/],
		['deepseek-r1-250528', {}, false, 200, null],
	])(
		'passback rule: %s %p with reasoning %p → %i',
		async (model, extra, reasoning, status, message) => {
			const response = await post({
				model,
				messages: withToolTurn(reasoning ? { reasoning_content: 'look it up' } : {}),
				tools: [lookup],
				...extra,
			});
			expect(response.status).toBe(status);
			if (message) expect((await response.json()).error.message).toMatch(message);
		},
	);

	it("answers with V4's wording when asked to", async () => {
		sim.configure({ passbackError: 'v4' });
		try {
			const response = await post({
				model: 'deepseek-reasoner',
				messages: withToolTurn({}),
				tools: [lookup],
			});
			expect(response.status).toBe(400);
			expect((await response.json()).error.message).toBe(
				'The `reasoning_content` in the thinking mode must be passed back to the API.',
			);
		} finally {
			sim.configure({ passbackError: 'v3.2' });
		}
	});

	// An earlier turn with a tool round, its answer, then a new question.
	const laterTurn = (answer: object, extra: object = {}) => ({
		messages: [
			...withToolTurn({ reasoning_content: 'look it up' }),
			{ role: 'assistant', content: 'Sunny.', ...answer },
			{ role: 'user', content: 'And tomorrow?' },
		],
		...extra,
	});
	const v4Message = 'The `reasoning_content` in the thinking mode must be passed back to the API.';

	it.each([
		// model, passback rule, body, expected status
		['deepseek-v4-pro', 'v3.2', laterTurn({}), 400],
		['deepseek-v4-pro', 'v3.2', laterTurn({ reasoning_content: '' }), 200],
		['deepseek-v4-flash', 'v3.2', laterTurn({}, { thinking: { type: 'disabled' } }), 200],
		['deepseek-v4-flash', 'v3.2', laterTurn({ reasoning_content: 'it is sunny' }), 200],
		['deepseek-reasoner', 'v3.2', laterTurn({}), 200],
		['deepseek-reasoner', 'v4', laterTurn({}), 400],
		['deepseek-reasoner', 'v4', laterTurn({ reasoning_content: '' }), 200],
		['deepseek-chat', 'v4', laterTurn({}, { thinking: { type: 'disabled' } }), 200],
	] as const)('V4 rule: %s under %s rules, %j → %i', async (model, rule, body, status) => {
		sim.configure({ passbackRule: rule });
		try {
			const response = await post({ model, ...body });
			expect(response.status).toBe(status);
			if (status === 400) expect((await response.json()).error.message).toBe(v4Message);
		} finally {
			sim.configure({ passbackRule: 'v3.2' });
		}
	});

	it.each([
		[{}, true],
		[{ thinking: { type: 'disabled' } }, false],
	])('serves the V4 models, thinking unless disabled: %j thinks %p', async (extra, thinks) => {
		const response = await post({
			model: 'deepseek-v4-flash',
			messages: [{ role: 'user', content: 'Hi' }],
			...extra,
		});
		const { message } = (await response.json()).choices[0];
		expect('reasoning_content' in message).toBe(thinks);
	});

	it('ignores reasoning_content on other assistant messages outside R1', async () => {
		const response = await post({
			model: 'deepseek-reasoner',
			messages: [
				{ role: 'user', content: 'a' },
				{ role: 'assistant', content: 'b', reasoning_content: 'c' },
				{ role: 'user', content: 'd' },
			],
		});
		expect(response.status).toBe(200);
	});

	it('can leave deepseek-chat out of thinking mode, as before V4', async () => {
		sim.configure({ chatThinks: false });
		try {
			const response = await post({
				model: 'deepseek-chat',
				messages: withToolTurn({}),
				tools: [lookup],
			});
			expect(response.status).toBe(200);
		} finally {
			sim.configure({ chatThinks: true });
		}
	});

	it.each([
		[{ thinking: { type: 'enabled' } }, 200],
		[{ thinking: { type: 'on' } }, 400],
		[{ thinking: true }, 400],
		[{ reasoning_effort: 'high' }, 200],
		[{ reasoning_effort: 'max' }, 200],
		[{ reasoning_effort: 'extreme' }, 400],
		[{ model: 'deepseek-r1-250528', thinking: { type: 'enabled' } }, 400],
		[{ model: 'deepseek-r1-250528', reasoning_effort: 'low' }, 400],
		[{ tool_choice: 'auto' }, 200],
		[{ tool_choice: 'required' }, 400],
		[{ tool_choice: { type: 'function', function: { name: 'lookup' } } }, 400],
		[{ model: 'deepseek-chat', thinking: { type: 'disabled' }, tool_choice: 'required' }, 200],
		[
			{
				model: 'deepseek-chat',
				thinking: { type: 'disabled' },
				tool_choice: { type: 'function', function: { name: 'nope' } },
			},
			400,
		],
		[{ tools: [lookup, lookup] }, 400],
		[{ tools: [{ type: 'function', function: { name: 'has space' } }] }, 400],
		[{ response_format: { type: 'json_object' } }, 400],
		[
			{
				response_format: { type: 'json_object' },
				messages: [{ role: 'user', content: 'Answer in JSON' }],
			},
			200,
		],
	])('validates %p → %i', async (extra, status) => {
		const response = await post({
			model: 'deepseek-reasoner',
			messages: [{ role: 'user', content: 'Weather?' }],
			tools: [lookup],
			...extra,
		});
		expect(response.status).toBe(status);
	});

	it.each([
		[
			'a tool message without a preceding call',
			[
				{ role: 'user', content: 'a' },
				{ role: 'tool', tool_call_id: 'x', content: 'y' },
			],
		],
		['a tool call without its result', withToolTurn({ reasoning_content: 'r' }).slice(0, 2)],
	])('rejects %s', async (_name, messages) => {
		const response = await post({ model: 'deepseek-reasoner', messages, tools: [lookup] });
		expect(response.status).toBe(400);
	});

	it('takes a tool script through its control endpoint', async () => {
		await fetch(`${sim.url.replace('/v1', '')}/__sim/tools`, {
			method: 'POST',
			body: JSON.stringify({ rounds: [[{ name: 'clock' }]] }),
		});
		expect((await complete(base())).choices[0].message.tool_calls).toHaveLength(1);
	});

	it.each([
		['empty', ''],
		['text', expect.stringMatching(/^\[simulated/)],
	])('fault %s changes a JSON answer', async (type, content) => {
		sim.setFault({ type: type as 'empty' });
		const completion = await complete({
			model: 'deepseek-chat',
			messages: [{ role: 'user', content: 'Answer in json' }],
			response_format: { type: 'json_object' },
		});
		expect(completion.choices[0].message.content).toEqual(content);
	});
});
