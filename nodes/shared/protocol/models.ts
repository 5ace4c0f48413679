import { modelRules } from './modelRules';

/** The DeepSeek models MetaChat serves, used for names in the list and when /models cannot be read. */
export interface KnownModel {
	id: string;
	/** A few words beside the ID in the model list, which n8n cuts at about 40 characters. */
	label: string;
	/** What the model is, at length. */
	description: string;
}

// The descriptions say what modelRules decides for the Thinking setting Model Default.
export const KNOWN_MODELS: KnownModel[] = [
	{
		id: 'deepseek-chat',
		label: 'V3.2, no thinking',
		description: 'DeepSeek-V3.2 without thinking, unless Thinking is On',
	},
	{
		id: 'deepseek-reasoner',
		label: 'V3.2, thinking',
		description: 'DeepSeek-V3.2 in thinking mode: always thinks',
	},
	{
		id: 'deepseek-r1-250528',
		label: 'R1 0528',
		description: 'DeepSeek-R1, the 0528 snapshot: always reasons',
	},
	{
		id: 'deepseek-r1t2-chimera',
		label: 'R1T2 Chimera',
		description: 'DeepSeek-R1T2 Chimera: reasons, good at role-play',
	},
	{
		id: 'deepseek-v4-flash',
		label: 'V4 Flash',
		description: 'DeepSeek-V4 Flash: thinks unless Thinking is Off',
	},
	{
		id: 'deepseek-v4-pro',
		label: 'V4 Pro',
		description: 'DeepSeek-V4 Pro: thinks unless Thinking is Off',
	},
	{
		id: 'deepseek-flash',
		label: 'V4.1 Flash',
		description: 'DeepSeek-V4.1 Flash: thinks unless Thinking is Off',
	},
];

export const DEFAULT_CHAT_MODEL = 'deepseek-chat';
export const DEFAULT_REASON_MODEL = 'deepseek-reasoner';

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$/;

export function isValidModelId(id: string): boolean {
	return id.length <= 200 && MODEL_ID.test(id);
}

/** Whether the model thinks when the Thinking option is left at its default. */
export function isReasoningModel(id: string): boolean {
	return modelRules(id).thinks;
}

export function knownModel(id: string): KnownModel | undefined {
	return KNOWN_MODELS.find((model) => model.id === id);
}
