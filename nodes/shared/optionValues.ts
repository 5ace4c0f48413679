import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Options an expression may set: the editor's number field gives a number, an expression may give
 * numeric text ("1500"), a list, an object or anything else. Both nodes read their options here.
 */

/** What a value is, for an error: its type, and the value itself only when it is short. */
export function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'string') {
		// A long text could be anything (a key pasted into the wrong field): it is not quoted.
		return value.length <= 20 ? `the text "${value}"` : `a text of ${value.length} characters`;
	}
	if (typeof value === 'number') return `the number ${value}`;
	return `a ${typeof value}`;
}

const ofItem = (itemIndex?: number) => (itemIndex === undefined ? '' : ` of item ${itemIndex}`);

function optionError(
	node: INode,
	message: string,
	description: string,
	itemIndex?: number,
): NodeOperationError {
	return new NodeOperationError(node, message, { itemIndex, description });
}

/**
 * A number option: a number or numeric text of at least min, or undefined when it is not set (an
 * empty text counts as not set). Anything else is an error naming the option, the item and the
 * value's type.
 */
export function readNumberOption(
	node: INode,
	value: unknown,
	label: string,
	{ min, itemIndex }: { min?: number; itemIndex?: number } = {},
): number | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string' && value.trim() === '') return undefined;
	const number = typeof value === 'string' ? Number(value.trim()) : value;
	if (
		typeof number === 'number' &&
		Number.isFinite(number) &&
		(min === undefined || Math.floor(number) >= min)
	) {
		return number;
	}
	const wanted = min === undefined ? 'a number' : `a number of at least ${min}`;
	throw optionError(
		node,
		`The ${label} option${ofItem(itemIndex)} must be ${wanted}, not ${describeValue(value)}`,
		`Set ${label} to a number such as ${(min ?? 0) + 5} (an expression may give it as text, e.g. "1500"), or remove the option.`,
		itemIndex,
	);
}

/**
 * Stop sequences: a text with commas between the sequences, or a list of texts (as an expression
 * gives them). Undefined when not set.
 */
export function readStopSequences(
	node: INode,
	value: unknown,
	label: string,
	itemIndex?: number,
): string[] | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'string') return value.split(',');
	if (Array.isArray(value)) {
		const wrong = value.findIndex((entry) => typeof entry !== 'string');
		if (wrong === -1) return value as string[];
		throw optionError(
			node,
			`The ${label} option${ofItem(itemIndex)} has an entry ${wrong} that is ${describeValue(value[wrong])}, not text`,
			`Give ${label} as texts, e.g. ["END", "###"], or as one text with commas between them.`,
			itemIndex,
		);
	}
	throw optionError(
		node,
		`The ${label} option${ofItem(itemIndex)} must be a text or a list of texts, not ${describeValue(value)}`,
		`Give ${label} as one text with commas between them, e.g. END,###, or as a list of texts.`,
		itemIndex,
	);
}
