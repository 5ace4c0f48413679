import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { answerParts, type ChatMessage, thinkingUsedBudget } from '../../shared/protocol';
import { thinkingBudgetNotice, toolLimitNotice } from '../../shared/wording';
import { optionPathsOf, type Operation } from '../description/completionOptions';
import { keptMessage, type ItemImage } from './attachImages';
import type { NodeRun, OperationSpec, ToolLoopResult } from './complete';
import type { CompletionOptions } from './readOptions';

/** What the item asked, as its output's `messages` repeats it. */
export interface ItemRequest {
	model: string;
	history: ChatMessage[];
	prompt: string;
	images: ItemImage[];
	toolsConnected: boolean;
}

/** The item's output: the answer, or with Simplify off the API's whole completion. */
export function itemOutput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	run: NodeRun,
	spec: OperationSpec,
	options: CompletionOptions,
	request: ItemRequest,
	result: ToolLoopResult,
): INodeExecutionData {
	const { completion } = result.answer;
	const simplify = ctx.getNodeParameter('simplify', itemIndex, true) as boolean;
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
	output.model = completion.model || request.model;
	output.finish_reason = result.limitReached ? 'max_tool_iterations' : choice.finish_reason;
	if (!result.limitReached && thinkingUsedBudget(content, reasoning, choice.finish_reason)) {
		const node = ctx.getNode();
		const operation = ctx.getNodeParameter('operation', itemIndex) as Operation;
		output.notice = thinkingBudgetNotice(optionPathsOf(node.typeVersion, operation));
		// One hint for the run, whichever items it met.
		if (!run.toldThinkingBudget && typeof ctx.addExecutionHints === 'function') {
			run.toldThinkingBudget = true;
			ctx.addExecutionHints({ message: output.notice, type: 'warning', location: 'outputPane' });
		}
	}
	if (result.limitReached) {
		output.notice = toolLimitNotice(result.rounds, result.pendingTools);
	}
	output.usage = (result.usage ?? null) as IDataObject | null;
	output.attempts = result.answer.attempts;
	if (request.toolsConnected) output.toolCalls = result.toolCalls as unknown as IDataObject[];
	if (options.includeMessages !== false) {
		output.messages = [
			...request.history,
			keptMessage(request.prompt, request.images),
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
