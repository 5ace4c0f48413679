import type {
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	ISupplyDataFunctions,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE, readCredential } from './credential';
import type { OptionPath } from './facts/failure';
import type { RequestFailure } from './failures';
import { toNodeError } from './nodeErrors';
import type { CompletionBody } from './protocol/wire';
import type { MetaChatHttp } from './transport/client';
import type { Endpoint } from './transport/endpoint';
import { completeWithFailover } from './transport/failover';
import type { RequestLimiter } from './transport/limiter';
import { fetchModelIds } from './transport/listModels';
import type { Answer, DeltaCallbacks, RequestPolicy, RunScope } from './transport/request';

// The door of the shared code: what a node needs of MetaChat, its errors and its rules. A node
// folder imports this module, `protocol/` (DeepSeek's wire and rules), `parameters` (the options
// both nodes show and how they are read) and `wording/` (the sentences it shows), nothing else.
export { errorItem, inputError, InputProblem, toNodeError } from './nodeErrors';
export { cancelledFailure, RequestFailure } from './failures';
export { ADAPTIVE_MAX, ADAPTIVE_START, RequestLimiter } from './transport/limiter';
export type { OptionPath } from './facts/failure';
export type { StructuredAnswerProblem } from './facts/input';
export type { FailoverFacts } from './transport/endpoint';
export type { Answer, DeltaCallbacks, RequestPolicy } from './transport/request';

type HelperContext = IExecuteFunctions | ISupplyDataFunctions | ILoadOptionsFunctions;

/** n8n's request helper of this node with the MetaChat credential: n8n adds the key. */
function metaChatHttp(ctx: HelperContext): MetaChatHttp {
	return async (options: IHttpRequestOptions) =>
		await ctx.helpers.httpRequestWithAuthentication.call(ctx as never, CREDENTIAL_TYPE, options);
}

/** What a node decides of its own run: the signal that stops it and how its requests are paced. */
export interface Opening {
	signal: AbortSignal;
	/** Made after the credential is read, so a wrong credential is told before a wrong option. */
	limiter: () => RequestLimiter;
	/** The item whose credential expression is read (the chat model's); the run's first otherwise. */
	itemIndex?: number;
}

/**
 * MetaChat for one node run: the key and both URLs of its credential, n8n's request helper bound
 * to the node, the signal and the limiter every request of the run shares, and the breaker's and
 * the failover rules' memory of the run (a 402 that ended it).
 */
export class MetaChatSession implements RunScope {
	/** Set by a 402: the balance is gone for every item, so the rest fail fast with the same error. */
	exhausted?: RequestFailure;

	readonly apiKey: string;
	readonly endpoints: Endpoint[];
	readonly signal: AbortSignal;
	readonly limiter: RequestLimiter;
	readonly http: MetaChatHttp;

	constructor(
		private readonly node: INode,
		run: Omit<RunScope, 'exhausted'>,
	) {
		this.apiKey = run.apiKey;
		this.endpoints = run.endpoints;
		this.signal = run.signal;
		this.limiter = run.limiter;
		this.http = run.http;
	}

	/**
	 * Sends one completion under the failover rules (docs/reliability.md): retries where they help,
	 * the backup URL where the primary cannot answer. The final failure comes back as a value.
	 */
	async complete(
		body: CompletionBody,
		policy: RequestPolicy,
		callbacks: DeltaCallbacks = {},
	): Promise<Answer | RequestFailure> {
		return await completeWithFailover(this, body, policy, callbacks);
	}

	/** A failure, or anything an item threw, as the error n8n shows for the item. */
	toError(
		error: unknown,
		itemIndex: number,
		optionPath?: OptionPath,
	): NodeApiError | NodeOperationError {
		return toNodeError(this.node, error, itemIndex, optionPath);
	}
}

/** Opens MetaChat for a node's run from its execution context. */
export async function openMetaChat(
	ctx: IExecuteFunctions | ISupplyDataFunctions,
	opening: Opening,
): Promise<MetaChatSession> {
	const { apiKey, endpoints } = await readCredential(ctx, opening.itemIndex);
	return new MetaChatSession(ctx.getNode(), {
		apiKey,
		endpoints,
		signal: opening.signal,
		limiter: opening.limiter(),
		http: metaChatHttp(ctx),
	});
}

/** The model ids MetaChat serves, for the model list of both nodes, or how the read failed. */
export async function listModels(ctx: ILoadOptionsFunctions) {
	return await fetchModelIds(metaChatHttp(ctx), await ctx.getCredentials(CREDENTIAL_TYPE));
}
