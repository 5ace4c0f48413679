/**
 * The AI Agent with the MetaChat DeepSeek Chat Model against the same agent with n8n's built-in
 * OpenAI Chat Model (Base URL pointed at the simulator), for a tool-less question: time per call
 * (AI Agent 2.2) and time to the first streamed token (3.1). Prints figures; asserts nothing.
 */
import type { INode, INodeExecutionData, INodeType, IVersionedNodeType } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runWorkflow } from '../test/harness';
import { aiNodesAvailable, LC, loadAiNode } from '../test/workflow/aiNodes';
import type { startSimulator } from '../test/simulator/simulator';

// Measure the built package, as n8n loads it.
const { LmChatDeepSeek } =
	require('../dist/nodes/LmChatDeepSeek/LmChatDeepSeek.node.js') as typeof import('../nodes/LmChatDeepSeek/LmChatDeepSeek.node');
const { MetaChatApi } =
	require('../dist/credentials/MetaChatApi.credentials.js') as typeof import('../credentials/MetaChatApi.credentials');

type Sim = Awaited<ReturnType<typeof startSimulator>>;
type Model = 'metachat' | 'openai';

const KEY = 'sk-bench-0123456789';

function modelNode(model: Model): Omit<INode, 'id' | 'position'> {
	const value = { __rl: true, mode: 'id', value: 'deepseek-chat' };
	return model === 'metachat'
		? {
				name: 'Model',
				type: 'n8n-nodes-metachat.lmChatDeepSeek',
				typeVersion: 1,
				parameters: { model: value, options: {} },
				credentials: { metaChatApi: { id: '1', name: 'MetaChat' } },
			}
		: {
				name: 'Model',
				type: `${LC}.lmChatOpenAi`,
				typeVersion: 1.2,
				parameters: { model: value, options: {} },
				credentials: { openAiApi: { id: '2', name: 'OpenAI' } },
			};
}

function runAgent(
	types: Record<string, INodeType | IVersionedNodeType>,
	sim: Sim,
	model: Model,
	items: INodeExecutionData[],
	streaming = false,
) {
	// 2.40's AI Agent 2.2 holds a streamed reply back until the model's answer is complete (to keep
	// tool-call text out); 3.1 passes tokens on as they arrive, so streaming is measured there.
	const typeVersion = streaming ? 3.1 : 2.2;
	return runWorkflow({
		nodeTypes: types,
		credentialTypes: { metaChatApi: new MetaChatApi() },
		credentials: {
			metaChatApi: { apiKey: KEY, baseUrl: sim.url, failoverBaseUrl: '' },
			openAiApi: { apiKey: KEY, url: sim.url },
		},
		items,
		nodes: [
			{
				name: 'AI Agent',
				type: `${LC}.agent`,
				typeVersion,
				parameters: {
					promptType: 'define',
					text: '={{ $json.chatInput }}',
					options: streaming ? { enableStreaming: true } : {},
				},
			},
		],
		subNodes: [
			{ node: modelNode(model), to: 'AI Agent', type: NodeConnectionTypes.AiLanguageModel },
		],
		streaming,
		timeoutMs: 600_000,
	});
}

function checked(result: Awaited<ReturnType<typeof runAgent>>, count: number) {
	const out = result.output('AI Agent');
	if (result.error || out.length !== count || out.some((item) => !item.json.output)) {
		throw new Error(`agent run failed: ${result.error?.message ?? `${out.length} items`}`);
	}
	return result;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** Rows for the bench table, or one row saying why the comparison was skipped. */
export async function agentComparison(sim: Sim, quick: boolean): Promise<string[][]> {
	if (!aiNodesAvailable) {
		return [
			[
				"AI Agent comparison skipped: n8n's AI nodes are not installed",
				'run npm run test:e2e once',
			],
		];
	}
	const types = {
		'n8n-nodes-metachat.lmChatDeepSeek': new LmChatDeepSeek(),
		[`${LC}.agent`]: loadAiNode('agents/Agent/Agent.node.js', 'Agent'),
		[`${LC}.lmChatOpenAi`]: loadAiNode('llms/LMChatOpenAi/LmChatOpenAi.node.js', 'LmChatOpenAi'),
	};
	const count = quick ? 30 : 150;
	const items = Array.from({ length: count }, (_, index) => ({
		json: { chatInput: `Question ${index}: what does the quarterly report say?` },
	}));
	const models: Model[] = ['metachat', 'openai'];
	const perCall: Record<Model, number[]> = { metachat: [], openai: [] };
	for (const model of models) checked(await runAgent(types, sim, model, items.slice(0, 5)), 5);
	// Alternate the two so machine noise hits both alike.
	for (let round = 0; round < 5; round++) {
		for (const model of models) {
			const result = checked(await runAgent(types, sim, model, items), count);
			perCall[model].push(result.durationMs / count);
		}
	}

	sim.configure({ replyTokens: 500, tokenDelayMs: 2, latencyMs: 300 });
	const firstToken: Record<Model, number[]> = { metachat: [], openai: [] };
	for (let round = 0; round < 3; round++) {
		for (const model of models) {
			const result = checked(
				await runAgent(types, sim, model, [{ json: { chatInput: 'Stream a long answer' } }], true),
				1,
			);
			const first = result.chunks.find((chunk) => chunk.type === 'item');
			if (first) firstToken[model].push(first.receivedAt - result.startedAt);
		}
	}
	sim.configure({ replyTokens: undefined, tokenDelayMs: 0, latencyMs: 0 });

	const best = (values: number[]) => (values.length ? Math.min(...values) : NaN);
	return [
		[
			`AI Agent 2.2, tool-less, per call (best of 5, ${count} items): MetaChat DeepSeek Chat Model`,
			ms(best(perCall.metachat)),
		],
		['the same with n8n’s OpenAI Chat Model (Base URL = simulator)', ms(best(perCall.openai))],
		[
			'difference per call (ours minus built-in)',
			ms(best(perCall.metachat) - best(perCall.openai)),
			'target ≤ 0 (no worse)',
		],
		[
			'AI Agent 3.1 streaming a 500-token reply (300 ms latency): first token, ours',
			ms(best(firstToken.metachat)),
			`built-in ${ms(best(firstToken.openai))}`,
		],
	];
}
