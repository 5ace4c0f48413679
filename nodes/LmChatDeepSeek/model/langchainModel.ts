import type { SupplyData } from 'n8n-workflow';

import type { DeepSeekModelSettings } from './DeepSeekChatModel';
import { keepImages } from './imageParts';
import { countTokensLocally } from './tokenCount';
import { REASONING_METADATA_KEY } from './toDeepSeekMessages';

/** The LangChain model the AI node SDK makes of ours, as far as this package changes it. */
export interface LangChainModel {
	getNumTokens?: unknown;
	bindTools?: unknown;
	_streamResponseChunks?: unknown;
	modelKwargs?: unknown;
	/** Its LangChain callbacks: n8n's tracing, which writes the sub-node's logs, among them. */
	callbacks?: unknown;
	/** The SDK adapter's model: ours. */
	chatModel?: { withToolChoice?: (choice: unknown) => unknown };
}

type Change = (model: LangChainModel) => void;

interface TextPart {
	type: 'text';
	text: string;
}

/** The SDK's reasoning content, as the SDK's adapter makes it a LangChain content block. */
interface ReasoningPart {
	type: 'reasoning';
	reasoning: string;
}

interface GenerationChunk {
	text?: string;
	generationInfo?: unknown;
	message?: {
		content?: unknown;
		id?: unknown;
		response_metadata?: Record<string, unknown>;
		additional_kwargs?: unknown;
		tool_call_chunks?: unknown;
		usage_metadata?: unknown;
	};
}

type Constructor = new (fields: Record<string, unknown>) => unknown;

const isTextPart = (part: unknown): part is TextPart =>
	(part as TextPart | null)?.type === 'text' && typeof (part as TextPart).text === 'string';

const isReasoningPart = (part: unknown): part is ReasoningPart =>
	(part as ReasoningPart | null)?.type === 'reasoning' &&
	typeof (part as ReasoningPart).reasoning === 'string';

/** The chunk with this text and metadata, built with the classes of the LangChain copy that made it. */
function rebuilt(
	chunk: GenerationChunk,
	text: string,
	metadata: Record<string, unknown> | undefined,
): GenerationChunk {
	const { id, additional_kwargs, tool_call_chunks, usage_metadata } = chunk.message!;
	const Message = chunk.message!.constructor as Constructor;
	const Chunk = chunk.constructor as Constructor;
	return new Chunk({
		text,
		generationInfo: chunk.generationInfo,
		message: new Message({
			content: text,
			id,
			response_metadata: metadata,
			additional_kwargs,
			tool_call_chunks,
			usage_metadata,
		}),
	}) as GenerationChunk;
}

/**
 * A streamed chunk of text with its text as a string, not as a list of one text part. LangChain
 * appends the parts of the chunks it joins, and n8n's AI Agent puts a line break between the parts
 * of an answer: a streamed answer must join into one string, as OpenAI's chunks do.
 *
 * A streamed chunk of reasoning becomes the answer's metadata, where a generated answer has it
 * (DeepSeekChatModel's toResult): not a part of the answer, which the agent would take as text.
 */
function plainTextChunk(chunk: GenerationChunk): GenerationChunk {
	const message = chunk.message;
	const content = message?.content;
	if (!Array.isArray(content) || content.length === 0) return chunk;
	if (content.every(isTextPart)) {
		return rebuilt(chunk, content.map((part) => part.text).join(''), message!.response_metadata);
	}
	if (content.every(isReasoningPart)) {
		return rebuilt(chunk, '', {
			...message!.response_metadata,
			[REASONING_METADATA_KEY]: content.map((part) => part.reasoning).join(''),
		});
	}
	return chunk;
}

const streamPlainText: Change = (model) => {
	const stream = model._streamResponseChunks;
	if (typeof stream !== 'function') return;
	model._streamResponseChunks = async function* (...args: unknown[]) {
		for await (const chunk of stream.apply(model, args) as AsyncIterable<GenerationChunk>) {
			yield plainTextChunk(chunk);
		}
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

interface Tracing {
	name?: unknown;
	handleLLMEnd?: (output: CallResult, ...rest: unknown[]) => unknown;
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
	if (!thought && calls.length === 0) return text;
	return [
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

const logAsN8nShowsIt: Change = (model) => {
	const callbacks = Array.isArray(model.callbacks) ? (model.callbacks as Tracing[]) : [];
	for (const tracing of callbacks) {
		const end = tracing?.handleLLMEnd;
		if (tracing?.name !== 'N8nLlmTracing' || typeof end !== 'function') continue;
		tracing.handleLLMEnd = (output, ...rest) => end.call(tracing, forTheLogs(output), ...rest);
	}
};

/**
 * The tool_choice bound with the tools reaches our model: the SDK's adapter drops bindTools' second
 * argument, so AI Agent 3.x's "Force tool call on first iteration" (`tool_choice: 'any'`) would be
 * lost. Our model sends it where DeepSeek takes it (toolChoiceFor).
 */
function withBoundToolChoice(copy: unknown, options: unknown): void {
	const choice = (options as { tool_choice?: unknown } | undefined)?.tool_choice;
	const bound = copy as LangChainModel | undefined;
	if (choice === undefined || typeof bound?.chatModel?.withToolChoice !== 'function') return;
	bound.chatModel = bound.chatModel.withToolChoice(choice) as LangChainModel['chatModel'];
}

/** Applies the changes to a model and to every model its bindTools makes (the agent's). */
function onEveryCopy<T>(model: T, changes: Change[]): T {
	const target = model as LangChainModel | undefined;
	if (!target || typeof target !== 'object') return model;
	for (const change of changes) change(target);
	const bindTools = target.bindTools;
	if (typeof bindTools === 'function') {
		target.bindTools = (...args: unknown[]) => {
			const copy = bindTools.apply(target, args) as unknown;
			withBoundToolChoice(copy, args[1]);
			return onEveryCopy(copy, changes);
		};
	}
	return model;
}

/** The SDK's LangChain model of ours, made to behave in n8n's AI nodes as n8n's own models do. */
export function forN8nAiNodes(supplied: SupplyData, settings: DeepSeekModelSettings): SupplyData {
	const changes = [countTokensLocally, streamPlainText, logAsN8nShowsIt, keepImages];
	if (settings.responseFormat === 'json_object') changes.push(announceJson);
	onEveryCopy(supplied.response, changes);
	return supplied;
}
