import type { INodeProperties } from 'n8n-workflow';

import {
	modelOption,
	optionsCollection,
	responseFormatOption,
	thinkingChoices,
	timeoutOption,
	type SharedOptionValues,
} from '../../shared/description/modelOptions';

export type Operation = 'chat' | 'reason';

/** Room for a tool loop of several long reasoning rounds, with a retry or a failover. */
export const DEFAULT_ITEM_TIMEOUT_MS = 1_800_000;
export const DEFAULT_CONCURRENCY = 5;
export const DEFAULT_MAX_TOOLS_ITERATIONS = 15;

export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify Output',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return a simplified item (content, reasoning, usage, messages) instead of the raw completion response',
};

// Sent as set: DeepSeek accepts these in thinking mode and ignores them there.
const IGNORED_WHEN_THINKING =
	'Sent as set; thinking mode (Reason, Thinking On, deepseek-reasoner, V4 models) ignores it.';

const sampling: INodeProperties[] = [
	modelOption(
		'frequencyPenalty',
		`Positive values make the model less likely to repeat the same lines. ${IGNORED_WHEN_THINKING}`,
	),
	modelOption(
		'presencePenalty',
		`Positive values make the model more likely to talk about new topics. ${IGNORED_WHEN_THINKING}`,
	),
	modelOption(
		'temperature',
		`Higher values give more varied answers, lower values more focused ones. DeepSeek suggests 0 for code, 1.3 for conversation, 1.5 for creative writing. ${IGNORED_WHEN_THINKING}`,
	),
	modelOption(
		'topP',
		`Nucleus sampling: consider only the tokens within this probability mass. ${IGNORED_WHEN_THINKING}`,
	),
];

/**
 * Whether the simplified output carries `messages`. On by default in version 1, whose saved
 * workflows may map it; a later version may default it off.
 */
export const includeMessagesOption: INodeProperties = {
	displayName: 'Include Messages',
	name: 'includeMessages',
	type: 'boolean',
	default: true,
	description:
		'Whether the simplified output has messages: the history, the prompt, any tool calls and the answer, to map into the History of a next turn',
};

function commonOptions(operation: Operation): INodeProperties[] {
	return [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100 },
			default: DEFAULT_CONCURRENCY,
			description:
				'How many items are sent to MetaChat at the same time, lowered by itself while MetaChat answers 429. Without this option the node starts at 16 and adapts up to 64.',
		},
		modelOption(
			'failover',
			"Whether to send the request to the credential's failover URL when the primary cannot answer",
		),
		includeMessagesOption,
		{
			displayName: 'Include Reasoning',
			name: 'includeReasoning',
			type: 'boolean',
			default: true,
			description: "Whether to return the model's reasoning (reasoning_content) in the output",
		},
		{
			displayName: 'Item Timeout (Ms)',
			name: 'itemTimeout',
			type: 'number',
			typeOptions: { minValue: 1000 },
			default: DEFAULT_ITEM_TIMEOUT_MS,
			description: 'The longest one item may take in all, retries and failover included',
		},
		{
			displayName: 'Max Requests per Minute',
			name: 'maxRequestsPerMinute',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'Spread requests out for rate-limited keys; 0 means no limit',
		},
		modelOption(
			'maxRetries',
			'How often to retry an item at the same URL after a server error (5xx) or a broken answer, before failing over',
		),
		{
			displayName: 'Max Tool Calls Iterations',
			name: 'maxToolsIterations',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: DEFAULT_MAX_TOOLS_ITERATIONS,
			description:
				'The most rounds of tool calls (connected to the Tools input) before the item ends without a final answer. One round may call several tools. 0 means no limit.',
		},
		modelOption('maxTokens', 'The most tokens the answer may have'),
		modelOption(
			'reasoningEffort',
			'How hard the model thinks (reasoning_effort); sent only in thinking mode, never to R1 models',
		),
		{
			displayName: 'Stop Sequences',
			name: 'stop',
			type: 'string',
			default: '',
			description: 'Up to 16 sequences, separated by commas, where the model stops writing',
		},
		{
			displayName: 'Stream Reasoning',
			name: 'streamReasoning',
			type: 'boolean',
			default: false,
			description:
				'Whether a streaming webhook response also receives the reasoning tokens (the answer tokens are always streamed)',
		},
		{
			displayName: 'System Message',
			name: 'systemMessage',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			description: 'Instructions sent before the history and the prompt',
		},
		{
			displayName: 'Thinking',
			name: 'thinking',
			type: 'options',
			options: [
				{
					name: 'Operation Default',
					value: 'default',
					description:
						operation === 'reason'
							? 'Thinking on: sends thinking: enabled'
							: 'Thinking off: sends thinking: disabled',
				},
				...thinkingChoices('model'),
			],
			default: 'default',
			description:
				"Whether the model thinks before it answers (DeepSeek's thinking switch); never sent to deepseek-reasoner or R1 models, which always think",
		},
		timeoutOption(),
	];
}

const responseFormat = responseFormatOption(
	'The answer is valid JSON; say "JSON" and show the shape in the prompt',
);

export function optionsProperty(operation: Operation): INodeProperties {
	const options = [...commonOptions(operation), ...sampling];
	if (operation === 'chat') options.push(responseFormat);
	options.sort((a, b) => a.displayName.localeCompare(b.displayName));
	return optionsCollection(options);
}

/** The options as execute() reads them, after defaults. */
export interface CompletionOptions extends SharedOptionValues {
	systemMessage?: string;
	stop?: unknown;
	itemTimeout?: unknown;
	includeReasoning?: boolean;
	includeMessages?: boolean;
	streamReasoning?: boolean;
	concurrency?: unknown;
	maxRequestsPerMinute?: unknown;
	/** 'default' is the operation's own; 'model' sends no thinking field. */
	thinking?: 'default' | 'model' | 'enabled' | 'disabled';
	maxToolsIterations?: unknown;
}
