import type { AttemptFailure } from '../../../../../nodes/shared/failures';
import { searchModels } from '../../../../../nodes/shared/methods/listSearch';
import { KNOWN_MODELS } from '../../../../../nodes/shared/protocol/models';
import { fetchModelIds } from '../../../../../nodes/shared/transport/listModels';
import { factWords } from '../../../../../nodes/shared/wording';
import { directMetaChatHttp, loadOptionsContext } from '../../../../harness/metaChatHttp';
import { head, startRawServer } from '../../../../harness/rawServer';
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

	describe('a /models that is silent, HTML or hostile', () => {
		const modelsAsked = (sim: typeof primary) =>
			sim.requests.filter((request) => request.path === '/v1/models').length;

		it('treats a silent primary as unreachable: the backup’s list comes', async () => {
			primary.setFault({ type: 'hang', only: 'models' });
			const credentials = { apiKey: KEY, baseUrl: primary.url, failoverBaseUrl: backup.url };
			const { results } = await searchModels.call(context(credentials));
			expect(results.map((model) => model.value)).toContain('deepseek-chat');
			expect(modelsAsked(backup)).toBe(1);
		});

		it('falls back to the known models when both URLs are silent, with no error', async () => {
			primary.setFault({ type: 'hang', only: 'models' });
			backup.setFault({ type: 'hang', only: 'models' });
			const credentials = { apiKey: KEY, baseUrl: primary.url, failoverBaseUrl: backup.url };
			const { results } = await searchModels.call(context(credentials));
			expect(results.map((model) => model.value)).toEqual(KNOWN_MODELS.map((model) => model.id));
			expect(modelsAsked(primary) + modelsAsked(backup)).toBe(2);
		});

		it('words a 200 HTML page as that, not as a failed connection', async () => {
			primary.setFault({ type: 'html', only: 'models' });
			const ids = await fetchModelIds(directMetaChatHttp(KEY), {
				apiKey: KEY,
				baseUrl: primary.url,
				failoverBaseUrl: '',
			});
			expect(ids).toMatchObject({ kind: 'broken' });
			expect(factWords((ids as AttemptFailure).fact)).toBe(
				'The model list came as an HTML page, not JSON',
			);
		});

		it('lists no key, no control character, no overlong id, and at most 1000 ids', async () => {
			const raw = await startRawServer();
			try {
				raw.handle((request, response) => {
					head(response, 200);
					const authorization = String(request.headers.authorization);
					const data = [
						{ id: authorization },
						{ id: authorization.replace(/^Bearer\s+/i, '') },
						{ id: 'y'.repeat(8 << 20) },
						{ id: 'deepseek-chat\r\n' },
						{ id: 'deepseek-\u0007reasoner' },
						...Array.from({ length: 3000 }, (_, i) => ({ id: `model-${i}` })),
					];
					response.end(JSON.stringify({ object: 'list', data }));
				});
				const credentials = { apiKey: KEY, baseUrl: raw.url, failoverBaseUrl: '' };
				const { results } = await searchModels.call(context(credentials));
				const values = results.map((model) => model.value);
				expect(values.slice(0, 2)).toEqual(['deepseek-chat', 'deepseek-reasoner']);
				expect(values).toHaveLength(1000);
				const text = JSON.stringify(results);
				expect(text).not.toContain(KEY.slice(3));
				expect(text).not.toContain('[redacted]');
				expect(text).not.toContain('yyyy');
				// eslint-disable-next-line no-control-regex
				expect(text).not.toMatch(/[\u0000-\u001f]|\\[rnu]/);
			} finally {
				await raw.close();
			}
		});
	});
});
