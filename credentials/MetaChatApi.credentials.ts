import type { IAuthenticateGeneric, Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

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

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	// Tested by the DeepSeek node's metaChatApiTest, which asks both URLs, through the proxy if set.
}
