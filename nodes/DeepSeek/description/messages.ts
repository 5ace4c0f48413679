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
