import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { EndpointConfigError, resolveEndpoints, type Endpoint } from './transport/endpoints';

export interface MetaChatCredential {
	apiKey: string;
	endpoints: Endpoint[];
}

/** Reads the MetaChat credential both nodes use: a non-empty API key and the URLs to call. */
export async function readCredential(
	ctx: Pick<IExecuteFunctions, 'getCredentials' | 'getNode'>,
	itemIndex?: number,
): Promise<MetaChatCredential> {
	const credentials = await ctx.getCredentials('metaChatApi', itemIndex);
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey.trim() : '';
	if (apiKey === '') {
		throw new NodeOperationError(ctx.getNode(), 'The MetaChat credential has no API key', {
			description: 'Open the MetaChat credential and paste your API key.',
		});
	}
	try {
		return { apiKey, endpoints: resolveEndpoints(credentials, true) };
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, {
			description:
				error instanceof EndpointConfigError
					? 'Fix the URL in the MetaChat credential.'
					: undefined,
		});
	}
}
