import type { ISupplyDataFunctions } from 'n8n-workflow';

import {
	optionPaths,
	readModelId,
	retrySettings,
	samplingSettings,
	type SharedOptionValues,
} from '../../shared/parameters';
import type { ThinkingSetting } from '../../shared/protocol';
import { openMetaChat, RequestLimiter } from '../../shared/session';
import { optionsProperty } from '../description/chatModelOptions';
import type { DeepSeekModelSettings, ModelConnection } from './DeepSeekChatModel';
import { reasoningStore } from './reasoningStore';

/** The options as supplyData reads them. */
export interface ModelOptions extends SharedOptionValues {
	thinking?: ThinkingSetting;
}

/** Calls of one model instance in flight at once; the agent's tools and items share it. */
const CONCURRENCY = 5;

export function readSettings(ctx: ISupplyDataFunctions, itemIndex: number): DeepSeekModelSettings {
	const model = readModelId(ctx, itemIndex);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as ModelOptions;
	const node = ctx.getNode();
	return {
		model,
		thinking: options.thinking ?? 'default',
		...samplingSettings(node, options, itemIndex),
		responseFormat: options.responseFormat,
		...retrySettings(node, options, itemIndex),
	};
}

/** The MetaChat session every call of this model shares: key, URLs, cancel signal, limiter. */
export async function connect(
	ctx: ISupplyDataFunctions,
	itemIndex: number,
): Promise<ModelConnection> {
	const session = await openMetaChat(ctx, {
		signal: ctx.getExecutionCancelSignal?.() ?? new AbortController().signal,
		limiter: () => new RequestLimiter(CONCURRENCY),
		itemIndex,
	});
	return {
		session,
		executionId: ctx.getExecutionId?.() ?? 'unknown',
		store: reasoningStore,
		toError: (error) => session.toError(error, itemIndex, optionPaths([optionsProperty])),
		warn: (message) => ctx.logger?.warn(message, { node: ctx.getNode().name }),
		optionPath: optionPaths([optionsProperty]),
	};
}
