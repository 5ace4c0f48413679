import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import {
	DEFAULT_ITEM_TIMEOUT_MS,
	DEFAULT_MAX_TOOLS_ITERATIONS,
	optionPathsOf,
	type Operation,
} from '../description/completionOptions';
import { connectedTools } from '../helpers/connectedTools';
import { sendChunk, StreamRelay } from '../helpers/streamRelay';
import { readNumberOption, readStopSequences } from '../../shared/optionValues';
import { parseUntrustedJson } from '../../shared/protocol/untrustedJson';
import { HistoryProblem, normaliseHistory } from '../../shared/protocol/history';
import type { ThinkingSetting } from '../../shared/protocol/modelRules';
import { buildRequestBody, type RequestSettings } from '../../shared/protocol/requestBody';
import { answerParts } from '../../shared/protocol/thinkTags';
import type { ChatMessage } from '../../shared/protocol/wire';
import { readModelId, retrySettings, samplingSettings } from '../../shared/readSettings';
import { failureError, inputError } from '../../shared/nodeErrors';
import type { FailoverFacts } from '../../shared/transport/endpoint';
import type { RunScope } from '../../shared/transport/request';
import { thinkingUsedBudget } from '../../shared/transport/completion';
import { RequestFailure } from '../../shared/failures';
import { thinkingBudgetNotice, toolLimitNotice } from '../../shared/wording';
import {
	checkRequestSize,
	keptMessage,
	readImages,
	userMessage as withImages,
} from './attachImages';
import { readCompletionOptions, systemMessageText, type CompletionOptions } from './readOptions';
import { runToolLoop, type LoopCallbacks, type ToolLoopResult } from './toolLoop';

/** A node run's scope: the transport's, and the failovers its items met, for the run's notice. */
export interface NodeRunScope extends RunScope {
	/** One entry per item the backup URL answered (at least once). */
	failedOver: FailoverFacts[];
	/** Set once the run's hint about an answer left empty by thinking has been given. */
	toldThinkingBudget?: boolean;
}

/** What an operation makes of an item, beyond what every operation does. */
export interface OperationSpec {
	/** What the Thinking option's Operation Default stands for. */
	thinking: 'enabled' | 'disabled';
	/** Whether the output always has `reasoning_content`, or only when the model gave some. */
	alwaysReasoning?: boolean;
	responseFormat?: 'text' | 'json_object';
	/** Asks once more when the answer is empty (DeepSeek's JSON output sometimes is). */
	retryEmptyAnswer?: boolean;
	/** The output's `data`, read from the final answer. */
	answerData?: (content: string) => IDataObject;
}

function parseJsonAnswer(ctx: IExecuteFunctions, itemIndex: number, content: string): IDataObject {
	try {
		return parseUntrustedJson<IDataObject>(content);
	} catch {
		throw inputError(
			ctx.getNode(),
			{ what: 'json-answer', empty: content.trim() === '' },
			itemIndex,
		);
	}
}

/** A chat answer without thinking unless asked, as text or, with Response Format JSON, as data. */
function chatSpec(ctx: IExecuteFunctions, itemIndex: number): OperationSpec {
	const { responseFormat } = readCompletionOptions(ctx, itemIndex);
	const json = responseFormat === 'json_object';
	return {
		thinking: 'disabled',
		responseFormat,
		// DeepSeek's JSON output may come back empty; one more request usually fixes it.
		retryEmptyAnswer: json,
		answerData: json ? (content) => parseJsonAnswer(ctx, itemIndex, content) : undefined,
	};
}

/** An answer with thinking on unless turned off; the output always holds the reasoning. */
function reasonSpec(): OperationSpec {
	return { thinking: 'enabled', alwaysReasoning: true };
}

/** Each operation's spec for an item. */
export const OPERATIONS: Record<
	Operation,
	(ctx: IExecuteFunctions, itemIndex: number) => OperationSpec
> = {
	chat: chatSpec,
	reason: reasonSpec,
};

function readPrompt(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = ctx.getNodeParameter('prompt', itemIndex, '') as unknown;
	if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
	if (typeof raw !== 'string') {
		throw inputError(ctx.getNode(), { what: 'prompt-not-text', value: raw }, itemIndex);
	}
	if (raw.trim() === '') throw inputError(ctx.getNode(), { what: 'prompt-empty' }, itemIndex);
	return raw;
}

function readHistory(ctx: IExecuteFunctions, itemIndex: number): ChatMessage[] {
	const history = normaliseHistory(ctx.getNodeParameter('history', itemIndex, ''));
	if (!(history instanceof HistoryProblem)) return history;
	throw inputError(ctx.getNode(), { what: 'history', problem: history.fact }, itemIndex);
}

/** The Thinking option as the protocol takes it: Operation Default is the operation's own. */
function thinkingSetting(options: CompletionOptions, spec: OperationSpec): ThinkingSetting {
	const thinking = options.thinking ?? 'default';
	if (thinking === 'default') return spec.thinking;
	return thinking === 'model' ? 'default' : thinking;
}

function requestSettings(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: CompletionOptions,
	spec: OperationSpec,
): RequestSettings {
	const node = ctx.getNode();
	return {
		thinking: thinkingSetting(options, spec),
		...samplingSettings(node, options, itemIndex),
		stop: readStopSequences(node, options.stop, 'Stop Sequences', itemIndex),
		responseFormat: spec.responseFormat,
	};
}

/**
 * Sends one item to MetaChat (a tool loop when tools are connected) and shapes its output item,
 * as the operation's spec says.
 */
export async function completeItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	scope: NodeRunScope,
	spec: OperationSpec,
): Promise<INodeExecutionData> {
	const model = readModelId(ctx, itemIndex);
	const prompt = readPrompt(ctx, itemIndex);
	const history = readHistory(ctx, itemIndex);
	const options = readCompletionOptions(ctx, itemIndex);
	const simplify = ctx.getNodeParameter('simplify', itemIndex, true) as boolean;
	const maxIterations = readNumberOption(
		ctx.getNode(),
		options.maxToolsIterations,
		'Max Tool Calls Iterations',
		{ min: 0, itemIndex },
	);
	const itemTimeout = readNumberOption(ctx.getNode(), options.itemTimeout, 'Item Timeout (Ms)', {
		min: 0,
		itemIndex,
	});
	const settings = requestSettings(ctx, itemIndex, options, spec);
	const retries = retrySettings(ctx.getNode(), options, itemIndex);
	const tools = await connectedTools(ctx, itemIndex);

	const images = await readImages(ctx, itemIndex, options);
	const messages: ChatMessage[] = [...history, withImages(prompt, images)];
	const systemMessage = systemMessageText(ctx, itemIndex, options.systemMessage);
	if (systemMessage.trim()) messages.unshift({ role: 'system', content: systemMessage });
	const definitions = tools.map((tool) => tool.definition);
	checkRequestSize(
		ctx,
		itemIndex,
		buildRequestBody(model, messages, settings, definitions),
		images,
	);

	let relay: StreamRelay | undefined;
	let callbacks: LoopCallbacks = {};
	if (ctx.isStreaming?.()) {
		relay = new StreamRelay(
			(type, text) => sendChunk(ctx, type, itemIndex, text),
			options.streamReasoning === true,
		);
		callbacks = relay;
		sendChunk(ctx, 'begin', itemIndex);
	}

	const result = await runToolLoop({
		scope,
		tools,
		messages,
		body: (conversation) => buildRequestBody(model, conversation, settings, definitions),
		policy: {
			...retries,
			itemDeadline: Date.now() + Math.max(itemTimeout ?? DEFAULT_ITEM_TIMEOUT_MS, 1000),
		},
		maxIterations: Math.floor(maxIterations ?? DEFAULT_MAX_TOOLS_ITERATIONS),
		retryEmptyAnswer: spec.retryEmptyAnswer === true,
		callbacks,
	});
	if (result instanceof RequestFailure) {
		const node = ctx.getNode();
		const operation = ctx.getNodeParameter('operation', itemIndex) as Operation;
		throw failureError(node, result, itemIndex, optionPathsOf(node.typeVersion, operation));
	}
	if (result.failedOver) scope.failedOver.push(result.failedOver);
	if (relay) {
		relay.finish();
		sendChunk(ctx, 'end', itemIndex);
	}

	const { completion } = result.answer;
	if (!simplify)
		return { json: completion as unknown as IDataObject, pairedItem: { item: itemIndex } };

	const choice = completion.choices[0];
	const { content, reasoning } = answerParts(choice.message);
	// The answer, its reasoning and the URL that gave it first, where a table shows them.
	const output: IDataObject = { content };
	if (options.includeReasoning !== false && (spec.alwaysReasoning || reasoning !== '')) {
		output.reasoning_content = reasoning;
	}
	output.endpoint = result.answer.endpoint;
	if (spec.answerData && !result.limitReached) output.data = spec.answerData(content);
	output.model = completion.model || model;
	output.finish_reason = result.limitReached ? 'max_tool_iterations' : choice.finish_reason;
	if (!result.limitReached && thinkingUsedBudget(content, reasoning, choice.finish_reason)) {
		const node = ctx.getNode();
		const operation = ctx.getNodeParameter('operation', itemIndex) as Operation;
		output.notice = thinkingBudgetNotice(optionPathsOf(node.typeVersion, operation));
		// One hint for the run, whichever items it met.
		if (!scope.toldThinkingBudget && typeof ctx.addExecutionHints === 'function') {
			scope.toldThinkingBudget = true;
			ctx.addExecutionHints({ message: output.notice, type: 'warning', location: 'outputPane' });
		}
	}
	if (result.limitReached) {
		output.notice = toolLimitNotice(result.rounds, result.pendingTools);
	}
	output.usage = (result.usage ?? null) as IDataObject | null;
	output.attempts = result.answer.attempts;
	if (tools.length > 0) output.toolCalls = result.toolCalls as unknown as IDataObject[];
	if (options.includeMessages !== false) {
		output.messages = [
			...history,
			keptMessage(prompt, images),
			...result.added,
			...finalMessage(content, reasoning, result),
		] as unknown as IDataObject[];
	}
	return { json: output, pairedItem: { item: itemIndex } };
}

/** The answer as the last message of `messages`, so the output can be a next turn's History. */
function finalMessage(content: string, reasoning: string, result: ToolLoopResult): ChatMessage[] {
	if (result.limitReached) return [];
	// DeepSeek V4 wants the reasoning of every answer of a turn that made tool calls, in later turns.
	const toolTurn = result.added.some((message) => message.role === 'tool');
	return [{ role: 'assistant', content, ...(toolTurn && { reasoning_content: reasoning }) }];
}
