import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * One request may take 10 minutes: reasoning models think for minutes, and DeepSeek itself gives
 * up on a request whose inference has not started after about 10 minutes.
 */
export const DEFAULT_TIMEOUT_MS = 600_000;
export const DEFAULT_MAX_RETRIES = 1;

/** Worded the same in both nodes. */
const TIMEOUT_DESCRIPTION =
	'The longest one request may take. An answer still arriving then fails (the backup is not asked, MetaChat was working); silence for half this time (at most 60 s) counts as MetaChat down: retried or failed over.';

type OptionShape = Omit<INodeProperties, 'description'>;

/** A number option's shape: its panel name, its stored name, its limits and its default. */
function numberShape(
	displayName: string,
	name: string,
	typeOptions: INodeProperties['typeOptions'],
	defaultValue: number,
) {
	return { displayName, name, type: 'number' as const, typeOptions, default: defaultValue };
}

/** Who reads a shared option's description: the DeepSeek node (of an item) or the chat model (of a call). */
export type OptionReader = 'item' | 'call';

interface SharedOption {
	/** Name, type, limits and default: permanent, and the same in both nodes. */
	shape: OptionShape;
	/** Its panel name where one Options list shows them all: its group first, so they cluster. */
	label: string;
	/** What each node says of it. */
	describe: Record<OptionReader, string>;
}

// Sent as set: DeepSeek accepts these in thinking mode and ignores them there.
const IGNORED_WHEN_THINKING =
	'Sent as set; thinking mode (Reason, Thinking On, deepseek-reasoner, V4 models) ignores it.';
const IGNORED_BY_THINKING_MODE = '(sent as set; thinking mode ignores it)';

/** What both nodes say of a sampling option thinking mode ignores; the DeepSeek node may add advice. */
function ignoredWhenThinking(words: string, itemAdvice?: string): Record<OptionReader, string> {
	const item = itemAdvice ? `${words}. ${itemAdvice}` : words;
	return {
		item: `${item}. ${IGNORED_WHEN_THINKING}`,
		call: `${words} ${IGNORED_BY_THINKING_MODE}`,
	};
}

/** DeepSeek's range for both penalties. */
const PENALTY_RANGE = { minValue: -2, maxValue: 2, numberPrecision: 2 };

/**
 * The options both nodes offer, each described once for both; how a node reads it at execution
 * time (readSettings.ts) follows from its shape, and a sampling option's wire field from
 * `SAMPLING_FIELDS` (protocol/wire.ts).
 */
export const SHARED_OPTIONS = {
	failover: {
		shape: { displayName: 'Failover', name: 'failover', type: 'boolean', default: true },
		label: 'Reliability: Failover',
		describe: {
			item: "Whether to send the request to the credential's failover URL when the primary cannot answer",
			call: "Whether to send a call to the credential's failover URL when the primary cannot answer",
		},
	},
	frequencyPenalty: {
		shape: numberShape('Frequency Penalty', 'frequencyPenalty', PENALTY_RANGE, 0),
		label: 'Sampling: Frequency Penalty',
		describe: ignoredWhenThinking(
			'Positive values make the model less likely to repeat the same lines',
		),
	},
	maxRetries: {
		shape: numberShape(
			'Max Retries',
			'maxRetries',
			{ minValue: 0, maxValue: 10 },
			DEFAULT_MAX_RETRIES,
		),
		label: 'Reliability: Max Retries',
		describe: {
			item: 'How often to retry an item at the same URL after a server error (5xx) or a broken answer, before failing over',
			call: 'How often to retry a call at the same URL after a server error (5xx) or a broken answer, before failing over',
		},
	},
	maxTokens: {
		shape: numberShape('Maximum Number of Tokens', 'maxTokens', { minValue: 1 }, 4096),
		label: 'Output: Maximum Number of Tokens',
		describe: {
			item: 'The most tokens the answer may have',
			call: 'The most tokens one answer may have',
		},
	},
	presencePenalty: {
		shape: numberShape('Presence Penalty', 'presencePenalty', PENALTY_RANGE, 0),
		label: 'Sampling: Presence Penalty',
		describe: ignoredWhenThinking(
			'Positive values make the model more likely to talk about new topics',
		),
	},
	reasoningEffort: {
		shape: {
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
		label: 'Thinking: Reasoning Effort',
		describe: {
			item: 'How hard the model thinks (reasoning_effort); sent only in thinking mode, never to R1 models',
			call: 'How hard the model thinks before it answers; sent only in thinking mode, never to R1 models',
		},
	},
	temperature: {
		shape: numberShape(
			'Sampling Temperature',
			'temperature',
			{ minValue: 0, maxValue: 2, numberPrecision: 2 },
			1,
		),
		label: 'Sampling: Temperature',
		describe: ignoredWhenThinking(
			'Higher values give more varied answers, lower values more focused ones',
			'DeepSeek suggests 0 for code, 1.3 for conversation, 1.5 for creative writing',
		),
	},
	timeout: {
		shape: numberShape('Timeout (Ms)', 'timeout', { minValue: 1000 }, DEFAULT_TIMEOUT_MS),
		label: 'Reliability: Timeout (Ms)',
		describe: {
			item: TIMEOUT_DESCRIPTION,
			call: TIMEOUT_DESCRIPTION,
		},
	},
	topP: {
		shape: numberShape('Top P', 'topP', { minValue: 0, maxValue: 1, numberPrecision: 2 }, 1),
		label: 'Sampling: Top P',
		describe: ignoredWhenThinking(
			'Nucleus sampling: consider only the tokens within this probability mass',
		),
	},
} satisfies Record<string, SharedOption>;

export type SharedOptionName = keyof typeof SHARED_OPTIONS;

/**
 * The panel names of the options both nodes offer where one Options list shows them all: each
 * begins with its group, so n8n's alphabetical list clusters them (the stored names stay).
 */
export const GROUPED_LABELS: Record<SharedOptionName | 'responseFormat' | 'thinking', string> = {
	...(Object.fromEntries(
		Object.entries(SHARED_OPTIONS).map(([name, { label }]) => [name, label]),
	) as Record<SharedOptionName, string>),
	responseFormat: 'Output: Response Format',
	thinking: 'Thinking: Mode',
};

/** The options with their grouped panel names, in n8n's alphabetical order. */
export function groupedOptions(
	options: INodeProperties[],
	labels: Record<string, string>,
): INodeProperties[] {
	return options
		.map((option) => ({ ...option, displayName: labels[option.name] ?? option.displayName }))
		.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** Every shared option as a node shows it, described for its reader, by name. */
export function sharedOptions(reader: OptionReader): Record<SharedOptionName, INodeProperties> {
	const entries = Object.entries(SHARED_OPTIONS) as Array<[SharedOptionName, SharedOption]>;
	return Object.fromEntries(
		entries.map(([name, option]) => [
			name,
			{ ...structuredClone(option.shape), description: option.describe[reader] },
		]),
	) as Record<SharedOptionName, INodeProperties>;
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
