import type { IDataObject, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { AttemptFailure, RequestFailure } from './failures';
import type { OptionPath } from './facts/failure';
import type { InputFact } from './facts/input';
import {
	detailWords,
	explain,
	factWords,
	headlineWords,
	inputWords,
	outcomeDetails,
} from './wording';

/**
 * The lines of n8n's error details section ("Full message"): what MetaChat said, in full (redacted
 * and bounded where the failure was made), and each URL tried with its address and how it failed.
 */
function detailLines(failure: RequestFailure): string[] {
	return detailWords(factWords(failure.fact), failure.details.urls);
}

/** The failure's details as the error shows them: each URL asked with how it failed, in words. */
function shownDetails({ details }: RequestFailure): IDataObject {
	const shown = details.urls ? { ...details, urls: outcomeDetails(details.urls) } : { ...details };
	return shown as unknown as IDataObject;
}

/**
 * A final request failure as the error n8n shows for the item: an API error with its details.
 * n8n's error view shows a details section ("From" and the node's name) with the error code (the
 * status, or the network code where no response came), the full messages and the error data.
 */
export function failureError(
	node: INode,
	failure: RequestFailure,
	itemIndex: number,
	optionPath?: OptionPath,
): NodeApiError {
	const { message, description } = explain(
		{ ...failure, ...failure.details, apiMessage: headlineWords(factWords(failure.fact)) },
		'item',
		optionPath,
	);
	const details = shownDetails(failure);
	const apiError = new NodeApiError(node, { message, description, details } as JsonObject, {
		message,
		description,
		httpCode: failure.details.status ? String(failure.details.status) : undefined,
		itemIndex,
	});
	// The network code as the error code, set after n8n's constructor, which would swap the
	// message for its generic words for that code.
	const code = failure.details.urls?.at(-1)?.code;
	if (!failure.details.status && code) apiError.httpCode = code;
	apiError.messages = [...new Set([message, ...detailLines(failure)])];
	apiError.context.details = details;
	apiError.context.data = { service: 'MetaChat', ...details };
	return apiError;
}

/** Wrong input found where no node is at hand, for toNodeError to raise as an input error. */
export class InputProblem extends Error {
	constructor(readonly fact: InputFact) {
		super(inputWords(fact).message);
	}
}

/** The error for wrong input (of an item where itemIndex is given): what is wrong and the fix. */
export function inputError(node: INode, fact: InputFact, itemIndex?: number): NodeOperationError {
	const { message, description } = inputWords(fact);
	return new NodeOperationError(node, message, { itemIndex, description });
}

/** The error an item fails with: an API error with its details, or a wrong-input error. */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
	optionPath?: OptionPath,
): NodeApiError | NodeOperationError {
	if (error instanceof RequestFailure) return failureError(node, error, itemIndex, optionPath);
	if (error instanceof InputProblem) return inputError(node, error.fact, itemIndex);
	if (error instanceof AttemptFailure) {
		const { message, description } = explain(error);
		return new NodeOperationError(node, message, { itemIndex, description });
	}
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, message, { itemIndex });
}

/** The output item of a failed item under "On Error: Continue". */
export function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const json: IDataObject = {
		error: error.message,
		message: (error as { description?: string }).description ?? error.message,
	};
	const details = (error as { context?: IDataObject }).context?.details;
	if (details) json.details = details;
	return { json, pairedItem: { item: itemIndex } };
}
