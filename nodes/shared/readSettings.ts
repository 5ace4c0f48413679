import type { IExecuteFunctions, INode } from 'n8n-workflow';

import {
	DEFAULT_MAX_RETRIES,
	DEFAULT_TIMEOUT_MS,
	SHARED_OPTIONS,
	type SharedOptionName,
} from './description/modelOptions';
import { readNumberOption } from './optionValues';
import type { ReasoningEffort } from './protocol/modelRules';
import { isValidModelId } from './protocol/models';
import type { RequestSettings } from './protocol/requestBody';
import { SAMPLING_FIELDS, type SamplingSetting } from './protocol/wire';
import { inputError } from './nodeErrors';

// What both nodes read at execution time from the parameters description/ declares.

/** The model id the picker holds for an item, trimmed; a clear error if there is none. */
export function readModelId(
	ctx: Pick<IExecuteFunctions, 'getNodeParameter' | 'getNode'>,
	itemIndex: number,
): string {
	const raw = ctx.getNodeParameter('model', itemIndex, '', { extractValue: true });
	const model = typeof raw === 'string' ? raw.trim() : '';
	if (!isValidModelId(model)) {
		const fact =
			model === '' ? ({ what: 'no-model' } as const) : ({ what: 'bad-model-id', model } as const);
		throw inputError(ctx.getNode(), fact, itemIndex);
	}
	return model;
}

/** The options both nodes offer, as a node reads its Options collection (an expression may give any value). */
export type SharedOptionValues = { [Name in SharedOptionName]?: unknown } & {
	reasoningEffort?: ReasoningEffort | 'default';
	responseFormat?: 'text' | 'json_object';
	failover?: boolean;
};

type NumberOption = {
	[Name in SharedOptionName]: (typeof SHARED_OPTIONS)[Name]['shape']['type'] extends 'number'
		? Name
		: never;
}[SharedOptionName];

/** A shared number option's value (numeric text from an expression too); the error names it. */
function numberOption(
	node: INode,
	options: SharedOptionValues,
	name: NumberOption,
	itemIndex?: number,
	min?: number,
): number | undefined {
	return readNumberOption(node, options[name], SHARED_OPTIONS[name].shape.displayName, {
		itemIndex,
		min,
	});
}

/**
 * What the shared sampling and effort options ask of a request; what is not set is not sent.
 * Each sampling setting is the number option of its name.
 */
export function samplingSettings(
	node: INode,
	options: SharedOptionValues,
	itemIndex?: number,
): Pick<RequestSettings, 'reasoningEffort' | SamplingSetting> {
	const effort = options.reasoningEffort;
	const settings: Pick<RequestSettings, 'reasoningEffort' | SamplingSetting> = {
		reasoningEffort: effort && effort !== 'default' ? effort : undefined,
	};
	for (const name of Object.keys(SAMPLING_FIELDS) as Array<SamplingSetting & NumberOption>) {
		settings[name] = numberOption(node, options, name, itemIndex);
	}
	return settings;
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
