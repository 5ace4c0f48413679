import type {
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	ISupplyDataFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { explain } from './wording';
import { readCredentialFields, type MetaChatCredential } from './credentialFields';
import type { MetaChatHttp } from './transport/client';
import { AttemptFailure } from './failures';
import { fetchModelIds } from './transport/listModels';

export const CREDENTIAL_TYPE = 'metaChatApi';

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
	const credential = readCredentialFields(await ctx.getCredentials(CREDENTIAL_TYPE, itemIndex));
	if (credential instanceof AttemptFailure) {
		const { message, description } = explain(credential);
		throw new NodeOperationError(ctx.getNode(), message, { description });
	}
	return credential;
}

/** The model ids MetaChat serves, for the model list of both nodes. */
export async function listModels(ctx: ILoadOptionsFunctions): Promise<string[] | AttemptFailure> {
	return await fetchModelIds(metaChatHttp(ctx), await ctx.getCredentials(CREDENTIAL_TYPE));
}
