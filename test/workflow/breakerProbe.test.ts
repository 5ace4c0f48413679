import { PrimaryBreaker, primaryBreaker } from '../../nodes/shared/transport/breaker';
import {
	API_KEY,
	chat,
	completions,
	runDeepSeek,
	useSimulatorPair,
	type Simulator,
} from './fixtures';

const items = (count: number, extra: object = {}) =>
	Array.from({ length: count }, (_, index) => ({ json: { text: `Item ${index}`, ...extra } }));

/** The prompts a simulator was sent, in arrival order. */
const prompts = (sim: Simulator) =>
	completions(sim).map((request) => (request.messages?.at(-1) as { content: string }).content);

describe('the breaker probe and the 402 fast-fail through n8n', () => {
	const pair = useSimulatorPair();
	afterEach(() => {
		pair.primary.configure({ latencyMs: 0 });
		pair.backup.configure({ latencyMs: 0 });
	});

	/** As if the primary failed 30 s ago: the cooldown is over and the next item probes. */
	const cooldownOver = () =>
		primaryBreaker.primaryFailed(
			PrimaryBreaker.key(pair.primary.url, API_KEY),
			Date.now() - 30_000,
		);

	/** Runs one item and tells where it went: the primary is tried again only if it may be. */
	async function nextItemGoesTo() {
		const result = await runDeepSeek(pair, { parameters: chat() });
		return result.output('DeepSeek')[0].json.endpoint;
	}

	it('sends nothing for an item that waited for its slot while another got 402', async () => {
		pair.primary.setFault({ type: '402', times: 1 });
		const result = await runDeepSeek(pair, {
			parameters: chat({ options: { concurrency: 2, maxRequestsPerMinute: 30 } }),
			items: items(2),
			continueOnFail: true,
		});
		const output = result.output('DeepSeek');
		expect(output.map((item) => item.json.error)).toEqual([
			'MetaChat balance exhausted (402)',
			'MetaChat balance exhausted (402)',
		]);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(prompts(pair.primary)).toEqual(['Item 0']);
		expect(completions(pair.backup)).toHaveLength(0);
	});
	it('frees the probe of an item stopped while it waits for a slot', async () => {
		// The cooldown ends 400 ms in: items 0 and 1 skip the primary, item 2 (started when item 0
		// is done) claims the probe, then waits for its turn under Max Requests per Minute.
		primaryBreaker.primaryFailed(
			PrimaryBreaker.key(pair.primary.url, API_KEY),
			Date.now() - 30_000 + 400,
		);
		pair.backup.configure({ latencyMs: 600 });
		const result = await runDeepSeek(pair, {
			parameters: chat({ options: { maxRequestsPerMinute: 60, concurrency: 2 } }),
			items: items(3),
			cancelAfterMs: 1300,
		});
		expect(result.status).toBe('canceled');
		expect(completions(pair.primary)).toHaveLength(0);
		expect(prompts(pair.backup)).toEqual(['Item 0', 'Item 1']);
		pair.backup.configure({ latencyMs: 0 });

		expect(await nextItemGoesTo()).toBe('primary');
	});

	// On n8n 1.x too (`npm run test:engine1x`), whose sleep(ms, signal) ignores the signal: the
	// Item Timeout cuts short the wait for the next Max Requests per Minute slot (here a minute).
	it('frees the probe of an item whose Item Timeout ran out before its first attempt', async () => {
		cooldownOver();
		pair.primary.configure({ latencyMs: 3000 });
		const result = await runDeepSeek(pair, {
			parameters: chat({
				options: {
					failover: '={{ $json.failover }}',
					maxRequestsPerMinute: 1,
					concurrency: 2,
					itemTimeout: 1000,
				},
			}),
			items: [
				{ json: { text: 'Item 0', failover: false } },
				{ json: { text: 'Item 1', failover: true } },
			],
			continueOnFail: true,
		});
		const output = result.output('DeepSeek');
		expect(output.map((item) => item.json.error)).toEqual([
			'The item ran out of time',
			'The item ran out of time',
		]);
		expect(prompts(pair.primary)).toEqual(['Item 0']);
		pair.primary.configure({ latencyMs: 0 });

		expect(await nextItemGoesTo()).toBe('primary');
	});

	it('does not take an item timeout at the primary as proof that it is healthy', async () => {
		cooldownOver();
		pair.primary.setFault({ type: 'hang' });
		const first = await runDeepSeek(pair, {
			parameters: chat({ options: { itemTimeout: 1000 } }),
			continueOnFail: true,
		});
		expect(first.output('DeepSeek')[0].json.error).toBe('The item ran out of time');
		pair.primary.reset();
		pair.primary.configure({ latencyMs: 300 });

		// Still unproven: one item probes, the others keep going to the backup.
		const result = await runDeepSeek(pair, {
			parameters: chat({ options: { concurrency: 3 } }),
			items: items(3),
		});
		expect(result.output('DeepSeek')).toHaveLength(3);
		expect(prompts(pair.primary)).toEqual(['Item 0']);
		expect(prompts(pair.backup).sort()).toEqual(['Item 1', 'Item 2']);
	});

	it('keeps the probe with the item that retries, so no second item probes meanwhile', async () => {
		cooldownOver();
		pair.primary.setFault({ type: '429', retryAfter: 1, times: 1 });
		pair.backup.configure({ latencyMs: 300 });
		const result = await runDeepSeek(pair, {
			parameters: chat({ options: { concurrency: 2 } }),
			items: items(3),
		});
		expect(result.output('DeepSeek').map((item) => item.json.endpoint)).toEqual([
			'primary',
			'failover',
			'failover',
		]);
		expect(prompts(pair.primary)).toEqual(['Item 0', 'Item 0']);
		expect(prompts(pair.backup)).toEqual(['Item 1', 'Item 2']);
	});
});
