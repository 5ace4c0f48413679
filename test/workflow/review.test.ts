import type { ReceivedChunk } from '../harness';
import {
	chat,
	completions,
	PARIS,
	reason,
	runDeepSeek,
	scriptBoth,
	useSimulatorPair,
} from './fixtures';
import { lookupTool, toolHooks } from './toolNodes';

const escape = (text: unknown) => String(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const items = (count: number) =>
	Array.from({ length: count }, (_, index) => ({ json: { text: `Item ${index}: the quick fox` } }));

/** The text of each begin…end run of item chunks, in order. */
function segments(chunks: ReceivedChunk[]) {
	const runs: string[] = [];
	for (const chunk of chunks) {
		if (chunk.type === 'begin') runs.push('');
		else if (chunk.type === 'item') runs[runs.length - 1] += chunk.content ?? '';
	}
	return runs;
}

describe('review findings through n8n', () => {
	const pair = useSimulatorPair();
	afterEach(() => {
		pair.primary.configure({ latencyMs: 0, numberAnswers: false });
	});

	describe('a failed stream', () => {
		it('ends a failed item with an error chunk that names what went wrong', async () => {
			pair.primary.setFault({ type: '400' });
			const result = await runDeepSeek(pair, {
				parameters: chat({ options: { failover: false } }),
				streaming: true,
				continueOnFail: true,
			});
			const last = result.chunks.at(-1);
			expect(last?.type).toBe('error');
			expect(last?.content).toMatch(/MetaChat rejected the request \(400\)/);
			expect(last?.metadata.itemIndex).toBe(0);
		});
	});

	describe('a streamed tool loop', () => {
		afterEach(() => {
			toolHooks.onCall = undefined;
		});

		it('fails the item, asking nothing again, when the second request breaks after streaming', async () => {
			scriptBoth(pair, PARIS);
			toolHooks.onCall = () => pair.primary.setFault({ type: 'reset-mid', times: 1 });
			const result = await runDeepSeek(pair, {
				parameters: reason({ options: { streamReasoning: true } }),
				tools: [lookupTool()],
				streaming: true,
				continueOnFail: true,
			});
			const [item] = result.output('DeepSeek');
			expect(item.json.error).toMatch(/The answer broke off while it was being streamed/);
			expect(completions(pair.primary)).toHaveLength(2);
			expect(completions(pair.backup)).toHaveLength(0);
			const types = result.chunks.map((chunk) => chunk.type);
			expect(types.filter((type) => type !== 'item')).toEqual(['begin', 'error']);
		});

		it('never streams nor sends back the inline <think> text of deepseek-r1t2-chimera', async () => {
			scriptBoth(pair, PARIS);
			const result = await runDeepSeek(pair, {
				parameters: reason({ model: { __rl: true, mode: 'id', value: 'deepseek-r1t2-chimera' } }),
				tools: [lookupTool()],
				streaming: true,
			});
			const [item] = result.output('DeepSeek');
			expect(item.json.content).toMatch(/^\[simulated deepseek-r1t2-chimera\] Tool results/);
			const streamed = segments(result.chunks).join('');
			expect(streamed).toBe(item.json.content);
			const [, second] = completions(pair.primary).map(
				(request) => request.body as { messages: Array<Record<string, unknown>> },
			);
			expect(second.messages[1]).toEqual({
				role: 'assistant',
				content: '',
				tool_calls: [expect.objectContaining({ type: 'function' })],
			});
			expect(JSON.stringify(second.messages)).not.toMatch(/think>/);
		});
	});

	it('stops walking the items after a cancel under Continue On Fail', async () => {
		pair.primary.setFault({ type: 'hang' });
		const result = await runDeepSeek(pair, {
			parameters: chat({ options: { concurrency: 1 } }),
			items: items(5),
			streaming: true,
			continueOnFail: true,
			cancelAfterMs: 1000,
		});
		expect(result.status).toBe('canceled');
		expect(result.chunks.filter((chunk) => chunk.type === 'begin')).toHaveLength(1);
		expect(completions(pair.primary)).toHaveLength(1);
		expect(completions(pair.backup)).toHaveLength(0);
	});

	describe('limits from expressions', () => {
		it.each([
			[
				'Concurrency',
				{ concurrency: '={{ "many" }}' },
				/Concurrency option must be a number of at least 1, not the text "many"/,
			],
			[
				'Concurrency',
				{ concurrency: '={{ 0 }}' },
				/Concurrency option must be a number of at least 1, not the number 0/,
			],
			[
				'Max Requests per Minute',
				{ maxRequestsPerMinute: '={{ $json.nothing }}x' },
				/Max Requests per Minute option must be a number of at least 0/,
			],
			[
				'Max Tool Calls Iterations',
				{ maxToolsIterations: '={{ "lots" }}' },
				/Max Tool Calls Iterations option of item 0 must be a number of at least 0, not the text "lots"/,
			],
			[
				'Item Timeout',
				{ itemTimeout: '={{ "soon" }}' },
				/Item Timeout \(Ms\) option of item 0 must be a number of at least 0, not the text "soon"/,
			],
		])('refuses a %s that is not a positive number', async (_name, options, error) => {
			const result = await runDeepSeek(pair, { parameters: chat({ options }), items: items(2) });
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(error);
			expect(completions(pair.primary)).toHaveLength(0);
		});
	});
});

describe('default concurrency', () => {
	const pair = useSimulatorPair();
	afterEach(() => pair.primary.configure({ latencyMs: 0, maxConcurrency: 0 }));

	it('sends more than five items at a time when Concurrency is not set', async () => {
		pair.primary.configure({ latencyMs: 200 });
		const result = await runDeepSeek(pair, { parameters: chat(), items: items(40) });
		expect(result.output('DeepSeek')).toHaveLength(40);
		expect(pair.primary.stats().maxInFlight).toBeGreaterThanOrEqual(16);
	});

	it('answers every item of a key limited to three requests at a time', async () => {
		pair.primary.configure({ latencyMs: 100, maxConcurrency: 3 });
		const result = await runDeepSeek(pair, {
			parameters: chat(),
			items: items(30),
			continueOnFail: true,
		});
		const output = result.output('DeepSeek');
		expect(output).toHaveLength(30);
		expect(output.filter((item) => item.json.error)).toEqual([]);
		expect(output.every((item) => item.json.endpoint === 'primary')).toBe(true);
		const limited = completions(pair.primary).filter((request) => request.status === 429);
		// Halving once per burst: far fewer 429s than the 13 of the first burst times the halvings.
		expect(limited.length).toBeLessThan(40);
	});
});
