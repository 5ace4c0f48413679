import type { INodeProperties } from 'n8n-workflow';

import type { ReasoningEffort, ThinkingSetting } from '../model/DeepSeekChatModel';

export const DEFAULT_TIMEOUT_MS = 180_000;
export const DEFAULT_MAX_RETRIES = 1;

/** The options as supplyData reads them. */
export interface ModelOptions {
	thinking?: ThinkingSetting;
	reasoningEffort?: ReasoningEffort | 'default';
	temperature?: number;
	topP?: number;
	maxTokens?: number;
	frequencyPenalty?: number;
	presencePenalty?: number;
	responseFormat?: 'text' | 'json_object';
	timeout?: number;
	maxRetries?: number;
	failover?: boolean;
}

const options: INodeProperties[] = [
	{
		displayName: 'Failover',
		name: 'failover',
		type: 'boolean',
		default: true,
		description:
			"Whether to send a call to the credential's failover URL when the primary cannot answer",
	},
	{
		displayName: 'Frequency Penalty',
		name: 'frequencyPenalty',
		type: 'number',
		typeOptions: { minValue: -2, maxValue: 2, numberPrecision: 2 },
		default: 0,
		description:
			'Positive values make the model less likely to repeat the same lines (no effect in thinking mode)',
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10 },
		default: DEFAULT_MAX_RETRIES,
		description:
			'How often to retry a call at the same URL after a server error (5xx) or a broken answer, before failing over',
	},
	{
		displayName: 'Maximum Number of Tokens',
		name: 'maxTokens',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 4096,
		description: 'The most tokens one answer may have',
	},
	{
		displayName: 'Presence Penalty',
		name: 'presencePenalty',
		type: 'number',
		typeOptions: { minValue: -2, maxValue: 2, numberPrecision: 2 },
		default: 0,
		description:
			'Positive values make the model more likely to talk about new topics (no effect in thinking mode)',
	},
	{
		displayName: 'Reasoning Effort',
		name: 'reasoningEffort',
		type: 'options',
		options: [
			{ name: 'Model Default', value: 'default' },
			{ name: 'Low', value: 'low' },
			{ name: 'High', value: 'high' },
			{ name: 'Max', value: 'max' },
		],
		default: 'default',
		description: 'How hard the model thinks before it answers, in thinking mode',
	},
	{
		displayName: 'Response Format',
		name: 'responseFormat',
		type: 'options',
		options: [
			{ name: 'Text', value: 'text' },
			{
				name: 'JSON Object',
				value: 'json_object',
				description: 'The answer is valid JSON; the prompt must say "JSON" and show the shape',
			},
		],
		default: 'text',
	},
	{
		displayName: 'Sampling Temperature',
		name: 'temperature',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
		default: 1,
		description:
			'Higher values give more varied answers, lower values more focused ones (no effect in thinking mode)',
	},
	{
		displayName: 'Thinking',
		name: 'thinking',
		type: 'options',
		options: [
			{
				name: 'Model Default',
				value: 'default',
				description: 'Deepseek-reasoner thinks, deepseek-chat does not',
			},
			{ name: 'Enabled', value: 'enabled', description: 'Send thinking: enabled' },
			{ name: 'Disabled', value: 'disabled', description: 'Send thinking: disabled' },
		],
		default: 'default',
		description: 'Whether the model reasons before it answers (DeepSeek thinking mode)',
	},
	{
		displayName: 'Timeout (Ms)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1000 },
		default: DEFAULT_TIMEOUT_MS,
		description:
			'The longest one request may take before it is abandoned and retried or failed over',
	},
	{
		displayName: 'Top P',
		name: 'topP',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: 1,
		description:
			'Nucleus sampling: consider only the tokens within this probability mass (no effect in thinking mode)',
	},
];

export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	placeholder: 'Add Option',
	type: 'collection',
	default: {},
	options,
};
