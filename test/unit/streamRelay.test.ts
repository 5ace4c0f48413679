import { StreamRelay } from '../../nodes/DeepSeek/helpers/streamRelay';

function relay(withReasoning = false) {
	const sent: string[] = [];
	return { sent, relay: new StreamRelay((text) => sent.push(text), withReasoning) };
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
});
