import fc from 'fast-check';

import {
	HistoryProblem,
	normaliseHistory,
	ROLES,
} from '../../../../../nodes/shared/protocol/history';
import { historyWords } from '../../../../../nodes/shared/wording';

const message = fc.record(
	{
		role: fc.constantFrom(...ROLES, 'User', ' assistant ', 'bot', '', 'SYSTEM'),
		content: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string())),
		reasoning_content: fc.string(),
		tool_call_id: fc.string(),
		extra: fc.anything(),
	},
	{ requiredKeys: [] },
);

const history = fc.oneof(
	fc.anything(),
	fc.array(message),
	fc.array(message).map((messages) => JSON.stringify(messages)),
	fc.array(message).map((messages) => ({ messages })),
	fc.string(),
);

describe('normaliseHistory (properties)', () => {
	it('either returns valid messages or a HistoryProblem, and never throws', () => {
		fc.assert(
			fc.property(history, (input) => {
				const result = normaliseHistory(input);
				if (result instanceof HistoryProblem) {
					expect(historyWords(result.fact).length).toBeGreaterThan(10);
					return;
				}
				expect(Array.isArray(result)).toBe(true);
				for (const m of result) {
					expect(ROLES).toContain(m.role);
					if (m.role !== 'assistant') expect(m).not.toHaveProperty('reasoning_content');
					expect(m).not.toHaveProperty('extra');
					if (m.content === null) expect(m.role).toBe('assistant');
					else expect(typeof m.content).toBe('string');
				}
			}),
			{ numRuns: 2000 },
		);
	});

	it('is idempotent: normalised history normalises to itself', () => {
		fc.assert(
			fc.property(history, (input) => {
				const once = normaliseHistory(input);
				if (once instanceof HistoryProblem) return;
				expect(normaliseHistory(once)).toEqual(once);
				expect(normaliseHistory(JSON.stringify(once))).toEqual(once);
			}),
			{ numRuns: 2000 },
		);
	});

	it('keeps the order and the text of well-formed messages', () => {
		const wellFormed = fc.array(
			fc.record({ role: fc.constantFrom('system', 'user', 'assistant'), content: fc.string() }),
		);
		fc.assert(
			fc.property(wellFormed, (messages) => {
				expect(normaliseHistory(messages)).toEqual(messages);
			}),
		);
	});
});
