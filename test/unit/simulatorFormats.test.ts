import { startSimulator, type Simulator } from '../simulator/simulator';

const KEY = 'sk-sim-formats-1234';

/** Format instructions as LangChain's StructuredOutputParser words them, around a schema. */
const instructions = (schema: object) =>
	[
		'You must format your output as a JSON value that adheres to a given "JSON Schema" instance.',
		'',
		'Your output will be parsed and type-checked according to the provided schema instance.',
		'',
		'Here is the JSON Schema instance your output must adhere to. Include the enclosing markdown codeblock:',
		'```json',
		JSON.stringify(schema),
		'```',
	].join('\n');

const category = (name: string, description: string) => ({
	type: 'boolean',
	description: `Should be true if the input has category "${name}" (description: ${description})`,
});
const CLASSIFIER = {
	type: 'object',
	properties: {
		Billing: category('Billing', 'invoices and refunds'),
		Shipping: category('Shipping', 'parcels and delivery'),
		fallback: {
			type: 'boolean',
			description: 'Should be true if none of the other categories apply',
		},
	},
	required: ['Billing', 'Shipping', 'fallback'],
};
const ORDER = {
	type: 'object',
	properties: {
		customer: { type: 'string' },
		quantity: { type: 'integer' },
		giftWrap: { type: 'boolean' },
		due: { type: 'string', format: 'date' },
		note: { type: 'string' },
	},
	required: ['customer', 'quantity', 'giftWrap', 'due'],
};

describe('the simulator answers format instructions and refuses what DeepSeek refuses', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({ apiKey: KEY });
	});
	afterEach(() => sim.reset());
	afterAll(() => sim.close());

	const post = async (body: object) => {
		const response = await fetch(`${sim.url}/chat/completions`, {
			method: 'POST',
			headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
			body: JSON.stringify({ model: 'deepseek-chat', ...body }),
		});
		return { status: response.status, body: await response.json() };
	};
	const answer = async (body: object) => {
		const { status, body: json } = await post(body);
		expect(status).toBe(200);
		return json.choices[0].message;
	};
	const ask = (system: string, user: string, extra: object = {}) =>
		answer({
			messages: [
				{ role: 'system', content: system },
				{ role: 'user', content: user },
			],
			...extra,
		});
	const fenced = (content: string) => {
		const found = /^```json\n(.*)\n```$/s.exec(content);
		expect(found).not.toBeNull();
		return JSON.parse(found![1]);
	};

	it.each([
		[
			'json_schema',
			'deepseek-chat',
			{ type: 'json_schema', json_schema: { name: 'x', schema: ORDER } },
		],
		[
			'json_schema',
			'deepseek-v4-pro',
			{ type: 'json_schema', json_schema: { name: 'x', schema: ORDER } },
		],
		['an unknown type', 'deepseek-flash', { type: 'xml' }],
	])('refuses a response_format of %s (%s) with DeepSeek’s 400', async (_kind, model, format) => {
		const { status, body } = await post({
			model,
			messages: [{ role: 'user', content: 'Answer in JSON' }],
			response_format: format,
		});
		expect(status).toBe(400);
		expect(body.error).toEqual({
			message: 'This response_format type is unavailable now',
			type: 'invalid_request_error',
			param: null,
			code: 'invalid_request_error',
		});
	});

	it('takes response_format text', async () => {
		const message = await answer({
			messages: [{ role: 'user', content: 'Hi' }],
			response_format: { type: 'text' },
		});
		expect(message.content).toBe('[simulated deepseek-chat] Summary: Hi');
	});

	it('serves deepseek-flash, thinking unless thinking is disabled, and refuses it a forced tool in thinking mode', async () => {
		const models = await (
			await fetch(`${sim.url}/models`, { headers: { authorization: `Bearer ${KEY}` } })
		).json();
		expect(models.data.map((model: { id: string }) => model.id)).toContain('deepseek-flash');
		const user = [{ role: 'user', content: 'Hi' }];
		expect((await answer({ model: 'deepseek-flash', messages: user })).reasoning_content).toMatch(
			/^\[simulated reasoning\]/,
		);
		const off = { thinking: { type: 'disabled' } };
		expect(
			(await answer({ model: 'deepseek-flash', messages: user, ...off })).reasoning_content,
		).toBeUndefined();
		const tools = [
			{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } },
		];
		const forced = { model: 'deepseek-flash', messages: user, tools, tool_choice: 'required' };
		expect((await post(forced)).status).toBe(400);
		expect((await post({ ...forced, ...off })).status).toBe(200);
	});

	it('classifies by the words of the input, "fallback" when no category fits', async () => {
		const system = `Classify the text.\n${instructions(CLASSIFIER)}`;
		const verdict = async (text: string) => fenced((await ask(system, text)).content);
		expect(await verdict('Where is my parcel? The delivery is late.')).toEqual({
			Billing: false,
			Shipping: true,
			fallback: false,
		});
		expect(await verdict('Please refund the second invoice.')).toEqual({
			Billing: true,
			Shipping: false,
			fallback: false,
		});
		expect(await verdict('What time do you open?')).toEqual({
			Billing: false,
			Shipping: false,
			fallback: true,
		});
	});

	it('fills fields from the input with the schema’s types, leaving out an optional one it cannot find; raw JSON under json_object', async () => {
		const system = `Extract. ${instructions(ORDER)}`;
		const text = 'Customer: Ada Lovelace, quantity: 3, gift wrap: yes, due: 2026-03-05.';
		expect(fenced((await ask(system, text)).content)).toEqual({
			customer: 'Ada Lovelace',
			quantity: 3,
			giftWrap: true,
			due: '2026-03-05',
		});
		const raw = await ask(system, 'Customer: Grace Hopper, quantity: 12, gift wrap: no', {
			response_format: { type: 'json_object' },
		});
		expect(JSON.parse(raw.content)).toEqual({
			customer: 'Grace Hopper',
			quantity: 12,
			giftWrap: false,
			due: '1970-01-01',
		});
	});

	it('answers badly once with the badjson fault, then repairs the completion when asked to fix it', async () => {
		sim.setFault({ type: 'badjson', times: 1 });
		const system = `Extract. ${instructions(ORDER)}`;
		const text = 'Customer: Ada Lovelace, quantity: 3, gift wrap: yes, due: 2026-03-05.';
		const bad = (await ask(system, text)).content as string;
		expect(bad).toMatch(/,\}\n```$/);
		expect(() => fenced(bad)).toThrow(SyntaxError);
		const fix = [
			'Instructions:',
			'--------------',
			instructions(ORDER),
			'--------------',
			'Completion:',
			'--------------',
			bad,
			'--------------',
			'',
			'Above, the Completion did not satisfy the constraints given in the Instructions.',
			'Error:',
			'--------------',
			'SyntaxError',
			'--------------',
			'',
			'Please try again.',
		].join('\n');
		const fixed = await answer({ messages: [{ role: 'user', content: fix }] });
		expect(fenced(fixed.content)).toEqual({
			customer: 'Ada Lovelace',
			quantity: 3,
			giftWrap: true,
			due: '2026-03-05',
		});
	});

	it('calls the tool a system message says must be used, with arguments for its schema', async () => {
		const message = await answer({
			model: 'deepseek-v4-flash',
			messages: [
				{
					role: 'system',
					content: 'IMPORTANT: you MUST use the `format_final_json_response` tool.',
				},
				{
					role: 'user',
					content: 'Customer: Ada Lovelace, quantity: 3, gift wrap: no, due: 2026-01-02',
				},
			],
			tools: [
				{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } },
				{
					type: 'function',
					function: {
						name: 'format_final_json_response',
						parameters: { type: 'object', properties: { output: ORDER }, required: ['output'] },
					},
				},
			],
		});
		expect(message.content).toBe('');
		expect(message.reasoning_content).toMatch(/I will call format_final_json_response/);
		expect(message.tool_calls).toHaveLength(1);
		expect(message.tool_calls[0].function.name).toBe('format_final_json_response');
		expect(JSON.parse(message.tool_calls[0].function.arguments)).toEqual({
			output: { customer: 'Ada Lovelace', quantity: 3, giftWrap: false, due: '2026-01-02' },
		});
	});

	it('summarises the Summarization Chain’s prompts with the lead sentence of each paragraph', async () => {
		const text = 'Rivers run. They are wet.\n\nHills rise. They are high.';
		const concise = await answer({
			messages: [
				{
					role: 'user',
					content: `Write a concise summary of the following:\n\n\n"${text}"\n\n\nCONCISE SUMMARY:`,
				},
			],
		});
		expect(concise.content).toBe('[simulated deepseek-chat] Summary: Rivers run. Hills rise.');
		const refine = [
			'Your job is to produce a final summary',
			'We have provided an existing summary up to a certain point: "[simulated deepseek-chat] Summary: Rivers run."',
			'We have the opportunity to refine the existing summary',
			'(only if needed) with some more context below.',
			'------------',
			'"Lakes lie still. They are deep."',
			'------------',
			'',
			'Given the new context, refine the original summary',
			"If the context isn't useful, return the original summary.",
			'',
			'REFINED SUMMARY:',
		].join('\n');
		const refined = await answer({ messages: [{ role: 'user', content: refine }] });
		expect(refined.content).toBe('[simulated deepseek-chat] Summary: Rivers run. Lakes lie still.');
	});

	it('answers a request without format instructions as before, and plain text under the text fault', async () => {
		expect((await ask('Be brief.', 'Tell me about foxes')).content).toBe(
			'[simulated deepseek-chat] Summary: Tell me about foxes',
		);
		sim.setFault({ type: 'text', times: 1 });
		const plain = await ask(`Classify. ${instructions(CLASSIFIER)}`, 'Refund my invoice');
		expect(plain.content).toBe('[simulated deepseek-chat] Summary: Refund my invoice');
	});
});
