import type { INode, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { readNumberOption } from '../optionValues';
import type { ReasoningEffort } from '../protocol/modelRules';
import type { RequestSettings } from '../protocol/requestBody';

/**
 * One request may take 10 minutes: reasoning models think for minutes, and DeepSeek itself gives
 * up on a request whose inference has not started after about 10 minutes.
 */
export const DEFAULT_TIMEOUT_MS = 600_000;
export const DEFAULT_MAX_RETRIES = 1;

type OptionShape = Omit<INodeProperties, 'description'>;

/** The options both nodes offer: name, type, limits and default are permanent, and the same in both. */
const shapes = {
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

/** The options both nodes offer, as a node reads its Options collection (an expression may give any value). */
export interface SharedOptionValues {
	temperature?: unknown;
	topP?: unknown;
	maxTokens?: unknown;
	frequencyPenalty?: unknown;
	presencePenalty?: unknown;
	reasoningEffort?: ReasoningEffort | 'default';
	responseFormat?: 'text' | 'json_object';
	timeout?: unknown;
	maxRetries?: unknown;
	failover?: boolean;
}

type NumberOption = {
	[Name in keyof typeof shapes]: (typeof shapes)[Name]['type'] extends 'number' ? Name : never;
}[keyof typeof shapes];

/** A shared number option's value (numeric text from an expression too); the error names it. */
function numberOption(
	node: INode,
	options: SharedOptionValues,
	name: NumberOption,
	itemIndex?: number,
	min?: number,
): number | undefined {
	return readNumberOption(node, options[name], shapes[name].displayName, { itemIndex, min });
}

type SamplingSettings = Pick<
	RequestSettings,
	'reasoningEffort' | 'temperature' | 'topP' | 'frequencyPenalty' | 'presencePenalty' | 'maxTokens'
>;

/** What the shared sampling and effort options ask of a request; what is not set is not sent. */
export function samplingSettings(
	node: INode,
	options: SharedOptionValues,
	itemIndex?: number,
): SamplingSettings {
	const effort = options.reasoningEffort;
	return {
		reasoningEffort: effort && effort !== 'default' ? effort : undefined,
		temperature: numberOption(node, options, 'temperature', itemIndex),
		topP: numberOption(node, options, 'topP', itemIndex),
		frequencyPenalty: numberOption(node, options, 'frequencyPenalty', itemIndex),
		presencePenalty: numberOption(node, options, 'presencePenalty', itemIndex),
		maxTokens: numberOption(node, options, 'maxTokens', itemIndex),
	};
}

/** How the shared Timeout, Max Retries and Failover options bound each request. */
export interface RetrySettings {
	timeoutMs: number;
	maxRetries: number;
	failover: boolean;
}

/** The shared Timeout, Max Retries and Failover options, or their defaults. */
export function retrySettings(
	node: INode,
	options: SharedOptionValues,
	itemIndex?: number,
): RetrySettings {
	const timeout = numberOption(node, options, 'timeout', itemIndex, 1) ?? DEFAULT_TIMEOUT_MS;
	const retries = numberOption(node, options, 'maxRetries', itemIndex, 0) ?? DEFAULT_MAX_RETRIES;
	return {
		timeoutMs: timeout,
		maxRetries: Math.floor(retries),
		failover: options.failover !== false,
	};
}

/** One shared option, with a description worded for the node's callers (items or agent calls). */
export function modelOption(name: keyof typeof shapes, description: string): INodeProperties {
	return { ...structuredClone(shapes[name]), description };
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
