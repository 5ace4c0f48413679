import { supplyModel } from '@n8n/ai-node-sdk';
import type { ISupplyDataFunctions, SupplyData } from 'n8n-workflow';

import { connect, readSettings } from './connection';
import { DeepSeekChatModel } from './DeepSeekChatModel';
import { forN8nAiNodes } from './langchainModel';

/** The chat model for one supplyData call; this file, and only it, needs the AI node SDK. */
export async function supplyDeepSeekModel(
	ctx: ISupplyDataFunctions,
	itemIndex: number,
): Promise<SupplyData> {
	const settings = readSettings(ctx, itemIndex);
	const connection = await connect(ctx, itemIndex);
	const model = new DeepSeekChatModel(settings, connection);
	return forN8nAiNodes(supplyModel(ctx, model), settings, ctx.getNode());
}
