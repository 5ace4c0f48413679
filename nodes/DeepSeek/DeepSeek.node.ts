import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { searchModels } from '../shared/methods/listSearch';
import * as chat from './actions/chat.operation';
import * as reason from './actions/reason.operation';
import { router } from './actions/router';
import { DEFAULT_NODE_VERSION, NODE_VERSIONS, operationProperty } from './description/operation';

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
		properties: [operationProperty, ...chat.description, ...reason.description],
	};

	methods = { listSearch: { searchModels } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
