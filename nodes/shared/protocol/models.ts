/** The DeepSeek models MetaChat serves, used for names in the list and when /models cannot be read. */
export interface KnownModel {
	id: string;
	name: string;
	reasoning: boolean;
}

export const KNOWN_MODELS: KnownModel[] = [
	{ id: 'deepseek-chat', name: 'DeepSeek-V3.2 (non-thinking)', reasoning: false },
	{ id: 'deepseek-reasoner', name: 'DeepSeek-V3.2 (thinking)', reasoning: true },
	{ id: 'deepseek-r1-250528', name: 'DeepSeek-R1 0528 (reasoning)', reasoning: true },
	{
		id: 'deepseek-r1t2-chimera',
		name: 'DeepSeek-R1T2 Chimera (reasoning, role-play)',
		reasoning: true,
	},
];

export const DEFAULT_CHAT_MODEL = 'deepseek-chat';
export const DEFAULT_REASON_MODEL = 'deepseek-reasoner';

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$/;

export function isValidModelId(id: string): boolean {
	return id.length <= 200 && MODEL_ID.test(id);
}

export function isReasoningModel(id: string): boolean {
	const known = KNOWN_MODELS.find((model) => model.id === id);
	if (known) return known.reasoning;
	return /reason|r1|think/i.test(id);
}

export function modelName(id: string): string {
	return KNOWN_MODELS.find((model) => model.id === id)?.name ?? id;
}
