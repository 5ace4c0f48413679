import { supplyModel } from '@n8n/ai-node-sdk';
import type {
	INodeType,
	INodeTypeDescription,
	ISupplyDataFunctions,
	SupplyData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { modelProperty } from '../shared/description/modelLocator';
import { searchModels } from '../shared/description/modelSearch';
import { DEFAULT_CHAT_MODEL } from '../shared/protocol/models';
import { optionsProperty } from './description/chatModelOptions';
import { connect, readSettings } from './model/connection';
import { DeepSeekChatModel } from './model/DeepSeekChatModel';
import { countTokensLocally } from './model/tokenCount';

export class LmChatDeepSeek implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MetaChat DeepSeek Chat Model',
		name: 'lmChatDeepSeek',
		icon: { light: 'file:deepseek.svg', dark: 'file:deepseek.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["model"]?.value ?? $parameter["model"] }}',
		description: "DeepSeek through MetaChat, with failover to MetaChat's backup URL",
		defaults: { name: 'MetaChat DeepSeek Chat Model' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiLanguageModel],
		outputNames: ['Model'],
		credentials: [{ name: 'metaChatApi', required: true }],
		properties: [
			{
				displayName:
					'This node must be connected to an AI Agent or a chain. <a data-action="openSelectiveNodeCreator" data-action-parameter-connectiontype="ai_agent">Insert one</a>',
				name: 'notice',
				type: 'notice',
				default: '',
				typeOptions: { containerClass: 'ndv-connection-hint-notice' },
			},
			modelProperty(DEFAULT_CHAT_MODEL, 'e.g. deepseek-reasoner'),
			optionsProperty,
		],
	};

	methods = { listSearch: { searchModels } };

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		const settings = readSettings(this, itemIndex);
		const connection = await connect(this, itemIndex);
		return countTokensLocally(supplyModel(this, new DeepSeekChatModel(settings, connection)));
	}
}
