import type { IExecuteFunctions } from 'n8n-workflow';

import {
	readNumberOption,
	readStopSequences,
	samplingSettings,
	type SharedOptionValues,
} from '../../shared/parameters';
import {
	type ChatMessage,
	HistoryProblem,
	normaliseHistory,
	type RequestSettings,
	type ThinkingSetting,
} from '../../shared/protocol';
import { ADAPTIVE_MAX, ADAPTIVE_START, inputError, RequestLimiter } from '../../shared/session';
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

export function readPrompt(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = ctx.getNodeParameter('prompt', itemIndex, '') as unknown;
	if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
	if (typeof raw !== 'string') {
		throw inputError(ctx.getNode(), { what: 'prompt-not-text', value: raw }, itemIndex);
	}
	if (raw.trim() === '') throw inputError(ctx.getNode(), { what: 'prompt-empty' }, itemIndex);
	return raw;
}

export function readHistory(ctx: IExecuteFunctions, itemIndex: number): ChatMessage[] {
	const history = normaliseHistory(ctx.getNodeParameter('history', itemIndex, ''));
	if (!(history instanceof HistoryProblem)) return history;
	throw inputError(ctx.getNode(), { what: 'history', problem: history.fact }, itemIndex);
}

/** What an operation sends besides the messages: thinking, sampling, stop and response format. */
export function requestSettings(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: CompletionOptions,
	operation: { thinking: 'enabled' | 'disabled'; responseFormat?: 'text' | 'json_object' },
): RequestSettings {
	const node = ctx.getNode();
	return {
		thinking: thinkingSetting(options, operation.thinking),
		...samplingSettings(node, options, itemIndex),
		stop: readStopSequences(node, options.stop, 'Stop Sequences', itemIndex),
		responseFormat: operation.responseFormat,
	};
}

/** The Thinking option as the protocol takes it: Operation Default is the operation's own. */
function thinkingSetting(
	options: CompletionOptions,
	operationThinking: 'enabled' | 'disabled',
): ThinkingSetting {
	const thinking = options.thinking ?? 'default';
	if (thinking === 'default') return operationThinking;
	return thinking === 'model' ? 'default' : thinking;
}

/** Concurrency set: a fixed ceiling. Not set: start high and adapt to the account's 429s. */
export function runLimiter(ctx: IExecuteFunctions): RequestLimiter {
	const options = readCompletionOptions(ctx, 0);
	const node = ctx.getNode();
	const concurrency = readNumberOption(node, options.concurrency, 'Concurrency', { min: 1 });
	const perMinute = readNumberOption(
		node,
		options.maxRequestsPerMinute,
		'Max Requests per Minute',
		{
			min: 0,
		},
	);
	return concurrency === undefined
		? new RequestLimiter(ADAPTIVE_MAX, perMinute ?? 0, ADAPTIVE_START)
		: new RequestLimiter(Math.floor(concurrency), perMinute ?? 0);
}
