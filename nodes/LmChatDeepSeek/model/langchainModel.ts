import type { SupplyData } from 'n8n-workflow';

import type { DeepSeekModelSettings } from './DeepSeekChatModel';
import { countTokensLocally } from './tokenCount';

/** The LangChain model the AI node SDK makes of ours, as far as this package changes it. */
export interface LangChainModel {
	getNumTokens?: unknown;
	bindTools?: unknown;
	_streamResponseChunks?: unknown;
	modelKwargs?: unknown;
	/** The SDK adapter's model: ours. */
	chatModel?: { withToolChoice?: (choice: unknown) => unknown };
}

type Change = (model: LangChainModel) => void;

interface TextPart {
	type: 'text';
	text: string;
}

interface GenerationChunk {
	text?: string;
	generationInfo?: unknown;
	message?: {
		content?: unknown;
		id?: unknown;
		response_metadata?: unknown;
		additional_kwargs?: unknown;
		tool_call_chunks?: unknown;
		usage_metadata?: unknown;
	};
}

type Constructor = new (fields: Record<string, unknown>) => unknown;

const isTextPart = (part: unknown): part is TextPart =>
	(part as TextPart | null)?.type === 'text' && typeof (part as TextPart).text === 'string';

/**
 * A streamed chunk of text with its text as a string, not as a list of one text part. LangChain
 * appends the parts of the chunks it joins, and n8n's AI Agent puts a line break between the parts
 * of an answer: a streamed answer must join into one string, as OpenAI's chunks do. Built with the
 * chunk's own classes, so the objects are those of the LangChain copy that made them.
 */
function plainTextChunk(chunk: GenerationChunk): GenerationChunk {
	const message = chunk.message;
	const content = message?.content;
	if (!Array.isArray(content) || content.length === 0 || !content.every(isTextPart)) return chunk;
	const text = content.map((part) => part.text).join('');
	const { id, response_metadata, additional_kwargs, tool_call_chunks, usage_metadata } = message!;
	const Message = message!.constructor as Constructor;
	const Chunk = chunk.constructor as Constructor;
	return new Chunk({
		text,
		generationInfo: chunk.generationInfo,
		message: new Message({
			content: text,
			id,
			response_metadata,
			additional_kwargs,
			tool_call_chunks,
			usage_metadata,
		}),
	}) as GenerationChunk;
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
	const changes = [countTokensLocally, streamPlainText];
	if (settings.responseFormat === 'json_object') changes.push(announceJson);
	onEveryCopy(supplied.response, changes);
	return supplied;
}
