import path from 'path';

import type { ICredentialType, IDataObject, INodeType, IVersionedNodeType } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { MetaChatApi } from '../../credentials/MetaChatApi.credentials';
import { LmChatDeepSeek } from '../../nodes/LmChatDeepSeek/LmChatDeepSeek.node';
import { runWorkflow, type SubNodeSpec } from '../harness';
import { aiNodesAvailable as available, LANGCHAIN, LC, loadAiNode, N8N_MODULES } from './aiNodes';
import { API_KEY, useSimulatorPair, type SimulatorPair } from './fixtures';

// A workflow as it was saved with n8n's own DeepSeek Chat Model, the model node swapped for ours
// and nothing else changed: the items downstream must have the same shape and values.

const OURS = 'n8n-nodes-metachat.lmChatDeepSeek';
const THEIRS = `${LC}.lmChatDeepSeek`;

function load<T>(file: string, name: string): T {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const module = require(file) as Record<string, new () => T>;
	return new module[name]();
}

function nodeTypes(): Record<string, INodeType | IVersionedNodeType> {
	return {
		[OURS]: new LmChatDeepSeek(),
		[THEIRS]: loadAiNode('llms/LmChatDeepSeek/LmChatDeepSeek.node.js', 'LmChatDeepSeek'),
		[`${LC}.chainLlm`]: loadAiNode('chains/ChainLLM/ChainLlm.node.js', 'ChainLlm'),
		'n8n-nodes-base.set': load<IVersionedNodeType>(
			path.join(N8N_MODULES, 'n8n-nodes-base', 'dist', 'nodes', 'Set', 'Set.node.js'),
			'Set',
		),
	};
}

/** The model node as each package saves it: n8n's with its deepSeekApi credential, ours with MetaChat. */
function modelNode(which: 'theirs' | 'ours'): SubNodeSpec['node'] {
	const options = { responseFormat: 'json_object' };
	return which === 'theirs'
		? {
				name: 'DeepSeek Chat Model',
				type: THEIRS,
				typeVersion: 1,
				parameters: { model: 'deepseek-chat', options },
				credentials: { deepSeekApi: { id: '2', name: 'DeepSeek account' } },
			}
		: {
				name: 'DeepSeek Chat Model',
				type: OURS,
				typeVersion: 1,
				parameters: { model: { __rl: true, mode: 'list', value: 'deepseek-chat' }, options },
				credentials: { metaChatApi: { id: '1', name: 'MetaChat account' } },
			};
}

async function runTemplate(pair: SimulatorPair, which: 'theirs' | 'ours') {
	const deepSeekApi = load<ICredentialType>(
		path.join(LANGCHAIN, 'dist', 'credentials', 'DeepSeekApi.credentials.js'),
		'DeepSeekApi',
	);
	const result = await runWorkflow({
		nodeTypes: nodeTypes(),
		credentialTypes: { metaChatApi: new MetaChatApi(), deepSeekApi },
		credentials: {
			metaChatApi: { apiKey: API_KEY, baseUrl: pair.primary.url, failoverBaseUrl: '' },
			deepSeekApi: { apiKey: API_KEY, url: pair.primary.url },
		},
		items: ['Rivers of Europe', 'Ten ways to bake bread'].map((title) => ({ json: { title } })),
		nodes: [
			{
				name: 'Title Analysis',
				type: `${LC}.chainLlm`,
				typeVersion: 1.7,
				parameters: {
					promptType: 'define',
					text: '=Suggest a better title for "{{ $json.title }}". Answer in JSON.',
				},
			},
			{
				name: 'Report',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				parameters: {
					assignments: {
						assignments: [
							{
								id: 'a1',
								name: 'recommendation',
								value: "={{ $('Title Analysis').first().json.summary }}",
								type: 'string',
							},
							{
								id: 'a2',
								name: 'fields',
								value: '={{ Object.keys($json).sort().join(",") }}',
								type: 'string',
							},
						],
					},
					options: {},
				},
			},
		],
		subNodes: [
			{ node: modelNode(which), to: 'Title Analysis', type: NodeConnectionTypes.AiLanguageModel },
		],
	});
	expect(result.error).toBeUndefined();
	return {
		analysis: result.output('Title Analysis').map((item) => item.json),
		report: result.output('Report').map((item) => item.json as IDataObject),
	};
}

if (!available) console.warn(`n8n's AI nodes not found in ${LANGCHAIN}: engine tests skipped`);

(available ? describe : describe.skip)('a workflow saved with n8n’s DeepSeek Chat Model', () => {
	const pair = useSimulatorPair();

	it('gives the same items downstream with the model node swapped for ours', async () => {
		const theirs = await runTemplate(pair, 'theirs');
		const ours = await runTemplate(pair, 'ours');
		// The chain parsed the JSON answer into the item, and the next node reads its fields.
		expect(theirs.analysis[0]).toMatchObject({ simulated: true, model: 'deepseek-chat' });
		expect(theirs.report[0].recommendation).toMatch(/Rivers of Europe/);
		expect(ours).toEqual(theirs);
	});
});
