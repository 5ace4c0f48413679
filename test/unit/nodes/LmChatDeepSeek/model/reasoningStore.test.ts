import { ReasoningStore } from '../../../../../nodes/LmChatDeepSeek/model/reasoningStore';

describe('the reasoning store of the chat model sub-node', () => {
	let now = 0;
	const store = (limits: Partial<{ maxEntries: number; maxChars: number; ttlMs: number }> = {}) =>
		new ReasoningStore({ maxEntries: 100, maxChars: 10_000, ttlMs: 60_000, ...limits }, () => now);
	beforeEach(() => (now = 1_000_000));

	it('gives back the reasoning of every tool call of a message, in its execution only', () => {
		const kept = store();
		kept.remember('exec-1', ['call_a', 'call_b'], 'I will call both');
		expect(kept.recall('exec-1', 'call_a')).toBe('I will call both');
		expect(kept.recall('exec-1', 'call_b')).toBe('I will call both');
		expect(kept.recall('exec-2', 'call_a')).toBeUndefined();
		expect(kept.recall('exec-1', 'call_c')).toBeUndefined();
	});

	it.each([
		['entries', { maxEntries: 3 }, 'x'],
		['characters', { maxChars: 30 }, '0123456789'],
	])('drops the least recently used entries past its limit of %s', (_, limits, reasoning) => {
		const kept = store(limits);
		for (const id of ['1', '2', '3']) kept.remember('exec', [id], reasoning);
		kept.recall('exec', '1');
		kept.remember('exec', ['4'], reasoning);
		expect(kept.size).toBe(3);
		expect(kept.recall('exec', '2')).toBeUndefined();
		expect(['1', '3', '4'].map((id) => kept.recall('exec', id))).toEqual([
			reasoning,
			reasoning,
			reasoning,
		]);
	});

	it('forgets an entry not used within its time to live, and keeps one that is used', () => {
		const kept = store({ ttlMs: 1000 });
		kept.remember('exec', ['old'], 'old reasoning');
		kept.remember('exec', ['used'], 'used reasoning');
		now += 800;
		expect(kept.recall('exec', 'used')).toBe('used reasoning');
		now += 800;
		expect(kept.recall('exec', 'old')).toBeUndefined();
		expect(kept.recall('exec', 'used')).toBe('used reasoning');
		kept.remember('exec', ['new'], 'new reasoning');
		expect(kept.size).toBe(2);
	});

	it('ignores empty reasoning and reasoning larger than the whole store', () => {
		const kept = store({ maxChars: 10 });
		kept.remember('exec', ['a'], '');
		kept.remember('exec', ['b'], 'x'.repeat(11));
		expect(kept.size).toBe(0);
	});
});
