import type { IDataObject } from 'n8n-workflow';

import { refusedUrl, type Fault } from '../simulator/simulator';
import { allText, API_KEY, chat, completions, runDeepSeek, useSimulatorPair } from './fixtures';

type Outcome = 'backup answered' | 'retried, then answered' | 'error';

interface Case {
	fault: string;
	/** What the simulator does; 'refused' points the primary at a closed port instead. */
	inject: Fault | 'refused';
	failover: boolean;
	outcome: Outcome;
	/** Requests the primary receives for the first item. */
	primaryAttempts: number;
	/** The error, for the error outcome. */
	error?: RegExp;
	credentials?: { apiKey?: string };
}

const TIMEOUT_MS = 800;
const ITEMS = 3;

const faults: Array<
	Omit<Case, 'failover' | 'outcome'> & { on: Outcome; off: Outcome; offError?: RegExp }
> = [
	{
		fault: 'connection refused',
		inject: 'refused',
		primaryAttempts: 0,
		on: 'backup answered',
		off: 'error',
		offError: /could not be reached/,
	},
	{
		fault: 'reset before any answer',
		inject: { type: 'reset' },
		primaryAttempts: 1,
		on: 'backup answered',
		off: 'error',
		offError: /could not be reached/,
	},
	{
		fault: 'reset mid-answer',
		inject: { type: 'reset-mid' },
		primaryAttempts: 2,
		on: 'backup answered',
		off: 'error',
		offError: /incomplete or invalid answer/,
	},
	{
		fault: 'hang (no headers)',
		inject: { type: 'hang' },
		primaryAttempts: 1,
		on: 'backup answered',
		off: 'error',
		offError: /could not answer in time/,
	},
	{
		fault: '500',
		inject: { type: '500' },
		primaryAttempts: 2,
		on: 'backup answered',
		off: 'error',
		offError: /could not answer \(500\)/,
	},
	{
		fault: '503',
		inject: { type: '503' },
		primaryAttempts: 2,
		on: 'backup answered',
		off: 'error',
		offError: /could not answer \(503\)/,
	},
	{
		fault: '429 with Retry-After, twice',
		inject: { type: '429', retryAfter: 1, times: 2 },
		primaryAttempts: 3,
		on: 'retried, then answered',
		off: 'retried, then answered',
	},
	{
		fault: '401',
		inject: { type: '401' },
		primaryAttempts: 1,
		on: 'error',
		off: 'error',
		error: /rejected the API key \(401\)/,
		offError: /rejected the API key \(401\)/,
	},
	{
		fault: '402',
		inject: { type: '402' },
		primaryAttempts: 1,
		on: 'error',
		off: 'error',
		error: /balance exhausted \(402\)/,
		offError: /balance exhausted \(402\)/,
	},
	{
		fault: '400',
		inject: { type: '400' },
		primaryAttempts: 1,
		on: 'error',
		off: 'error',
		error: /rejected the request \(400\)/,
		offError: /rejected the request \(400\)/,
	},
	{
		fault: 'non-JSON body (HTML)',
		inject: { type: 'html' },
		primaryAttempts: 2,
		on: 'backup answered',
		off: 'error',
		offError: /incomplete or invalid answer/,
	},
	{
		fault: 'truncated stream',
		inject: { type: 'truncate' },
		primaryAttempts: 2,
		on: 'backup answered',
		off: 'error',
		offError: /incomplete or invalid answer/,
	},
	{
		fault: 'no choices',
		inject: { type: 'nochoices' },
		primaryAttempts: 2,
		on: 'backup answered',
		off: 'error',
		offError: /incomplete or invalid answer/,
	},
];

const cases: Case[] = faults.flatMap(({ on, off, offError, error, ...rest }) => [
	{ ...rest, failover: true, outcome: on, error },
	{ ...rest, failover: false, outcome: off, error: offError },
]);

describe('fault matrix: every fault at the primary, failover on and off', () => {
	const pair = useSimulatorPair();
	const table: string[] = [];

	afterAll(() => {
		console.log(
			[
				'| fault at the primary | failover | outcome | primary requests (item 0) | backup requests | time |',
				'|---|---|---|---|---|---|',
				...table,
			].join('\n'),
		);
	});

	it.each(cases)('$fault, failover $failover → $outcome', async (c) => {
		if (c.inject !== 'refused') pair.primary.setFault(c.inject);
		const items = Array.from({ length: ITEMS }, (_, index) => ({
			json: { text: `Question ${index}` },
		}));
		const started = Date.now();
		const result = await runDeepSeek(pair, {
			parameters: chat({
				options: { failover: c.failover, timeout: TIMEOUT_MS, maxRetries: 1, concurrency: 1 },
			}),
			items,
			continueOnFail: true,
			credentials: c.inject === 'refused' ? { baseUrl: await refusedUrl() } : {},
		});
		const elapsed = Date.now() - started;

		const output = result.output('DeepSeek');
		expect(output).toHaveLength(ITEMS);
		output.forEach((item, index) => expect(item.pairedItem).toEqual({ item: index }));

		const first = output[0].json as IDataObject;
		if (c.outcome === 'error') {
			expect(first.error).toMatch(c.error!);
			expect(first.details).toMatchObject({ endpoint: 'primary', failover: false });
			expect(completions(pair.backup)).toHaveLength(0);
			output.forEach((item) => expect(item.json.error).toBeDefined());
		} else {
			output.forEach((item, index) => {
				expect(item.json.error).toBeUndefined();
				expect(item.json.content).toContain(`Question ${index}`);
				expect(item.json.endpoint).toBe(c.outcome === 'backup answered' ? 'failover' : 'primary');
			});
			// No duplicate answers: each item was answered exactly once.
			const answered = completions(
				c.outcome === 'backup answered' ? pair.backup : pair.primary,
			).filter((request) => request.status === 200 && !request.fault);
			expect(answered).toHaveLength(ITEMS);
		}
		if (c.inject !== 'refused') {
			const firstItem = completions(pair.primary).filter((request) =>
				JSON.stringify(request.messages).includes('Question 0'),
			);
			expect(firstItem).toHaveLength(c.primaryAttempts);
		}
		// Bounded: per item at most two timeouts and the retry waits, never a hang.
		expect(elapsed).toBeLessThan(ITEMS * (2 * TIMEOUT_MS + 2500));
		expect(allText(result.run)).not.toContain(API_KEY);

		table.push(
			`| ${c.fault} | ${c.failover ? 'on' : 'off'} | ${c.outcome}${c.outcome === 'error' ? `: ${String(first.error)}` : ''} | ${c.primaryAttempts} | ${completions(pair.backup).length} | ${elapsed} ms |`,
		);
	});
});
