import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { explain } from './wording';
import { readCredentialFields, type MetaChatCredential } from './credentialFields';
import { AttemptFailure } from './failures';

export const CREDENTIAL_TYPE = 'metaChatApi';

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
