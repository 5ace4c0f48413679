import {
	modelRules,
	passBackReasoning,
	type ReasoningEffort,
	type ThinkingSetting,
} from './modelRules';
import {
	SAMPLING_FIELDS,
	type ChatMessage,
	type CompletionBody,
	type SamplingSetting,
	type ToolChoice,
	type ToolDefinition,
} from './wire';
import { textOf } from './messageText';

export const MAX_STOP_SEQUENCES = 16;

type Entries<T> = Array<{ [Key in keyof T]: [Key, T[Key]] }[keyof T]>;

/** DeepSeek answers 400 to JSON output unless the prompt says "json"; this says it when none does. */
export const JSON_HINT = 'Reply with one valid JSON object and nothing else.';

export type SamplingSettings = { [Setting in SamplingSetting]?: number };

/** What a node's parameters say about a request; anything left out is not sent. */
export interface RequestSettings extends SamplingSettings {
	/** 'default' sends no `thinking` field: the model decides. */
	thinking: ThinkingSetting;
	reasoningEffort?: ReasoningEffort;
	stop?: string[];
	responseFormat?: 'text' | 'json_object';
	/** A caller's tool_choice, as LangChain words it ('any' is OpenAI's and LangChain's 'required'). */
	toolChoice?: unknown;
}

/**
 * DeepSeek's tool_choice for a caller's (LangChain's 'any', 'required', 'auto', 'none', a tool's
 * name or { type: 'function', function: { name } }); undefined for anything else.
 */
export function deepSeekToolChoice(choice: unknown): ToolChoice | undefined {
	if (choice === 'any' || choice === 'required') return 'required';
	if (choice === 'auto' || choice === 'none') return choice;
	if (typeof choice === 'string' && choice !== '')
		return { type: 'function', function: { name: choice } };
	const name = (choice as { function?: { name?: unknown } } | null)?.function?.name;
	if (typeof name === 'string' && name !== '') return { type: 'function', function: { name } };
	return undefined;
}

/**
 * Whether a caller's tool_choice is sent to a model: a forced one ('required', a named tool) only
 * where the request switches thinking off, as DeepSeek's thinking mode refuses anything but
 * 'auto' and 'none' with a 400, and a model that may think (V4 by default; deepseek-chat where
 * MetaChat routes it to V4; R1 always) cannot be told apart from one that does not by its id.
 */
export function toolChoiceFor(
	model: string,
	settings: Pick<RequestSettings, 'thinking' | 'toolChoice'>,
): { choice?: ToolChoice; dropped?: ToolChoice } {
	const choice = deepSeekToolChoice(settings.toolChoice);
	if (choice === undefined) return {};
	const forced = choice !== 'auto' && choice !== 'none';
	if (forced && modelRules(model, settings.thinking).thinkingField?.type !== 'disabled') {
		return { dropped: choice };
	}
	return { choice };
}

function withJsonHint(messages: ChatMessage[]): ChatMessage[] {
	const saysJson = messages.some((message) => /json/i.test(textOf(message.content)));
	if (saysJson) return messages;
	const leadingSystem = messages.findIndex((message) => message.role !== 'system');
	const at = leadingSystem === -1 ? messages.length : leadingSystem;
	return [...messages.slice(0, at), { role: 'system', content: JSON_HINT }, ...messages.slice(at)];
}

/**
 * The request body both nodes send, by the rules of modelRules.ts: reasoning passed back where
 * thinking mode needs it, `thinking` and `reasoning_effort` only to models that take them, every
 * sampling setting the user made (thinking mode ignores them, the options say so), a "json" hint for
 * JSON output, and a caller's `tool_choice` only where the model takes it (toolChoiceFor).
 */
export function buildRequestBody(
	model: string,
	messages: ChatMessage[],
	settings: RequestSettings,
	tools: ToolDefinition[] = [],
): CompletionBody {
	const json = settings.responseFormat === 'json_object';
	const rules = modelRules(model, settings.thinking);
	const body: CompletionBody = {
		model,
		messages: passBackReasoning(rules.passback, json ? withJsonHint(messages) : messages),
	};
	if (rules.thinkingField) body.thinking = rules.thinkingField;
	if (settings.reasoningEffort && rules.reasoningEffort) {
		body.reasoning_effort = settings.reasoningEffort;
	}
	for (const [setting, field] of Object.entries(SAMPLING_FIELDS) as Entries<
		typeof SAMPLING_FIELDS
	>) {
		const value = settings[setting];
		if (value !== undefined) body[field] = value;
	}
	const stop = (settings.stop ?? []).map((sequence) => sequence.trim()).filter(Boolean);
	if (stop.length > 0) body.stop = stop.slice(0, MAX_STOP_SEQUENCES);
	if (json) body.response_format = { type: 'json_object' };
	if (tools.length > 0) {
		body.tools = tools;
		const { choice } = toolChoiceFor(model, settings);
		if (choice !== undefined) body.tool_choice = choice;
	}
	return body;
}
