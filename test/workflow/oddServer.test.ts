import { primaryBreaker } from '../../nodes/shared/transport/breaker';
import {
	allText,
	chat,
	completions,
	PARIS,
	runDeepSeek,
	scriptBoth,
	useSimulatorPair,
} from './fixtures';
import { lookupTool } from './toolNodes';

type Sent = { messages: Array<{ role: string; tool_calls?: Array<Record<string, unknown>> }> };

/** Servers that answer strangely, slowly or with too much: each has a defined, bounded result. */
describe('an odd or hostile server through n8n', () => {
	const pair = useSimulatorPair();
	afterEach(() => {
		for (const sim of [pair.primary, pair.backup]) {
			sim.configure({ streamQuirks: [], tokenDelayMs: 0, replyTokens: undefined });
			sim.scriptTools(null);
		}
		primaryBreaker.reset();
	});

	const failed = async (options: Record<string, unknown>) => {
		const result = await runDeepSeek(pair, {
			parameters: chat({ options }),
			continueOnFail: true,
		});
		const [item] = result.output('DeepSeek');
		expect(item.pairedItem).toEqual({ item: 0 });
		return item.json as { error: string; message: string; details: Record<string, unknown> };
	};

	it('quotes a 502 HTML error page by its title, never whole, and fails over', async () => {
		pair.primary.setFault({ type: 'html502' });
		const off = await failed({ failover: false });
		expect(off.error).toBe(
			'MetaChat could not answer (502): an HTML error page ("simulated-cdn.example | 502: Bad gateway") with status 502',
		);
		expect(allText(off).length).toBeLessThan(2000);
		const on = await runDeepSeek(pair, { parameters: chat() });
		expect(on.output('DeepSeek')[0].json.endpoint).toBe('failover');
	});

	it('cuts off an answer larger than it keeps, and the backup answers instead', async () => {
		pair.primary.setFault({ type: 'oversized', sizeBytes: 24 * 1024 * 1024 });
		const off = await failed({ failover: false, maxRetries: 0 });
		expect(off.error).toMatch(/larger than 8 Mi characters and was cut off/);
		pair.primary.setFault({ type: 'oversized', sizeBytes: 24 * 1024 * 1024 });
		const on = await runDeepSeek(pair, { parameters: chat({ options: { maxRetries: 0 } }) });
		expect(on.output('DeepSeek')[0].json.endpoint).toBe('failover');
	});

	it('abandons a stream line that never ends', async () => {
		pair.primary.setFault({ type: 'oversized', sizeBytes: 6 * 1024 * 1024, longLine: true });
		const off = await failed({ failover: false, maxRetries: 0 });
		expect(off.error).toMatch(/larger than one line of 4 MiB/);
	});

	it('reads a stream that repeats the tool name in every chunk and sends no tool-call ids as OpenAI’s SDK does', async () => {
		for (const sim of [pair.primary, pair.backup]) {
			sim.configure({ streamQuirks: ['repeatToolName', 'omitToolCallIds'] });
		}
		scriptBoth(pair, PARIS);
		const result = await runDeepSeek(pair, {
			parameters: chat(),
			items: [{ json: { text: 'Weather in Paris?' } }],
			tools: [lookupTool()],
		});
		expect(result.error).toBeUndefined();
		const [item] = result.output('DeepSeek');
		expect(item.json.content).toMatch(/Tool results: Lookup said/);
		const second = completions(pair.primary)[1].body as Sent;
		const call = second.messages[1].tool_calls?.[0] as {
			id: string;
			function: { name: string };
		};
		expect(call.function.name).toBe('Lookup');
		expect(call.id).toMatch(/^call_[0-9a-f-]{36}$/);
		expect(second.messages[2]).toMatchObject({ role: 'tool', tool_call_id: call.id });
	});

	it('treats a stream without finish_reason as incomplete, as OpenAI’s SDK does', async () => {
		pair.primary.configure({ streamQuirks: ['noFinishReason'] });
		const off = await failed({ failover: false });
		expect(off.error).toMatch(/incomplete or invalid answer: The answer stream ended before/);
		expect(completions(pair.primary)).toHaveLength(2);
	});

	it('fails a live answer that runs past Timeout without failing over or opening the breaker', async () => {
		pair.primary.configure({ replyTokens: 60, tokenDelayMs: 50 });
		const live = await failed({ timeout: 1200 });
		expect(live.error).toMatch(/took longer than the Timeout option allows/);
		expect(live.details).toMatchObject({ endpoint: 'primary', failover: false, attempts: 1 });
		expect(completions(pair.backup)).toHaveLength(0);
		// The breaker was left alone: the next item still goes to the primary.
		pair.primary.configure({ replyTokens: undefined, tokenDelayMs: 0 });
		const next = await runDeepSeek(pair, { parameters: chat() });
		expect(next.output('DeepSeek')[0].json.endpoint).toBe('primary');
	});

	it('fails over when the body goes silent after the headers', async () => {
		pair.primary.configure({ replyTokens: 5, tokenDelayMs: 3000 });
		const result = await runDeepSeek(pair, { parameters: chat({ options: { timeout: 1000 } }) });
		expect(result.output('DeepSeek')[0].json.endpoint).toBe('failover');
	});
});

describe('a server that refuses a parameter sent by default', () => {
	const pair = useSimulatorPair();
	afterEach(() => pair.primary.configure({ rejectParams: [] }));

	it('names the parameter and the option that leaves it out, and does not fail over', async () => {
		pair.primary.configure({ rejectParams: ['thinking'] });
		const result = await runDeepSeek(pair, { parameters: chat(), continueOnFail: true });
		const [item] = result.output('DeepSeek');
		expect(item.json.error).toMatch(/rejected the request \(400\): Unknown parameter: thinking/);
		expect(item.json.message).toBe(
			'MetaChat does not accept the `thinking` parameter that this node sends; set Options > Thinking to Model Default to leave it out.',
		);
		expect(completions(pair.backup)).toHaveLength(0);
		// And the option it names does leave it out.
		const fixed = await runDeepSeek(pair, { parameters: chat({ options: { thinking: 'model' } }) });
		expect(fixed.output('DeepSeek')[0].json.error).toBeUndefined();
		expect(completions(pair.primary).at(-1)?.body).not.toHaveProperty('thinking');
	});
});
