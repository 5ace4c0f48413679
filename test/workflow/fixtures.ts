import type {
	IDataObject,
	INodeCredentials,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { MetaChatApi } from '../../credentials/MetaChatApi.credentials';
import { DeepSeek } from '../../nodes/DeepSeek/DeepSeek.node';
import { normaliseBaseUrl } from '../../nodes/shared/credentialFields';
import { PrimaryBreaker, primaryBreaker } from '../../nodes/shared/transport/breaker';
import { runWorkflow, usedBaseUrls } from '../harness';
import { startSimulator } from '../simulator/simulator';
import { deepSeekAsTool, LOOKUP_TOOL_TYPE, TestLookupTool } from './toolNodes';

export const API_KEY = 'sk-test-0123456789abcdef';
export const NODE_TYPE = 'n8n-nodes-metachat.deepSeek';

export type Simulator = Awaited<ReturnType<typeof startSimulator>>;

export interface SimulatorPair {
	primary: Simulator;
	backup: Simulator;
}

/**
 * A primary and a backup simulator for the tests of one file: started before them, cleared (with
 * the process-wide failover breaker) after each, and closed at the end.
 */
export function useSimulatorPair(): SimulatorPair {
	const pair = {} as SimulatorPair;
	beforeAll(async () => {
		pair.primary = await startSimulator({ name: 'primary', apiKey: API_KEY });
		pair.backup = await startSimulator({ name: 'backup', apiKey: API_KEY });
	});
	afterEach(() => {
		pair.primary.reset();
		pair.backup.reset();
		forgetDownPrimaries();
	});
	afterAll(async () => {
		await pair.primary.close();
		await pair.backup.close();
	});
	return pair;
}

/**
 * Clears what the process-wide failover breaker remembers of the primaries this file's runs used
 * (a test whose primary failed leaves it marked down for 30 s), as an answer from each would.
 */
export function forgetDownPrimaries(): void {
	for (const [url, apiKey] of usedBaseUrls()) {
		const baseUrl = normaliseBaseUrl(url, 'Base URL');
		if (typeof baseUrl === 'string') {
			primaryBreaker.primaryAnswered(PrimaryBreaker.key(baseUrl, apiKey));
		}
	}
}

/** The tool calls both simulators of a pair make, so a failover meets the same script. */
export function scriptBoth(pair: SimulatorPair, script: Parameters<Simulator['scriptTools']>[0]) {
	pair.primary.scriptTools(script);
	pair.backup.scriptTools(script);
}

/** One round: the model looks up the weather in Paris. */
export const PARIS = { rounds: [[{ name: 'Lookup', arguments: { city: 'Paris' } }]] };

export interface RunOptions {
	parameters: IDataObject;
	/** The DeepSeek node's version; 1 unless a test says (what most saved workflows hold). */
	typeVersion?: number;
	items?: INodeExecutionData[];
	credentials?: { apiKey?: string; baseUrl?: string; failoverBaseUrl?: string };
	continueOnFail?: boolean;
	cancelAfterMs?: number;
	streaming?: boolean;
	/** Tool nodes connected to the DeepSeek node's Tools input. */
	tools?: Array<{
		name: string;
		type: string;
		typeVersion: number;
		parameters: INodeParameters;
		credentials?: INodeCredentials;
	}>;
}

/** The MetaChat credential type and a credential for the pair's URLs, as runWorkflow takes them. */
export function metaChatCredential(pair: SimulatorPair, fields: IDataObject = {}) {
	return {
		credentialTypes: { metaChatApi: new MetaChatApi() },
		credentials: {
			metaChatApi: {
				apiKey: API_KEY,
				baseUrl: pair.primary.url,
				failoverBaseUrl: pair.backup.url,
				...fields,
			},
		},
	};
}

export const CREDENTIALS = { metaChatApi: { id: '1', name: 'MetaChat account' } };

export const MODEL_TYPE = 'n8n-nodes-metachat.lmChatDeepSeek';

/** The MetaChat DeepSeek Chat Model sub-node with a model from the list, as a workflow holds it. */
export function chatModelNode(
	model: string,
	options: INodeParameters = {},
	name = 'DeepSeek Model',
): {
	name: string;
	type: string;
	typeVersion: number;
	parameters: INodeParameters;
	credentials: INodeCredentials;
} {
	return {
		name,
		type: MODEL_TYPE,
		typeVersion: 1,
		parameters: { model: { __rl: true, mode: 'list', value: model }, options },
		credentials: CREDENTIALS,
	};
}

export async function runDeepSeek(pair: SimulatorPair, options: RunOptions) {
	return await runWorkflow({
		nodeTypes: {
			[NODE_TYPE]: new DeepSeek(),
			[`${NODE_TYPE}Tool`]: deepSeekAsTool(),
			[LOOKUP_TOOL_TYPE]: new TestLookupTool(),
		},
		...metaChatCredential(pair, options.credentials),
		items: options.items ?? [{ json: { text: 'Summarise this: the quick brown fox jumps.' } }],
		nodes: [
			{
				name: 'DeepSeek',
				type: NODE_TYPE,
				typeVersion: options.typeVersion ?? 1,
				parameters: options.parameters as INodeParameters,
				credentials: CREDENTIALS,
				...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		subNodes: (options.tools ?? []).map((node) => ({
			node,
			to: 'DeepSeek',
			type: NodeConnectionTypes.AiTool,
		})),
		cancelAfterMs: options.cancelAfterMs,
		streaming: options.streaming,
	});
}

export const chat = (extra: IDataObject = {}): IDataObject => ({
	operation: 'chat',
	model: { __rl: true, mode: 'list', value: 'deepseek-chat' },
	prompt: '={{ $json.text }}',
	...extra,
});

export const reason = (extra: IDataObject = {}): IDataObject => ({
	operation: 'reason',
	model: { __rl: true, mode: 'list', value: 'deepseek-reasoner' },
	prompt: '={{ $json.text }}',
	...extra,
});

/** Every string anywhere in a value, to look for the key in it. */
export function allText(value: unknown): string {
	return (
		JSON.stringify(value, (_key, v) =>
			v instanceof Error ? { ...v, message: v.message, stack: v.stack } : v,
		) ?? ''
	);
}

/** The chat completion requests a simulator received. */
export const completions = (sim: Simulator) =>
	sim.requests.filter((request) => request.path.endsWith('/chat/completions'));
