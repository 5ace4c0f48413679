import type { INode, SupplyData } from 'n8n-workflow';

import { inputError } from '../../shared/session';
import {
	countTokensLocally,
	patchEveryBoundCopy,
	amendTracing,
	shapeGenerated,
	shapeStreamed,
	type Patch,
	type SdkAdapter,
} from './aiNodeSdkGaps';
import {
	FAILOVER_METADATA_KEY,
	type AnswerFacts,
	type DeepSeekModelSettings,
} from './DeepSeekChatModel';
import { answerParser, structuredOutputMethod, structuredRequest } from './structuredOutput';
import { keepImages } from './imageParts';
import { REASONING_METADATA_KEY } from './toDeepSeekMessages';

/** A LangChain runnable, as far as this file composes them. */
interface Runnable {
	pipe(next: (input: never) => unknown): Runnable;
	withConfig(config: Record<string, unknown>): Runnable;
}

/** The LangChain model the AI node SDK makes of ours, as far as this package changes it. */
export interface LangChainModel extends Partial<Runnable>, SdkAdapter {
	getLsParams?: unknown;
	withStructuredOutput?: unknown;
	modelKwargs?: unknown;
}

type Change = Patch<LangChainModel>;

interface TextPart {
	type: 'text';
	text: string;
}

/** The SDK's reasoning content, as the SDK's adapter makes it a LangChain content block. */
interface ReasoningPart {
	type: 'reasoning';
	reasoning: string;
}

interface MessageFields {
	content?: unknown;
	id?: unknown;
	name?: unknown;
	response_metadata?: Record<string, unknown>;
	additional_kwargs?: Record<string, unknown>;
	tool_calls?: unknown;
	invalid_tool_calls?: unknown;
	tool_call_chunks?: unknown;
	usage_metadata?: unknown;
}

interface GenerationChunk {
	text?: string;
	generationInfo?: Record<string, unknown>;
	message?: MessageFields;
}

type Constructor = new (fields: Record<string, unknown>) => unknown;

const isTextPart = (part: unknown): part is TextPart =>
	(part as TextPart | null)?.type === 'text' && typeof (part as TextPart).text === 'string';

const isReasoningPart = (part: unknown): part is ReasoningPart =>
	(part as ReasoningPart | null)?.type === 'reasoning' &&
	typeof (part as ReasoningPart).reasoning === 'string';

/**
 * What the API said of an answer, as n8n's OpenAI chat model puts it in response_metadata: the
 * finish reason in LangChain's spelling, the model's name and the token usage.
 */
function answerMetadata(facts: AnswerFacts, sdkReason: unknown): Record<string, unknown> {
	// The SDK spells them its own way (tool-calls, content-filter).
	const fallback = typeof sdkReason === 'string' ? sdkReason.replace(/-/g, '_') : undefined;
	const finishReason = facts.finishReason ?? fallback;
	return {
		...(finishReason && { finish_reason: finishReason }),
		...(facts.model && { model_name: facts.model }),
		...(facts.usage && { usage: { ...facts.usage } }),
		...(facts.failover && { [FAILOVER_METADATA_KEY]: facts.failover }),
	};
}

/** The raw tool calls, in OpenAI's wire shape, where n8n's OpenAI chat model keeps them. */
function withRawToolCalls(
	kwargs: Record<string, unknown> | undefined,
	facts: AnswerFacts,
): Record<string, unknown> {
	const calls = facts.toolCalls ?? [];
	if (calls.length === 0) return { ...kwargs };
	return {
		...kwargs,
		tool_calls: calls.map((call) => ({ ...call, function: { ...call.function } })),
	};
}

/**
 * A streamed chunk as n8n's own chat models stream theirs: its text as a string, not as a list of
 * one text part (LangChain appends the parts of the chunks it joins, and n8n's AI Agent puts a line
 * break between the parts of an answer, so a streamed answer must join into one string), the
 * answer's id on every chunk, and on the last the finish reason, model, usage and raw tool calls.
 * A streamed chunk of reasoning becomes the answer's metadata, where a generated answer has it
 * (DeepSeekChatModel's toResult): not a part of the answer, which the agent would take as text.
 */
function shapedChunk(chunk: GenerationChunk, facts: AnswerFacts): GenerationChunk {
	const message = chunk.message!;
	const content = message.content;
	let text = typeof content === 'string' ? content : '';
	let metadata = { ...message.response_metadata };
	if (Array.isArray(content) && content.every(isReasoningPart)) {
		const reasoning = content.map((part) => part.reasoning).join('');
		if (reasoning) metadata[REASONING_METADATA_KEY] = reasoning;
	} else if (Array.isArray(content)) {
		text = content
			.filter(isTextPart)
			.map((part) => part.text)
			.join('');
	}
	let generationInfo = chunk.generationInfo;
	let kwargs = message.additional_kwargs;
	const sdkReason = generationInfo?.finish_reason ?? metadata.finish_reason;
	if (sdkReason !== undefined) {
		metadata = { ...metadata, ...answerMetadata(facts, sdkReason) };
		generationInfo = { ...generationInfo, finish_reason: metadata.finish_reason };
		kwargs = withRawToolCalls(kwargs, facts);
	}
	const Message = message.constructor as Constructor;
	const Chunk = chunk.constructor as Constructor;
	return new Chunk({
		text,
		generationInfo,
		message: new Message({
			content: text,
			id: facts.id ?? message.id,
			response_metadata: metadata,
			additional_kwargs: kwargs,
			tool_call_chunks: message.tool_call_chunks,
			usage_metadata: message.usage_metadata,
		}),
	}) as GenerationChunk;
}

interface ChatGeneration {
	text?: string;
	message?: MessageFields;
}

/**
 * A generated answer as n8n's own chat models give theirs: the text as a string (n8n's fixing
 * parsers call toString() on it), the API's response id, the finish reason, model name and usage
 * in response_metadata, and the raw tool calls in additional_kwargs.
 */
function shapedGeneration(generation: ChatGeneration, facts: AnswerFacts): ChatGeneration {
	const message = generation.message;
	if (!message) return generation;
	const content = message.content;
	const text = Array.isArray(content)
		? content
				.filter(isTextPart)
				.map((part) => part.text)
				.join('')
		: typeof content === 'string'
			? content
			: '';
	const metadata = message.response_metadata ?? {};
	const Message = message.constructor as Constructor;
	return {
		...generation,
		text,
		message: new Message({
			content: text,
			id: facts.id ?? message.id,
			name: message.name,
			tool_calls: message.tool_calls,
			invalid_tool_calls: message.invalid_tool_calls,
			additional_kwargs: withRawToolCalls(message.additional_kwargs, facts),
			response_metadata: { ...metadata, ...answerMetadata(facts, metadata.finish_reason) },
			usage_metadata: message.usage_metadata,
		}) as MessageFields,
	};
}

/** LangSmith's standard parameters, as LangChain's own chat models report them. */
const reportStandardParams =
	(settings: DeepSeekModelSettings): Change =>
	(model) => {
		model.getLsParams = (options?: { stop?: unknown }) => ({
			ls_provider: 'deepseek',
			ls_model_name: settings.model,
			ls_model_type: 'chat',
			ls_temperature: settings.temperature,
			ls_max_tokens: settings.maxTokens,
			ls_stop: options?.stop,
		});
	};

interface StructuredOutputConfig {
	name?: unknown;
	method?: unknown;
	includeRaw?: unknown;
}

/**
 * withStructuredOutput with the methods DeepSeek takes (structuredOutputMethod): LangChain's own
 * accepts only a streamed chunk and forces no tool call. A caller's json_schema becomes what works.
 */
const structuredOutputs =
	(settings: DeepSeekModelSettings, node: INode): Change =>
	(model) => {
		model.withStructuredOutput = (schema: unknown, config: StructuredOutputConfig = {}) => {
			const method = structuredOutputMethod(config.method, settings.model, settings.thinking);
			const title = (schema as { title?: unknown } | null)?.title;
			const name =
				typeof config.name === 'string' && config.name !== ''
					? config.name
					: typeof title === 'string' && /^[\w-]{1,64}$/.test(title)
						? title
						: 'extract';
			const { tool, callOptions } = structuredRequest(method, schema, name);
			const base = (
				tool ? (model.bindTools as (tools: unknown[]) => Runnable)([tool]) : model
			) as Runnable;
			const llm = base.withConfig(callOptions);
			const parse = answerParser(method, name, schema, (problem) =>
				inputError(node, { what: 'structured-answer', problem }),
			);
			if (!config.includeRaw) {
				return llm
					.pipe(parse as (input: never) => unknown)
					.withConfig({ runName: 'StructuredOutput' });
			}
			return llm
				.pipe(((raw: Parameters<typeof parse>[0]) => {
					try {
						return { raw, parsed: parse(raw) };
					} catch {
						// As LangChain's own: the raw answer, and no parsed value.
						return { raw, parsed: null };
					}
				}) as (input: never) => unknown)
				.withConfig({ runName: 'StructuredOutputRunnable' });
		};
	};

/**
 * Tells n8n's Basic LLM Chain that answers are JSON, as n8n's own DeepSeek and OpenAI chat models
 * do (the chain reads `modelKwargs.response_format`, and then parses the answer into the item).
 * The request itself carries the format from the settings, not from here.
 */
const announceJson: Change = (model) => {
	model.modelKwargs = { response_format: { type: 'json_object' } };
};

/** One answer of a call, as LangChain hands it to the callbacks at the call's end. */
interface Generation {
	text?: string;
	message?: {
		tool_calls?: Array<{ name: string; args: unknown }>;
		response_metadata?: Record<string, unknown>;
		usage_metadata?: unknown;
	};
}

interface CallResult {
	generations: Generation[][];
	llmOutput?: Record<string, unknown>;
}

/**
 * What the logs show as the answer's text: n8n shows only the text of a call's answer, so a call
 * that only called a tool shows nothing. Its reasoning and its tool calls are added, each labelled.
 */
function loggedText(generation: Generation): string {
	const text = generation.text ?? '';
	const reasoning = generation.message?.response_metadata?.[REASONING_METADATA_KEY];
	const thought = typeof reasoning === 'string' ? reasoning : '';
	const calls = generation.message?.tool_calls ?? [];
	// Which URL answered and why the primary did not, where the backup answered this call.
	const notice = generation.message?.response_metadata?.[FAILOVER_METADATA_KEY];
	const failover = typeof notice === 'string' ? notice : '';
	if (!thought && !failover && calls.length === 0) return text;
	return [
		failover,
		thought && `Reasoning: ${thought}`,
		text && `Answer: ${text}`,
		...calls.map((call) => `Tool call: ${call.name} ${JSON.stringify(call.args)}`),
	]
		.filter((part) => part !== '')
		.join('\n\n');
}

/**
 * The call as n8n's logs (its tracing callback) get it: the answer's text with its reasoning and
 * tool calls (loggedText), and the server's token usage where the tracing reads it. The SDK's adapter
 * sets the tracing to read `llmOutput.tokenUsage` in LangChain's usage_metadata shape, which its
 * generate puts there; for a streamed call LangChain writes its own shape there (promptTokens,
 * completionTokens), and n8n would show its estimate. The answer's usage_metadata holds the usage
 * on both paths. What the caller gets is unchanged: the tracing gets copies.
 */
function forTheLogs(output: CallResult): CallResult {
	const usage = output.generations[0]?.[0]?.message?.usage_metadata;
	return {
		...output,
		generations: output.generations.map((answers) =>
			answers.map((generation) => ({ ...generation, text: loggedText(generation) })),
		),
		llmOutput: usage === undefined ? output.llmOutput : { ...output.llmOutput, tokenUsage: usage },
	};
}

/** The SDK's LangChain model of ours, made to behave in n8n's AI nodes as n8n's own models do. */
export function forN8nAiNodes(
	supplied: SupplyData,
	settings: DeepSeekModelSettings,
	node: INode,
): SupplyData {
	const changes = [
		countTokensLocally,
		shapeGenerated(shapedGeneration),
		shapeStreamed(shapedChunk),
		amendTracing(forTheLogs),
		reportStandardParams(settings),
		structuredOutputs(settings, node),
		keepImages,
	];
	if (settings.responseFormat === 'json_object') changes.push(announceJson);
	patchEveryBoundCopy(supplied.response, changes);
	return supplied;
}
