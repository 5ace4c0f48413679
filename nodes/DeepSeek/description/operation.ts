import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { modelProperty } from '../../shared/parameters';
import {
	groupedOptionsProperty,
	optionGroupProperties,
	optionsProperty,
	simplifyProperty,
	systemMessageProperty,
	type Operation,
} from './completionOptions';
import { imagesProperty } from './images';
import { historyProperty, historyTextProperty, promptProperty } from './messages';

/** The versions of the node: saved workflows keep theirs; a new node gets the last. */
export const NODE_VERSIONS = [1, 2, 3];
export const DEFAULT_NODE_VERSION = 3;

const VERSION_1 = { show: { '@version': [1] } };
const VERSION_2 = { show: { '@version': [2] } };
const FROM_VERSION_2 = { show: { '@version': [{ _cnd: { gte: 2 } }] } };
const FROM_VERSION_3 = { show: { '@version': [{ _cnd: { gte: 3 } }] } };

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Chat',
			value: 'chat',
			action: 'Chat with a model',
			description: 'Answer a message, optionally continuing a conversation',
		},
		{
			name: 'Reason',
			value: 'reason',
			action: 'Reason with a thinking model',
			description: 'Think step by step before answering; returns the reasoning beside the answer',
		},
	],
	default: 'chat',
};

/**
 * An operation's fields, as each version of the node shows them. Version 1: History as a JSON
 * editor and every option (System Message too) in Options. Version 2: System Message on the
 * panel, History as text or a mapped array, the options in four group collections. Version 3:
 * version 2's fields, its options in one Options collection named by group.
 */
export function operationFields(operation: Operation, defaultModel: string): INodeProperties[] {
	return updateDisplayOptions({ show: { operation: [operation] } }, [
		modelProperty(defaultModel),
		promptProperty,
		...updateDisplayOptions(FROM_VERSION_2, [systemMessageProperty]),
		...updateDisplayOptions(VERSION_1, [historyProperty]),
		...updateDisplayOptions(FROM_VERSION_2, [historyTextProperty]),
		...updateDisplayOptions(VERSION_2, [imagesProperty]),
		simplifyProperty,
		...updateDisplayOptions(VERSION_1, [optionsProperty(operation)]),
		...updateDisplayOptions(VERSION_2, optionGroupProperties(operation)),
		...updateDisplayOptions(FROM_VERSION_3, [groupedOptionsProperty(operation)]),
	]);
}
