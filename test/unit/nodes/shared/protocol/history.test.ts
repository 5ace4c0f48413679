import { HistoryProblem, normaliseHistory } from '../../../../../nodes/shared/protocol/history';
import { historyWords } from '../../../../../nodes/shared/wording';

const problemOf = (input: unknown) => {
	const result = normaliseHistory(input);
	return result instanceof HistoryProblem ? historyWords(result.fact) : undefined;
};

describe('normaliseHistory', () => {
	const call = { id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } };
	const turn = [
		{ role: 'user', content: 'Hi' },
		{ role: 'assistant', content: 'Hello', reasoning_content: 'greet back' },
	];

	it.each([
		['undefined', undefined, []],
		['null', null, []],
		['an empty string', '', []],
		['whitespace', '  \n', []],
		['an empty array', [], []],
		['JSON null', 'null', []],
	])('treats %s as no history', (_name, input, expected) => {
		expect(normaliseHistory(input)).toEqual(expected);
	});

	it.each([
		['an array of messages', turn],
		['a JSON string of messages', JSON.stringify(turn)],
		['a whole earlier output item', { content: 'Hello', messages: turn }],
	])('accepts %s and keeps reasoning_content for modelRules to decide', (_name, input) => {
		expect(normaliseHistory(input)).toEqual(turn);
	});

	it('accepts a single message object', () => {
		expect(normaliseHistory({ role: 'system', content: 'Be brief' })).toEqual([
			{ role: 'system', content: 'Be brief' },
		]);
	});

	it.each([
		['role case and spaces', { role: ' User ', content: 'x' }, { role: 'user', content: 'x' }],
		['numbers as content', { role: 'user', content: 42 }, { role: 'user', content: '42' }],
		[
			'text parts',
			{ role: 'user', content: [{ type: 'text', text: 'a' }, 'b'] },
			{ role: 'user', content: 'ab' },
		],
		[
			'unknown fields',
			{ role: 'user', content: 'x', id: 7, extra: {} },
			{ role: 'user', content: 'x' },
		],
		[
			'a name',
			{ role: 'user', content: 'x', name: 'ann' },
			{ role: 'user', content: 'x', name: 'ann' },
		],
		[
			'a tool answer',
			{ role: 'tool', content: '{}', tool_call_id: 'c1' },
			{ role: 'tool', content: '{}', tool_call_id: 'c1' },
		],
		[
			'an assistant tool call without content',
			{ role: 'assistant', content: null, tool_calls: [call] },
			{ role: 'assistant', content: null, tool_calls: [call] },
		],
		[
			'a tool call with its reasoning, which thinking mode needs back',
			{ role: 'assistant', content: '', reasoning_content: 'look it up', tool_calls: [call] },
			{ role: 'assistant', content: '', reasoning_content: 'look it up', tool_calls: [call] },
		],
		[
			'empty tool call arguments, as none',
			{
				role: 'assistant',
				content: null,
				tool_calls: [{ ...call, function: { name: 'f', arguments: ' ' } }],
			},
			{ role: 'assistant', content: null, tool_calls: [call] },
		],
		[
			'tool call arguments given as an object',
			{
				role: 'assistant',
				content: null,
				tool_calls: [{ ...call, function: { name: 'f', arguments: { a: 1 } } }],
			},
			{
				role: 'assistant',
				content: null,
				tool_calls: [{ ...call, function: { name: 'f', arguments: '{"a":1}' } }],
			},
		],
	])('normalises %s', (_name, message, expected) => {
		expect(normaliseHistory([message])).toEqual([expected]);
	});

	it.each([
		['invalid JSON text', '[{"role":', /not valid JSON/],
		['a plain string', '"hello"', /History is a string/],
		['a number', 5, /History is a number/],
		['an object without messages', { text: 'hi' }, /History is an object/],
		['nested arrays', [[{ role: 'user', content: 'x' }]], /message 0 is an array/],
		['a string message', ['hello'], /message 0 is a string/],
		['a null message', [null], /message 0 is null/],
		['a message without role', [{ content: 'x' }], /message 0 has no role/],
		['an unknown role', [{ role: 'bot', content: 'x' }], /role "bot": use one of system, user/],
		['a message without content', [{ role: 'user' }], /message 0 \(user\) has no content/],
		['object content', [{ role: 'user', content: { a: 1 } }], /content that is an object/],
		[
			'an image part without a URL',
			[{ role: 'user', content: [{ type: 'image_url' }] }],
			/image block 0 whose URL/,
		],
		['a tool message without id', [{ role: 'tool', content: 'x' }], /no tool_call_id/],
		[
			'a tool call without a name',
			[{ role: 'assistant', content: null, tool_calls: [{ id: 'c1' }] }],
			/tool call 0 without an id or a function name/,
		],
		['null content for a user', [{ role: 'user', content: null }], /has no content/],
		[
			'tool call arguments that are not JSON',
			[
				{ role: 'user', content: 'x' },
				{
					role: 'assistant',
					content: null,
					tool_calls: [call, { ...call, function: { name: 'f', arguments: '{bad' } }],
				},
			],
			/^History message 1 has a tool call 1 whose arguments are not valid JSON: give function.arguments as JSON text/,
		],
	])('rejects %s with a message that says what to fix', (_name, input, pattern) => {
		expect(normaliseHistory(input)).toBeInstanceOf(HistoryProblem);
		expect(problemOf(input)).toMatch(pattern);
	});

	it('names the position of the bad message', () => {
		expect(
			problemOf([
				{ role: 'user', content: 'ok' },
				{ role: 'x', content: 'y' },
			]),
		).toMatch(/History message 1/);
	});

	it('does not quote tool call arguments that are not JSON', () => {
		const args = '{"secret": "launch code 0000"';
		const input = [
			{
				role: 'assistant',
				content: null,
				tool_calls: [{ ...call, function: { name: 'f', arguments: args } }],
			},
		];
		expect(problemOf(input)).not.toMatch(/secret|launch/);
	});

	it('does not change its input', () => {
		const input = JSON.parse(JSON.stringify(turn));
		normaliseHistory(input);
		expect(input).toEqual(turn);
	});
});

describe('normaliseHistory with images', () => {
	const png = `data:image/png;base64,${Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]).toString('base64')}`;
	const image = (url: string) => ({ type: 'image_url', image_url: { url } });

	it('keeps a user message of text and image blocks as blocks', () => {
		const content = [
			{ type: 'text', text: 'Look' },
			image(png),
			image('https://example.com/a.jpg'),
		];
		expect(normaliseHistory([{ role: 'user', content }])).toEqual([{ role: 'user', content }]);
	});

	it('still joins a list of text parts into text', () => {
		expect(
			normaliseHistory([{ role: 'user', content: [{ type: 'text', text: 'a' }, 'b'] }]),
		).toEqual([{ role: 'user', content: 'ab' }]);
	});

	it.each([
		[
			'a data URL whose bytes are not an image',
			[image('data:image/png;base64,JVBERi0xLjQ=')],
			'user',
		],
		['an http URL', [image('http://example.com/a.png')], 'user'],
		['an image in an assistant message', [image(png)], 'assistant'],
	])('refuses %s', (_name, content, role) => {
		expect(problemOf([{ role, content }])).toMatch(/^History message 0 .*image block 0/);
	});
});
