import { StreamRelay } from '../../nodes/DeepSeek/helpers/streamRelay';

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

	it('does not send again what the caller has after a retry', () => {
		const { sent, relay: r } = relay();
		r.onContent('The answer ');
		r.onContent('is');
		r.onRetry();
		r.onContent('The answer is 4.');
		r.finish();
		expect(sent.join('')).toBe('The answer is 4.');
	});

	it('restarts the answer, never mixing two, when the retry says something else', () => {
		const { sent, relay: r } = relay();
		r.onContent('The answer ');
		r.onContent('is');
		r.onRetry();
		r.onContent('The answer ');
		r.onContent('was four.');
		r.finish();
		expect(sent.join('|')).toBe('The answer |is|[error]|[begin]|The answer was four.');
	});

	it('restarts when the retry ends before reaching what the caller has', () => {
		const { sent, relay: r } = relay();
		r.onContent('Yes, and more');
		r.onRetry();
		r.onContent('Yes');
		r.finish();
		expect(sent.join('|')).toBe('Yes, and more|[error]|[begin]|Yes');
	});

	it('starts fresh for each request of a tool loop: an identical retried round sends nothing again', () => {
		const { sent, relay: r } = relay();
		r.onContent('Let me look that up.');
		r.onAnswered();
		r.onContent('The answer ');
		r.onRetry();
		r.onContent('The answer is 4.');
		r.finish();
		expect(sent.join('|')).toBe('Let me look that up.|The answer |is 4.');
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
