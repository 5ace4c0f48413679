// n8n in queue mode, as it runs at scale: PostgreSQL and Redis (Debian's packages, started here on
// loopback), one main instance and two workers, against one simulator process.
// - a webhook-triggered batch of 200 items is answered exactly once per item, on a worker;
// - scale-out: 20 executions of 25 items started together all succeed, every item answered once,
//   and both workers run some of them;
// - one key, many workers: the same with the key limited to 6 requests at a time, no item fails;
// - a worker killed (SIGKILL) with executions in flight: what n8n does with them is recorded, and
//   every execution either has each of its items once in its output or ends as n8n reports it,
//   with no half-written output; duplicate requests at the simulator are counted.
// The cluster (startCluster) is also what bench/scaleOut.js measures with one and two workers.
'use strict';

const assert = require('assert/strict');
const { randomUUID } = require('crypto');
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const env = require('../../scripts/n8nEnv');
const { control, chatRequests } = require('./http');

const ITEMS = 200;
/** Scale-out: this many executions started together, each of this many items. */
const RUNS = 20;
const RUN_ITEMS = 25;
/** The shared-key check's limit: the simulator answers 429 above this many requests in flight. */
const KEY_CONCURRENCY = 6;
/** Simulator latency for the scale-out and shared-key runs, so concurrency shows. */
const LATENCY_MS = 200;
/** Latency for the kill check: long enough that the killed worker has requests in flight. */
const KILL_LATENCY_MS = 2000;

/** Debian keeps PostgreSQL's server binaries under its major version (15 on Debian 12, 17 on 13). */
function postgresBin() {
	const root = '/usr/lib/postgresql';
	const versions = fs.existsSync(root)
		? fs
				.readdirSync(root)
				.filter((version) => fs.existsSync(path.join(root, version, 'bin', 'postgres')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (versions.length === 0) {
		throw new Error(
			"PostgreSQL's server is not installed (apt-get install postgresql): queue mode needs it",
		);
	}
	return path.join(root, versions[0], 'bin');
}

function requireCommand(name, pkg) {
	const found = (process.env.PATH ?? '')
		.split(path.delimiter)
		.some((dir) => fs.existsSync(path.join(dir, name)));
	if (!found)
		throw new Error(`${name} is not installed (apt-get install ${pkg}): queue mode needs it`);
}

function service(command, args, logFile, options = {}) {
	const out = fs.openSync(logFile, 'a');
	const child = spawn(command, args, { stdio: ['ignore', out, out], ...options });
	return child;
}

/** A throwaway PostgreSQL cluster owned by the postgres user, trusting loopback connections. */
async function startPostgres(dir, port) {
	const PG_BIN = postgresBin();
	fs.mkdirSync(dir, { recursive: true });
	execFileSync('chown', ['postgres', dir]);
	execFileSync(
		'runuser',
		['-u', 'postgres', '--', `${PG_BIN}/initdb`, '-D', dir, '--auth=trust', '-U', 'postgres'],
		{
			stdio: 'ignore',
		},
	);
	const child = service(
		'runuser',
		[
			'-u',
			'postgres',
			'--',
			`${PG_BIN}/postgres`,
			'-D',
			dir,
			'-p',
			String(port),
			'-c',
			'listen_addresses=127.0.0.1',
			'-k',
			dir,
		],
		path.join(path.dirname(dir), 'postgres.log'),
	);
	await env.waitFor(
		async () => {
			execFileSync(`${PG_BIN}/pg_isready`, ['-h', '127.0.0.1', '-p', String(port)], {
				stdio: 'ignore',
			});
			return true;
		},
		30_000,
		'PostgreSQL',
	);
	execFileSync(
		`${PG_BIN}/psql`,
		['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-c', 'CREATE DATABASE n8n'],
		{
			stdio: 'ignore',
		},
	);
	return child;
}

async function startRedis(port, logFile) {
	const child = service(
		'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
		logFile,
	);
	await env.waitFor(
		async () => {
			execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'ignore' });
			return true;
		},
		30_000,
		'Redis',
	);
	return child;
}

/**
 * Webhook → Code (makes `count` items from `text`, a JS expression of `i` and the webhook's
 * `body`) → DeepSeek chat with `options`; the webhook answers with every item of the last node.
 */
function batchWorkflow({ id, webhookPath, count, text, options }) {
	const link = (from, to) => ({ [from]: { main: [[{ node: to, type: 'main', index: 0 }]] } });
	return {
		id,
		name: `MetaChat: queue-mode ${webhookPath}`,
		active: true,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: {
					httpMethod: 'POST',
					path: webhookPath,
					responseMode: 'lastNode',
					responseData: 'allEntries',
					options: {},
				},
			},
			{
				id: randomUUID(),
				name: 'Items',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: {
					jsCode: `const body = $input.first().json.body ?? {};\nreturn Array.from({ length: ${count} }, (_, i) => ({ json: { text: ${text} } }));`,
				},
			},
			{
				id: randomUUID(),
				name: 'DeepSeek',
				type: 'n8n-nodes-metachat.deepSeek',
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					operation: 'chat',
					model: { __rl: true, mode: 'list', value: 'deepseek-chat' },
					prompt: '={{ $json.text }}',
					options,
				},
				credentials: { metaChatApi: env.CREDENTIAL },
			},
		],
		connections: { ...link('Webhook', 'Items'), ...link('Items', 'DeepSeek') },
	};
}

const WORKFLOWS = {
	batch: batchWorkflow({
		id: 'mcQueueBatch01',
		webhookPath: 'metachat-batch',
		count: ITEMS,
		text: "'Article ' + (i + 1) + ' of the queue batch: figures for each quarter.'",
		options: { concurrency: 10 },
	}),
	// Default settings: the node's adaptive concurrency, no requests-per-minute cap.
	scale: batchWorkflow({
		id: 'mcQueueScale01',
		webhookPath: 'metachat-scale',
		count: RUN_ITEMS,
		text: "'Run ' + body.run + ' item ' + i + ' (execution ' + $execution.id + '): summarise the quarterly report.'",
		options: {},
	}),
};

/** The execution ids a worker's log says it `started` or `finished` ("Worker started execution N"). */
function loggedExecutions(logFile, what) {
	const text = fs.readFileSync(logFile, 'utf8');
	const pattern = new RegExp(`Worker ${what} execution (\\d+)`, 'g');
	return new Set([...text.matchAll(pattern)].map((match) => match[1]));
}

/**
 * PostgreSQL, Redis, a simulator (no failover URL) and n8n's main instance in queue mode, with this
 * package installed; `addWorker()` starts a worker (n8n's default concurrency of 10 executions).
 * Returns handles; `stop()` ends every process it started.
 */
async function startCluster({ bin, tarball, key, workers = 2 }) {
	postgresBin();
	requireCommand('redis-server', 'redis-server');
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'metachat-queue-'));
	fs.chmodSync(root, 0o755);
	const userFolder = path.join(root, 'n8n');
	const started = [];
	const stop = async () => {
		for (const child of started.reverse()) await env.stopChild(child);
	};
	try {
		await env.installCommunityPackage(userFolder, tarball);
		const [pgPort, redisPort, simPort, mainPort] = await Promise.all([
			env.freePort(),
			env.freePort(),
			env.freePort(),
			env.freeN8nPort(),
		]);
		started.push(await startPostgres(path.join(root, 'pg'), pgPort));
		started.push(await startRedis(redisPort, path.join(root, 'redis.log')));
		const sim = await env.startSimulatorProcess({
			port: simPort,
			name: 'primary',
			apiKey: key,
			extraArgs: ['--latency', '20'],
		});
		started.push(sim.child);

		const shared = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pgPort),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redisPort),
			N8N_ENCRYPTION_KEY: 'metachat-queue-mode-test-key',
		};
		const mainEnv = env.n8nEnvironment(userFolder, mainPort, shared);
		await env.importCredential(bin, mainEnv, {
			apiKey: key,
			baseUrl: sim.url,
			failoverBaseUrl: '',
		});
		await env.importWorkflows(bin, mainEnv, Object.values(WORKFLOWS));

		const mainLog = path.join(root, 'main.log');
		started.push(await env.startN8n(bin, mainEnv, { logFile: mainLog }));
		const cluster = {
			root,
			sim,
			mainUrl: `http://127.0.0.1:${mainPort}`,
			mainLog,
			/** @type {Array<{ index: number, child: import('child_process').ChildProcess, logFile: string }>} */
			workers: [],
			stop,
			async addWorker() {
				const index = cluster.workers.length + 1;
				const port = await env.freePort();
				const workerEnv = env.n8nEnvironment(userFolder, port, {
					...shared,
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(port),
					N8N_RUNNERS_BROKER_PORT: String(await env.freePort()),
				});
				const logFile = path.join(root, `worker-${index}.log`);
				const child = await env.startN8n(bin, workerEnv, {
					command: 'worker',
					logFile,
					waitReady: false,
				});
				started.push(child);
				await env.waitFor(
					async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok,
					120_000,
					`worker ${index}`,
				);
				const worker = { index, child, logFile };
				cluster.workers.push(worker);
				return worker;
			},
			/** How many executions each worker finished since `before` (a previous call's sets). */
			finishedBy(before = []) {
				return cluster.workers.map((worker, index) => {
					const now = loggedExecutions(worker.logFile, 'finished');
					return new Set([...now].filter((id) => !before[index]?.has(id)));
				});
			},
		};
		for (let i = 0; i < workers; i++) await cluster.addWorker();
		return cluster;
	} catch (error) {
		await stop();
		throw error;
	}
}

/** What a prompt ("Run r item i (execution e): …") says, as the simulator saw it or an answer quotes it. */
function promptOf(text) {
	const [, run, item, execution] = text.match(/Run (\d+) item (\d+) \(execution (\d+)\):/) ?? [];
	return { key: run === undefined ? undefined : `${run}/${item}`, execution };
}
const runItem = (text) => promptOf(text).key;

/**
 * Starts RUNS executions of the scale-out workflow at once (one webhook call each) and waits for
 * every answer: resolves with one `{ run, status, items?, text }` per run, the order they were sent.
 */
function startRuns(cluster, { timeoutMs = 600_000 } = {}) {
	return Promise.all(
		Array.from({ length: RUNS }, async (_, run) => {
			try {
				const response = await fetch(`${cluster.mainUrl}/webhook/metachat-scale`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ run }),
					signal: AbortSignal.timeout(timeoutMs),
				});
				const text = await response.text();
				const items = response.status === 200 ? JSON.parse(text) : undefined;
				return { run, status: response.status, items, text: text.slice(0, 300) };
			} catch (error) {
				return { run, status: 0, text: String(error.message ?? error) };
			}
		}),
	);
}

/** Asserts that a run's output has each of its RUN_ITEMS items exactly once, in order. */
function assertWholeRun(run, items) {
	assert.ok(Array.isArray(items), `run ${run}: no item list`);
	assert.equal(items.length, RUN_ITEMS, `run ${run}: ${items.length} items`);
	items.forEach((item, index) => {
		assert.equal(item.error, undefined, `run ${run} item ${index} failed: ${item.message}`);
		assert.equal(runItem(item.content ?? ''), `${run}/${index}`, `run ${run} item ${index}`);
	});
}

/**
 * Runs the scale-out workflow RUNS times at once and checks every run and every request; returns
 * what happened: wall time, the split over the workers, and the simulator's counts.
 */
async function scaleOutRound(cluster) {
	await control(cluster.sim, 'reset', {});
	const before = cluster.finishedBy();
	const begin = Date.now();
	const runs = await startRuns(cluster);
	const wallMs = Date.now() - begin;
	for (const { run, status, items, text } of runs) {
		assert.equal(status, 200, `run ${run}: HTTP ${status} ${text}`);
		assertWholeRun(run, items);
	}
	const requests = await chatRequests(cluster.sim);
	const answered = requests.filter((request) => request.status === 200);
	const keys = answered.map((request) => runItem(request.messages.at(-1).content));
	assert.equal(answered.length, RUNS * RUN_ITEMS, 'each item is answered exactly once');
	assert.equal(new Set(keys).size, RUNS * RUN_ITEMS);
	const split = cluster.finishedBy(before).map((ids) => ids.size);
	assert.equal(
		split.reduce((a, b) => a + b, 0),
		RUNS,
		`the workers logged ${split.join(' + ')} finished executions`,
	);
	// 429 answers per item: the node gives an item up after more than 30 of them.
	const refusals = new Map();
	for (const request of requests.filter((request) => request.status === 429)) {
		const key = runItem(request.messages.at(-1).content);
		refusals.set(key, (refusals.get(key) ?? 0) + 1);
	}
	return {
		wallMs,
		split,
		refused: [...refusals.values()].reduce((sum, count) => sum + count, 0),
		mostRefusedForAnItem: Math.max(0, ...refusals.values()),
		stats: await control(cluster.sim, 'stats'),
	};
}

/** The execution's run data as n8n stores it (the REST API's flatted string), parsed. */
function parseExecution(bin, execution) {
	const flatted = require(require.resolve('flatted', { paths: [path.dirname(bin)] }));
	return typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data;
}

/** Every execution of a workflow, with its status and its DeepSeek node's output (if any). */
async function executionsOf(cluster, bin, workflowId) {
	const { cookie } = await env.ownerSession(cluster.mainUrl);
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const list = await (
		await fetch(`${cluster.mainUrl}/rest/executions?filter=${filter}&limit=200`, {
			headers: { cookie },
		})
	).json();
	const results = [];
	for (const summary of list.data.results) {
		const full = (
			await (
				await fetch(`${cluster.mainUrl}/rest/executions/${summary.id}`, { headers: { cookie } })
			).json()
		).data;
		const data = parseExecution(bin, full);
		const runs = data?.resultData?.runData?.DeepSeek;
		results.push({
			id: String(summary.id),
			status: full.status,
			body: data?.resultData?.runData?.Webhook?.[0]?.data?.main?.[0]?.[0]?.json?.body,
			deepSeek: runs?.map((run) => run.data?.main?.[0] ?? null),
			error: data?.resultData?.error?.message,
		});
	}
	return results;
}

const startedExecutions = (worker) => loggedExecutions(worker.logFile, 'started');

/**
 * The kill check: RUNS executions at KILL_LATENCY_MS, worker 2 killed with SIGKILL as soon as
 * requests of its executions are in flight at the simulator. Returns what happened.
 */
async function killRound(cluster, bin, log) {
	const { sim } = cluster;
	const victim = cluster.workers[1];
	const earlier = new Set(
		(await executionsOf(cluster, bin, WORKFLOWS.scale.id)).map((execution) => execution.id),
	);
	await control(sim, 'reset', {});
	await control(sim, 'configure', { latencyMs: KILL_LATENCY_MS, maxConcurrency: 0 });
	const runsDone = startRuns(cluster, { timeoutMs: 300_000 });
	// Requests still unanswered (status 0) whose prompt names an execution the victim started.
	const victimInFlight = async () => {
		const ids = startedExecutions(victim);
		return (await chatRequests(sim)).filter(
			(request) =>
				request.status === 0 && ids.has(promptOf(request.messages.at(-1).content).execution),
		);
	};
	await env.waitFor(
		async () => (await victimInFlight()).length > 0,
		120_000,
		'requests of an execution on worker 2',
	);
	const inFlight = await victimInFlight();
	victim.child.kill('SIGKILL');
	const killedAt = Date.now();
	log(`    worker 2 killed (SIGKILL) with ${inFlight.length} requests of its executions in flight`);
	const runs = await runsDone;
	const waitedMs = Date.now() - killedAt;
	await control(sim, 'configure', { latencyMs: LATENCY_MS });
	const executions = (await executionsOf(cluster, bin, WORKFLOWS.scale.id)).filter(
		(execution) => !earlier.has(execution.id),
	);
	// Worker 1 survived: every other execution was taken by worker 2 (its last log lines may not
	// have been written before the kill).
	const survivor = startedExecutions(cluster.workers[0]);
	return { runs, executions, onSurvivor: (id) => survivor.has(id), waitedMs };
}

/**
 * Runs the queue-mode checks with run.js's reporter: the cluster starts once, the checks run in
 * turn, the kill last (it takes a worker away).
 */
async function checkQueueMode({ test, bin, tarball, key, log }) {
	let cluster;
	let failed = 0;
	const check = async (name, body) => {
		if (!(await test(name, body))) failed++;
	};
	await check('queue mode: PostgreSQL, Redis, a main instance and two workers start', async () => {
		cluster = await startCluster({ bin, tarball, key, workers: 2 });
	});
	const ready = () => assert.ok(cluster, 'the queue-mode cluster did not start');

	try {
		await check(
			'queue mode: main and two workers answer a 200-item batch exactly once, on a worker',
			async () => {
				ready();
				const begin = Date.now();
				const response = await fetch(`${cluster.mainUrl}/webhook/metachat-batch`, {
					method: 'POST',
				});
				const text = await response.text();
				assert.equal(response.status, 200, text.slice(0, 500));
				const items = JSON.parse(text);
				log(`    ${ITEMS} items through a worker in ${Date.now() - begin} ms`);
				assert.equal(items.length, ITEMS);
				items.forEach((item, index) => {
					assert.match(item.content, new RegExp(`Article ${index + 1} of the queue batch`));
					assert.equal(item.endpoint, 'primary');
				});

				const prompts = (await chatRequests(cluster.sim)).map(
					(request) => request.messages.at(-1).content,
				);
				assert.equal(prompts.length, ITEMS, 'each item is sent exactly once');
				assert.equal(new Set(prompts).size, ITEMS);

				const ranOn = cluster.finishedBy().filter((ids) => ids.size > 0);
				assert.ok(ranOn.length >= 1, 'no worker logged the execution');
				assert.doesNotMatch(fs.readFileSync(cluster.mainLog, 'utf8'), /Worker finished execution/);
			},
		);

		await check(
			`queue mode, scale-out: ${RUNS} executions of ${RUN_ITEMS} items at once, every item once, both workers busy`,
			async () => {
				ready();
				await control(cluster.sim, 'configure', { latencyMs: LATENCY_MS });
				const { wallMs, split, stats } = await scaleOutRound(cluster);
				log(
					`    ${RUNS} × ${RUN_ITEMS} items in ${wallMs} ms; executions per worker ${split.join(' / ')}; peak ${stats.maxInFlight} requests in flight`,
				);
				assert.ok(
					split.every((count) => count > 0),
					`one worker did no work: ${split.join(' / ')}`,
				);
			},
		);

		await check(
			`queue mode, one key: ${KEY_CONCURRENCY} requests at a time for two workers at default settings, no item fails`,
			async () => {
				ready();
				await control(cluster.sim, 'configure', {
					latencyMs: LATENCY_MS,
					maxConcurrency: KEY_CONCURRENCY,
				});
				try {
					const { wallMs, split, refused, mostRefusedForAnItem } = await scaleOutRound(cluster);
					log(
						`    ${RUNS} × ${RUN_ITEMS} items in ${wallMs} ms, ${refused} answers 429 (at most ${mostRefusedForAnItem} for one item); executions per worker ${split.join(' / ')}`,
					);
				} finally {
					await control(cluster.sim, 'configure', { maxConcurrency: 0 });
				}
			},
		);

		await check(
			'queue mode, a worker killed mid-batch: no execution lost or half-written by the node',
			async () => {
				ready();
				const { runs, executions, onSurvivor, waitedMs } = await killRound(cluster, bin, log);
				assert.equal(executions.length, RUNS, `n8n stored ${executions.length} executions`);
				const byStatus = {};
				for (const execution of executions) {
					const where = onSurvivor(execution.id) ? 'worker 1' : 'worker 2, killed';
					const status = `${execution.status} (${where})`;
					byStatus[status] = (byStatus[status] ?? 0) + 1;
					const outputs = (execution.deepSeek ?? []).filter(Boolean);
					if (execution.status === 'success') {
						// Completed: each item once in its output.
						assert.equal(outputs.length, 1, `execution ${execution.id}: ${outputs.length} outputs`);
						assertWholeRun(
							execution.body.run,
							outputs[0].map((item) => item.json),
						);
					} else {
						// Ended as n8n reports it, with no partial DeepSeek output stored.
						assert.deepEqual(outputs, [], `execution ${execution.id} holds a DeepSeek output`);
					}
				}
				const answered = runs.filter((run) => run.status === 200);
				for (const { run, items } of answered) assertWholeRun(run, items);
				const counts = new Map();
				for (const request of await chatRequests(cluster.sim)) {
					const { key } = promptOf(request.messages.at(-1).content);
					counts.set(key, (counts.get(key) ?? 0) + 1);
				}
				const sent = [...counts.values()].reduce((sum, count) => sum + count, 0);
				const failed = executions.find((execution) => execution.status !== 'success');
				log(
					`    executions: ${JSON.stringify(byStatus)}; n8n's error: ${failed ? (failed.error ?? '(none in its run data)') : 'none'}`,
				);
				log(
					`    webhook answers: ${answered.length} × 200, ${runs.length - answered.length} × ${[...new Set(runs.filter((run) => run.status !== 200).map((run) => run.status))].join('/') || '-'}; the last ${Math.round(waitedMs / 1000)} s after the kill`,
				);
				log(
					`    simulator: ${sent} requests for ${counts.size} items, ${sent - counts.size} duplicates`,
				);
			},
		);

		await check(
			'queue mode: the API key appears in no log of the main instance or the workers',
			async () => {
				ready();
				for (const file of [cluster.mainLog, ...cluster.workers.map((worker) => worker.logFile)]) {
					assert.ok(
						!fs.readFileSync(file, 'utf8').includes(key),
						`${path.basename(file)} holds the API key`,
					);
				}
			},
		);
	} finally {
		if (cluster) await cluster.stop();
	}
	if (cluster && failed === 0) fs.rmSync(cluster.root, { recursive: true, force: true });
	else if (cluster) log(`    queue-mode logs are kept in ${cluster.root}`);
}

module.exports = {
	checkQueueMode,
	startCluster,
	scaleOutRound,
	RUNS,
	RUN_ITEMS,
	KEY_CONCURRENCY,
	LATENCY_MS,
};
