import {
	EndpointProblem,
	normaliseBaseUrl,
	resolveEndpoints,
} from '../../../../nodes/shared/credentialFields';
import { factWords } from '../../../../nodes/shared/wording';

describe('normaliseBaseUrl', () => {
	it.each([
		['https://llm-api.mmchat.xyz/v1', 'https://llm-api.mmchat.xyz/v1'],
		['https://llm-api.mmchat.xyz/v1/', 'https://llm-api.mmchat.xyz/v1'],
		['  https://llm-api.mmchat.xyz/v1//  ', 'https://llm-api.mmchat.xyz/v1'],
		['https://llm-api.mmchat.xyz', 'https://llm-api.mmchat.xyz/v1'],
		['https://llm-api.mmchat.xyz/', 'https://llm-api.mmchat.xyz/v1'],
		['https://proxy.example/openai/v1', 'https://proxy.example/openai/v1'],
		['http://127.0.0.1:8001/v1#y', 'http://127.0.0.1:8001/v1'],
	])('%s → %s', (input, expected) => {
		expect(normaliseBaseUrl(input, 'Base URL')).toBe(expected);
	});

	it.each([
		['', /is empty/],
		[undefined, /is empty/],
		[42, /is not text/],
		['llm-api.mmchat.xyz/v1', /does not start with https:\/\/ or http:\/\//],
		['ftp://host/v1', /must start with https:\/\/ or http:\/\//],
		['file:///etc/passwd', /must start with https:\/\/ or http:\/\//],
		['sk-live-SECRET 123', /has spaces in it/],
		['https://llm-api.mmchat.xyz/v1 sk-SECRET', /has spaces in it/],
		['https://[SECRET/v1', /is not a URL: check the host name/],
		['https://llm-api.mmchat.xyz/v1?key=SECRET', /has a query string/],
		['https://user:SECRET@llm-api.mmchat.xyz/v1', /has a user name or password in it/],
		['https://SECRET@llm-api.mmchat.xyz/v1', /has a user name or password in it/],
	])('rejects %p naming the field and what is wrong, without quoting it', (input, what) => {
		const problem = normaliseBaseUrl(input, 'Base URL');
		expect(problem).toBeInstanceOf(EndpointProblem);
		const message = factWords((problem as EndpointProblem).fact);
		expect(message).toMatch(/^The credential's Base URL /);
		expect(message).toMatch(what);
		expect(message).not.toMatch(/SECRET|passwd|ftp|host\/v1/);
	});
});

describe('resolveEndpoints', () => {
	const credentials = { baseUrl: 'https://a.example/v1', failoverBaseUrl: 'https://b.example/v1' };

	it.each([
		['without the switch (a credential saved before it)', credentials],
		['with Use Failover URL on', { ...credentials, useFailover: true }],
	])('lists the primary then the backup %s', (_name, creds) => {
		expect(resolveEndpoints(creds)).toEqual([
			{ role: 'primary', baseUrl: 'https://a.example/v1' },
			{ role: 'failover', baseUrl: 'https://b.example/v1' },
		]);
	});

	it.each([
		['the backup is empty', { ...credentials, failoverBaseUrl: '  ' }],
		['the backup is the primary', { ...credentials, failoverBaseUrl: 'https://a.example/v1/' }],
		['Use Failover URL is off', { ...credentials, useFailover: false }],
		[
			'the backup is empty with the switch on (a credential saved before the switch)',
			{ ...credentials, useFailover: true, failoverBaseUrl: '' },
		],
	])('has only the primary when %s', (_name, creds) => {
		expect(resolveEndpoints(creds)).toHaveLength(1);
	});
});
