import { supplyModel } from '@n8n/ai-node-sdk';
import type { INodeType, ISupplyDataFunctions, SupplyData } from 'n8n-workflow';

import { searchModels } from '../shared/modelSearch';
import { versionDescription } from './description/versionDescription';
import { connect, readSettings } from './model/connection';
import { DeepSeekChatModel } from './model/DeepSeekChatModel';
import { countTokensLocally } from './model/tokenCount';

export class LmChatDeepSeek implements INodeType {
	description = versionDescription;

	methods = { listSearch: { searchModels } };

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		const settings = readSettings(this, itemIndex);
		const connection = await connect(this, itemIndex);
		return countTokensLocally(supplyModel(this, new DeepSeekChatModel(settings, connection)));
	}
}
