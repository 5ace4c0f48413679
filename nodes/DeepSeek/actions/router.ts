import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Operation } from '../description/completionOptions';
import { sendChunk } from '../helpers/streamRelay';
import { openMetaChat } from '../../shared/session';
import { errorItem, inputError, toNodeError } from '../../shared/nodeErrors';
import { failoverNotice } from '../../shared/wording';
import { readNumberOption } from '../../shared/optionValues';
import { cancelledFailure } from '../../shared/failures';
import { ADAPTIVE_MAX, ADAPTIVE_START, RequestLimiter } from '../../shared/transport/limiter';
import { completeItem, OPERATIONS, type NodeRunScope } from './complete';
import { readCompletionOptions } from './readOptions';

async function openScope(ctx: IExecuteFunctions, signal: AbortSignal): Promise<NodeRunScope> {
	const scope = await openMetaChat(ctx, { signal, limiter: () => runLimiter(ctx) });
	return { ...scope, failedOver: [] };
}

/** Concurrency set: a fixed ceiling. Not set: start high and adapt to the account's 429s. */
function runLimiter(ctx: IExecuteFunctions): RequestLimiter {
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

/**
 * One notice for the run where the backup URL answered: n8n's execution hint on the node's output
 * (an engine without addExecutionHints gets none; the items' `endpoint` still says it).
 */
function noticeFailovers(ctx: IExecuteFunctions, scope: NodeRunScope, items: number): void {
	if (scope.failedOver.length === 0 || typeof ctx.addExecutionHints !== 'function') return;
	ctx.addExecutionHints({
		message: failoverNotice(scope.failedOver, items),
		type: 'warning',
		location: 'outputPane',
	});
}

const notStarted = () => cancelledFailure();

/**
 * Runs the chosen operation for every item, several at a time, and returns exactly one output
 * item per input item, in input order, each paired with its input.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = this.getNodeParameter('operation', 0) as Operation;
	const spec = OPERATIONS[operation];
	if (!spec) {
		throw inputError(this.getNode(), { what: 'unknown-operation', operation });
	}

	const stop = new AbortController();
	const cancel = this.getExecutionCancelSignal?.();
	const signal = cancel ? AbortSignal.any([cancel, stop.signal]) : stop.signal;
	let scope: NodeRunScope;
	try {
		scope = await openScope(this, signal);
	} catch (error) {
		const nodeError = toNodeError(this.getNode(), error, 0);
		if (!this.continueOnFail()) throw nodeError;
		return [items.map((_, itemIndex) => errorItem(nodeError, itemIndex))];
	}

	const results: INodeExecutionData[] = new Array(items.length);
	let failure: Error | undefined;
	let next = 0;
	const streaming = this.isStreaming?.() === true;
	const worker = async () => {
		while (failure === undefined && next < items.length && !signal.aborted) {
			const itemIndex = next++;
			try {
				results[itemIndex] = await completeItem(this, itemIndex, scope, spec(this, itemIndex));
			} catch (error) {
				const nodeError = toNodeError(this.getNode(), error, itemIndex);
				if (streaming) sendChunk(this, 'error', itemIndex, nodeError.message);
				if (this.continueOnFail()) {
					results[itemIndex] = errorItem(nodeError, itemIndex);
				} else if (failure === undefined) {
					failure = nodeError;
					stop.abort();
				}
			}
		}
	};
	// The limiter gates the requests; enough workers that a growing limit can be used.
	const workers = Math.min(scope.limiter.maxLimit, items.length);
	await Promise.all(Array.from({ length: workers }, worker));
	noticeFailovers(this, scope, items.length);
	if (failure) throw failure;
	// Items not started when the execution was stopped end as stopped, with nothing evaluated.
	if (next < items.length && !this.continueOnFail()) {
		throw toNodeError(this.getNode(), notStarted(), next);
	}
	for (let itemIndex = next; itemIndex < items.length; itemIndex++) {
		results[itemIndex] = errorItem(toNodeError(this.getNode(), notStarted(), itemIndex), itemIndex);
	}
	return [results];
}
