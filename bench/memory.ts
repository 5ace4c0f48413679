/** Runs N items through the node in a fresh process and prints its peak RSS as JSON. */
import { MetaChatApi } from '../credentials/MetaChatApi.credentials';
import { DeepSeek } from '../nodes/DeepSeek/DeepSeek.node';
import { runWorkflow } from '../test/harness';

const [url, count] = [process.argv[2], Number(process.argv[3] ?? 5000)];
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function main() {
	const baseline = process.memoryUsage().rss;
	let peak = baseline;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
	const started = Date.now();
	const result = await runWorkflow({
		nodeTypes: { 'n8n-nodes-metachat.deepSeek': new DeepSeek() },
		credentialTypes: { metaChatApi: new MetaChatApi() },
		credentials: {
			metaChatApi: { apiKey: 'sk-bench-0123456789', baseUrl: url, failoverBaseUrl: '' },
		},
		items: Array.from({ length: count }, (_, index) => ({
			json: { text: `Item ${index}: ${'a quarterly report sentence. '.repeat(20)}` },
		})),
		nodes: [
			{
				name: 'DeepSeek',
				type: 'n8n-nodes-metachat.deepSeek',
				typeVersion: 1,
				parameters: {
					operation: 'chat',
					model: { __rl: true, mode: 'id', value: 'deepseek-chat' },
					prompt: '={{ $json.text }}',
					options: { concurrency: 10 },
				},
				credentials: { metaChatApi: { id: '1', name: 'MetaChat' } },
			},
		],
		timeoutMs: 600_000,
	});
	clearInterval(sampler);
	peak = Math.max(peak, process.memoryUsage().rss);
	if (result.status !== 'success' || result.output('DeepSeek').length !== count) {
		throw new Error(`run failed: ${result.status} ${result.error?.message ?? ''}`);
	}
	console.log(
		JSON.stringify({
			baseline: mb(baseline),
			peak: mb(peak),
			seconds: (Date.now() - started) / 1000,
		}),
	);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
