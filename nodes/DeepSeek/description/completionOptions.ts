import type { INodeProperties } from 'n8n-workflow';

import {
	GROUPED_LABELS,
	groupedOptions,
	optionPaths,
	optionsCollection,
	responseFormatOption,
	sharedOptions,
	thinkingChoices,
} from '../../shared/parameters';
import { binaryPropertiesOption, imagesProperty, imageUrlsOption } from './images';

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
		'Whether to return a simplified item (content, reasoning, endpoint, usage, and messages with Include Messages) instead of the raw completion response',
};

const responseFormat = responseFormatOption(
	'The answer is valid JSON; say "JSON" and show the shape in the prompt',
);

/** On the main panel from version 2; in Options in version 1. */
export const systemMessageProperty: INodeProperties = {
	displayName: 'System Message',
	name: 'systemMessage',
	type: 'string',
	typeOptions: { rows: 3 },
	default: '',
	description: 'Instructions sent before the history and the prompt',
};

/**
 * Whether the simplified output carries `messages`. On by default in version 1, whose saved
 * workflows may map it; off by default from version 2, where the Table view then shows the answer,
 * its reasoning and the endpoint first.
 */
export const includeMessagesOption: INodeProperties = {
	displayName: 'Include Messages',
	name: 'includeMessages',
	type: 'boolean',
	default: true,
	description:
		'Whether the simplified output has messages: the history, the prompt, any tool calls and the answer, to map into the History of a next turn',
};

/** Every option of the node once, by name; version 1 shows them all in one collection. */
function optionsByName(operation: Operation) {
	return {
		...sharedOptions('item'),
		binaryProperties: binaryPropertiesOption,
		imageUrls: imageUrlsOption,
		concurrency: {
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100 },
			default: DEFAULT_CONCURRENCY,
			description:
				'How many items are sent to MetaChat at the same time, lowered by itself while MetaChat answers 429. Without this option the node starts at 16 and adapts up to 64.',
		},
		includeMessages: includeMessagesOption,
		includeReasoning: {
			displayName: 'Include Reasoning',
			name: 'includeReasoning',
			type: 'boolean',
			default: true,
			description: "Whether to return the model's reasoning (reasoning_content) in the output",
		},
		itemTimeout: {
			displayName: 'Item Timeout (Ms)',
			name: 'itemTimeout',
			type: 'number',
			typeOptions: { minValue: 1000 },
			default: DEFAULT_ITEM_TIMEOUT_MS,
			description: 'The longest one item may take in all, retries and failover included',
		},
		maxRequestsPerMinute: {
			displayName: 'Max Requests per Minute',
			name: 'maxRequestsPerMinute',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'Spread requests out for rate-limited keys; 0 means no limit',
		},
		maxToolsIterations: {
			displayName: 'Max Tool Calls Iterations',
			name: 'maxToolsIterations',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: DEFAULT_MAX_TOOLS_ITERATIONS,
			description:
				'The most rounds of tool calls (connected to the Tools input) before the item ends without a final answer. One round may call several tools. 0 means no limit.',
		},
		responseFormat,
		stop: {
			displayName: 'Stop Sequences',
			name: 'stop',
			type: 'string',
			default: '',
			description: 'Up to 16 sequences, separated by commas, where the model stops writing',
		},
		streamReasoning: {
			displayName: 'Stream Reasoning',
			name: 'streamReasoning',
			type: 'boolean',
			default: false,
			description:
				'Whether a streaming webhook response also receives the reasoning tokens (the answer tokens are always streamed)',
		},
		systemMessage: { ...systemMessageProperty },
		thinking: {
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
	} satisfies Record<string, INodeProperties>;
}

type OptionName = Exclude<
	keyof ReturnType<typeof optionsByName>,
	'systemMessage' | 'binaryProperties' | 'imageUrls'
>;

/** Version 1: every option (System Message too) in one alphabetical Options collection. */
export function optionsProperty(operation: Operation): INodeProperties {
	const options = Object.values(optionsByName(operation)).filter(
		(option) => operation === 'chat' || option.name !== 'responseFormat',
	);
	options.sort((a, b) => a.displayName.localeCompare(b.displayName));
	return optionsCollection(options);
}

/**
 * Version 2's option groups, after n8n's OpenAI nodes: what shapes the answer first, then what
 * bounds a run, then throughput. Each is its own collection (n8n's collections do not nest), in
 * the order a reader looks for them.
 */
export const OPTION_GROUPS: ReadonlyArray<{
	name: string;
	displayName: string;
	placeholder: string;
	options: OptionName[];
}> = [
	{
		name: 'samplingOptions',
		displayName: 'Thinking and Sampling',
		placeholder: 'Add Thinking or Sampling Option',
		options: [
			'thinking',
			'reasoningEffort',
			'temperature',
			'topP',
			'frequencyPenalty',
			'presencePenalty',
		],
	},
	{
		name: 'outputOptions',
		displayName: 'Output',
		placeholder: 'Add Output Option',
		options: [
			'maxTokens',
			'responseFormat',
			'stop',
			'includeReasoning',
			'includeMessages',
			'streamReasoning',
		],
	},
	{
		name: 'reliabilityOptions',
		displayName: 'Reliability',
		placeholder: 'Add Reliability Option',
		options: ['timeout', 'itemTimeout', 'maxRetries', 'failover', 'maxToolsIterations'],
	},
	{
		name: 'performanceOptions',
		displayName: 'Performance',
		placeholder: 'Add Performance Option',
		options: ['concurrency', 'maxRequestsPerMinute'],
	},
];

/** Version 2's option collections for an operation (Response Format is Chat's only). */
export function optionGroupProperties(operation: Operation): INodeProperties[] {
	const byName = optionsByName(operation);
	return OPTION_GROUPS.map((group) => ({
		displayName: group.displayName,
		name: group.name,
		placeholder: group.placeholder,
		type: 'collection',
		default: {},
		options: group.options
			.filter((name) => operation === 'chat' || name !== 'responseFormat')
			.map((name) =>
				name === 'includeMessages' ? { ...byName[name], default: false } : byName[name],
			),
	}));
}

/** Version 3's options and their panel names: each begins with the group version 2 put it in. */
const V3_LABELS: Record<OptionName | 'binaryProperties' | 'imageUrls', string> = {
	...GROUPED_LABELS,
	concurrency: 'Performance: Concurrency',
	includeMessages: 'Output: Include Messages',
	includeReasoning: 'Output: Include Reasoning',
	itemTimeout: 'Reliability: Item Timeout (Ms)',
	maxRequestsPerMinute: 'Performance: Max Requests per Minute',
	maxToolsIterations: 'Reliability: Max Tool Calls Iterations',
	stop: 'Output: Stop Sequences',
	streamReasoning: 'Output: Stream Reasoning',
	binaryProperties: 'Images: Binary Properties',
	imageUrls: 'Images: Image URLs',
};

/**
 * Version 3: every option (version 2's groups and its Images) in one Options collection, so a
 * fresh panel has one "Add Option" instead of four empty blocks, each named after its group so
 * the alphabetical list clusters.
 */
export function groupedOptionsProperty(operation: Operation): INodeProperties {
	const byName = optionsByName(operation);
	const options = (Object.keys(V3_LABELS) as Array<keyof typeof V3_LABELS>)
		.filter((name) => operation === 'chat' || name !== 'responseFormat')
		.map((name) =>
			name === 'includeMessages' ? { ...byName[name], default: false } : byName[name],
		);
	return optionsCollection(groupedOptions(options, V3_LABELS));
}

/** Where each option sits on the panel of this version and operation, for the words that name it. */
export function optionPathsOf(version: number, operation: Operation) {
	if (version < 2) return optionPaths([optionsProperty(operation)]);
	if (version < 3) return optionPaths([...optionGroupProperties(operation), imagesProperty]);
	return optionPaths([groupedOptionsProperty(operation)]);
}
