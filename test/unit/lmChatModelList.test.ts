import { searchModels } from '../../nodes/shared/methods/listSearch';
import { loadOptionsContext } from '../harness/metaChatHttp';
import { refusedUrl, startSimulator, type Simulator } from '../simulator/simulator';

const KEY = 'sk-lm-models-1234';

const context = (credentials: Record<string, string>) =>
	loadOptionsContext(credentials, { nodeName: 'MetaChat DeepSeek Chat Model' });

describe("the chat model sub-node's model list", () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({ apiKey: KEY });
	});
	afterAll(() => sim.close());

	it("lists MetaChat's models, known ones first with their names, and filters", async () => {
		const { results } = await searchModels.call(
			context({ apiKey: KEY, baseUrl: sim.url, failoverBaseUrl: '' }),
		);
		expect(results.slice(0, 2)).toEqual([
			{
				name: 'deepseek-chat (V3.2, no thinking)',
				value: 'deepseek-chat',
				description: 'DeepSeek-V3.2 without thinking, unless Thinking is On',
			},
			{
				name: 'deepseek-reasoner (V3.2, thinking)',
				value: 'deepseek-reasoner',
				description: 'DeepSeek-V3.2 in thinking mode: always thinks',
			},
		]);
		const filtered = await searchModels.call(
			context({ apiKey: KEY, baseUrl: sim.url, failoverBaseUrl: '' }),
			'reasoner',
		);
		expect(filtered.results.map((result) => result.value)).toEqual(['deepseek-reasoner']);
	});

	it('offers the known models when MetaChat cannot be reached', async () => {
		const { results } = await searchModels.call(
			context({ apiKey: KEY, baseUrl: await refusedUrl(), failoverBaseUrl: '' }),
		);
		expect(results.map((result) => result.value)).toEqual([
			'deepseek-chat',
			'deepseek-reasoner',
			'deepseek-r1-250528',
			'deepseek-r1t2-chimera',
			'deepseek-v4-flash',
			'deepseek-v4-pro',
			'deepseek-flash',
		]);
	});

	it('says so when the key is refused, instead of a list that would fail later', async () => {
		const error = await searchModels
			.call(context({ apiKey: 'sk-wrong', baseUrl: sim.url, failoverBaseUrl: '' }))
			.catch((caught: unknown) => caught as Error);
		expect((error as Error).message).toBe('MetaChat rejected the API key at the Base URL (401)');
		expect(JSON.stringify(error)).not.toContain('sk-wrong');
	});
});
