// The bench's queue-mode section (`npm run bench -- --only=scaleOut`): the e2e suite's queue-mode
// cluster (test/e2e/queueMode.js: PostgreSQL, Redis, a main instance, n8n workers at their default
// concurrency of 10, one simulator) runs 20 executions of 25 items started together, first with
// one worker, then with two: at 200 ms, at 2 s (a slow model), and at 200 ms with the key limited
// to 6 requests at a time. Every round is checked as the e2e suite checks it (each item answered
// once); the figures are wall times, best of `rounds`, and the two-worker/one-worker ratio.
'use strict';

const fs = require('fs');
const path = require('path');

const env = require('../scripts/n8nEnv');
const queue = require('../test/e2e/queueMode');
const { control } = require('../test/e2e/http');

const { RUNS, RUN_ITEMS, KEY_CONCURRENCY, LATENCY_MS } = queue;
const KEY = 'sk-bench-0123456789';

/** A slow model: answers that take seconds, where the workers' execution slots are the limit. */
const SLOW_MS = 2000;

/**
 * Why the queue-mode cluster cannot start on this machine, or undefined where it can: what
 * test/e2e/queueMode.js's startCluster needs (Debian's PostgreSQL server, Redis, runuser), looked
 * for before the section installs n8n and packs the package.
 */
function scaleOutMissing() {
	const pgRoot = '/usr/lib/postgresql';
	const postgres =
		fs.existsSync(pgRoot) &&
		fs
			.readdirSync(pgRoot)
			.some((version) => fs.existsSync(path.join(pgRoot, version, 'bin', 'postgres')));
	const onPath = (name) =>
		(process.env.PATH ?? '')
			.split(path.delimiter)
			.some((dir) => dir && fs.existsSync(path.join(dir, name)));
	const missing = [
		!postgres && "PostgreSQL's server (apt-get install postgresql)",
		!onPath('redis-server') && 'redis-server (apt-get install redis-server)',
		!onPath('redis-cli') && 'redis-cli (apt-get install redis-tools)',
		!onPath('runuser') && 'runuser (apt-get install util-linux)',
	].filter(Boolean);
	return missing.length === 0 ? undefined : `queue mode needs ${missing.join(', ')}`;
}

/** Best wall time of `rounds` scale-out rounds, with the last round's split and 429 count. */
async function best(cluster, rounds, latencyMs, maxConcurrency = 0) {
	await control(cluster.sim, 'configure', { latencyMs, maxConcurrency });
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
			await best(cluster, 1, LATENCY_MS); // warm-up: a worker's first execution loads the nodes
			figures[workers] = {
				[LATENCY_MS]: await best(cluster, rounds, LATENCY_MS),
				[SLOW_MS]: await best(cluster, rounds, SLOW_MS),
				limited: await best(cluster, rounds, LATENCY_MS, KEY_CONCURRENCY),
			};
		}
	} finally {
		await cluster.stop();
		fs.rmSync(cluster.root, { recursive: true, force: true });
	}
	const total = RUNS * RUN_ITEMS;
	const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
	const split = (result) => `executions per worker ${result.split.join(' / ')}`;
	const { 1: one, 2: two } = figures;
	return [
		...[LATENCY_MS, SLOW_MS].flatMap((latency) => {
			const label = `${RUNS} executions × ${RUN_ITEMS} items at ${latency} ms, queue mode`;
			return [
				[`${label}, one worker`, s(one[latency].wallMs), split(one[latency])],
				[`${label}, two workers`, s(two[latency].wallMs), split(two[latency])],
				[
					`… throughput, two workers / one worker, at ${latency} ms`,
					`${(one[latency].wallMs / two[latency].wallMs).toFixed(2)}×`,
					`worker concurrency 10 (n8n's default), the node's Concurrency at its default`,
				],
			];
		}),
		...[one, two].map((result, index) => [
			`… the key limited to ${KEY_CONCURRENCY} requests at a time, ${index === 0 ? 'one worker' : 'two workers'}, ${LATENCY_MS} ms`,
			s(result.limited.wallMs),
			`${total} of ${total} answered; ${result.limited.refused} answers 429, at most ${result.limited.mostRefusedForAnItem} for one item`,
			`ideal ${s(Math.ceil(total / KEY_CONCURRENCY) * LATENCY_MS)}; ${split(result.limited)}`,
		]),
	];
}

module.exports = { scaleOut, scaleOutMissing };
