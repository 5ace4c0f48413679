import type { INodeProperties } from 'n8n-workflow';

import {
	GROUPED_LABELS,
	groupedOptions,
	modelOption,
	optionsCollection,
	responseFormatOption,
	thinkingChoices,
	timeoutOption,
} from '../../shared/parameters';

const options: INodeProperties[] = [
	modelOption(
		'failover',
		"Whether to send a call to the credential's failover URL when the primary cannot answer",
	),
	modelOption(
		'frequencyPenalty',
		'Positive values make the model less likely to repeat the same lines (sent as set; thinking mode ignores it)',
	),
	modelOption(
		'maxRetries',
		'How often to retry a call at the same URL after a server error (5xx) or a broken answer, before failing over',
	),
	modelOption('maxTokens', 'The most tokens one answer may have'),
	modelOption(
		'presencePenalty',
		'Positive values make the model more likely to talk about new topics (sent as set; thinking mode ignores it)',
	),
	modelOption(
		'reasoningEffort',
		'How hard the model thinks before it answers; sent only in thinking mode, never to R1 models',
	),
	responseFormatOption('The answer is valid JSON; the prompt must say "JSON" and show the shape'),
	modelOption(
		'temperature',
		'Higher values give more varied answers, lower values more focused ones (sent as set; thinking mode ignores it)',
	),
	{
		displayName: 'Thinking',
		name: 'thinking',
		type: 'options',
		options: thinkingChoices('default'),
		default: 'default',
		description: 'Whether the model reasons before it answers (DeepSeek thinking mode)',
	},
	timeoutOption(),
	modelOption(
		'topP',
		'Nucleus sampling: consider only the tokens within this probability mass (sent as set; thinking mode ignores it)',
	),
];

/** Grouped by name as the DeepSeek node's are (display names are not stored in workflows). */
export const optionsProperty = optionsCollection(groupedOptions(options, GROUPED_LABELS));
