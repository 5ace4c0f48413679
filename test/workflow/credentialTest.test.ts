import fs from 'fs';
import path from 'path';
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { MetaChatApi } from '../../credentials/MetaChatApi.credentials';
import { runWorkflow } from '../harness';
import { refusedUrl } from '../simulator/simulator';
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

	/**
	 * What n8n's credential dialog shows for a failed Test (n8n's CredentialsTester): the rule's
	 * message for a status a rule names, the network code where no response came, else the
	 * message. Read from the run's error as the engine keeps it (its status or code in httpCode;
	 * the tester reads the same from the error's cause).
	 */
	const dialogMessage = (error: unknown): string => {
		const { httpCode, message, errorResponse } = error as {
			httpCode?: string | null;
			message: string;
			errorResponse?: { code?: string };
		};
		if (httpCode && /^\d{3}$/.test(httpCode)) {
			const rule = (new MetaChatApi().test.rules ?? []).find(
				(candidate) =>
					candidate.type === 'responseCode' && candidate.properties.value === Number(httpCode),
			);
			return rule ? (rule.properties as { message: string }).message : `status ${httpCode}`;
		}
		return errorResponse?.code ?? httpCode ?? message;
	};

	it('accepts a bare host as the nodes do: the models are listed at /v1', async () => {
		const result = await test(new URL(pair.primary.url).origin);
		expect(result.error).toBeUndefined();
		expect(models().map((request) => request.path)).toEqual(['/v1/models']);
	});

	it.each([
		[401, /^MetaChat rejected the API key at the Base URL \(401\): copy it again/],
		[402, /^MetaChat balance exhausted \(402\): top up/],
		[403, /^MetaChat refused access at the Base URL \(403\)/],
		[404, /^No model list at the Base URL \(404\): check its path; it usually ends in \/v1/],
		[503, /^MetaChat could not answer at the Base URL \(503\): try again later/],
	])('words a %s for the dialog', async (status, words) => {
		pair.primary.setFault({ type: String(status) as '401', only: 'models' });
		const result = await test(pair.primary.url);
		expect(result.status).toBe('error');
		expect(dialogMessage(result.error)).toMatch(words);
	});

	it('shows the network code of an unreachable Base URL; a one-line notice links its meaning', async () => {
		const result = await test(await refusedUrl());
		expect(dialogMessage(result.error)).toBe('ECONNREFUSED');
		const notice = new MetaChatApi().properties.find((property) => property.name === 'testNotice');
		const text = String(notice?.displayName).replace(/<[^>]+>/g, '');
		expect(text).toMatch(/^Test lists the models at the Base URL only\. What a network code/);
		expect(text.length).toBeLessThan(110);
		const page = /href="[^"]+\/blob\/main\/(docs\/[^"]+)"/.exec(String(notice?.displayName))?.[1];
		const explained = fs.readFileSync(path.join(__dirname, '..', '..', page!), 'utf8');
		for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'CERT']) {
			expect(explained).toContain(code);
		}
	});

	it('bounds the time the Test waits', async () => {
		const options = await new MetaChatApi().authenticate(
			{ apiKey: API_KEY, baseUrl: 'https://llm-api.mmchat.xyz' },
			{ baseURL: 'ignored', url: '/models' },
		);
		expect(options).toMatchObject({ baseURL: 'https://llm-api.mmchat.xyz/v1', timeout: 20_000 });
	});

	it('fails for a Failover Base URL the nodes refuse', async () => {
		const result = await test(pair.primary.url, `${pair.backup.url}?x=1`);
		expect(result.error?.message).toMatch(/^The credential's Failover Base URL has a query string/);
		expect(pair.primary.requests).toHaveLength(0);
	});
});
