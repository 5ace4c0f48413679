import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { EndpointProblem, resolveEndpoints } from '../nodes/shared/transport/endpoints';

export class MetaChatApi implements ICredentialType {
	name = 'metaChatApi';

	displayName = 'MetaChat API';

	icon: Icon = { light: 'file:metachat.svg', dark: 'file:metachat.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-metachat/n8n-nodes-metachat#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your MetaChat API key, sent as a Bearer token',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://llm-api.mmchat.xyz/v1',
			required: true,
			description: 'The primary MetaChat endpoint, ending in /v1',
		},
		{
			displayName: 'Failover Base URL',
			name: 'failoverBaseUrl',
			type: 'string',
			default: 'https://llm-api.mmchat.dev/v1',
			description:
				'Asked when the primary cannot answer (refused, timed out, 5xx). Leave empty to turn failover off.',
		},
	];

	/**
	 * The key as a Bearer token. A request relative to a baseURL is the Test below (the nodes check
	 * the credential themselves and send whole URLs): it first meets the nodes' own URL rules, so a
	 * Base URL the nodes refuse fails the Test with the same words, before anything is sent.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		if (requestOptions.baseURL !== undefined) {
			const endpoints = resolveEndpoints(credentials);
			if (endpoints instanceof EndpointProblem) throw new Error(endpoints.message);
		}
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.apiKey)}` },
		};
	}

	/**
	 * n8n's Test button lists the models at the Base URL with the key, through n8n's own request
	 * path (its proxy settings and SSRF policy). n8n runs one request per test, so the Failover
	 * Base URL is not asked here; the nodes report a backup that fails when they use it.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ String($credentials.baseUrl).trim().replace(/\\/+$/, "") }}',
			url: '/models',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'MetaChat rejected the API key: copy it again from your MetaChat account',
				},
			},
			{
				type: 'responseCode',
				properties: { value: 402, message: 'MetaChat balance exhausted (402): top up the balance' },
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'MetaChat refused access (403): check that your key may use this service',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'No model list at the Base URL (404): it should end in /v1',
				},
			},
		],
	};
}
