import {
	isR1Family,
	modelRules,
	passBackReasoning,
	type Passback,
} from '../../../../../nodes/shared/protocol/modelRules';
import type { ChatMessage } from '../../../../../nodes/shared/protocol/wire';

const call = { id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{}' } };
const history: ChatMessage[] = [
	{ role: 'user', content: 'Weather?' },
	{ role: 'assistant', content: '', reasoning_content: 'ask the tool', tool_calls: [call] },
	{ role: 'tool', content: 'sunny', tool_call_id: 'c1' },
	{ role: 'assistant', content: 'Sunny', reasoning_content: 'the tool said so' },
	{ role: 'user', content: 'Thanks' },
	{ role: 'assistant', content: 'Welcome', reasoning_content: 'polite' },
	{ role: 'user', content: 'Bye' },
];
const reasoningAt = (messages: ChatMessage[]) =>
	messages.flatMap((message, index) =>
		'reasoning_content' in message ? [[index, message.reasoning_content]] : [],
	);

describe('the reasoning passed back', () => {
	it.each([
		['deepseek-reasoner', 'tool-turns'],
		['deepseek-chat', 'tool-turns'],
		['deepseek-v4-pro', 'tool-turns'],
		['deepseek-flash', 'tool-turns'],
		['my-custom-model', 'tool-turns'],
		['deepseek-v3.2', 'tool-calls'],
		['deepseek-v3.2-exp', 'tool-calls'],
		['deepseek-r1-250528', 'none'],
		['deepseek-r1t2-chimera', 'none'],
		['DeepSeek-R1-0528', 'none'],
		['deepseek-ai/DeepSeek-R1-0528', 'none'],
		['deepseek-r1-distill-qwen-32b', 'none'],
	])('%s: %s', (model, passback) => {
		expect(modelRules(model, 'default').passback).toBe(passback);
		expect(modelRules(model, 'disabled').passback).toBe(passback);
	});

	it.each([
		['none', []],
		['tool-calls', [[1, 'ask the tool']]],
		[
			'tool-turns',
			[
				[1, 'ask the tool'],
				[3, 'the tool said so'],
			],
		],
	] as Array<[Passback, unknown[]]>)('%s keeps reasoning at %j', (passback, kept) => {
		expect(reasoningAt(passBackReasoning(passback, history))).toEqual(kept);
	});

	it('fills "" where the reasoning of a message that needs it is unknown', () => {
		const bare = history.map(({ reasoning_content: _r, ...message }) => message);
		expect(reasoningAt(passBackReasoning('tool-turns', bare))).toEqual([
			[1, ''],
			[3, ''],
		]);
		expect(reasoningAt(passBackReasoning('tool-calls', bare))).toEqual([[1, '']]);
		expect(reasoningAt(passBackReasoning('none', bare))).toEqual([]);
	});

	it('counts the messages before the first user message as a turn, and the turn still open', () => {
		const messages: ChatMessage[] = [
			{ role: 'system', content: 'Be brief' },
			{ role: 'assistant', content: 'Hi' },
			{ role: 'assistant', content: '', tool_calls: [call] },
			{ role: 'tool', content: 'sunny', tool_call_id: 'c1' },
			{ role: 'user', content: 'Weather?' },
			{ role: 'assistant', content: '', tool_calls: [call] },
			{ role: 'tool', content: 'sunny', tool_call_id: 'c1' },
		];
		expect(reasoningAt(passBackReasoning('tool-turns', messages))).toEqual([
			[1, ''],
			[2, ''],
			[5, ''],
		]);
	});

	it('drops the reasoning of a message with an empty tool_calls list in a turn without calls', () => {
		const messages: ChatMessage[] = [
			{ role: 'user', content: 'x' },
			{ role: 'assistant', content: 'x', reasoning_content: 'r', tool_calls: [] },
		];
		expect(reasoningAt(passBackReasoning('tool-turns', messages))).toEqual([]);
	});

	it('never mutates its input', () => {
		const copy = structuredClone(history);
		passBackReasoning('none', history);
		passBackReasoning('tool-turns', history);
		expect(history).toEqual(copy);
	});
});

describe('what a request carries', () => {
	it.each([
		['deepseek-r1-250528', true],
		['deepseek-r1t2-chimera', true],
		['DeepSeek-R1', true],
		['deepseek-r10', false],
		['deepseek-reasoner', false],
		['deepseek-chat', false],
	])('isR1Family(%s) is %p', (model, expected) => {
		expect(isR1Family(model)).toBe(expected);
	});

	it.each([
		// model, thinking, thinks, thinking field, reasoning_effort
		['deepseek-chat', 'default', false, undefined, false],
		['deepseek-chat', 'disabled', false, 'disabled', false],
		['deepseek-chat', 'enabled', true, 'enabled', true],
		['deepseek-v3.2', 'default', false, undefined, false],
		['deepseek-v4-flash', 'default', true, undefined, true],
		['deepseek-v4-pro', 'disabled', false, 'disabled', false],
		['deepseek-v4-pro', 'enabled', true, 'enabled', true],
		['deepseek-reasoner', 'default', true, undefined, true],
		['deepseek-reasoner', 'disabled', true, undefined, true],
		['deepseek-r1-250528', 'enabled', true, undefined, false],
		['DeepSeek-R1-0528', 'disabled', true, undefined, false],
		['deepseek-flash', 'default', true, undefined, true],
		['deepseek-flash', 'disabled', false, 'disabled', false],
	] as const)('%s with thinking %s', (model, thinking, thinks, field, effort) => {
		const rules = modelRules(model, thinking);
		expect(rules.thinks).toBe(thinks);
		expect(rules.thinkingField?.type).toBe(field);
		expect(rules.reasoningEffort).toBe(effort);
	});
});
