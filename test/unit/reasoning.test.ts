import {
	acceptsReasoningEffort,
	acceptsThinking,
	isR1Family,
	mayThink,
	messagesForModel,
} from '../../nodes/shared/protocol/reasoning';
import type { ChatMessage } from '../../nodes/shared/protocol/wire';

const call = { id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{}' } };
const history: ChatMessage[] = [
	{ role: 'user', content: 'Weather?' },
	{ role: 'assistant', content: '', reasoning_content: 'ask the tool', tool_calls: [call] },
	{ role: 'tool', content: 'sunny', tool_call_id: 'c1' },
	{ role: 'assistant', content: 'Sunny', reasoning_content: 'the tool said so' },
	{ role: 'user', content: 'Thanks' },
];
const reasoningAt = (messages: ChatMessage[]) =>
	messages.flatMap((message, index) => ('reasoning_content' in message ? [index] : []));

describe('reasoning rules', () => {
	it.each([
		['deepseek-reasoner', [1]],
		['deepseek-chat', [1]],
		['deepseek-v4-pro', [1]],
		['my-custom-model', [1]],
		['deepseek-r1-250528', []],
		['deepseek-r1t2-chimera', []],
		['deepseek-ai/DeepSeek-R1-0528', []],
		['deepseek-r1-distill-qwen-32b', []],
	])('%s keeps reasoning_content at %p', (model, kept) => {
		expect(reasoningAt(messagesForModel(model, history))).toEqual(kept);
	});

	it('never mutates its input', () => {
		const copy = structuredClone(history);
		messagesForModel('deepseek-r1-250528', history);
		expect(history).toEqual(copy);
	});

	it('drops reasoning of a tool-call message that has an empty tool_calls list', () => {
		const messages: ChatMessage[] = [
			{ role: 'assistant', content: 'x', reasoning_content: 'r', tool_calls: [] },
		];
		expect(reasoningAt(messagesForModel('deepseek-reasoner', messages))).toEqual([]);
	});

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
		// model, thinking, accepts thinking, may think, accepts reasoning_effort
		['deepseek-chat', 'default', true, true, true],
		['deepseek-chat', 'disabled', true, false, false],
		['deepseek-chat', 'enabled', true, true, true],
		['deepseek-v4-flash', 'default', true, true, true],
		['deepseek-reasoner', 'default', false, true, true],
		['deepseek-reasoner', 'disabled', false, true, true],
		['deepseek-r1-250528', 'enabled', false, true, false],
		['my-custom-model', 'default', false, false, false],
		['my-custom-model', 'enabled', false, true, false],
	] as const)('%s with thinking %s', (model, thinking, thinkingField, thinks, effort) => {
		expect(acceptsThinking(model)).toBe(thinkingField);
		expect(mayThink(model, thinking)).toBe(thinks);
		expect(acceptsReasoningEffort(model, thinking)).toBe(effort);
	});
});
