import type { INodeProperties } from 'n8n-workflow';

import {
	GROUPED_LABELS,
	groupedOptions,
	optionsCollection,
	responseFormatOption,
	sharedOptions,
	thinkingChoices,
} from '../../shared/parameters';

const options: INodeProperties[] = [
	...Object.values(sharedOptions('call')),
	responseFormatOption('The answer is valid JSON; the prompt must say "JSON" and show the shape'),
	{
		displayName: 'Thinking',
		name: 'thinking',
		type: 'options',
		options: thinkingChoices('default'),
		default: 'default',
		description: 'Whether the model reasons before it answers (DeepSeek thinking mode)',
	},
];

/** Grouped by name as the DeepSeek node's are (display names are not stored in workflows). */
export const optionsProperty = optionsCollection(groupedOptions(options, GROUPED_LABELS));
