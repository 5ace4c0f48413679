import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { MetaChatApi } from '../../credentials/MetaChatApi.credentials';
import { runWorkflow } from '../harness';
import { allText, API_KEY, CREDENTIALS, useSimulatorPair } from './fixtures';

const TEST_NODE_TYPE = 'test.credentialTest';

/**
 * The node n8n's credential tester builds for a credential's Test: no execute method, one
 * property whose routing request is the Test's request, run by n8n's RoutingNode.
 */
class CredentialTestNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Credential Test',
		name: TEST_NODE_TYPE,
		group: ['transform'],
		version: 1,
		description: "Sends the MetaChat credential's Test request",
		defaults: { name: 'Credential Test' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'metaChatApi', required: true }],
		properties: [
			{
				displayName: 'Temp',
				name: 'temp',
				type: 'string',
				default: '',
				routing: { request: new MetaChatApi().test.request },
			},
		],
	};
}

describe("the MetaChat credential's Test through n8n's routing", () => {
	const pair = useSimulatorPair();

	const test = async (baseUrl: string, failoverBaseUrl = '') =>
		await runWorkflow({
			nodeTypes: { [TEST_NODE_TYPE]: new CredentialTestNode() },
			credentialTypes: { metaChatApi: new MetaChatApi() },
			credentials: { metaChatApi: { apiKey: API_KEY, baseUrl, failoverBaseUrl } },
			nodes: [
				{
					name: 'Credential Test',
					type: TEST_NODE_TYPE,
					typeVersion: 1,
					parameters: {},
					credentials: CREDENTIALS,
				},
			],
		});
	const models = () => pair.primary.requests.filter((request) => request.path.endsWith('/models'));

	it('lists the models at the Base URL with the key', async () => {
		const result = await test(pair.primary.url);
		expect(result.error).toBeUndefined();
		expect(models()).toHaveLength(1);
	});

	it.each([
		['a query string', (url: string) => `${url}?api-version=1`, /Base URL has a query string/],
		[
			'a user name and password',
			(url: string) => url.replace('://', '://user:pw@'),
			/Base URL has a user name or password in it/,
		],
		['spaces (a key pasted into it)', () => 'sk-live-SECRET 123', /Base URL has spaces in it/],
		['file://', () => 'file:///etc/SECRET', /Base URL must start with https:\/\/ or http/],
	])(
		'fails for a Base URL with %s as the nodes do, sending nothing',
		async (_name, change, error) => {
			const result = await test(change(pair.primary.url));
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(/^The credential's Base URL /);
			expect(result.error?.message).toMatch(error);
			expect(allText(result.run)).not.toContain('SECRET');
			expect(pair.primary.requests).toHaveLength(0);
		},
	);

	it('fails for a Failover Base URL the nodes refuse', async () => {
		const result = await test(pair.primary.url, `${pair.backup.url}?x=1`);
		expect(result.error?.message).toMatch(/^The credential's Failover Base URL has a query string/);
		expect(pair.primary.requests).toHaveLength(0);
	});
});
