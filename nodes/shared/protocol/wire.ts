/** DeepSeek's chat completion API as this package sends and reads it (OpenAI-compatible). */

export interface ToolCall {
	id: string;
	type: 'function';
	function: { name: string; arguments: string };
}

/** The roles a chat message may have. */
export const ROLES = ['system', 'user', 'assistant', 'tool'] as const;

export type ChatMessage = {
	role: (typeof ROLES)[number];
	content: string | null;
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

export interface CompletionBody {
	model: string;
	messages: ChatMessage[];
	temperature?: number;
	top_p?: number;
	max_tokens?: number;
	frequency_penalty?: number;
	presence_penalty?: number;
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
