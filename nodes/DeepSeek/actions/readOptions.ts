import type { IExecuteFunctions } from 'n8n-workflow';

import type { SharedOptionValues } from '../../shared/readSettings';
import { inputError } from '../../shared/nodeErrors';
import { OPTION_GROUPS } from '../description/completionOptions';
import { imagesProperty } from '../description/images';

/** The options as execute() reads them, after defaults. */
export interface CompletionOptions extends SharedOptionValues {
	systemMessage?: unknown;
	stop?: unknown;
	itemTimeout?: unknown;
	includeReasoning?: boolean;
	/** Whether the simplified output has `messages` (version 2: only when asked). */
	includeMessages?: boolean;
	streamReasoning?: boolean;
	concurrency?: unknown;
	maxRequestsPerMinute?: unknown;
	/** 'default' is the operation's own; 'model' sends no thinking field. */
	thinking?: 'default' | 'model' | 'enabled' | 'disabled';
	maxToolsIterations?: unknown;
	/** Images > Binary Properties (version 1: in Options). */
	binaryProperties?: unknown;
	/** Images > Image URLs (version 1: in Options). */
	imageUrls?: unknown;
}

/**
 * An item's options as execute() reads them: version 1's Options collection, version 2's option
 * groups or version 3's Options, with the System Message of versions 2 and 3, in one shape.
 */
export function readCompletionOptions(
	ctx: Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter'>,
	itemIndex: number,
): CompletionOptions {
	let options: CompletionOptions;
	const version = ctx.getNode().typeVersion;
	if (version < 2) {
		options = { ...(ctx.getNodeParameter('options', itemIndex, {}) as CompletionOptions) };
	} else {
		options = {};
		if (version >= 3) Object.assign(options, ctx.getNodeParameter('options', itemIndex, {}));
		else {
			for (const group of OPTION_GROUPS) {
				Object.assign(options, ctx.getNodeParameter(group.name, itemIndex, {}));
			}
			Object.assign(options, ctx.getNodeParameter(imagesProperty.name, itemIndex, {}));
		}
		options.systemMessage = ctx.getNodeParameter('systemMessage', itemIndex, '');
		options.includeMessages ??= false;
	}
	return options;
}

/** The System Message as text (empty: none); an expression may give anything, a list is a mistake. */
export function systemMessageText(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	itemIndex: number,
	value: unknown,
): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	throw inputError(ctx.getNode(), { what: 'system-message-not-text' }, itemIndex);
}
