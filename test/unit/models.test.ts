import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { searchModels } from '../../nodes/DeepSeek/methods/listSearch';
import { fetchModelIds } from '../../nodes/shared/transport/listModels';
import { startSimulator } from '../simulator/simulator';

const KEY = 'sk-models-test-1234';

/** The two calls searchModels makes on n8n's load-options context. */
function context(credentials: Record<string, string>, operation = 'chat') {
	return {
		getCredentials: async () => credentials,
		getCurrentNodeParameter: (name: string) => (name === 'operation' ? operation : undefined),
	} as unknown as ILoadOptionsFunctions;
}

describe('the model list', () => {
	let primary: Awaited<ReturnType<typeof startSimulator>>;
	let backup: Awaited<ReturnType<typeof startSimulator>>;

	beforeAll(async () => {
		primary = await startSimulator({ name: 'primary', apiKey: KEY });
		backup = await startSimulator({ name: 'backup', apiKey: KEY });
	});
	afterEach(() => {
		primary.reset();
		backup.reset();
	});
	afterAll(async () => {
		await primary.close();
		await backup.close();
	});

	it('lists the models at the primary with the key as a Bearer token', async () => {
		const ids = await fetchModelIds({ apiKey: KEY, baseUrl: primary.url, failoverBaseUrl: '' });
		expect(ids).toEqual(
			expect.arrayContaining(['deepseek-chat', 'deepseek-reasoner', 'deepseek-r1-250528']),
		);
		expect(primary.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
	});

	it('asks the backup when the primary is down', async () => {
		primary.setFault({ type: '503' });
		const ids = await fetchModelIds({
			apiKey: KEY,
			baseUrl: primary.url,
			failoverBaseUrl: backup.url,
		});
		expect(ids).toContain('deepseek-chat');
		expect(backup.requests).toHaveLength(1);
	});

	it('names the known models, filters, and puts reasoning models first for Reason', async () => {
		const credentials = { apiKey: KEY, baseUrl: primary.url, failoverBaseUrl: '' };
		const { results } = await searchModels.call(context(credentials, 'reason'), 'deepseek');
		expect(results[0]).toEqual({
			name: 'DeepSeek-V3.2 (thinking) — deepseek-reasoner',
			value: 'deepseek-reasoner',
		});
		expect(results.at(-1)?.value).toBe('deepseek-chat');

		const filtered = await searchModels.call(context(credentials), 'chimera');
		expect(filtered.results.map((model) => model.value)).toEqual(['deepseek-r1t2-chimera']);
	});

	it('falls back to the four known models when the list cannot be loaded', async () => {
		const credentials = { apiKey: 'sk-wrong', baseUrl: primary.url, failoverBaseUrl: '' };
		const { results } = await searchModels.call(context(credentials));
		expect(results.map((model) => model.value)).toEqual([
			'deepseek-chat',
			'deepseek-reasoner',
			'deepseek-r1-250528',
			'deepseek-r1t2-chimera',
		]);
	});
});
