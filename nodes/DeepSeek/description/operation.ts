import type { INodeProperties } from 'n8n-workflow';

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Chat',
			value: 'chat',
			action: 'Chat with a model',
			description: 'Answer a message, optionally continuing a conversation',
		},
		{
			name: 'Reason',
			value: 'reason',
			action: 'Reason with a thinking model',
			description: 'Think step by step before answering; returns the reasoning beside the answer',
		},
	],
	default: 'chat',
};
