import { searchModels } from '../../../../../nodes/shared/methods/listSearch';
import { KNOWN_MODELS } from '../../../../../nodes/shared/protocol/models';
import { fetchModelIds } from '../../../../../nodes/shared/transport/listModels';
import { directMetaChatHttp, loadOptionsContext } from '../../../../harness/metaChatHttp';
import { refusedUrl, startSimulator } from '../../../../simulator/simulator';

const KEY = 'sk-models-test-1234';

/** The calls searchModels makes on n8n's load-options context. */
const context = (credentials: Record<string, string>, operation = 'chat') =>
	loadOptionsContext(credentials, { operation });

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
		const ids = await fetchModelIds(directMetaChatHttp(KEY), {
			apiKey: KEY,
			baseUrl: primary.url,
			failoverBaseUrl: '',
		});
		expect(ids).toEqual(
			expect.arrayContaining(['deepseek-chat', 'deepseek-reasoner', 'deepseek-r1-250528']),
		);
		expect(primary.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
	});

	it('asks the backup when the primary is down', async () => {
		primary.setFault({ type: '503' });
		const ids = await fetchModelIds(directMetaChatHttp(KEY), {
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
			name: 'deepseek-reasoner (V3.2, thinking)',
			value: 'deepseek-reasoner',
			description: 'DeepSeek-V3.2 in thinking mode: always thinks',
		});
		expect(results.at(-1)?.value).toBe('deepseek-chat');

		const filtered = await searchModels.call(context(credentials), 'chimera');
		expect(filtered.results.map((model) => model.value)).toEqual(['deepseek-r1t2-chimera']);
	});

	it("gives every known model a name that fits n8n's list, which cuts at about 40 characters", async () => {
		const credentials = { apiKey: KEY, baseUrl: await refusedUrl(), failoverBaseUrl: '' };
		const { results } = await searchModels.call(context(credentials));
		// Each known model, in the list's order, by its ID and its label.
		expect(results.map((model) => model.name)).toEqual(
			KNOWN_MODELS.map((model) => `${model.id} (${model.label})`),
		);
		for (const model of results) expect(model.name.length).toBeLessThanOrEqual(36);
	});

	it('falls back to the known models only when MetaChat cannot be reached', async () => {
		const credentials = { apiKey: KEY, baseUrl: await refusedUrl(), failoverBaseUrl: '' };
		const { results } = await searchModels.call(context(credentials));
		expect(results.map((model) => model.value)).toEqual(KNOWN_MODELS.map((model) => model.id));
	});

	it.each([
		[
			'401',
			{ apiKey: 'sk-wrong-key-1234' },
			/MetaChat rejected the API key at the Base URL \(401\)/,
		],
		['402', { fault: '402' }, /MetaChat balance exhausted \(402\)/],
		['403', { fault: '403' }, /MetaChat refused access at the Base URL \(403\)/],
	])(
		'shows a credential problem (%s) in the editor instead of the fallback list',
		async (_status, how, error) => {
			if ('fault' in how) primary.setFault({ type: how.fault as '402' });
			const apiKey = 'apiKey' in how ? how.apiKey : KEY;
			const credentials = { apiKey, baseUrl: primary.url, failoverBaseUrl: backup.url };
			const listed = searchModels.call(context(credentials));
			await expect(listed).rejects.toThrow(error);
			await expect(listed).rejects.not.toThrow(apiKey);
			expect(backup.requests).toHaveLength(0);
		},
	);
});
