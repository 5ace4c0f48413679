import type { INodeProperties } from 'n8n-workflow';

/** The model picker: a searchable list loaded from /models, or any model id typed in. */
export function modelProperty(
	defaultModel: string,
	placeholder = 'e.g. deepseek-chat',
): INodeProperties {
	return {
		displayName: 'Model',
		name: 'model',
		type: 'resourceLocator',
		default: { mode: 'list', value: defaultModel },
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
				placeholder,
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
}
