import { planSections } from '../../bench/sections';

describe("the bench's sections", () => {
	const names = ['defaults', 'agent', 'scaleOut'];

	it('runs every section it can and names the skipped ones with the reason', () => {
		expect(
			planSections(names, undefined, {
				scaleOut: 'queue mode needs redis-server',
				agent: undefined,
			}),
		).toEqual({
			run: ['defaults', 'agent'],
			skipped: [{ name: 'scaleOut', reason: 'queue mode needs redis-server' }],
		});
	});

	it('runs only the section --only names, or says why it cannot', () => {
		expect(planSections(names, 'defaults', { scaleOut: 'no Redis' })).toEqual({
			run: ['defaults'],
			skipped: [],
		});
		expect(planSections(names, 'scaleOut', { scaleOut: 'no Redis' })).toEqual({
			run: [],
			skipped: [{ name: 'scaleOut', reason: 'no Redis' }],
		});
		expect(planSections(names, 'queue', {})).toEqual({
			error: '--only=queue: no such section; the sections are defaults, agent, scaleOut',
		});
	});
});
