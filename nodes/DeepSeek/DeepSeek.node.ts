import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { searchModels } from '../shared/parameters';
import { DEFAULT_CHAT_MODEL, DEFAULT_REASON_MODEL } from '../shared/protocol';
import {
	cancelledFailure,
	errorItem,
	inputError,
	openMetaChat,
	toNodeError,
} from '../shared/session';
import { failoverNotice } from '../shared/wording';
import { completeItem, OPERATIONS, type NodeRun } from './actions/complete';
import { runLimiter } from './actions/readOptions';
import type { Operation } from './description/completionOptions';
import {
	DEFAULT_NODE_VERSION,
	NODE_VERSIONS,
	operationFields,
	operationProperty,
} from './description/operation';
import { sendChunk } from './helpers/streamRelay';

export class DeepSeek implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MetaChat DeepSeek',
		name: 'deepSeek',
		icon: {
			light: 'file:../../credentials/metachat.svg',
			dark: 'file:../../credentials/metachat.dark.svg',
		},
		group: ['transform'],
		version: NODE_VERSIONS,
		defaultVersion: DEFAULT_NODE_VERSION,
		subtitle: '={{ $parameter["operation"] === "reason" ? "Reason" : "Chat" }}',
		description: 'Chat and reason with DeepSeek models through MetaChat, with automatic failover',
		defaults: { name: 'MetaChat DeepSeek' },
		usableAsTool: true,
		inputs: [
			NodeConnectionTypes.Main,
			{ type: NodeConnectionTypes.AiTool, displayName: 'Tools', required: false },
		],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'metaChatApi', required: true }],
		properties: [
			operationProperty,
			...operationFields('chat', DEFAULT_CHAT_MODEL),
			...operationFields('reason', DEFAULT_REASON_MODEL),
		],
	};

	methods = { listSearch: { searchModels } };

	/**
	 * Runs the chosen operation for every item, several at a time, and returns exactly one output
	 * item per input item, in input order, each paired with its input.
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const operation = this.getNodeParameter('operation', 0) as Operation;
		const spec = OPERATIONS[operation];
		if (!spec) {
			throw inputError(this.getNode(), { what: 'unknown-operation', operation });
		}

		const stop = new AbortController();
		const cancel = this.getExecutionCancelSignal?.();
		const signal = cancel ? AbortSignal.any([cancel, stop.signal]) : stop.signal;
		let run: NodeRun;
		try {
			const session = await openMetaChat(this, { signal, limiter: () => runLimiter(this) });
			run = { session, failedOver: [] };
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
					results[itemIndex] = await completeItem(this, itemIndex, run, spec(this, itemIndex));
				} catch (error) {
					const nodeError = run.session.toError(error, itemIndex);
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
		const workers = Math.min(run.session.limiter.maxLimit, items.length);
		await Promise.all(Array.from({ length: workers }, worker));
		noticeFailovers(this, run, items.length);
		if (failure) throw failure;
		// Items not started when the execution was stopped end as stopped, with nothing evaluated.
		if (next < items.length && !this.continueOnFail()) {
			throw run.session.toError(cancelledFailure(), next);
		}
		for (let itemIndex = next; itemIndex < items.length; itemIndex++) {
			results[itemIndex] = errorItem(run.session.toError(cancelledFailure(), itemIndex), itemIndex);
		}
		return [results];
	}
}

/**
 * One notice for the run where the backup URL answered: n8n's execution hint on the node's output
 * (an engine without addExecutionHints gets none; the items' `endpoint` still says it).
 */
function noticeFailovers(ctx: IExecuteFunctions, run: NodeRun, items: number): void {
	if (run.failedOver.length === 0 || typeof ctx.addExecutionHints !== 'function') return;
	ctx.addExecutionHints({
		message: failoverNotice(run.failedOver, items),
		type: 'warning',
		location: 'outputPane',
	});
}
