import {
	EndpointProblem,
	normaliseBaseUrl,
	resolveEndpoints,
} from '../../nodes/shared/transport/endpoints';

describe('normaliseBaseUrl', () => {
	it.each([
		['https://llm-api.mmchat.xyz/v1', 'https://llm-api.mmchat.xyz/v1'],
		['https://llm-api.mmchat.xyz/v1/', 'https://llm-api.mmchat.xyz/v1'],
		['  https://llm-api.mmchat.xyz/v1//  ', 'https://llm-api.mmchat.xyz/v1'],
		['https://llm-api.mmchat.xyz', 'https://llm-api.mmchat.xyz/v1'],
		['https://llm-api.mmchat.xyz/', 'https://llm-api.mmchat.xyz/v1'],
		['https://proxy.example/openai/v1', 'https://proxy.example/openai/v1'],
		['http://127.0.0.1:8001/v1?x=1#y', 'http://127.0.0.1:8001/v1'],
	])('%s → %s', (input, expected) => {
		expect(normaliseBaseUrl(input, 'Base URL')).toBe(expected);
	});

	it.each([[''], ['llm-api.mmchat.xyz/v1'], ['ftp://host/v1'], [undefined], [42]])(
		'rejects %p naming the field',
		(input) => {
			const problem = normaliseBaseUrl(input, 'Base URL');
			expect(problem).toBeInstanceOf(EndpointProblem);
			expect((problem as EndpointProblem).message).toMatch(/Base URL/);
		},
	);
});

describe('resolveEndpoints', () => {
	const credentials = { baseUrl: 'https://a.example/v1', failoverBaseUrl: 'https://b.example/v1' };

	it('lists the primary then the backup', () => {
		expect(resolveEndpoints(credentials)).toEqual([
			{ role: 'primary', baseUrl: 'https://a.example/v1' },
			{ role: 'failover', baseUrl: 'https://b.example/v1' },
		]);
	});

	it.each([
		['the backup is empty', { ...credentials, failoverBaseUrl: '  ' }],
		['the backup is the primary', { ...credentials, failoverBaseUrl: 'https://a.example/v1/' }],
	])('has only the primary when %s', (_name, creds) => {
		expect(resolveEndpoints(creds)).toHaveLength(1);
	});
});
