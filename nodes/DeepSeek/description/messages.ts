import type { INodeProperties } from 'n8n-workflow';

export const promptProperty: INodeProperties = {
	displayName: 'Prompt',
	name: 'prompt',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	required: true,
	placeholder: 'e.g. {{ $json.text }}',
	description: 'The new user message',
};

/** Version 1's History: a JSON editor (an expression such as {{ $json.messages }} works too). */
export const historyProperty: INodeProperties = {
	displayName: 'History',
	name: 'history',
	type: 'json',
	default: '[]',
	placeholder: '{{ $json.messages }}',
	description:
		'Earlier turns as an array of { role, content } (system, user, assistant, tool). The Messages output of an earlier run of this node can be passed as it is.',
	hint: 'Leave [] for a single-turn question. Reasoning is sent back where thinking mode needs it (turns with tool calls) and removed elsewhere.',
};

/**
 * Version 2's History: a plain text field, so a messages array dragged in from an earlier node
 * (an expression that gives the array itself) and typed JSON text both work without a mode switch.
 */
export const historyTextProperty: INodeProperties = {
	displayName: 'History',
	name: 'history',
	type: 'string',
	typeOptions: { rows: 2 },
	default: '',
	placeholder: 'e.g. {{ $json.messages }}',
	description:
		'Earlier turns: drag an array of { role, content } (system, user, assistant, tool) in from an earlier node, or type it as JSON. The Messages output of an earlier run of this node can be passed as it is.',
	hint: 'Leave empty for a single-turn question. Reasoning is sent back where thinking mode needs it (turns with tool calls) and removed elsewhere.',
};
