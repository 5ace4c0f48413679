/**
 * Where n8n's AI node SDK falls short, and how the sub-node makes up for it: supplyModel wraps our
 * model in the SDK's LangChain adapter (LangchainChatModelAdapter of @n8n/ai-utilities), and these
 * functions patch that adapter. Each names the n8n behaviour it relies on; test/e2e/sdkPremises.js
 * checks each of those against the installed n8n (jest on the pinned one, the e2e core subset on
 * every n8n of the version matrix), so a change in n8n says which workaround to revisit.
 */

import { textOf } from '../../shared/protocol';
import { ANSWER_FACTS, type AnswerFacts } from './DeepSeekChatModel';

/** The SDK's LangChain adapter of our model, as far as these workarounds patch it. */
export interface SdkAdapter {
	getNumTokens?: unknown;
	bindTools?: unknown;
	_generate?: unknown;
	_streamResponseChunks?: unknown;
	/** Its LangChain callbacks: n8n's tracing, which writes the sub-node's logs, among them. */
	callbacks?: unknown;
	/** The SDK adapter's model: ours. */
	chatModel?: { withToolChoice?: (choice: unknown) => unknown };
}

export type Patch<M = SdkAdapter> = (model: M) => void;

/**
 * Relies on: the adapter's bindTools(tools) ignores its second argument (n8n 2.40.7), so the
 * tool_choice bound with the tools never reaches our model. Fixes: AI Agent 3.x's "Force tool
 * call on first iteration" (`tool_choice: 'any'`) is no longer lost; our model sends it where
 * DeepSeek takes it (toolChoiceFor).
 */
export function keepBoundToolChoice(copy: unknown, options: unknown): void {
	const choice = (options as { tool_choice?: unknown } | undefined)?.tool_choice;
	const bound = copy as SdkAdapter | undefined;
	if (choice === undefined || typeof bound?.chatModel?.withToolChoice !== 'function') return;
	bound.chatModel = bound.chatModel.withToolChoice(choice) as SdkAdapter['chatModel'];
}

/**
 * Relies on: the adapter's bindTools builds a new adapter around our model's withTools copy, with
 * none of the patches of the adapter it was called on. Fixes: every patch applies also to the
 * model the agent binds its tools to (and to that one's copies), with the bound tool_choice kept
 * (keepBoundToolChoice).
 */
export function patchEveryBoundCopy<T, M extends SdkAdapter = SdkAdapter>(
	model: T,
	patches: Array<Patch<M>>,
): T {
	const target = model as M | undefined;
	if (!target || typeof target !== 'object') return model;
	for (const patch of patches) patch(target);
	const bindTools = target.bindTools;
	if (typeof bindTools === 'function') {
		target.bindTools = (...args: unknown[]) => {
			const copy = bindTools.apply(target, args) as unknown;
			keepBoundToolChoice(copy, args[1]);
			return patchEveryBoundCopy(copy, patches);
		};
	}
	return model;
}

/** A generated result as LangChain's _generate returns it, as far as the shaping reads it. */
export interface GeneratedResult<G> {
	generations: G[];
}

/**
 * Relies on: the adapter's _generate hands its call options to our model's generate as they are,
 * and makes the answer's text a list of parts, with its own response_metadata (no finish reason,
 * model name or usage) and the API's id only in llmOutput. Fixes: each generation is shaped as
 * n8n's own chat models give theirs (`shape`, with the facts our model noted of the answer, which
 * ride to it on the options).
 */
export function shapeGenerated<G>(shape: (generation: G, facts: AnswerFacts) => G): Patch {
	return (model) => {
		const generate = model._generate;
		if (typeof generate !== 'function') return;
		model._generate = async (
			messages: unknown,
			options: Record<string, unknown> | undefined,
			runManager?: unknown,
		) => {
			const facts: AnswerFacts = {};
			const result = (await generate.call(
				model,
				messages,
				{ ...options, [ANSWER_FACTS]: facts },
				runManager,
			)) as GeneratedResult<G>;
			return {
				...result,
				generations: result.generations.map((generation) => shape(generation, facts)),
			};
		};
	};
}

interface RunManager {
	handleLLMNewToken(token: string, ...rest: unknown[]): Promise<unknown>;
}

/**
 * Relies on: the adapter's _streamResponseChunks hands its call options to our model's stream as
 * they are, yields each text delta as a list of one text part, and itself hands each chunk it
 * yields to the callbacks as the new token. Fixes: each chunk is shaped as n8n's own chat models
 * stream theirs (`shape`, with the facts our model noted), and the callbacks (stream events, n8n's
 * streaming agent) get the shaped chunk, not the adapter's.
 */
export function shapeStreamed<C extends { text?: string }>(
	shape: (chunk: C, facts: AnswerFacts) => C,
): Patch {
	return (model) => {
		const stream = model._streamResponseChunks;
		if (typeof stream !== 'function') return;
		model._streamResponseChunks = async function* (
			messages: unknown,
			options: Record<string, unknown> | undefined,
			runManager?: RunManager,
		) {
			const facts: AnswerFacts = {};
			const quiet =
				runManager &&
				Object.assign(Object.create(runManager) as RunManager, {
					handleLLMNewToken: async () => undefined,
				});
			const chunks = stream.call(
				model,
				messages,
				{ ...options, [ANSWER_FACTS]: facts },
				quiet,
			) as AsyncIterable<C>;
			for await (const chunk of chunks) {
				const shaped = shape(chunk, facts);
				yield shaped;
				await runManager?.handleLLMNewToken(
					shaped.text ?? '',
					{ prompt: 0, completion: 0 },
					undefined,
					undefined,
					undefined,
					{ chunk: shaped },
				);
			}
		};
	};
}

/** What the tracing's handleLLMEnd gets: a LangChain LLMResult. */
export interface TracedCall {
	generations: unknown[][];
	llmOutput?: Record<string, unknown>;
}

interface Tracing<O> {
	name?: unknown;
	handleLLMEnd?: (output: O, ...rest: unknown[]) => unknown;
}

/** The name n8n gives its tracing callback, which writes a sub-node's input and output logs. */
export const N8N_TRACING_NAME = 'N8nLlmTracing';

/**
 * Relies on: the adapter's callbacks hold n8n's tracing, named N8nLlmTracing, whose handleLLMEnd
 * logs only the text of each generation and reads the token usage from `llmOutput.tokenUsage` in
 * LangChain's usage_metadata shape (input_tokens, output_tokens). Fixes: what n8n's logs show of a
 * call (`forTheLogs`: reasoning, tool calls, the server's usage of a streamed call); the tracing
 * gets the transformed copy, the caller what it had.
 */
export function amendTracing<O extends TracedCall>(forTheLogs: (output: O) => O): Patch {
	return (model) => {
		const callbacks = Array.isArray(model.callbacks) ? (model.callbacks as Array<Tracing<O>>) : [];
		for (const tracing of callbacks) {
			const end = tracing?.handleLLMEnd;
			if (tracing?.name !== N8N_TRACING_NAME || typeof end !== 'function') continue;
			tracing.handleLLMEnd = (output, ...rest) => end.call(tracing, forTheLogs(output), ...rest);
		}
	};
}

type Method = (this: unknown, messages: unknown[], ...rest: unknown[]) => unknown;

/**
 * Relies on: the adapter's _generate and _streamResponseChunks convert each LangChain message with
 * fromLcMessage, which drops OpenAI-style `image_url` blocks (what n8n's AI Agent sends for
 * "Automatically Passthrough Binary Images") and reads only `mimeType` of an image or file block,
 * not the older `mime_type`. Fixes: the messages are rewritten (`rewrite`: imageParts'
 * withStandardImages) before the adapter reads them, on every call, generated or streamed.
 */
export function rewriteMessagesFirst<M>(rewrite: (message: M) => M): Patch<{
	_generate?: unknown;
	_streamResponseChunks?: unknown;
}> {
	return (model) => {
		for (const name of ['_generate', '_streamResponseChunks'] as const) {
			const method = model[name];
			if (typeof method !== 'function') continue;
			model[name] = function (this: unknown, messages: M[], ...rest: unknown[]) {
				const rewritten = Array.isArray(messages) ? messages.map(rewrite) : messages;
				return (method as Method).call(this, rewritten, ...rest);
			};
		}
	};
}

/**
 * Relies on: the adapter counts tokens with LangChain's default getNumTokens (the Summarization
 * Chain splits documents with it), which downloads a tokenizer from the internet on first use and
 * waits through its retries where there is no route. Fixes: the model only talks to MetaChat, so
 * it counts as LangChain does when that download fails.
 */
export const countTokensLocally: Patch = (model) => {
	if (typeof model.getNumTokens !== 'function') return;
	model.getNumTokens = async (content: unknown) => Math.ceil(textOf(content).length / 4);
};
