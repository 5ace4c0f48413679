import {
	MAX_PARALLEL_TOOL_CALLS,
	MAX_TOOL_CALLS_PER_ROUND,
	runToolCalls,
	type NodeTool,
} from '../../../../../nodes/DeepSeek/helpers/connectedTools';
import type { ToolCall } from '../../../../../nodes/shared/protocol/wire';

function tool(invoke: (input: unknown) => Promise<unknown>): NodeTool {
	return {
		name: 'lookup',
		definition: { type: 'function', function: { name: 'lookup', parameters: {} } },
		tool: { name: 'lookup', invoke },
	};
}
const calls = (count: number): ToolCall[] =>
	Array.from({ length: count }, (_, index) => ({
		id: `call_${index}`,
		type: 'function',
		function: { name: 'lookup', arguments: `{"n":${index}}` },
	}));

describe('one round of tool calls', () => {
	it(`runs at most ${MAX_PARALLEL_TOOL_CALLS} calls at a time, answering each in order`, async () => {
		let running = 0;
		let most = 0;
		const slow = tool(async (input) => {
			most = Math.max(most, ++running);
			await new Promise((resolve) => setTimeout(resolve, 5));
			running--;
			return (input as { n: number }).n;
		});
		const { messages } = await runToolCalls([slow], calls(30), 1, new AbortController().signal);
		expect(most).toBe(MAX_PARALLEL_TOOL_CALLS);
		expect(messages.map((message) => [message.tool_call_id, message.content])).toEqual(
			calls(30).map((call, index) => [call.id, String(index)]),
		);
	});

	it(`cuts a round of more than ${MAX_TOOL_CALLS_PER_ROUND} calls, answering the rest as not run`, async () => {
		let invoked = 0;
		const counting = tool(async () => ++invoked);
		const round = calls(MAX_TOOL_CALLS_PER_ROUND + 3);
		const { messages, summary } = await runToolCalls(
			[counting],
			round,
			1,
			new AbortController().signal,
		);
		expect(invoked).toBe(MAX_TOOL_CALLS_PER_ROUND);
		expect(messages.map((message) => message.tool_call_id)).toEqual(round.map((call) => call.id));
		expect(messages.at(-1)?.content).toBe(
			`Not run: the model asked for ${round.length} tool calls in one round; only the first ${MAX_TOOL_CALLS_PER_ROUND} ran.`,
		);
		expect(summary.filter((call) => call.error?.startsWith('Not run'))).toHaveLength(3);
	});

	it('ends at once when the execution is stopped, without waiting for a tool that ignores it', async () => {
		const stop = new AbortController();
		const deaf = tool(() => new Promise(() => undefined));
		setTimeout(() => stop.abort(), 50);
		const started = Date.now();
		const { messages } = await runToolCalls([deaf], calls(12), 1, stop.signal);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(messages).toHaveLength(12);
		expect(messages.every((message) => /execution was stopped/.test(String(message.content)))).toBe(
			true,
		);
	});
});
