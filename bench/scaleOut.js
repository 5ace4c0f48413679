// The bench's queue-mode section (`npm run bench -- --only=scaleOut`): the e2e suite's queue-mode
// cluster (test/e2e/queueMode.js: PostgreSQL, Redis, a main instance, n8n workers at their default
// concurrency of 10, one simulator at 200 ms) runs 20 executions of 25 items started together,
// first with one worker, then with two; each round is also run with the key limited to 6 requests
// at a time. Every round is checked as the e2e suite checks it (each item answered once); the
// figures are wall times, best of `rounds`, and the two-worker/one-worker throughput ratio.
'use strict';

const env = require('../scripts/n8nEnv');
const queue = require('../test/e2e/queueMode');
const { control } = require('../test/e2e/http');

const { RUNS, RUN_ITEMS, KEY_CONCURRENCY, LATENCY_MS } = queue;
const KEY = 'sk-bench-0123456789';

/** Best wall time of `rounds` scale-out rounds, with the last round's split and 429 count. */
async function best(cluster, rounds, maxConcurrency) {
	await control(cluster.sim, 'configure', { latencyMs: LATENCY_MS, maxConcurrency });
	let result;
	for (let round = 0; round < rounds; round++) {
		const next = await queue.scaleOutRound(cluster);
		if (!result || next.wallMs < result.wallMs) result = next;
	}
	return result;
}

/** Returns the section's rows (cells); throws when a round loses or repeats an item. */
async function scaleOut(quick) {
	const rounds = quick ? 1 : 3;
	const { bin } = await env.ensureN8n();
	const tarball = await env.packPackage();
	const cluster = await queue.startCluster({ bin, tarball, key: KEY, workers: 1 });
	const figures = {};
	try {
		for (const workers of [1, 2]) {
			if (workers === 2) await cluster.addWorker();
			await best(cluster, 1, 0); // warm-up: the first execution on a worker loads the nodes
			figures[workers] = {
				open: await best(cluster, rounds, 0),
				limited: await best(cluster, rounds, KEY_CONCURRENCY),
			};
		}
	} finally {
		await cluster.stop();
	}
	const total = RUNS * RUN_ITEMS;
	const label = `${RUNS} executions × ${RUN_ITEMS} items at ${LATENCY_MS} ms, queue mode`;
	const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
	const rate = (ms) => `${Math.round(total / (ms / 1000))} items/s`;
	const split = (result) => `executions per worker ${result.split.join(' / ')}`;
	const { 1: one, 2: two } = figures;
	return [
		[`${label}, one worker`, s(one.open.wallMs), rate(one.open.wallMs), split(one.open)],
		[`${label}, two workers`, s(two.open.wallMs), rate(two.open.wallMs), split(two.open)],
		[
			'two workers / one worker, throughput',
			`${(one.open.wallMs / two.open.wallMs).toFixed(2)}×`,
			`worker concurrency 10 (n8n's default), the node's Concurrency at its default`,
		],
		...[one, two].map((result, index) => [
			`… the key limited to ${KEY_CONCURRENCY} requests at a time, ${index === 0 ? 'one worker' : 'two workers'}`,
			s(result.limited.wallMs),
			`${total} of ${total} answered; ${result.limited.refused} answers 429, at most ${result.limited.mostRefusedForAnItem} for one item`,
			`ideal ${s(Math.ceil(total / KEY_CONCURRENCY) * LATENCY_MS)}; ${split(result.limited)}`,
		]),
	];
}

module.exports = { scaleOut };
