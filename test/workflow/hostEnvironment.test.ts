import { searchModels } from '../../nodes/shared/methods/listSearch';
import { loadOptionsContext } from '../harness/metaChatHttp';
import { startRecordingProxy, type RecordingProxy } from '../harness/recordingProxy';
import { API_KEY, chat, completions, runDeepSeek, useSimulatorPair } from './fixtures';

/** Sets environment variables for one test and puts the old values back after it. */
function withEnv(values: Record<string, string>) {
	const saved: Record<string, string | undefined> = {};
	for (const [name, value] of Object.entries(values)) {
		saved[name] = process.env[name];
		process.env[name] = value;
	}
	return () => {
		for (const [name, value] of Object.entries(saved)) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
	};
}

const PROXY_VARIABLES = [
	'HTTP_PROXY',
	'http_proxy',
	'HTTPS_PROXY',
	'https_proxy',
	'NO_PROXY',
	'no_proxy',
	'ALL_PROXY',
	'all_proxy',
];

const modelListContext = (credentials: Record<string, string>) =>
	loadOptionsContext(credentials, { operation: 'chat' });

describe("the host's environment", () => {
	const pair = useSimulatorPair();
	let restore: (() => void) | undefined;
	afterEach(() => restore?.());

	it('never lets OPENAI_* variables shape a request to MetaChat', async () => {
		restore = withEnv({
			OPENAI_ORG_ID: 'org-host-workload',
			OPENAI_PROJECT_ID: 'proj-host-workload',
			OPENAI_CUSTOM_HEADERS: 'X-Host-Secret: host-only\nX-Tenant: acme',
			OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
			OPENAI_API_KEY: 'sk-host-openai-key',
			OPENAI_LOG: 'debug',
		});
		const result = await runDeepSeek(pair, { parameters: chat() });
		expect(result.status).toBe('success');
		await searchModels.call(
			modelListContext({ apiKey: API_KEY, baseUrl: pair.primary.url, failoverBaseUrl: '' }),
		);

		const sent = pair.primary.requests;
		expect(sent.map((request) => request.path)).toEqual(['/v1/chat/completions', '/v1/models']);
		for (const { headers } of sent) {
			expect(headers.authorization).toBe(`Bearer ${API_KEY}`);
			for (const name of ['openai-organization', 'openai-project', 'x-host-secret', 'x-tenant']) {
				expect(headers[name]).toBeUndefined();
			}
			expect(JSON.stringify(headers)).not.toMatch(/host-workload|host-only|acme|sk-host/);
		}
	});

	describe('the outbound proxy', () => {
		let proxy: RecordingProxy;
		beforeEach(async () => {
			proxy = await startRecordingProxy();
		});
		afterEach(async () => {
			await proxy.close();
		});

		const cleared = () => Object.fromEntries(PROXY_VARIABLES.map((name) => [name, '']));

		it('sends completions and the model list through HTTP_PROXY', async () => {
			restore = withEnv({ ...cleared(), HTTP_PROXY: proxy.url });
			const result = await runDeepSeek(pair, { parameters: chat() });
			expect(result.status).toBe('success');
			await searchModels.call(
				modelListContext({ apiKey: API_KEY, baseUrl: pair.primary.url, failoverBaseUrl: '' }),
			);

			const host = `127.0.0.1:${pair.primary.port}`;
			expect(proxy.seen.length).toBeGreaterThan(0);
			expect(proxy.seen.every((line) => line.includes(host))).toBe(true);
			expect(completions(pair.primary)).toHaveLength(1);
			expect(pair.primary.requests.map((request) => request.path)).toContain('/v1/models');
		});

		it('goes direct to a host NO_PROXY names', async () => {
			restore = withEnv({ ...cleared(), HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
			const result = await runDeepSeek(pair, { parameters: chat() });
			expect(result.status).toBe('success');
			expect(proxy.seen).toEqual([]);
			expect(completions(pair.primary)).toHaveLength(1);
		});
	});
});
