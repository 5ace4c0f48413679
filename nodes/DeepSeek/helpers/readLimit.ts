import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * A number option that may come from an expression: a number (or numeric text) of at least min.
 * Read per item, the error names the item too.
 */
export function readLimit(
	ctx: IExecuteFunctions,
	value: unknown,
	name: string,
	min: number,
	itemIndex?: number,
): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const number = typeof value === 'string' ? Number(value.trim()) : value;
	if (typeof number === 'number' && Number.isFinite(number) && Math.floor(number) >= min) {
		return number;
	}
	// Short values are shown to help; a long text could be anything, so it is not quoted.
	const shown =
		typeof value !== 'string' ? String(value) : value.length <= 20 ? `"${value}"` : 'a text';
	const item = itemIndex === undefined ? '' : ` (item ${itemIndex})`;
	throw new NodeOperationError(
		ctx.getNode(),
		`The ${name} option must be a number of at least ${min}, not ${shown}${item}`,
		{ itemIndex, description: `Set ${name} to a number such as ${min + 5}, or remove the option.` },
	);
}
