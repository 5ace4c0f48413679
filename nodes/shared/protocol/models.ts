import { modelRules } from './modelRules';

/** The DeepSeek models MetaChat serves, used for names in the list and when /models cannot be read. */
export interface KnownModel {
	id: string;
	name: string;
}

// The names say what modelRules decides for the Thinking setting Model Default.
export const KNOWN_MODELS: KnownModel[] = [
	{ id: 'deepseek-chat', name: 'DeepSeek-V3.2 (non-thinking)' },
	{ id: 'deepseek-reasoner', name: 'DeepSeek-V3.2 (thinking)' },
	{ id: 'deepseek-r1-250528', name: 'DeepSeek-R1 0528 (reasoning)' },
	{ id: 'deepseek-r1t2-chimera', name: 'DeepSeek-R1T2 Chimera (reasoning, role-play)' },
	{ id: 'deepseek-v4-flash', name: 'DeepSeek-V4 Flash (thinking unless turned off)' },
	{ id: 'deepseek-v4-pro', name: 'DeepSeek-V4 Pro (thinking unless turned off)' },
	{ id: 'deepseek-flash', name: 'DeepSeek-V4.1 Flash (thinking unless turned off)' },
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

export function modelName(id: string): string {
	return KNOWN_MODELS.find((model) => model.id === id)?.name ?? id;
}
