import type { INode } from 'n8n-workflow';

import { inputError } from './nodeErrors';

/**
 * Options an expression may set: the editor's number field gives a number, an expression may give
 * numeric text ("1500"), a list, an object or anything else. Both nodes read their options here.
 */

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
	throw inputError(node, { what: 'number-option', label, value, min, itemIndex }, itemIndex);
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
		const fact = {
			what: 'stop-entry',
			label,
			entry: wrong,
			value: value[wrong],
			itemIndex,
		} as const;
		throw inputError(node, fact, itemIndex);
	}
	throw inputError(node, { what: 'stop-type', label, value, itemIndex }, itemIndex);
}
