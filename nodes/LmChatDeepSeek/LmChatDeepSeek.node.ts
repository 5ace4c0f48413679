import type {
	INodeType,
	INodeTypeDescription,
	ISupplyDataFunctions,
	SupplyData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { modelProperty, searchModels } from '../shared/parameters';
import { DEFAULT_CHAT_MODEL } from '../shared/protocol';
import { inputError } from '../shared/session';
import { optionsProperty } from './description/chatModelOptions';

export class LmChatDeepSeek implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MetaChat DeepSeek Chat Model',
		name: 'lmChatDeepSeek',
		icon: {
			light: 'file:../../credentials/metachat.svg',
			dark: 'file:../../credentials/metachat.dark.svg',
		},
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
		// Loaded here, not at the top: an n8n without the SDK must still load the package (n8n drops
		// a whole package when one of its node files fails to load).
		let model: typeof import('./model/supplyModel');
		try {
			model = await import('./model/supplyModel');
		} catch (error) {
			if (!String((error as Error)?.message).includes('ai-node-sdk')) {
				throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			}
			// Said once per failed use, in n8n's log too: the editor may show only a failed agent.
			const needsSdk = inputError(this.getNode(), { what: 'needs-ai-sdk' }, itemIndex);
			this.logger.error(needsSdk.message);
			throw needsSdk;
		}
		return await model.supplyDeepSeekModel(this, itemIndex);
	}
}
