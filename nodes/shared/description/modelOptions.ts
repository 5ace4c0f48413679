import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * One request may take 10 minutes: reasoning models think for minutes, and DeepSeek itself gives
 * up on a request whose inference has not started after about 10 minutes.
 */
export const DEFAULT_TIMEOUT_MS = 600_000;
export const DEFAULT_MAX_RETRIES = 1;

type OptionShape = Omit<INodeProperties, 'description'>;

/** The options both nodes offer: name, type, limits and default are permanent, and the same in both. */
export const sharedOptionShapes = {
	failover: {
		displayName: 'Failover',
		name: 'failover',
		type: 'boolean',
		default: true,
	},
	frequencyPenalty: {
		displayName: 'Frequency Penalty',
		name: 'frequencyPenalty',
		type: 'number',
		typeOptions: { minValue: -2, maxValue: 2, numberPrecision: 2 },
		default: 0,
	},
	maxRetries: {
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10 },
		default: DEFAULT_MAX_RETRIES,
	},
	maxTokens: {
		displayName: 'Maximum Number of Tokens',
		name: 'maxTokens',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 4096,
	},
	presencePenalty: {
		displayName: 'Presence Penalty',
		name: 'presencePenalty',
		type: 'number',
		typeOptions: { minValue: -2, maxValue: 2, numberPrecision: 2 },
		default: 0,
	},
	reasoningEffort: {
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
	},
	temperature: {
		displayName: 'Sampling Temperature',
		name: 'temperature',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
		default: 1,
	},
	timeout: {
		displayName: 'Timeout (Ms)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1000 },
		default: DEFAULT_TIMEOUT_MS,
	},
	topP: {
		displayName: 'Top P',
		name: 'topP',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: 1,
	},
} satisfies Record<string, OptionShape>;

/**
 * The panel names of the options both nodes offer where one Options list shows them all: each
 * begins with its group, so n8n's alphabetical list clusters them (the stored names stay).
 */
export const GROUPED_LABELS = {
	failover: 'Reliability: Failover',
	frequencyPenalty: 'Sampling: Frequency Penalty',
	maxRetries: 'Reliability: Max Retries',
	maxTokens: 'Output: Maximum Number of Tokens',
	presencePenalty: 'Sampling: Presence Penalty',
	reasoningEffort: 'Thinking: Reasoning Effort',
	responseFormat: 'Output: Response Format',
	temperature: 'Sampling: Temperature',
	thinking: 'Thinking: Mode',
	timeout: 'Reliability: Timeout (Ms)',
	topP: 'Sampling: Top P',
} as const;

/** The options with their grouped panel names, in n8n's alphabetical order. */
export function groupedOptions(
	options: INodeProperties[],
	labels: Record<string, string>,
): INodeProperties[] {
	return options
		.map((option) => ({ ...option, displayName: labels[option.name] ?? option.displayName }))
		.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** One shared option, with a description worded for the node's callers (items or agent calls). */
export function modelOption(
	name: keyof typeof sharedOptionShapes,
	description: string,
): INodeProperties {
	return { ...structuredClone(sharedOptionShapes[name]), description };
}

/** Worded the same in both nodes. */
export function timeoutOption(): INodeProperties {
	return modelOption(
		'timeout',
		'The longest one request may take. An answer still arriving then fails (the backup is not asked, MetaChat was working); silence for half this time (at most 60 s) counts as MetaChat down: retried or failed over.',
	);
}

/** Text or a JSON object; jsonDescription tells the user what JSON mode asks of the prompt. */
export function responseFormatOption(jsonDescription: string): INodeProperties {
	return {
		displayName: 'Response Format',
		name: 'responseFormat',
		type: 'options',
		options: [
			{ name: 'Text', value: 'text' },
			{ name: 'JSON Object', value: 'json_object', description: jsonDescription },
		],
		default: 'text',
	};
}

/** Where each option of a node's collections sits on its panel: "Collection > Option". */
export function optionPaths(
	collections: INodeProperties[],
): (option: string) => string | undefined {
	const paths = new Map<string, string>();
	for (const collection of collections) {
		for (const option of (collection.options ?? []) as INodeProperties[]) {
			paths.set(option.name, `${collection.displayName} > ${option.displayName}`);
		}
	}
	return (option) => paths.get(option);
}

/** The Options collection of a node, holding the given options. */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		placeholder: 'Add Option',
		type: 'collection',
		default: {},
		options,
	};
}

/** The Thinking choices both nodes offer; modelDefault is the node's value for sending no field. */
export function thinkingChoices(modelDefault: string): INodePropertyOptions[] {
	return [
		{
			name: 'Model Default',
			value: modelDefault,
			description:
				'Sends no thinking field: deepseek-reasoner, V4 and R1 models think, deepseek-chat does not',
		},
		{ name: 'On', value: 'enabled', description: 'Sends thinking: enabled' },
		{ name: 'Off', value: 'disabled', description: 'Sends thinking: disabled' },
	];
}
