import {
	BaseChatModel,
	type ChatModelConfig,
	type FinishReason,
	type GenerateResult,
	type Message,
	type MessageContent,
	type StreamChunk,
	type TokenUsage,
} from '@n8n/ai-node-sdk';

import {
	answerParts,
	buildRequestBody,
	type CompletionBody,
	type ReasoningEffort,
	type RequestSettings,
	type ThinkingSetting,
	thinkingUsedBudget,
	ThinkTagSplitter,
	type ToolCall,
	toolChoiceFor,
	toolDefinition,
	type Usage,
} from '../../shared/protocol';
import {
	type Answer,
	type DeltaCallbacks,
	type MetaChatSession,
	type OptionPath,
	RequestFailure,
} from '../../shared/session';
import {
	failoverNotice,
	thinkingBudgetNotice,
	toolChoiceDroppedNotice,
} from '../../shared/wording';
import { REASONING_METADATA_KEY, toDeepSeekMessages } from './toDeepSeekMessages';
import type { ReasoningStore } from './reasoningStore';
import { StreamQueue } from './streamQueue';
import { withJsonInstruction } from './structuredOutput';

export type { ReasoningEffort, ThinkingSetting };

/** What the node's parameters say about every call of this model. */
export interface DeepSeekModelSettings extends Omit<RequestSettings, 'stop' | 'toolChoice'> {
	model: string;
	timeoutMs: number;
	maxRetries: number;
	failover: boolean;
}

/** What one supplyData call shares with every round of the agent it serves. */
export interface ModelConnection {
	session: MetaChatSession;
	executionId: string;
	store: ReasoningStore;
	/** Turns a failed call into the error n8n shows (no key, no prompt). */
	toError: (error: unknown) => Error;
	/** Writes a warning to n8n's log, about this node. */
	warn: (message: string) => void;
	/** Where an option sits on this node's panel, for notices that name it. */
	optionPath?: OptionPath;
}

/**
 * What an answer says beyond the SDK's message types, as the API said it: langchainModel.ts shapes
 * LangChain's message from it as n8n's own chat models shape theirs.
 */
export interface AnswerFacts {
	id?: string;
	model?: string;
	/** DeepSeek's finish reason, in OpenAI's (and LangChain's) spelling: stop, length, tool_calls… */
	finishReason?: string;
	usage?: Usage;
	toolCalls?: ToolCall[];
	/** Which URL answered and why the primary did not, where the backup answered. */
	failover?: string;
}

/** Where an answer's metadata holds the failover notice, which the call's log entry shows. */
export const FAILOVER_METADATA_KEY = 'failover';

/** The call option under which a caller (aiNodeSdkGaps.ts) hands a call the facts to fill in. */
export const ANSWER_FACTS = Symbol('metachat.answerFacts');

function factsOf(config: ChatModelConfig | undefined): AnswerFacts | undefined {
	return (config as { [ANSWER_FACTS]?: AnswerFacts } | undefined)?.[ANSWER_FACTS];
}

/** The longest one model call may take with its retries and failover, unless the timeout is longer. */
export const CALL_DEADLINE_MS = 600_000;

function finishReason(reason: string, hasToolCalls: boolean): FinishReason {
	if (hasToolCalls || reason === 'tool_calls') return 'tool-calls';
	if (reason === 'stop') return 'stop';
	if (reason === 'length') return 'length';
	if (reason === 'content_filter') return 'content-filter';
	return 'other';
}

function tokenUsage(usage: Usage | undefined): TokenUsage | undefined {
	if (!usage) return undefined;
	const cacheRead = usage.prompt_cache_hit_tokens;
	const reasoning = (usage.completion_tokens_details as { reasoning_tokens?: unknown } | undefined)
		?.reasoning_tokens;
	return {
		promptTokens: usage.prompt_tokens ?? 0,
		completionTokens: usage.completion_tokens ?? 0,
		totalTokens: usage.total_tokens ?? 0,
		...(typeof cacheRead === 'number' && { inputTokenDetails: { cacheRead } }),
		...(typeof reasoning === 'number' && { outputTokenDetails: { reasoning } }),
	};
}

function callSignal(config: ChatModelConfig | undefined): AbortSignal | undefined {
	// LangChain hands its call options through as the config: the abort signal is `signal` there.
	return config?.abortSignal ?? (config as { signal?: AbortSignal } | undefined)?.signal;
}

/** DeepSeek through MetaChat's shared client, as a chat model for n8n's AI Agent and chains. */
export class DeepSeekChatModel extends BaseChatModel {
	constructor(
		private readonly settings: DeepSeekModelSettings,
		private readonly connection: ModelConnection,
	) {
		super('metachat-deepseek', settings.model, {
			maxTokens: settings.maxTokens,
			temperature: settings.temperature,
			topP: settings.topP,
			timeout: settings.timeoutMs,
			maxRetries: settings.maxRetries,
		});
	}

	/** The tool_choice the caller bound with the tools (AI Agent 3.x's "Force tool call"). */
	private toolChoice: unknown;

	/**
	 * A copy with these tools. Binding tools again replaces those of the same name, as LangChain's
	 * bindTools does (the SDK's would list them twice: AI Agent 3.x binds the agent's tools for a
	 * forced first call, then the tool-calling agent binds them again, and DeepSeek refuses a name
	 * used twice).
	 */
	override withTools(tools: Parameters<BaseChatModel['withTools']>[0]): this {
		const names = new Set(tools.map((tool) => tool.name));
		const copy = super.withTools(tools) as this;
		copy.tools = [...this.tools.filter((tool) => !names.has(tool.name)), ...tools];
		return copy;
	}

	/** A copy that asks for this tool_choice, where the model takes it (toolChoiceFor). */
	withToolChoice(choice: unknown): this {
		const copy = Object.create(Object.getPrototypeOf(this) as object) as this;
		Object.assign(copy, this);
		copy.toolChoice = choice;
		return copy;
	}

	async generate(messages: Message[], config?: ChatModelConfig): Promise<GenerateResult> {
		const answer = await this.send(this.requestBody(messages, config), config, {});
		return this.toResult(answer, config);
	}

	async *stream(messages: Message[], config?: ChatModelConfig): AsyncIterable<StreamChunk> {
		const body = this.requestBody(messages, config);
		const queue = new StreamQueue<StreamChunk>();
		const reader = new AbortController();
		// What reached the reader: once any text has, a broken attempt is not repeated (the
		// transport asks streamedChars), as the reader cannot take text back.
		let streamed = 0;
		const facts = factsOf(config);
		let answerId: string | undefined;
		const pass = (delta: string) => {
			streamed += delta.length;
			queue.push({ type: 'text-delta', delta, id: answerId });
		};
		let splitter = new ThinkTagSplitter();
		const callbacks: DeltaCallbacks = {
			onContent: (delta, id) => {
				// The answer's id reaches the caller with its first text, as OpenAI's chunks carry it.
				answerId = id;
				if (facts) facts.id = id;
				const { content } = splitter.push(delta);
				if (content) pass(content);
			},
			onRetry: () => {
				splitter = new ThinkTagSplitter();
			},
			streamedChars: () => streamed,
		};
		const done = this.send(body, config, callbacks, reader.signal).then(
			(answer) => {
				const { content } = splitter.flush();
				if (content) pass(content);
				const result = this.toResult(answer, config);
				for (const part of result.message.content) {
					if (part.type !== 'tool-call') continue;
					queue.push({
						type: 'tool-call-delta',
						id: part.toolCallId,
						name: part.toolName,
						argumentsDelta: part.input,
					});
				}
				// The reasoning as the SDK's reasoning content: langchainModel.ts makes it the answer's
				// metadata, where a generated answer has it.
				const reasoning = result.providerMetadata?.[REASONING_METADATA_KEY];
				if (typeof reasoning === 'string') {
					queue.push({ type: 'content', content: { type: 'reasoning', text: reasoning } });
				}
				queue.push({
					type: 'finish',
					finishReason: result.finishReason ?? 'stop',
					usage: result.usage,
				});
				queue.end();
			},
			(error: unknown) => queue.fail(error),
		);
		try {
			yield* queue.drain();
		} finally {
			reader.abort();
			await done;
		}
	}

	private requestBody(messages: Message[], config?: ChatModelConfig): CompletionBody {
		const { settings, connection } = this;
		const converted = toDeepSeekMessages(
			messages,
			(id) => connection.store.recall(connection.executionId, id),
			connection.toError,
		);
		const stop = config?.stopSequences ?? (config as { stop?: unknown } | undefined)?.stop;
		const tools = this.tools.flatMap((tool) =>
			tool.type === 'function'
				? [toolDefinition(tool.name, tool.description, tool.inputSchema)]
				: [],
		);
		// LangChain hands a tool_choice either with the tools (bindTools) or with the call.
		const toolChoice =
			(config as { tool_choice?: unknown } | undefined)?.tool_choice ?? this.toolChoice;
		// LangChain's JSON modes come as a call option (withStructuredOutput, withConfig).
		const json = withJsonInstruction(
			converted,
			(config as { response_format?: unknown } | undefined)?.response_format,
		);
		const request = {
			...settings,
			...(json && { responseFormat: 'json_object' as const }),
			stop: Array.isArray(stop) ? stop.map(String) : undefined,
			toolChoice,
		};
		const { dropped } = toolChoiceFor(settings.model, request);
		if (dropped !== undefined && tools.length > 0) {
			connection.warn(toolChoiceDroppedNotice(settings.model, dropped));
		}
		return buildRequestBody(settings.model, json?.messages ?? converted, request, tools);
	}

	private async send(
		body: CompletionBody,
		config: ChatModelConfig | undefined,
		callbacks: DeltaCallbacks,
		reader?: AbortSignal,
	): Promise<Answer> {
		// The call's own aborts (the agent's, a stream reader that stopped), besides the run's.
		const own = [callSignal(config), reader].filter(
			(signal): signal is AbortSignal => signal !== undefined,
		);
		const { timeoutMs, maxRetries, failover } = this.settings;
		const answer = await this.connection.session.complete(
			body,
			{
				timeoutMs,
				itemDeadline: Date.now() + Math.max(CALL_DEADLINE_MS, timeoutMs * 2),
				maxRetries,
				failover,
				signal: own.length > 0 ? AbortSignal.any(own) : undefined,
			},
			callbacks,
		);
		if (answer instanceof RequestFailure) throw this.connection.toError(answer);
		if (answer.failedOver) this.connection.warn(failoverNotice([answer.failedOver]));
		return answer;
	}

	private toResult(answer: Answer, config: ChatModelConfig | undefined): GenerateResult {
		const { completion } = answer;
		const choice = completion.choices[0];
		const { message } = choice;
		const facts = factsOf(config);
		const failover = answer.failedOver && failoverNotice([answer.failedOver]);
		if (facts) {
			Object.assign(facts, {
				failover: failover || undefined,
				id: completion.id || undefined,
				model: completion.model || this.settings.model,
				finishReason:
					choice.finish_reason || (message.tool_calls?.length ? 'tool_calls' : undefined),
				usage: completion.usage,
				toolCalls: message.tool_calls,
			});
		}
		const { content: text, reasoning } = answerParts(message);

		const content: MessageContent[] = [];
		if (text) content.push({ type: 'text', text });
		// The transport gives every tool call a name and an id (transport/completion.ts, as OpenAI's SDK does).
		const toolCalls = message.tool_calls ?? [];
		for (const call of toolCalls) {
			content.push({
				type: 'tool-call',
				toolCallId: call.id,
				toolName: call.function.name,
				input: call.function.arguments || '{}',
			});
		}
		const ids = toolCalls.map((call) => call.id);
		if (ids.length > 0 && reasoning) {
			this.connection.store.remember(this.connection.executionId, ids, reasoning);
		}
		const notice =
			ids.length === 0 && thinkingUsedBudget(text, reasoning, choice.finish_reason)
				? thinkingBudgetNotice(this.connection.optionPath)
				: undefined;
		if (notice) this.connection.warn(notice);

		return {
			id: completion.id || undefined,
			finishReason: finishReason(choice.finish_reason, ids.length > 0),
			usage: tokenUsage(completion.usage),
			message: { role: 'assistant', content, id: completion.id || undefined },
			providerMetadata: {
				...(reasoning && { [REASONING_METADATA_KEY]: reasoning }),
				endpoint: answer.endpoint,
				attempts: answer.attempts,
				...(failover && { [FAILOVER_METADATA_KEY]: failover }),
				...(notice && { notice }),
			},
		};
	}
}
