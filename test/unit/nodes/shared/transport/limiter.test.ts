import { RequestLimiter } from '../../../../../nodes/shared/transport/limiter';

describe('RequestLimiter', () => {
	const never = new AbortController().signal;
	const stopped = AbortSignal.abort();

	/**
	 * How many requests the limiter lets start now, read through its own API: acquire until a
	 * start would have to wait (an aborted signal gives up at once), then release them all.
	 */
	async function currentLimit(limiter: RequestLimiter): Promise<number> {
		let held = 0;
		while ((await limiter.acquire(stopped)) !== undefined) held++;
		for (let i = 0; i < held; i++) limiter.release();
		return held;
	}

	it('holds requests beyond the limit until one is released', async () => {
		const limiter = new RequestLimiter(2);
		await limiter.acquire(never);
		await limiter.acquire(never);
		let third = false;
		const waiting = limiter.acquire(never).then(() => (third = true));
		await new Promise((resolve) => setImmediate(resolve));
		expect(third).toBe(false);
		limiter.release();
		await waiting;
		expect(third).toBe(true);
	});

	it('halves on a 429 and grows back by one per round of successes', async () => {
		const limiter = new RequestLimiter(8);
		for (const expected of [4, 2, 1]) {
			limiter.onRateLimited((await limiter.acquire(never))!);
			limiter.release();
			expect(await currentLimit(limiter)).toBe(expected);
		}
		limiter.onSuccess();
		expect(await currentLimit(limiter)).toBe(2);
		for (let i = 0; i < 100; i++) limiter.onSuccess();
		expect(await currentLimit(limiter)).toBe(8);
	});

	it('halves once for a burst of 429s from requests started together', async () => {
		const limiter = new RequestLimiter(64, 0, 16);
		const tickets = await Promise.all([1, 2, 3, 4, 5].map(() => limiter.acquire(never)));
		for (const ticket of tickets as number[]) {
			limiter.onRateLimited(ticket);
			limiter.release();
		}
		expect(await currentLimit(limiter)).toBe(8);
		// A request started after the decrease that still gets 429 halves again.
		limiter.onRateLimited((await limiter.acquire(never))!);
		limiter.release();
		expect(await currentLimit(limiter)).toBe(4);
	});

	it('starts below its ceiling and grows while requests succeed', async () => {
		const limiter = new RequestLimiter(64, 0, 16);
		expect(await currentLimit(limiter)).toBe(16);
		for (let i = 0; i < 16 + 17; i++) limiter.onSuccess();
		expect(await currentLimit(limiter)).toBe(18);
	});

	it('spaces starts for a requests-per-minute cap', async () => {
		const limiter = new RequestLimiter(10, 1200); // one start every 50 ms
		const started: number[] = [];
		const begin = Date.now();
		await Promise.all(
			[0, 1, 2].map(async () => {
				await limiter.acquire(never);
				started.push(Date.now() - begin);
				limiter.release();
			}),
		);
		// The third start's slot is 100 ms after the first's, which came no earlier than `begin`.
		// Measured from `begin`, a late first start (a loaded machine) cannot make this fail.
		expect(started[2]).toBeGreaterThanOrEqual(95);
	});

	it('gives up waiting when the run is aborted', async () => {
		const limiter = new RequestLimiter(1);
		await limiter.acquire(never);
		const stop = new AbortController();
		const waiting = limiter.acquire(stop.signal);
		stop.abort(new Error('stopped'));
		await expect(waiting).resolves.toBeUndefined();
	});
});
