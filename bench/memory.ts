/**
 * Runs N items in a fresh process, through the node (mode "node") or as bare openai SDK calls
 * (mode "sdk"), or N items with a 5 MiB image each through the node at its default concurrency,
 * sent (mode "images") or not (mode "no-images"), and prints the peak RSS and what is still held
 * after a full GC, as JSON.
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

const IMAGE_BYTES = 5 * 1024 * 1024;

/**
 * Every item holds a 5 MiB PNG (one string shared by all, so the input itself stays small); with
 * `send` the node attaches it (Images > Binary Properties), without it the same items go as text.
 */
async function throughNodeWithImages(send: boolean) {
	const png = Buffer.alloc(IMAGE_BYTES);
	Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png);
	const data = png.toString('base64');
	const result = await runWorkflow({
		nodeTypes: { 'n8n-nodes-metachat.deepSeek': new DeepSeek() },
		credentialTypes: { metaChatApi: new MetaChatApi() },
		credentials: { metaChatApi: { apiKey: KEY, baseUrl: url, failoverBaseUrl: '' } },
		items: Array.from({ length: count }, (_, index) => ({
			json: { text: `Item ${index}: what is on this receipt?` },
			binary: { data: { data, mimeType: 'image/png', fileName: `receipt-${index}.png` } },
		})),
		nodes: [
			{
				name: 'DeepSeek',
				type: 'n8n-nodes-metachat.deepSeek',
				typeVersion: 2,
				parameters: {
					operation: 'chat',
					model: { __rl: true, mode: 'id', value: 'deepseek-flash' },
					prompt: '={{ $json.text }}',
					...(send && { images: { binaryProperties: 'data' } }),
				},
				credentials: { metaChatApi: { id: '1', name: 'MetaChat' } },
			},
		],
		timeoutMs: 600_000,
	});
	const output = result.output('DeepSeek');
	const proved = output.filter((item) =>
		String(item.json.content).includes(`png ${IMAGE_BYTES} bytes`),
	);
	if (
		result.status !== 'success' ||
		output.length !== count ||
		proved.length !== (send ? count : 0)
	) {
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
	const held =
		mode === 'sdk'
			? await bareSdk()
			: mode === 'images' || mode === 'no-images'
				? await throughNodeWithImages(mode === 'images')
				: await throughNode();
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
