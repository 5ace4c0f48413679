/** DeepSeek's chat completion API as this package sends and reads it (OpenAI-compatible). */

export interface ToolCall {
	id: string;
	type: 'function';
	function: { name: string; arguments: string };
}

/** The roles a chat message may have. */
export const ROLES = ['system', 'user', 'assistant', 'tool'] as const;

/** A block of a user message's content: text, or an image (a data URL or an https URL). */
export type ContentPart =
	{ type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export type ChatMessage = {
	role: (typeof ROLES)[number];
	/** A list of blocks only in user messages with images (models that see images take it). */
	content: string | null | ContentPart[];
	name?: string;
	tool_call_id?: string;
	tool_calls?: unknown[];
	reasoning_content?: string;
};

/** A tool as the API takes it: a function with a JSON schema of its arguments. */
/** DeepSeek's tool_choice: thinking mode takes only 'auto' and 'none'. */
export type ToolChoice =
	'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export interface ToolDefinition {
	type: 'function';
	function: { name: string; description?: string; parameters: Record<string, unknown> };
}

/**
 * The sampling settings and the body field each is sent as, as set (thinking mode ignores them;
 * the options say so). Each is the shared option of the same name (`SHARED_OPTIONS` in description/modelOptions.ts),
 * which readSettings.ts reads; a server's refusal of one is worded as "remove" that option.
 */
export const SAMPLING_FIELDS = {
	temperature: 'temperature',
	topP: 'top_p',
	frequencyPenalty: 'frequency_penalty',
	presencePenalty: 'presence_penalty',
	maxTokens: 'max_tokens',
} as const;

export type SamplingSetting = keyof typeof SAMPLING_FIELDS;
export type SamplingField = (typeof SAMPLING_FIELDS)[SamplingSetting];

export interface CompletionBody extends Partial<Record<SamplingField, number>> {
	model: string;
	messages: ChatMessage[];
	stop?: string[];
	response_format?: { type: 'text' | 'json_object' };
	tools?: ToolDefinition[];
	/** Only where a caller asked to force a call, and never in thinking mode (DeepSeek refuses it). */
	tool_choice?: ToolChoice;
	thinking?: { type: 'enabled' | 'disabled' };
	reasoning_effort?: 'low' | 'medium' | 'high' | 'max';
}

export interface Usage {
	prompt_tokens: number;
	completion_tokens: number;
	total_tokens: number;
	/** DeepSeek's context cache figures, passed through when the server sends them. */
	prompt_cache_hit_tokens?: number;
	prompt_cache_miss_tokens?: number;
	[key: string]: unknown;
}

/** A chat completion in the shape of a non-streamed API answer, rebuilt from the stream. */
export interface Completion {
	id: string;
	object: 'chat.completion';
	created: number;
	model: string;
	system_fingerprint?: string;
	choices: Array<{
		index: number;
		message: {
			role: 'assistant';
			content: string;
			reasoning_content?: string;
			tool_calls?: ToolCall[];
		};
		finish_reason: string;
		logprobs: null;
	}>;
	usage?: Usage;
}
