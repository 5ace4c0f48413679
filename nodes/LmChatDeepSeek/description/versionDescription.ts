import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { DEFAULT_CHAT_MODEL } from '../../shared/knownModels';
import { optionsProperty } from './options';

const modelProperty: INodeProperties = {
	displayName: 'Model',
	name: 'model',
	type: 'resourceLocator',
	default: { mode: 'list', value: DEFAULT_CHAT_MODEL },
	required: true,
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchModels', searchable: true },
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. deepseek-reasoner',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*[A-Za-z0-9][A-Za-z0-9._:/@+-]*\\s*$',
						errorMessage: 'A model ID has no spaces, e.g. deepseek-chat',
					},
				},
			],
		},
	],
};

export const versionDescription: INodeTypeDescription = {
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
		modelProperty,
		optionsProperty,
	],
};
