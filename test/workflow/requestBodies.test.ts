import type { Message } from '@n8n/ai-node-sdk';
import type { IDataObject, ISupplyDataFunctions, INode } from 'n8n-workflow';

import { readSettings } from '../../nodes/LmChatDeepSeek/model/connection';
import { DeepSeekChatModel } from '../../nodes/LmChatDeepSeek/model/DeepSeekChatModel';
import { ReasoningStore } from '../../nodes/LmChatDeepSeek/model/reasoningStore';
import { resolveEndpoints } from '../../nodes/shared/credentialFields';
import { KNOWN_MODELS } from '../../nodes/shared/protocol/models';
import type { Endpoint } from '../../nodes/shared/transport/endpoint';
import { directMetaChatHttp } from '../harness/metaChatHttp';
import { RequestLimiter } from '../../nodes/shared/transport/limiter';
import { MetaChatSession } from '../../nodes/shared/session';
import {
	API_KEY,
	completions,
	runDeepSeek,
	useSimulatorPair,
	type SimulatorPair,
} from './fixtures';

const call = {
	id: 'call_1',
	type: 'function',
	function: { name: 'lookup', arguments: '{"city":"Paris"}' },
};
// The same earlier turn with a tool round, as the node's History and as n8n's messages.
const history = [
	{ role: 'user', content: 'Weather in Paris?' },
	{ role: 'assistant', content: '', reasoning_content: 'ask the tool', tool_calls: [call] },
	{ role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
	{ role: 'assistant', content: 'Sunny.' },
];
const PROMPT = 'And tomorrow?';
const agentMessages: Message[] = [
	{ role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
	{
		role: 'assistant',
		content: [
			{ type: 'reasoning', text: 'ask the tool' },
			{ type: 'tool-call', toolCallId: 'call_1', toolName: 'lookup', input: '{"city":"Paris"}' },
		],
	},
	{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', result: 'sunny' }] },
	{ role: 'assistant', content: [{ type: 'text', text: 'Sunny.' }] },
	{ role: 'user', content: [{ type: 'text', text: PROMPT }] },
];
const sampling = { temperature: 0.3, topP: 0.9, reasoningEffort: 'high' };

// Each setting as the DeepSeek node and the chat model sub-node spell it.
const SETTINGS = {
	chat: { node: { operation: 'chat' }, subNode: 'disabled' },
	reason: { node: { operation: 'reason' }, subNode: 'enabled' },
	'model default': { node: { operation: 'chat', thinking: 'model' }, subNode: 'default' },
	enabled: { node: { operation: 'chat', thinking: 'enabled' }, subNode: 'enabled' },
	disabled: { node: { operation: 'reason', thinking: 'disabled' }, subNode: 'disabled' },
} as const;
type Setting = keyof typeof SETTINGS;

async function nodeBody(pair: SimulatorPair, model: string, setting: Setting) {
	const { operation, ...thinking } = SETTINGS[setting].node as { operation: string };
	pair.primary.reset();
	await runDeepSeek(pair, {
		parameters: {
			operation,
			model: { __rl: true, mode: 'id', value: model },
			prompt: PROMPT,
			history: JSON.stringify(history),
			options: { ...sampling, ...thinking },
		},
		continueOnFail: true,
	});
	return completions(pair.primary).at(-1)?.body;
}

async function subNodeBody(pair: SimulatorPair, model: string, setting: Setting) {
	pair.primary.reset();
	const parameters: Record<string, unknown> = {
		model,
		options: { ...sampling, thinking: SETTINGS[setting].subNode },
	};
	const ctx = {
		getNodeParameter: (name: string, _item: number, fallback: unknown) =>
			parameters[name] ?? fallback,
		getNode: () => ({ name: 'DeepSeek Model' }),
	} as unknown as ISupplyDataFunctions;
	const chatModel = new DeepSeekChatModel(readSettings(ctx, 0), {
		session: new MetaChatSession({ name: 'DeepSeek Model' } as INode, {
			apiKey: API_KEY,
			endpoints: resolveEndpoints({ baseUrl: pair.primary.url, failoverBaseUrl: '' }) as Endpoint[],
			signal: new AbortController().signal,
			limiter: new RequestLimiter(1),
			http: directMetaChatHttp(API_KEY),
		}),
		executionId: 'bodies',
		store: new ReasoningStore(),
		toError: (error) => error as Error,
		warn: () => {},
	});
	await chatModel.generate(agentMessages).catch(() => undefined);
	return completions(pair.primary).at(-1)?.body;
}

// Every known model, and an R1 ID in another spelling.
const MODELS = [...KNOWN_MODELS.map((model) => model.id), 'DeepSeek-R1-0528'];
const R1 = new Set(['deepseek-r1-250528', 'deepseek-r1t2-chimera', 'DeepSeek-R1-0528']);
// Where a model has the thinking switch, each setting's thinking field; Model Default sends none.
const FIELD: Record<Setting, string | undefined> = {
	chat: 'disabled',
	reason: 'enabled',
	'model default': undefined,
	enabled: 'enabled',
	disabled: 'disabled',
};
const THINKS_BY_DEFAULT = new Set([
	'deepseek-v4-flash',
	'deepseek-v4-pro',
	'deepseek-flash',
	// The older id of V4.1 Flash's image understanding, served by the same Flash.
	'deepseek-v4-flash-vision-exp',
]);

describe('both nodes send the same request for the same model and setting', () => {
	const pair = useSimulatorPair();

	const cases = MODELS.flatMap((model) =>
		(Object.keys(SETTINGS) as Setting[]).map((setting) => [model, setting] as const),
	);
	it.each(cases)('%s, %s', async (model, setting) => {
		const fromNode = (await nodeBody(pair, model, setting)) as IDataObject;
		const fromSubNode = (await subNodeBody(pair, model, setting)) as IDataObject;
		expect(fromSubNode).toEqual(fromNode);

		const r1 = R1.has(model);
		const switchable = !r1 && model !== 'deepseek-reasoner';
		const field = switchable ? FIELD[setting] : undefined;
		expect((fromNode.thinking as { type?: string } | undefined)?.type).toBe(field);
		const thinks =
			!r1 &&
			(model === 'deepseek-reasoner' ||
				field === 'enabled' ||
				(THINKS_BY_DEFAULT.has(model) && field === undefined));
		expect(fromNode.reasoning_effort).toBe(thinks ? 'high' : undefined);
		// Sampling is never dropped: thinking mode ignores it.
		expect(fromNode).toMatchObject({ temperature: 0.3, top_p: 0.9 });
		const messages = fromNode.messages as IDataObject[];
		expect(messages.map((message) => message.reasoning_content)).toEqual(
			r1
				? [undefined, undefined, undefined, undefined, undefined]
				: [undefined, 'ask the tool', undefined, '', undefined],
		);
	});
});
