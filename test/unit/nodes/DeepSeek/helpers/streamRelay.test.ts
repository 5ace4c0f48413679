import { StreamRelay } from '../../../../../nodes/DeepSeek/helpers/streamRelay';

function relay(withReasoning = false) {
	const sent: string[] = [];
	const record = (type: string, text?: string) => sent.push(type === 'item' ? text! : `[${type}]`);
	return { sent, relay: new StreamRelay(record, withReasoning) };
}

describe('StreamRelay', () => {
	it('streams the answer and leaves reasoning out unless asked', () => {
		const { sent, relay: r } = relay();
		r.onReasoning('thinking');
		r.onContent('Hel');
		r.onContent('lo');
		r.finish();
		expect(sent.join('')).toBe('Hello');
	});

	it('wraps reasoning in think tags when asked, also for inline <think> content', () => {
		const { sent, relay: r } = relay(true);
		r.onContent('<think>hm');
		r.onContent('m</think>\n\nYes');
		r.finish();
		expect(sent.join('')).toBe('<think>hmm</think>\n\nYes');
	});

	it('counts what it sent of the current request, reasoning included, and starts over per request', () => {
		const { sent, relay: r } = relay(true);
		expect(r.streamedChars()).toBe(0);
		r.onReasoning('hmm');
		r.onContent('Let me look.');
		expect(r.streamedChars()).toBe('<think>hmm</think>\n\nLet me look.'.length);
		r.onAnswered();
		expect(r.streamedChars()).toBe(0);
		r.onContent('It is 4.');
		r.finish();
		expect(sent.join('')).toBe('<think>hmm</think>\n\nLet me look.It is 4.');
	});

	it('starts a retried request clean: inline <think> is looked for again', () => {
		const { sent, relay: r } = relay();
		r.onRetry();
		r.onContent('<think>again</think>\n\nYes');
		r.finish();
		expect(sent.join('')).toBe('Yes');
	});

	it('looks for inline <think> at the start of every request, streaming none of it unless asked', () => {
		const { sent, relay: r } = relay();
		r.onContent('<think>call the tool</think>\n\n');
		r.onAnswered();
		r.onContent('<think>the tool said 4</think>\n\nIt is 4.');
		r.finish();
		expect(sent.join('')).toBe('It is 4.');
	});
});
