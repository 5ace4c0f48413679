/**
 * `npm run bench`: the node through n8n's engine against local MetaChat simulators, compared in
 * one run with bare openai SDK calls and with the ideal. Prints figures; asserts nothing.
 */
import { spawn } from 'child_process';
import OpenAI from 'openai';
import path from 'path';

import type { IDataObject, IVersionedNodeType } from 'n8n-workflow';

import { runWorkflow } from '../test/harness';
import { aiNodesAvailable, loadAiNode, N8N_MODULES } from '../test/workflow/aiNodes';

// Measure the built package, as n8n loads it.
const { DeepSeek } =
	require('../dist/nodes/DeepSeek/DeepSeek.node.js') as typeof import('../nodes/DeepSeek/DeepSeek.node');
const { MetaChatApi } =
	require('../dist/credentials/MetaChatApi.credentials.js') as typeof import('../credentials/MetaChatApi.credentials');
import { refusedUrl, startSimulator } from '../test/simulator/simulator';
import { agentComparison } from './agent';
import { scaleOut, scaleOutMissing } from './scaleOut';
import { planSections } from './sections';

const KEY = 'sk-bench-0123456789';
const NODE_TYPE = 'n8n-nodes-metachat.deepSeek';
const quick = process.argv.includes('--quick');
/** `npm run bench -- --only=defaults` runs one section. */
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);

type Sim = Awaited<ReturnType<typeof startSimulator>>;

function runNode(
	primaryUrl: string,
	backupUrl: string,
	count: number,
	parameters: IDataObject,
	{ streaming = false, continueOnFail = false } = {},
) {
	return runWorkflow({
		nodeTypes: { [NODE_TYPE]: new DeepSeek() },
		credentialTypes: { metaChatApi: new MetaChatApi() },
		credentials: { metaChatApi: { apiKey: KEY, baseUrl: primaryUrl, failoverBaseUrl: backupUrl } },
		items: Array.from({ length: count }, (_, index) => ({
			json: { text: `Item ${index}: summarise the quarterly report for the board.` },
		})),
		nodes: [
			{
				name: 'DeepSeek',
				type: NODE_TYPE,
				typeVersion: 1,
				parameters: {
					operation: 'chat',
					model: { __rl: true, mode: 'id', value: 'deepseek-chat' },
					prompt: 'Summarise the quarterly report for the board.',
					...(parameters as object),
				},
				credentials: { metaChatApi: { id: '1', name: 'MetaChat' } },
				// On Error: Continue, where a failed item is to be counted, not fatal.
				...(continueOnFail && { onError: 'continueRegularOutput' as const }),
			},
		],
		streaming,
		timeoutMs: 600_000,
	});
}

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
	const started = performance.now();
	const result = await work();
	return [performance.now() - started, result];
}

function check(result: Awaited<ReturnType<typeof runNode>>, count: number, endpoint?: string) {
	const output = result.output('DeepSeek');
	if (result.status !== 'success' || output.length !== count) {
		throw new Error(
			`run failed: ${result.status} ${result.error?.message ?? ''} (${output.length} items)`,
		);
	}
	if (endpoint && output.some((item) => item.json.endpoint !== endpoint)) {
		throw new Error(`expected every item from ${endpoint}`);
	}
}

const rows: string[][] = [];
function row(...cells: Array<string | number>) {
	const line = cells.map(String);
	rows.push(line);
	console.log(line.join(' | '));
}
const ms = (value: number) => `${value.toFixed(Math.abs(value) < 10 ? 2 : 0)} ms`;
const added = (value: number) => `${value >= 0 ? '+' : '−'}${ms(Math.abs(value))} per item`;

async function concurrency(sim: Sim) {
	const items = quick ? 40 : 200;
	const latency = 200;
	sim.configure({ latencyMs: latency });
	for (const c of quick ? [1, 10] : [1, 5, 10, 20]) {
		const [wall, result] = await timed(() =>
			runNode(sim.url, '', items, { options: { concurrency: c } }),
		);
		check(result, items, 'primary');
		const ideal = Math.ceil(items / c) * latency;
		row(
			`${items} items at ${latency} ms, concurrency ${c}`,
			ms(wall),
			`ideal ${ms(ideal)}`,
			`${(ideal / wall).toFixed(3)} of ideal`,
		);
	}
	sim.configure({ latencyMs: 0 });
}

/** n8n's built-in OpenAI node ("Message a Model", chat completions) from the n8n install e2e uses. */
function builtInOpenAi(simUrl: string) {
	if (!aiNodesAvailable) return undefined;
	const openAi = loadAiNode('vendors/OpenAi/OpenAi.node.js', 'OpenAi') as IVersionedNodeType;
	const { OpenAiApi } = require(
		path.join(N8N_MODULES, 'n8n-nodes-base/dist/credentials/OpenAiApi.credentials.js'),
	);
	const type = '@n8n/n8n-nodes-langchain.openAi';
	return (count: number) =>
		runWorkflow({
			// The harness resolves no versions: hand it the version the workflow uses.
			nodeTypes: { [type]: openAi.nodeVersions[1.8] },
			credentialTypes: { openAiApi: new OpenAiApi() },
			credentials: { openAiApi: { apiKey: KEY, url: simUrl } },
			items: Array.from({ length: count }, (_, index) => ({
				json: { text: `Item ${index}: summarise the quarterly report for the board.` },
			})),
			nodes: [
				{
					name: 'OpenAI',
					type,
					typeVersion: 1.8,
					parameters: {
						resource: 'text',
						operation: 'message',
						modelId: { __rl: true, mode: 'id', value: 'deepseek-chat' },
						messages: { values: [{ content: '={{ $json.text }}' }] },
					},
					credentials: { openAiApi: { id: '1', name: 'OpenAI' } },
				},
			],
			timeoutMs: 600_000,
		});
}

/** The issue-12 figures: default settings against n8n's OpenAI node and everything at once. */
async function defaults(sim: Sim) {
	const items = quick ? 40 : 100;
	const latency = 200;
	sim.configure({ latencyMs: latency });
	const [sequential, sequentialResult] = await timed(() =>
		runNode(sim.url, '', items, { options: { concurrency: 1 } }),
	);
	check(sequentialResult, items, 'primary');
	const [adaptive, adaptiveResult] = await timed(() => runNode(sim.url, '', items, {}));
	check(adaptiveResult, items, 'primary');
	const builtIn = builtInOpenAi(sim.url);
	if (builtIn) {
		const [wall, result] = await timed(() => builtIn(items));
		if (result.status !== 'success' || result.output('OpenAI').length !== items) {
			throw new Error(`n8n's OpenAI node failed: ${result.error?.message ?? result.status}`);
		}
		row(
			`${items} items at ${latency} ms through n8n's built-in OpenAI node (v1.8, Message a Model)`,
			ms(wall),
			`this node at default settings: ${(wall / adaptive).toFixed(1)}× faster`,
		);
	}
	const client = new OpenAI({ apiKey: KEY, baseURL: sim.url, maxRetries: 0 });
	const [allAtOnce] = await timed(() =>
		Promise.all(
			Array.from({ length: items }, () =>
				client.chat.completions.create({
					model: 'deepseek-chat',
					messages: [{ role: 'user', content: 'Summarise the quarterly report for the board.' }],
				}),
			),
		),
	);
	row(
		`${items} items at ${latency} ms, default settings`,
		ms(adaptive),
		`${(sequential / adaptive).toFixed(1)}× one item at a time (${ms(sequential)}, as n8n's OpenAI node sends them)`,
		`all at once as bare SDK calls (as the HTTP Request node): ${ms(allAtOnce)}`,
	);

	sim.configure({ latencyMs: 0 });
	for (const limit of [3, 8]) {
		const limited = await startSimulator({
			name: 'limited',
			apiKey: KEY,
			latencyMs: latency,
			maxConcurrency: limit,
		});
		const [wall, result] = await timed(() =>
			runNode(limited.url, '', items, {}, { continueOnFail: true }),
		);
		const output = result.output('DeepSeek');
		const failed = output.filter((item) => item.json.error).length;
		const refused = limited.requests.filter((request) => request.status === 429).length;
		await limited.close();
		row(
			`… a key allowed ${limit} requests at a time (429 above), default settings`,
			ms(wall),
			`${output.length - failed} of ${items} answered, ${failed} failed`,
			`${refused} answers 429; ideal ${ms(Math.ceil(items / limit) * latency)}`,
		);
	}
}

/**
 * What a new connection per request costs. n8n's request helpers build new HTTP agents for every
 * request, so each request of this node opens its own connection; the bare SDK keeps connections
 * alive. The simulator's connectionDelayMs holds the first answer on each new connection, standing
 * for TCP and TLS set-up to a distant server.
 */
async function connections(sim: Sim) {
	const items = quick ? 40 : 100;
	const latency = 200;
	const builtIn = builtInOpenAi(sim.url);
	const body = {
		model: 'deepseek-chat',
		messages: [{ role: 'user' as const, content: 'Summarise the quarterly report for the board.' }],
	};
	/** Bare SDK calls, 16 at a time (the node's starting concurrency), on kept-alive connections. */
	const bare = async () => {
		const client = new OpenAI({ apiKey: KEY, baseURL: sim.url, maxRetries: 0 });
		let next = 0;
		const worker = async () => {
			while (next++ < items) await client.chat.completions.create(body);
		};
		await Promise.all(Array.from({ length: 16 }, worker));
	};
	for (const delay of [0, 300]) {
		sim.configure({ latencyMs: latency, connectionDelayMs: delay });
		const measure = async (name: string, work: () => Promise<unknown>) => {
			// Node's fetch keeps connections in one pool for the process: start each one from none.
			sim.closeIdleConnections();
			const before = sim.stats().connections;
			const [wall] = await timed(work);
			row(
				`${items} items at ${latency} ms, ${delay} ms per new connection: ${name}`,
				ms(wall),
				`${sim.stats().connections - before} connections opened`,
			);
		};
		await measure("this node (n8n's request helpers), default settings", async () =>
			check(await runNode(sim.url, '', items, {}), items, 'primary'),
		);
		await measure('bare openai SDK, 16 at a time', bare);
		if (builtIn) {
			await measure("n8n's built-in OpenAI node", async () => {
				const result = await builtIn(items);
				if (result.output('OpenAI').length !== items) throw new Error('OpenAI node failed');
			});
		}
	}
	sim.configure({ latencyMs: 0, connectionDelayMs: 0 });
}

async function overhead(sim: Sim) {
	const items = quick ? 300 : 2000;
	const client = new OpenAI({ apiKey: KEY, baseURL: sim.url, maxRetries: 0 });
	const body = {
		model: 'deepseek-chat',
		messages: [{ role: 'user' as const, content: 'Summarise the quarterly report for the board.' }],
	};
	const bareStream = async () => {
		for (let i = 0; i < items; i++) {
			const stream = await client.chat.completions.create({
				...body,
				stream: true,
				stream_options: { include_usage: true },
			});
			for await (const chunk of stream) void chunk;
		}
	};
	const bareJson = async () => {
		for (let i = 0; i < items; i++) await client.chat.completions.create(body);
	};
	// Warm both paths up, then measure in alternation so machine noise hits both alike.
	await bareStream();
	check(await runNode(sim.url, '', 50, { options: { concurrency: 1 } }), 50);
	const samples = { node: [] as number[], stream: [] as number[], json: [] as number[] };
	for (let round = 0; round < 3; round++) {
		samples.stream.push((await timed(bareStream))[0] / items);
		samples.json.push((await timed(bareJson))[0] / items);
		const [wall, result] = await timed(() =>
			runNode(sim.url, '', items, { options: { concurrency: 1 } }),
		);
		check(result, items);
		samples.node.push(wall / items);
	}
	const best = (values: number[]) => Math.min(...values);
	row(`bare SDK, streamed, per item (best of 3, ${items} items)`, ms(best(samples.stream)));
	row(`bare SDK, not streamed, per item`, ms(best(samples.json)));
	row(`node through n8n's engine, per item`, ms(best(samples.node)));
	row(
		`node overhead over bare streamed SDK calls`,
		ms(best(samples.node) - best(samples.stream)),
		'target < 2 ms',
	);
}

async function failover(primary: Sim, backup: Sim) {
	const items = quick ? 20 : 100;
	const [direct, directResult] = await timed(() =>
		runNode(backup.url, '', items, { options: { concurrency: 1 } }),
	);
	check(directResult, items);
	const closed = await refusedUrl();
	const [refused, refusedResult] = await timed(() =>
		runNode(closed, backup.url, items, { options: { concurrency: 1 } }),
	);
	check(refusedResult, items, 'failover');
	row(
		`primary refusing connections, ${items} items`,
		added((refused - direct) / items),
		'target < 50 ms',
	);

	primary.setFault({ type: 'hang' });
	const timeout = 2000;
	const [hungFirst, hungResult] = await timed(() =>
		runNode(primary.url, backup.url, 1, { options: { timeout, concurrency: 1 } }),
	);
	check(hungResult, 1, 'failover');
	row(
		`primary hanging, Timeout ${timeout} ms: first item`,
		ms(hungFirst),
		`bounded by the timeout`,
	);
	const [hungRest, hungRestResult] = await timed(() =>
		runNode(primary.url, backup.url, items, { options: { timeout, concurrency: 1 } }),
	);
	check(hungRestResult, items, 'failover');
	row(
		`primary hanging: the next ${items} items (breaker open)`,
		added((hungRest - direct) / items),
	);
	primary.setFault(null);
}

async function streaming(sim: Sim) {
	sim.configure({ replyTokens: 500, tokenDelayMs: 2, latencyMs: 300 });
	const result = await runNode(sim.url, '', 1, {}, { streaming: true });
	check(result, 1);
	const items = result.chunks.filter((chunk) => chunk.type === 'item');
	const first = items[0].receivedAt - result.startedAt;
	const last = result.chunks.at(-1)!.receivedAt - result.startedAt;
	row('500-token reply streamed to a webhook: first token', ms(first), `full answer ${ms(last)}`);
	sim.configure({ replyTokens: undefined, tokenDelayMs: 0, latencyMs: 0 });
}

function memoryRun(sim: Sim, items: number, mode: 'node' | 'sdk' | 'images' | 'no-images') {
	return new Promise<{ baseline: number; peak: number; retainedHeap: number; seconds: number }>(
		(resolve, reject) => {
			const child = spawn(
				process.execPath,
				[
					'--expose-gc',
					'--import',
					'tsx',
					path.join(__dirname, 'memory.ts'),
					sim.url,
					String(items),
					mode,
				],
				{ stdio: ['ignore', 'pipe', 'inherit'] },
			);
			let out = '';
			child.stdout.on('data', (data) => (out += data));
			child.on('exit', (code) => {
				if (code !== 0) return reject(new Error(`memory run exited ${code}`));
				resolve(JSON.parse(out.trim().split('\n').at(-1)!));
			});
		},
	);
}

async function memory(sim: Sim) {
	const items = quick ? 1000 : 5000;
	const node = await memoryRun(sim, items, 'node');
	const sdk = await memoryRun(sim, items, 'sdk');
	row(
		`peak RSS for ${items} items through the node (whole process)`,
		`${node.peak} MB`,
		`at start ${node.baseline} MB; heap held after GC ${node.retainedHeap} MB`,
		'target < 300 MB',
	);
	row(
		`the same ${items} requests as bare SDK calls`,
		`${sdk.peak} MB`,
		`at start ${sdk.baseline} MB; heap held after GC ${sdk.retainedHeap} MB`,
	);
}

/**
 * 100 items with a 5 MiB image each at the node's default concurrency, beside the same items
 * sent without their images: the peak RSS of each run's process and their ratio. The simulator
 * keeps no request log here, so its own memory stays out of the way (it runs in this process).
 */
async function images() {
	const items = 100;
	const sim = await startSimulator({ name: 'images', apiKey: KEY, maxLog: 1 });
	try {
		const without = await memoryRun(sim, items, 'no-images');
		const sent = await memoryRun(sim, items, 'images');
		row(
			`peak RSS for ${items} items with a 5 MiB image each, default concurrency`,
			`${sent.peak} MB`,
			`without sending the images ${without.peak} MB (×${(sent.peak / without.peak).toFixed(2)}); at start ${sent.baseline} MB`,
			`heap held after GC ${sent.retainedHeap} MB (without ${without.retainedHeap} MB)`,
		);
	} finally {
		await sim.close();
	}
}

async function main() {
	const skipped: string[] = [];
	const failed: string[] = [];
	const primary = await startSimulator({ name: 'primary', apiKey: KEY, maxLog: 100 });
	const backup = await startSimulator({ name: 'backup', apiKey: KEY, maxLog: 100 });
	console.log(`n8n-nodes-metachat benchmark${quick ? ' (quick)' : ''}, Node ${process.version}\n`);
	try {
		const sections: Record<string, () => Promise<void>> = {
			defaults: () => defaults(primary),
			concurrency: () => concurrency(primary),
			connections: () => connections(primary),
			overhead: () => overhead(primary),
			failover: () => failover(primary, backup),
			streaming: () => streaming(primary),
			memory: () => memory(primary),
			images,
			agent: async () => {
				for (const cells of await agentComparison(primary, quick)) row(...cells);
			},
			scaleOut: async () => {
				for (const cells of await scaleOut(quick)) row(...cells);
			},
		};
		const plan = planSections(Object.keys(sections), only, {
			agent: aiNodesAvailable
				? undefined
				: "n8n's AI nodes are not installed (run npm run test:e2e once)",
			scaleOut: scaleOutMissing(),
		});
		if ('error' in plan) throw new Error(plan.error);
		for (const { name, reason } of plan.skipped) {
			console.log(`skipped ${name}: ${reason}`);
			skipped.push(`${name} (${reason})`);
		}
		for (const name of plan.run) {
			try {
				await sections[name]();
			} catch (error) {
				// One section's failure leaves the others to run; the run still fails at the end.
				console.error(`section ${name} failed:`, error);
				failed.push(name);
			}
		}
	} finally {
		await primary.close();
		await backup.close();
	}
	console.log('\n| measure | figure | | |\n|---|---|---|---|');
	for (const cells of rows) console.log(`| ${[...cells, '', '', ''].slice(0, 4).join(' | ')} |`);
	if (skipped.length > 0) console.log(`\nskipped: ${skipped.join('; ')}`);
	if (failed.length > 0) {
		console.error(`\nfailed: ${failed.join(', ')}`);
		process.exitCode = 1;
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
