import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readNumberOption, readStopSequences } from '../../../../nodes/shared/optionValues';

const node = { name: 'DeepSeek' } as INode;

const errorOf = (read: () => unknown) => {
	try {
		read();
	} catch (error) {
		expect(error).toBeInstanceOf(NodeOperationError);
		return error as NodeOperationError;
	}
	throw new Error('did not throw');
};

describe('readNumberOption', () => {
	it.each([
		[1500, 1500],
		['1500', 1500],
		[' 0.3 ', 0.3],
		['1e3', 1000],
		[undefined, undefined],
		[null, undefined],
		['', undefined],
		['  ', undefined],
	])('reads %p as %p', (value, expected) => {
		expect(readNumberOption(node, value, 'Timeout (Ms)', { itemIndex: 2 })).toBe(expected);
	});

	it.each([
		['soon', 'the text "soon"'],
		['x'.repeat(21), 'a text of 21 characters'],
		[true, 'a boolean'],
		[{ a: 1 }, 'an object'],
		[[1], 'a list'],
		[Number.NaN, 'the number NaN'],
		['Infinity', 'the text "Infinity"'],
	])('refuses %p, naming the option, the item and %s', (value, got) => {
		const error = errorOf(() => readNumberOption(node, value, 'Timeout (Ms)', { itemIndex: 2 }));
		expect(error.message).toBe(`The Timeout (Ms) option of item 2 must be a number, not ${got}`);
		expect(error.context.itemIndex).toBe(2);
		expect(error.description).toMatch(/Set Timeout \(Ms\) to a number/);
	});

	it('refuses a number below the minimum, and names no item when it is read once per run', () => {
		const error = errorOf(() => readNumberOption(node, '0', 'Concurrency', { min: 1 }));
		expect(error.message).toBe(
			'The Concurrency option must be a number of at least 1, not the text "0"',
		);
	});
});

describe('readStopSequences', () => {
	it.each([
		['END,###', ['END', '###']],
		[
			['END', 'a,b'],
			['END', 'a,b'],
		],
		[[], []],
		['', undefined],
		[undefined, undefined],
		[null, undefined],
	])('reads %p as %p', (value, expected) => {
		expect(readStopSequences(node, value, 'Stop Sequences', 0)).toEqual(expected);
	});

	it.each([
		[5, /option of item 0 must be a text or a list of texts, not the number 5/],
		[{ stop: 'x' }, /must be a text or a list of texts, not an object/],
		[['END', 7], /option of item 0 has an entry 1 that is the number 7, not text/],
	])('refuses %p, naming the option', (value, message) => {
		const error = errorOf(() => readStopSequences(node, value, 'Stop Sequences', 0));
		expect(error.message).toMatch(/^The Stop Sequences option/);
		expect(error.message).toMatch(message);
	});
});
