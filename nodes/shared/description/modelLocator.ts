import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isValidModelId } from '../protocol/models';

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

/** The model id the picker holds for an item, trimmed; a clear error if there is none. */
export function readModelId(
	ctx: Pick<IExecuteFunctions, 'getNodeParameter' | 'getNode'>,
	itemIndex: number,
): string {
	const raw = ctx.getNodeParameter('model', itemIndex, '', { extractValue: true });
	const model = typeof raw === 'string' ? raw.trim() : '';
	if (!isValidModelId(model)) {
		throw new NodeOperationError(
			ctx.getNode(),
			model === '' ? 'No model is selected' : `The model ID "${model}" is not valid`,
			{
				itemIndex,
				description:
					'Pick a model from the list, or type an ID without spaces, e.g. deepseek-chat.',
			},
		);
	}
	return model;
}
