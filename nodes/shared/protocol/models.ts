import knownModels from './knownModels.json';
import { modelRules } from './modelRules';

/** The DeepSeek models MetaChat serves, used for names in the list and when /models cannot be read. */
export interface KnownModel {
	id: string;
	/** A few words beside the ID in the model list, which n8n cuts at about 40 characters. */
	label: string;
	/** What the model is, at length. */
	description: string;
	/** Whether it takes images in user messages (DeepSeek's image understanding). */
	images?: boolean;
	/** "r1" for an id that follows R1's rules (modelRules.ts) though its name may not say so. */
	rule?: string;
}

// In knownModels.json, in the model list's order, which the simulator (test/simulator) serves too.
// The descriptions say what modelRules decides for the Thinking setting Model Default.
export const KNOWN_MODELS: KnownModel[] = knownModels;

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
