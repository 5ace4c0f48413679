/**
 * Runs N items in a fresh process, through the node (mode "node") or as bare openai SDK calls
 * (mode "sdk"), and prints the peak RSS and what is still held after a full GC, as JSON.
 * Started by run.ts with --expose-gc.
 */
import OpenAI from 'openai';

import { runWorkflow } from '../test/harness';

// Measure the built package, as n8n loads it.
const { DeepSeek } =
	require('../dist/nodes/DeepSeek/DeepSeek.node.js') as typeof import('../nodes/DeepSeek/DeepSeek.node');
const { MetaChatApi } =
	require('../dist/credentials/MetaChatApi.credentials.js') as typeof import('../credentials/MetaChatApi.credentials');

const [url, count, mode] = [
	process.argv[2],
	Number(process.argv[3] ?? 5000),
	process.argv[4] ?? 'node',
];
const KEY = 'sk-bench-0123456789';
const CONCURRENCY = 10;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const text = (index: number) => `Item ${index}: ${'a quarterly report sentence. '.repeat(20)}`;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

async function throughNode() {
	const result = await runWorkflow({
		nodeTypes: { 'n8n-nodes-metachat.deepSeek': new DeepSeek() },
		credentialTypes: { metaChatApi: new MetaChatApi() },
		credentials: { metaChatApi: { apiKey: KEY, baseUrl: url, failoverBaseUrl: '' } },
		items: Array.from({ length: count }, (_, index) => ({ json: { text: text(index) } })),
		nodes: [
			{
				name: 'DeepSeek',
				type: 'n8n-nodes-metachat.deepSeek',
				typeVersion: 1,
				parameters: {
					operation: 'chat',
					model: { __rl: true, mode: 'id', value: 'deepseek-chat' },
					prompt: '={{ $json.text }}',
					options: { concurrency: CONCURRENCY },
				},
				credentials: { metaChatApi: { id: '1', name: 'MetaChat' } },
			},
		],
		timeoutMs: 600_000,
	});
	if (result.status !== 'success' || result.output('DeepSeek').length !== count) {
		throw new Error(`run failed: ${result.status} ${result.error?.message ?? ''}`);
	}
	return result;
}

async function bareSdk() {
	const client = new OpenAI({ apiKey: KEY, baseURL: url, maxRetries: 0 });
	const answers: string[] = new Array(count);
	let next = 0;
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (next < count) {
				const index = next++;
				const stream = await client.chat.completions.create({
					model: 'deepseek-chat',
					stream: true,
					messages: [{ role: 'user', content: text(index) }],
				});
				let answer = '';
				for await (const chunk of stream) answer += chunk.choices[0]?.delta?.content ?? '';
				answers[index] = answer;
			}
		}),
	);
	return answers;
}

async function main() {
	gc();
	const baseline = process.memoryUsage().rss;
	let peak = baseline;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
	const started = Date.now();
	const held = mode === 'sdk' ? await bareSdk() : await throughNode();
	clearInterval(sampler);
	peak = Math.max(peak, process.memoryUsage().rss);
	gc();
	const retainedHeap = process.memoryUsage().heapUsed;
	console.log(
		JSON.stringify({
			baseline: mb(baseline),
			peak: mb(peak),
			retainedHeap: mb(retainedHeap),
			seconds: (Date.now() - started) / 1000,
			held: Boolean(held),
		}),
	);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
