import { searchModels } from '../../../../../nodes/shared/methods/listSearch';
import { KNOWN_MODELS } from '../../../../../nodes/shared/protocol/models';
import { loadOptionsContext } from '../../../../harness/metaChatHttp';
import { refusedUrl, startSimulator, type Simulator } from '../../../../simulator/simulator';

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
		expect(results.slice(0, 2)).toEqual(
			KNOWN_MODELS.slice(0, 2).map(({ id, label, description }) => ({
				name: `${id} (${label})`,
				value: id,
				description,
			})),
		);
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
		expect(results.map((result) => result.value)).toEqual(KNOWN_MODELS.map((model) => model.id));
	});

	it('says so when the key is refused, instead of a list that would fail later', async () => {
		const error = await searchModels
			.call(context({ apiKey: 'sk-wrong', baseUrl: sim.url, failoverBaseUrl: '' }))
			.catch((caught: unknown) => caught as Error);
		expect((error as Error).message).toBe(
			'MetaChat rejected the API key at the Base URL (401): Authentication Fails, Your api key: [redacted] is invalid',
		);
		expect(JSON.stringify(error)).not.toContain('sk-wrong');
	});
});
