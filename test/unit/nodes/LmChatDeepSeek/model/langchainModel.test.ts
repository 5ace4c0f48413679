import { supplyModel } from '@n8n/ai-node-sdk';
import type { ISupplyDataFunctions, INode } from 'n8n-workflow';
import { z } from 'zod';

import { DeepSeekChatModel } from '../../../../../nodes/LmChatDeepSeek/model/DeepSeekChatModel';
import { ReasoningStore } from '../../../../../nodes/LmChatDeepSeek/model/reasoningStore';
import { forN8nAiNodes } from '../../../../../nodes/LmChatDeepSeek/model/langchainModel';
import { RequestLimiter } from '../../../../../nodes/shared/transport/limiter';
import { MetaChatSession } from '../../../../../nodes/shared/session';

type Counting = {
	getNumTokens(content: unknown): Promise<number>;
	bindTools(tools: unknown[]): Counting;
};

describe('token counts of the supplied model', () => {
	afterEach(() => jest.restoreAllMocks());

	it('are made locally, also on the model the agent binds its tools to', async () => {
		const settings = {
			model: 'deepseek-chat',
			thinking: 'default' as const,
			timeoutMs: 1000,
			maxRetries: 0,
			failover: false,
		};
		const model = new DeepSeekChatModel(settings, {
			session: new MetaChatSession({ name: 'DeepSeek Model' } as INode, {
				apiKey: 'sk-x',
				endpoints: [{ role: 'primary', baseUrl: 'http://127.0.0.1:9/v1' }],
				signal: new AbortController().signal,
				limiter: new RequestLimiter(1),
				http: async () => ({}),
			}),
			executionId: 'exec',
			store: new ReasoningStore(),
			toError: (error) => error as Error,
			warn: () => {},
		});
		const ctx = { getNode: () => ({ name: 'Model' }) } as unknown as ISupplyDataFunctions;
		// LangChain's own count would fetch a tokenizer from the internet: refused here, and counted.
		const fetch = jest.spyOn(global, 'fetch').mockRejectedValue(new Error('no network here'));
		const adapter = forN8nAiNodes(supplyModel(ctx, model), settings, ctx.getNode())
			.response as Counting;
		expect(await adapter.getNumTokens('x'.repeat(400))).toBe(100);
		const tool = {
			name: 'lookup',
			description: 'Looks up',
			schema: z.object({ q: z.string() }),
			invoke: () => '',
		};
		const bound = adapter.bindTools([tool]);
		expect(bound).not.toBe(adapter);
		expect(await bound.getNumTokens([{ type: 'text', text: 'y'.repeat(40) }])).toBe(10);
		expect(fetch).not.toHaveBeenCalled();
	});
});
