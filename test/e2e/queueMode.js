// n8n in queue mode, as it runs at scale: PostgreSQL and Redis (Debian's packages, started here on
// loopback), one main instance and two workers. A webhook-triggered batch of 200 items must be
// answered exactly once per item, and the execution must have run on a worker.
'use strict';

const assert = require('assert/strict');
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const env = require('../../scripts/n8nEnv');

const ITEMS = 200;

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

function batchWorkflow() {
	const credentials = { metaChatApi: env.CREDENTIAL };
	const link = (from, to) => ({ [from]: { main: [[{ node: to, type: 'main', index: 0 }]] } });
	return {
		id: 'mcQueueBatch01',
		name: 'MetaChat: queue-mode batch',
		active: true,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'd1000000-0000-4000-8000-000000000001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'd1000000-0000-4000-8000-00000000000a',
				parameters: {
					httpMethod: 'POST',
					path: 'metachat-batch',
					responseMode: 'lastNode',
					responseData: 'allEntries',
					options: {},
				},
			},
			{
				id: 'd1000000-0000-4000-8000-000000000002',
				name: 'Articles',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: {
					jsCode: `return Array.from({ length: ${ITEMS} }, (_, i) => ({ json: { text: 'Article ' + (i + 1) + ' of the queue batch: figures for each quarter.' } }));`,
				},
			},
			{
				id: 'd1000000-0000-4000-8000-000000000003',
				name: 'DeepSeek',
				type: 'n8n-nodes-metachat.deepSeek',
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					operation: 'chat',
					model: { __rl: true, mode: 'list', value: 'deepseek-chat' },
					prompt: '={{ $json.text }}',
					options: { concurrency: 10 },
				},
				credentials,
			},
		],
		connections: { ...link('Webhook', 'Articles'), ...link('Articles', 'DeepSeek') },
	};
}

/** Runs the queue-mode check; returns nothing, throws on failure. */
async function checkQueueMode({ bin, tarball, key, log }) {
	postgresBin();
	requireCommand('redis-server', 'redis-server');
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'metachat-queue-'));
	fs.chmodSync(root, 0o755);
	const userFolder = path.join(root, 'n8n');
	const started = [];
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
		await env.importWorkflows(bin, mainEnv, [batchWorkflow()]);

		const main = await env.startN8n(bin, mainEnv, { logFile: path.join(root, 'main.log') });
		started.push(main);
		const workerLogs = [];
		for (const index of [1, 2]) {
			const port = await env.freePort();
			const workerEnv = env.n8nEnvironment(userFolder, port, {
				...shared,
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(port),
				N8N_RUNNERS_BROKER_PORT: String(await env.freePort()),
			});
			const logFile = path.join(root, `worker-${index}.log`);
			workerLogs.push(logFile);
			const worker = await env.startN8n(bin, workerEnv, {
				command: 'worker',
				logFile,
				waitReady: false,
			});
			started.push(worker);
			await env.waitFor(
				async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok,
				120_000,
				`worker ${index}`,
			);
		}

		const begin = Date.now();
		const response = await fetch(`http://127.0.0.1:${mainPort}/webhook/metachat-batch`, {
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

		const requests = await (await fetch(`${sim.control}/requests`)).json();
		const prompts = requests
			.filter((request) => request.path === '/v1/chat/completions')
			.map((request) => request.messages.at(-1).content);
		assert.equal(prompts.length, ITEMS, 'each item is sent exactly once');
		assert.equal(new Set(prompts).size, ITEMS);

		const ranOn = workerLogs.filter((file) =>
			/Worker finished execution/.test(fs.readFileSync(file, 'utf8')),
		);
		assert.ok(ranOn.length >= 1, 'no worker logged the execution');
		assert.doesNotMatch(
			fs.readFileSync(path.join(root, 'main.log'), 'utf8'),
			/Worker finished execution/,
		);
		for (const file of [path.join(root, 'main.log'), ...workerLogs]) {
			assert.ok(
				!fs.readFileSync(file, 'utf8').includes(key),
				`${path.basename(file)} holds the API key`,
			);
		}
	} finally {
		for (const child of started.reverse()) await env.stopChild(child);
	}
	fs.rmSync(root, { recursive: true, force: true });
}

module.exports = { checkQueueMode };
