import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { searchModels } from '../shared/methods/listSearch';
import { DEFAULT_CHAT_MODEL, DEFAULT_REASON_MODEL } from '../shared/protocol/models';
import { router } from './actions/router';
import {
	DEFAULT_NODE_VERSION,
	NODE_VERSIONS,
	operationFields,
	operationProperty,
} from './description/operation';

export class DeepSeek implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MetaChat DeepSeek',
		name: 'deepSeek',
		icon: {
			light: 'file:../../credentials/metachat.svg',
			dark: 'file:../../credentials/metachat.dark.svg',
		},
		group: ['transform'],
		version: NODE_VERSIONS,
		defaultVersion: DEFAULT_NODE_VERSION,
		subtitle: '={{ $parameter["operation"] === "reason" ? "Reason" : "Chat" }}',
		description: 'Chat and reason with DeepSeek models through MetaChat, with automatic failover',
		defaults: { name: 'MetaChat DeepSeek' },
		usableAsTool: true,
		inputs: [
			NodeConnectionTypes.Main,
			{ type: NodeConnectionTypes.AiTool, displayName: 'Tools', required: false },
		],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'metaChatApi', required: true }],
		properties: [
			operationProperty,
			...operationFields('chat', DEFAULT_CHAT_MODEL),
			...operationFields('reason', DEFAULT_REASON_MODEL),
		],
	};

	methods = { listSearch: { searchModels } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
