import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import type { IHttpRequestOptions, ILoadOptionsFunctions } from 'n8n-workflow';

import type { MetaChatHttp } from '../../nodes/shared/transport/client';

/**
 * What `httpRequestWithAuthentication` does for the MetaChat credential, for tests that call the
 * shared client outside a workflow: the key as a Bearer header, then n8n's own outbound HTTP.
 */
export function metaChatHttp(apiKey: string): MetaChatHttp {
	return async (options: IHttpRequestOptions) =>
		await Container.get(OutboundHttp)
			.requests()
			.request({ ...options, headers: { ...options.headers, Authorization: `Bearer ${apiKey}` } });
}

/** The parts of n8n's load-options context the model list uses, with a real request helper. */
export function loadOptionsContext(
	credentials: Record<string, string>,
	extra: { operation?: string; nodeName?: string } = {},
): ILoadOptionsFunctions {
	const http = metaChatHttp(credentials.apiKey ?? '');
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
