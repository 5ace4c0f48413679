import type { IHttpRequestOptions, ILoadOptionsFunctions } from 'n8n-workflow';

import type { MetaChatHttp } from '../../nodes/shared/transport/client';
import { MetaChatApi } from '../../credentials/MetaChatApi.credentials';
import { ENGINE_MAJOR } from './engine';
import { applyAuthentication } from './genericAuth';

type Request = (options: IHttpRequestOptions) => Promise<unknown>;

/** The request function n8n-core's helpers end in, for the engine the tests run on (2.x or 1.x). */
function n8nRequest(): Request {
	/* eslint-disable @typescript-eslint/no-require-imports */
	if (ENGINE_MAJOR === 1) {
		return (
			require('n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions') as {
				httpRequest: Request;
			}
		).httpRequest;
	}
	const { OutboundHttp } = require('@n8n/backend-network') as typeof import('@n8n/backend-network');
	const { Container } = require('@n8n/di') as typeof import('@n8n/di');
	/* eslint-enable @typescript-eslint/no-require-imports */
	return async (options) => await Container.get(OutboundHttp).requests().request(options);
}

/**
 * What `httpRequestWithAuthentication` does for the MetaChat credential, for tests that call the
 * shared client outside a workflow: the credential's own `authenticate`, then n8n's outbound HTTP.
 */
export function directMetaChatHttp(apiKey: string): MetaChatHttp {
	const request = n8nRequest();
	const { authenticate } = new MetaChatApi();
	return async (options: IHttpRequestOptions) =>
		await request(await applyAuthentication(authenticate, { apiKey }, options));
}

/** The parts of n8n's load-options context the model list uses, with a real request helper. */
export function loadOptionsContext(
	credentials: Record<string, string>,
	extra: { operation?: string; nodeName?: string } = {},
): ILoadOptionsFunctions {
	const http = directMetaChatHttp(credentials.apiKey ?? '');
	return {
		getCredentials: async () => credentials,
		getNode: () => ({ name: extra.nodeName ?? 'DeepSeek' }),
		getCurrentNodeParameter: (name: string) => (name === 'operation' ? extra.operation : undefined),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) =>
				await http(options),
		},
	} as unknown as ILoadOptionsFunctions;
}
