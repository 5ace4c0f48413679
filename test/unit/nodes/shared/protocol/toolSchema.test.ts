import { z } from 'zod';
import * as z4 from 'zod/v4';

import { toolParameters } from '../../../../../nodes/shared/protocol/toolSchema';

describe('toolParameters', () => {
	const expected = {
		type: 'object',
		properties: {
			city: { type: 'string', description: 'The city' },
			days: { type: 'integer' },
			units: { type: 'string', enum: ['c', 'f'] },
			tags: { type: 'array', items: { type: 'string' } },
		},
		required: ['city', 'units'],
	};

	it.each([
		[
			'a zod v3 object',
			z.object({
				city: z.string().describe('The city'),
				days: z.number().int().optional(),
				units: z.enum(['c', 'f']),
				tags: z.array(z.string()).optional(),
			}),
			expected,
		],
		[
			'a zod v4 object',
			z4.object({
				city: z4.string().describe('The city'),
				days: z4.int().optional(),
				units: z4.enum(['c', 'f']),
				tags: z4.array(z4.string()).optional(),
			}),
			{ ...expected, properties: { ...expected.properties, units: { enum: ['c', 'f'] } } },
		],
		['a plain JSON schema', expected, expected],
		[
			"a string tool's schema (LangChain's DynamicTool)",
			z.object({ input: z.string().optional() }).transform((value) => value.input),
			{ type: 'object', properties: { input: { type: 'string' } } },
		],
		['no schema', undefined, { type: 'object', properties: {} }],
		['a schema that is not an object', z.string(), { type: 'object', properties: {} }],
	])('converts %s', (_name, schema, json) => {
		expect(toolParameters(schema)).toEqual(json);
	});

	it.each([
		['v3', z.object({ score: z.number().int().min(1).max(5), ratio: z.number().positive().lt(1) })],
		[
			'v4',
			z4.object({ score: z4.number().int().min(1).max(5), ratio: z4.number().positive().lt(1) }),
		],
	])('keeps the bounds of a zod %s number (a score from 1 to 5)', (_, schema) => {
		expect(toolParameters(schema).properties).toEqual({
			score: { type: 'integer', minimum: 1, maximum: 5 },
			ratio: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
		});
	});

	it('keeps nullable, defaults, unions and records', () => {
		expect(
			toolParameters(
				z.object({
					note: z.string().nullable(),
					limit: z.number().default(5),
					id: z.union([z.string(), z.number()]),
					extra: z.record(z.boolean()),
				}),
			),
		).toEqual({
			type: 'object',
			properties: {
				note: { anyOf: [{ type: 'string' }, { type: 'null' }] },
				limit: { type: 'number', default: 5 },
				id: { anyOf: [{ type: 'string' }, { type: 'number' }] },
				extra: { type: 'object', additionalProperties: { type: 'boolean' } },
			},
			required: ['note', 'id', 'extra'],
		});
	});
});
