import { z } from 'zod';

import {
	answerParser,
	structuredOutputMethod,
	structuredRequest,
	withJsonInstruction,
} from '../../../../../nodes/LmChatDeepSeek/model/structuredOutput';
import type { ChatMessage } from '../../../../../nodes/shared/protocol/wire';
import type { StructuredAnswerProblem } from '../../../../../nodes/shared/facts/input';

const fail = (problem: StructuredAnswerProblem) => new Error(JSON.stringify(problem));

describe('structured output for DeepSeek', () => {
	it.each([
		['deepseek-chat', 'disabled', undefined, 'functionCalling'],
		['deepseek-chat', 'disabled', 'jsonSchema', 'functionCalling'],
		['deepseek-v4-flash', 'disabled', 'functionCalling', 'functionCalling'],
		['deepseek-chat', 'default', undefined, 'jsonSchema'],
		['deepseek-chat', 'default', 'functionCalling', 'jsonSchema'],
		['deepseek-reasoner', 'default', undefined, 'jsonSchema'],
		['deepseek-v4-pro', 'enabled', 'jsonSchema', 'jsonSchema'],
		['deepseek-reasoner', 'default', 'jsonMode', 'jsonMode'],
		['deepseek-chat', 'disabled', 'jsonMode', 'jsonMode'],
	] as const)('%s with Thinking %s, method %s: %s', (model, thinking, requested, method) => {
		expect(structuredOutputMethod(requested, model, thinking)).toBe(method);
	});

	const messages: ChatMessage[] = [
		{ role: 'system', content: 'You judge answers.' },
		{ role: 'user', content: 'Rate this.' },
	];

	it('states a json_schema in a system message after the leading ones; json_object as it is', () => {
		const schema = { type: 'object', properties: { score: { type: 'integer' } } };
		const json = withJsonInstruction(messages, {
			type: 'json_schema',
			json_schema: { name: 'extract', schema },
		});
		expect(json?.messages.map((message) => message.role)).toEqual(['system', 'system', 'user']);
		expect(json?.messages[1].content).toContain('Here is the JSON Schema instance');
		expect(json?.messages[1].content).toContain(JSON.stringify(schema));
		expect(withJsonInstruction(messages, { type: 'json_object' })).toEqual({ messages });
		expect(withJsonInstruction(messages, { type: 'text' })).toBeUndefined();
		expect(withJsonInstruction(messages, undefined)).toBeUndefined();
	});

	it('asks for a forced call of the named tool, or for JSON (a schema goes as a call option the model states in the prompt)', () => {
		const schema = z.object({ score: z.number().int().min(1).max(5) });
		const called = structuredRequest('functionCalling', schema, 'judge');
		expect(called.callOptions.tool_choice).toEqual({
			type: 'function',
			function: { name: 'judge' },
		});
		expect(called.tool).toMatchObject({
			function: {
				name: 'judge',
				parameters: { properties: { score: { minimum: 1, maximum: 5 } } },
			},
		});
		expect(structuredRequest('jsonMode', schema, 'judge').callOptions.response_format).toEqual({
			type: 'json_object',
		});
		expect(structuredRequest('jsonSchema', schema, 'judge').callOptions.response_format).toEqual({
			type: 'json_schema',
			json_schema: { name: 'judge', schema: expect.objectContaining({ type: 'object' }) },
		});
	});

	it('parses a tool call or a JSON answer (bare, fenced or among words), checked by zod', () => {
		const schema = z.object({ score: z.number().int().min(1).max(5) });
		const byTool = answerParser('functionCalling', 'judge', schema, fail);
		expect(byTool({ tool_calls: [{ name: 'judge', args: { score: 4 } }] })).toEqual({ score: 4 });
		expect(() => byTool({ content: '{"score":4}', tool_calls: [] })).toThrow(/no-tool-call/);
		const byJson = answerParser('jsonSchema', 'judge', schema, fail);
		for (const content of ['{"score":3}', '```json\n{"score":3}\n```', 'Here: {"score":3} done']) {
			expect(byJson({ content })).toEqual({ score: 3 });
		}
		expect(() => byJson({ content: 'no JSON here' })).toThrow(/not-json/);
		expect(() => byJson({ content: '{"score":9}' })).toThrow(/not-schema.*score/);
		// A key that could reach a prototype is dropped.
		const plain = answerParser('jsonMode', 'judge', { type: 'object' }, fail);
		expect(plain({ content: '{"a":1,"__proto__":{"polluted":true}}' })).toEqual({ a: 1 });
	});
});
