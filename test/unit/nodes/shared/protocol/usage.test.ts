import { addUsage } from '../../../../../nodes/shared/protocol/usage';
import type { Usage } from '../../../../../nodes/shared/protocol/wire';
import { guardObjectPrototype } from '../../../../harness/objectPrototype';

const usage = (prompt: number, completion: number, extra: object = {}): Usage => ({
	prompt_tokens: prompt,
	completion_tokens: completion,
	total_tokens: prompt + completion,
	...extra,
});

describe('addUsage', () => {
	it.each([
		['nothing yet', undefined, usage(1, 2), usage(1, 2)],
		['no usage in the answer', usage(1, 2), undefined, usage(1, 2)],
		['two answers', usage(1, 2), usage(10, 20), usage(11, 22)],
		[
			'cache figures and nested details',
			usage(5, 1, {
				prompt_cache_hit_tokens: 0,
				prompt_cache_miss_tokens: 5,
				completion_tokens_details: { reasoning_tokens: 1 },
			}),
			usage(9, 3, {
				prompt_cache_hit_tokens: 5,
				prompt_cache_miss_tokens: 4,
				completion_tokens_details: { reasoning_tokens: 2 },
			}),
			usage(14, 4, {
				prompt_cache_hit_tokens: 5,
				prompt_cache_miss_tokens: 9,
				completion_tokens_details: { reasoning_tokens: 3 },
			}),
		],
		[
			'a field only the later answer has',
			usage(1, 1),
			usage(1, 1, { prompt_cache_hit_tokens: 1 }),
			usage(2, 2, { prompt_cache_hit_tokens: 1 }),
		],
	])('adds %s', (_name, total, next, expected) => {
		expect(addUsage(total, next)).toEqual(expected);
	});

	it('never changes the answer it was given first', () => {
		const first = usage(1, 2);
		addUsage(addUsage(undefined, first), usage(3, 4));
		expect(first).toEqual(usage(1, 2));
	});
});

describe('addUsage with a hostile server', () => {
	const prototypeBefore = guardObjectPrototype();

	it('writes no key of a second answer onto Object.prototype', () => {
		// As JSON.parse gives it: "__proto__" and "constructor" are own keys of the usage object.
		const hostile = JSON.parse(
			'{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2,"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}',
		) as Usage;
		const total = addUsage(addUsage(undefined, hostile), hostile);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(prototypeBefore);
		expect(total).toEqual(usage(2, 2));
		expect(Object.getPrototypeOf(total)).toBe(Object.prototype);
	});
});
