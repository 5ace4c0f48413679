import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readModelId, readNumberOption, retrySettings } from '../../shared/parameters';
import {
	addUsage,
	answerParts,
	buildRequestBody,
	type ChatMessage,
	type CompletionBody,
	parseUntrustedJson,
	type Usage,
} from '../../shared/protocol';
import {
	type Answer,
	cancelledFailure,
	type DeltaCallbacks,
	type FailoverFacts,
	inputError,
	type MetaChatSession,
	RequestFailure,
	type RequestPolicy,
} from '../../shared/session';
import { toolWords } from '../../shared/wording';
import {
	DEFAULT_ITEM_TIMEOUT_MS,
	DEFAULT_MAX_TOOLS_ITERATIONS,
	optionPathsOf,
	type Operation,
} from '../description/completionOptions';
import {
	connectedTools,
	runToolCalls,
	type NodeTool,
	type ToolCallSummary,
} from '../helpers/connectedTools';
import { sendChunk, StreamRelay } from '../helpers/streamRelay';
import { checkRequestSize, readImages, userMessage as withImages } from './attachImages';
import { itemOutput } from './output';
import {
	readCompletionOptions,
	readHistory,
	readPrompt,
	requestSettings,
	systemMessageText,
} from './readOptions';

/** A node run: its MetaChat session, and what the run's notices gather from its items. */
export interface NodeRun {
	session: MetaChatSession;
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

/**
 * Sends one item to MetaChat (a tool loop when tools are connected) and shapes its output item,
 * as the operation's spec says.
 */
export async function completeItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	run: NodeRun,
	spec: OperationSpec,
): Promise<INodeExecutionData> {
	const node = ctx.getNode();
	const model = readModelId(ctx, itemIndex);
	const prompt = readPrompt(ctx, itemIndex);
	const history = readHistory(ctx, itemIndex);
	const options = readCompletionOptions(ctx, itemIndex);
	const maxIterations = readNumberOption(
		node,
		options.maxToolsIterations,
		'Max Tool Calls Iterations',
		{ min: 0, itemIndex },
	);
	const itemTimeout = readNumberOption(node, options.itemTimeout, 'Item Timeout (Ms)', {
		min: 0,
		itemIndex,
	});
	const settings = requestSettings(ctx, itemIndex, options, spec);
	const retries = retrySettings(node, options, itemIndex);
	const tools = await connectedTools(ctx, itemIndex);

	const images = await readImages(ctx, itemIndex, options);
	const messages: ChatMessage[] = [...history, withImages(prompt, images)];
	const systemMessage = systemMessageText(ctx, itemIndex, options.systemMessage);
	if (systemMessage.trim()) messages.unshift({ role: 'system', content: systemMessage });
	const definitions = tools.map((tool) => tool.definition);
	const body = (conversation: ChatMessage[]) =>
		buildRequestBody(model, conversation, settings, definitions);
	checkRequestSize(ctx, itemIndex, body(messages), images);

	let relay: StreamRelay | undefined;
	if (ctx.isStreaming?.()) {
		relay = new StreamRelay(
			(type, text) => sendChunk(ctx, type, itemIndex, text),
			options.streamReasoning === true,
		);
		sendChunk(ctx, 'begin', itemIndex);
	}

	const result = await runToolLoop({
		session: run.session,
		tools,
		messages,
		body,
		policy: {
			...retries,
			itemDeadline: Date.now() + Math.max(itemTimeout ?? DEFAULT_ITEM_TIMEOUT_MS, 1000),
		},
		maxIterations: Math.floor(maxIterations ?? DEFAULT_MAX_TOOLS_ITERATIONS),
		retryEmptyAnswer: spec.retryEmptyAnswer === true,
		callbacks: relay ?? {},
	});
	if (result instanceof RequestFailure) {
		const operation = ctx.getNodeParameter('operation', itemIndex) as Operation;
		throw run.session.toError(result, itemIndex, optionPathsOf(node.typeVersion, operation));
	}
	if (result.failedOver) run.failedOver.push(result.failedOver);
	if (relay) {
		relay.finish();
		sendChunk(ctx, 'end', itemIndex);
	}
	const request = { model, history, prompt, images, toolsConnected: tools.length > 0 };
	return itemOutput(ctx, itemIndex, run, spec, options, request, result);
}

export interface ToolLoopInput {
	session: MetaChatSession;
	tools: NodeTool[];
	/** The conversation so far: system, history and the prompt. */
	messages: ChatMessage[];
	body: (conversation: ChatMessage[]) => CompletionBody;
	policy: RequestPolicy;
	/** Rounds of tool calls allowed; 0 means no limit. */
	maxIterations: number;
	retryEmptyAnswer: boolean;
	callbacks: LoopCallbacks;
}

export type LoopCallbacks = DeltaCallbacks & {
	/** Called when a request's answer is taken and the loop goes on to its tool calls. */
	onAnswered?: () => void;
};

export interface ToolLoopResult {
	/** The last answer: the final one, or the tool-call answer the limit stopped. */
	answer: Answer;
	/** Messages the loop added after the prompt: tool-call messages and tool results. */
	added: ChatMessage[];
	toolCalls: ToolCallSummary[];
	usage: Usage | undefined;
	rounds: number;
	limitReached: boolean;
	pendingTools: string[];
	/** The first of the item's requests the backup URL answered, and why. */
	failedOver?: FailoverFacts;
}

/**
 * Asks the model, runs the tools it calls (one round side by side), sends the results back and
 * asks again, until it answers or the round limit is reached. Every request goes through the
 * failover rules on its own, so a primary lost between rounds moves the rest to the backup.
 */
export async function runToolLoop(input: ToolLoopInput): Promise<ToolLoopResult | RequestFailure> {
	const { session, tools, policy, callbacks } = input;
	const conversation = [...input.messages];
	const added: ChatMessage[] = [];
	const toolCalls: ToolCallSummary[] = [];
	let usage: Usage | undefined;
	let rounds = 0;
	let emptyRetried = false;
	let failedOver: FailoverFacts | undefined;
	/** The loop's result: the last answer, and the tools it asked for that did not run. */
	const result = (
		answer: ToolLoopResult['answer'],
		pendingTools: string[] = [],
	): ToolLoopResult => ({
		answer,
		added,
		toolCalls,
		usage,
		rounds,
		limitReached: pendingTools.length > 0,
		pendingTools,
		failedOver,
	});

	for (;;) {
		if (session.signal.aborted) return cancelledFailure();
		const answer = await session.complete(input.body(conversation), policy, callbacks);
		if (answer instanceof RequestFailure) return answer;
		failedOver ??= answer.failedOver;
		usage = addUsage(usage, answer.completion.usage);
		const message = answer.completion.choices[0].message;
		const calls = tools.length > 0 ? (message.tool_calls ?? []) : [];

		if (calls.length === 0) {
			// Asked once more only where nothing of it (its reasoning) reached a streaming caller.
			const streamed = (callbacks.streamedChars?.() ?? 0) > 0;
			if (input.retryEmptyAnswer && !emptyRetried && !streamed && message.content.trim() === '') {
				emptyRetried = true;
				callbacks.onRetry?.();
				continue;
			}
			return result(answer);
		}

		callbacks.onAnswered?.();
		// Inline <think> text is reasoning, never content; modelRules.ts decides where it is sent.
		const { content, reasoning } = answerParts(message);
		const callMessage: ChatMessage = { role: 'assistant', content, tool_calls: calls };
		if (reasoning !== '' || message.reasoning_content !== undefined) {
			callMessage.reasoning_content = reasoning;
		}
		conversation.push(callMessage);
		added.push(callMessage);

		if (input.maxIterations > 0 && rounds >= input.maxIterations) {
			// Answer the calls that will not run, so `messages` stays a valid history for a next turn.
			for (const call of calls) {
				added.push({
					role: 'tool',
					tool_call_id: call.id,
					content: toolWords({ what: 'over-iterations' }),
				});
			}
			return result(
				answer,
				calls.map((call) => call.function.name),
			);
		}

		rounds++;
		// A stopped execution ends the tools' round early; nothing more is sent.
		const results = await runToolCalls(tools, calls, rounds, session.signal);
		if (session.signal.aborted) return cancelledFailure(answer.endpoint, answer.attempts);
		conversation.push(...results.messages);
		added.push(...results.messages);
		toolCalls.push(...results.summary);
	}
}
