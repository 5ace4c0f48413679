import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { EndpointProblem, resolveEndpoints } from '../nodes/shared/credentialFields';
import { factWords, TEST_RULES } from '../nodes/shared/wording';

/** How long the Test waits for the model list before it fails. */
const TEST_TIMEOUT_MS = 20_000;

export class MetaChatApi implements ICredentialType {
	name = 'metaChatApi';

	displayName = 'MetaChat API';

	icon: Icon = { light: 'file:metachat.svg', dark: 'file:metachat.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-metachat/n8n-nodes-metachat/blob/main/docs/credential.md';

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
			description:
				'The primary MetaChat endpoint, ending in /v1 (a bare host such as https://llm-api.mmchat.xyz gets /v1)',
		},
		{
			displayName: 'Use Failover URL',
			name: 'useFailover',
			type: 'boolean',
			default: true,
			description:
				'Whether to ask a second MetaChat URL when the primary cannot answer (refused, timed out, 5xx)',
		},
		{
			displayName: 'Failover Base URL',
			name: 'failoverBaseUrl',
			type: 'string',
			default: 'https://llm-api.mmchat.dev/v1',
			// Shown whatever the switch says: a display condition would change the field for the saved
			// workflows' contract (test/unit/parameterContract.test.ts).
			description:
				'Asked when the primary cannot answer and Use Failover URL is on. Empty: no failover.',
		},
		{
			displayName:
				'The Failover Base URL is empty, so failover is off (a credential saved before the Use Failover URL switch). Fill it in to turn failover on.',
			name: 'failoverOffNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { useFailover: [true], failoverBaseUrl: [''] } },
		},
		{
			displayName:
				'Test lists the models at the Base URL only. <a href="https://github.com/n8n-nodes-metachat/n8n-nodes-metachat/blob/main/docs/troubleshooting.md" target="_blank">What a network code such as ECONNREFUSED means</a>',
			name: 'testNotice',
			type: 'notice',
			default: '',
		},
	];

	/**
	 * The key as a Bearer token. A request relative to a baseURL is the Test below (the nodes check
	 * the credential themselves and send whole URLs): it meets the nodes' own URL rules, so a Base
	 * URL the nodes refuse fails the Test with the same words, before anything is sent, and it is
	 * sent to the Base URL as the nodes read it (a bare host gets /v1), within a bounded time.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const authorised = {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.apiKey)}` },
		};
		if (requestOptions.baseURL === undefined) return authorised;
		const endpoints = resolveEndpoints(credentials);
		if (endpoints instanceof EndpointProblem) throw new Error(factWords(endpoints.fact));
		return {
			...authorised,
			baseURL: endpoints[0].baseUrl,
			timeout: requestOptions.timeout ?? TEST_TIMEOUT_MS,
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
		rules: TEST_RULES.map(({ status, message }) => ({
			type: 'responseCode' as const,
			properties: { value: status, message },
		})),
	};
}
