import type { ChunkType, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	DEFAULT_ITEM_TIMEOUT_MS,
	DEFAULT_MAX_TOOLS_ITERATIONS,
	type CompletionOptions,
	type Operation,
} from '../description/options';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from '../../shared/description/modelOptions';
import { HistoryError, normaliseHistory } from '../../shared/protocol/history';
import { isValidModelId } from '../../shared/protocol/models';
import { connectedTools } from '../helpers/connectedTools';
import { buildRequestBody, type RequestSettings } from '../../shared/protocol/requestBody';
import { StreamRelay } from '../helpers/streamRelay';
import { parseUntrustedJson } from '../../shared/safeJson';
import { splitThinkTags } from '../../shared/protocol/thinkTags';
import type { ChatMessage } from '../../shared/protocol/wire';
import type { DeltaCallbacks, RunScope } from '../../shared/transport/failover';
import { failureError } from '../../shared/nodeErrors';
import { RequestFailure } from '../../shared/transport/failures';
import { runToolLoop } from './toolLoop';

/** The operation's defaults and the options, as the shared request builder takes them. */
function requestSettings(operation: Operation, options: CompletionOptions): RequestSettings {
	const thinking = options.thinking ?? 'default';
	const effort = options.reasoningEffort;
	return {
		// Chat means thinking off and Reason thinking on, for models with the switch.
		thinking: thinking !== 'default' ? thinking : operation === 'reason' ? 'enabled' : 'disabled',
		reasoningEffort: effort && effort !== 'default' ? effort : undefined,
		temperature: options.temperature,
		topP: options.topP,
		frequencyPenalty: options.frequencyPenalty,
		presencePenalty: options.presencePenalty,
		maxTokens: options.maxTokens,
		stop: options.stop?.split(','),
		responseFormat: operation === 'chat' ? options.responseFormat : undefined,
	};
}

function inputError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description: string,
) {
	return new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
}

function readModel(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = ctx.getNodeParameter('model', itemIndex, '', { extractValue: true });
	const model = typeof raw === 'string' ? raw.trim() : '';
	if (!isValidModelId(model)) {
		throw inputError(
			ctx,
			itemIndex,
			model === '' ? 'No model is selected' : `The model ID "${model}" is not valid`,
			'Pick a model from the list, or type an ID without spaces, e.g. deepseek-chat.',
		);
	}
	return model;
}

function readPrompt(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = ctx.getNodeParameter('prompt', itemIndex, '') as unknown;
	const hint = 'Map a text field into Prompt, e.g. {{ $json.text }}.';
	if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
	if (typeof raw !== 'string') {
		throw inputError(
			ctx,
			itemIndex,
			`The prompt is ${raw === null ? 'null' : 'an object'}, not text`,
			hint,
		);
	}
	if (raw.trim() === '') throw inputError(ctx, itemIndex, 'The prompt is empty', hint);
	return raw;
}

function readHistory(ctx: IExecuteFunctions, itemIndex: number): ChatMessage[] {
	try {
		return normaliseHistory(ctx.getNodeParameter('history', itemIndex, ''));
	} catch (error) {
		throw inputError(
			ctx,
			itemIndex,
			error instanceof HistoryError ? error.message : `History could not be read: ${String(error)}`,
			'History takes an array of { role, content } messages with the roles system, user, assistant or tool, as the Messages output of this node gives them.',
		);
	}
}

/** n8n's sendChunk is async underneath; a failed write to the caller must not fail the item. */
function sendChunk(ctx: IExecuteFunctions, type: ChunkType, itemIndex: number, text?: string) {
	void Promise.resolve(ctx.sendChunk(type, itemIndex, text)).catch(() => undefined);
}

/** Sends one item to MetaChat (a tool loop when tools are connected) and shapes its output item. */
export async function completeItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	scope: RunScope,
	operation: Operation,
): Promise<INodeExecutionData> {
	const model = readModel(ctx, itemIndex);
	const prompt = readPrompt(ctx, itemIndex);
	const history = readHistory(ctx, itemIndex);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as CompletionOptions;
	const simplify = ctx.getNodeParameter('simplify', itemIndex, true) as boolean;
	const includeReasoning = options.includeReasoning !== false;
	const tools = await connectedTools(ctx, itemIndex);

	const userMessage: ChatMessage = { role: 'user', content: prompt };
	const messages: ChatMessage[] = [...history, userMessage];
	if (options.systemMessage?.trim()) {
		messages.unshift({ role: 'system', content: options.systemMessage });
	}

	let relay: StreamRelay | undefined;
	let callbacks: DeltaCallbacks = {};
	if (ctx.isStreaming?.()) {
		relay = new StreamRelay(
			(type, text) => sendChunk(ctx, type, itemIndex, text),
			options.streamReasoning === true,
		);
		callbacks = relay;
		sendChunk(ctx, 'begin', itemIndex);
	}

	const json = operation === 'chat' && options.responseFormat === 'json_object';
	const settings = requestSettings(operation, options);
	const timeoutMs = options.timeout ?? DEFAULT_TIMEOUT_MS;
	const result = await runToolLoop({
		scope,
		tools,
		messages,
		body: (conversation) =>
			buildRequestBody(
				model,
				conversation,
				settings,
				tools.map((tool) => tool.definition),
			),
		policy: {
			timeoutMs,
			itemDeadline: Date.now() + Math.max(options.itemTimeout ?? DEFAULT_ITEM_TIMEOUT_MS, 1000),
			maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
			failover: options.failover !== false,
		},
		maxIterations: Math.max(
			0,
			Math.floor(options.maxToolsIterations ?? DEFAULT_MAX_TOOLS_ITERATIONS),
		),
		// DeepSeek's JSON output may come back empty; one more request usually fixes it.
		retryEmptyAnswer: json,
		callbacks,
	});
	if (result instanceof RequestFailure) throw failureError(ctx.getNode(), result, itemIndex);
	if (relay) {
		relay.finish();
		sendChunk(ctx, 'end', itemIndex);
	}

	const { completion } = result.answer;
	if (!simplify)
		return { json: completion as unknown as IDataObject, pairedItem: { item: itemIndex } };

	const choice = completion.choices[0];
	let content = choice.message.content;
	let reasoning = choice.message.reasoning_content ?? '';
	if (!reasoning) {
		const split = splitThinkTags(content);
		if (split.reasoning) {
			content = split.content;
			reasoning = split.reasoning;
		}
	}

	const output: IDataObject = { content };
	if (json && !result.limitReached) output.data = parseJsonAnswer(ctx, itemIndex, content);
	if (includeReasoning && (operation === 'reason' || reasoning !== '')) {
		output.reasoning_content = reasoning;
	}
	output.model = completion.model || model;
	output.finish_reason = result.limitReached ? 'max_tool_iterations' : choice.finish_reason;
	if (result.limitReached) {
		output.notice = `Stopped after ${result.rounds} rounds of tool calls (Max Tool Calls Iterations); the model still asked for ${result.pendingTools.join(', ')}, which did not run.`;
	}
	output.usage = (result.usage ?? null) as IDataObject | null;
	output.endpoint = result.answer.endpoint;
	if (tools.length > 0) output.toolCalls = result.toolCalls as unknown as IDataObject[];
	const finalMessages = result.limitReached ? [] : [{ role: 'assistant', content }];
	output.messages = [
		...history,
		userMessage,
		...result.added,
		...finalMessages,
	] as unknown as IDataObject[];
	return { json: output, pairedItem: { item: itemIndex } };
}

function parseJsonAnswer(ctx: IExecuteFunctions, itemIndex: number, content: string): IDataObject {
	try {
		return parseUntrustedJson<IDataObject>(content);
	} catch {
		throw new NodeOperationError(
			ctx.getNode(),
			content.trim() === ''
				? 'The model gave an empty answer twice although Response Format is JSON Object'
				: "The model's answer is not valid JSON although Response Format is JSON Object",
			{
				itemIndex,
				description:
					'Describe the JSON you want in the prompt or the System Message (with an example), or raise Maximum Number of Tokens if the answer was cut off.',
			},
		);
	}
}
