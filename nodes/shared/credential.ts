import type {
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	ISupplyDataFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { MetaChatHttp } from './transport/client';
import { EndpointProblem, resolveEndpoints, type Endpoint } from './transport/endpoints';
import type { AttemptFailure } from './transport/failures';
import { fetchModelIds } from './transport/listModels';

export const CREDENTIAL_TYPE = 'metaChatApi';

export interface MetaChatCredential {
	apiKey: string;
	endpoints: Endpoint[];
}

type HelperContext = IExecuteFunctions | ISupplyDataFunctions | ILoadOptionsFunctions;

/** n8n's request helper of this node with the MetaChat credential: n8n adds the key. */
export function metaChatHttp(ctx: HelperContext): MetaChatHttp {
	return async (options: IHttpRequestOptions) =>
		await ctx.helpers.httpRequestWithAuthentication.call(ctx as never, CREDENTIAL_TYPE, options);
}

/** Reads the MetaChat credential both nodes use: a non-empty API key and the URLs to call. */
export async function readCredential(
	ctx: Pick<IExecuteFunctions, 'getCredentials' | 'getNode'>,
	itemIndex?: number,
): Promise<MetaChatCredential> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE, itemIndex);
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey.trim() : '';
	if (apiKey === '') {
		throw new NodeOperationError(ctx.getNode(), 'The MetaChat credential has no API key', {
			description: 'Open the MetaChat credential and paste your API key.',
		});
	}
	const endpoints = resolveEndpoints(credentials);
	if (endpoints instanceof EndpointProblem) {
		throw new NodeOperationError(ctx.getNode(), endpoints.message, {
			description: 'Fix the URL in the MetaChat credential.',
		});
	}
	return { apiKey, endpoints };
}

/** The model ids MetaChat serves, for the model list of both nodes. */
export async function listModels(ctx: ILoadOptionsFunctions): Promise<string[] | AttemptFailure> {
	return await fetchModelIds(metaChatHttp(ctx), await ctx.getCredentials(CREDENTIAL_TYPE));
}
