import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { checkEndpoints, type EndpointCheck } from '../../shared/transport/listModels';

function explain({ endpoint, failure }: Required<EndpointCheck>): string {
	const field = endpoint.role === 'primary' ? 'Base URL' : 'Failover Base URL';
	switch (failure.kind) {
		case 'auth':
			return failure.status === 403
				? `MetaChat refused access at the ${field} (403): ${failure.message}`
				: failure.status
					? `MetaChat rejected the API key at the ${field}: copy it again from your MetaChat account`
					: failure.message;
		case 'balance':
			return 'MetaChat balance exhausted (402): top up the balance';
		case 'request':
			return failure.status === 404
				? `No model list at the ${field}: it should end in /v1`
				: `The ${field} answered ${failure.status ?? ''}: ${failure.message}`;
		default:
			return `The ${field} could not be reached: ${failure.message}`;
	}
}

/** The credential's Test: both URLs, when a failover URL is set, list the models with the key. */
export async function metaChatApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	let checks: EndpointCheck[];
	try {
		checks = await checkEndpoints(credential.data ?? {});
	} catch (error) {
		// No key, or a URL that is not one: the message says which field to fix.
		return { status: 'Error', message: (error as Error).message };
	}
	const failed = checks.find((check) => check.failure);
	if (failed) return { status: 'Error', message: explain(failed as Required<EndpointCheck>) };
	return {
		status: 'OK',
		message: checks.length > 1 ? 'Both MetaChat URLs answered' : 'Connection successful',
	};
}
