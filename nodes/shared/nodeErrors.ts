import type { IDataObject, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { MetaChatRequestError } from './transport/failures';

interface Explained {
	message: string;
	description: string;
}

/** What a failed request means for the user, and what to do about it. */
export function explain(error: MetaChatRequestError): Explained {
	const { status, failover } = error.details;
	const code = status ? ` (${status})` : '';
	const server = error.apiMessage;
	const couldNot = (what: string) =>
		failover ? `Neither MetaChat URL could ${what}` : `MetaChat could not ${what}`;
	switch (error.kind) {
		case 'balance':
			return {
				message: `MetaChat balance exhausted${code}`,
				description:
					'Top up the MetaChat balance, then run the workflow again. The remaining items of this run were not sent.',
			};
		case 'auth':
			return {
				message:
					status === 403
						? `MetaChat refused access${code}: ${server}`
						: `MetaChat rejected the API key${code}`,
				description:
					status === 403
						? 'Check that your MetaChat key may use this model.'
						: 'Check the API key in the MetaChat credential.',
			};
		case 'request':
			return {
				message: `MetaChat rejected the request${code}: ${server}`,
				description:
					status === 404
						? 'Check the Base URL in the credential (it usually ends in /v1) and the model ID.'
						: "Check this item's prompt, history, model and options.",
			};
		case 'rate-limit':
			return {
				message: `MetaChat kept answering "rate limit reached"${code}`,
				description:
					'Lower the Concurrency option or set Max Requests per Minute, or run again later.',
			};
		case 'server':
			return {
				message: `${couldNot('answer')}${code}: ${server}`,
				description: failover
					? 'MetaChat is having trouble; try again later.'
					: 'Try again later, or set a Failover Base URL in the credential.',
			};
		case 'connection':
			return {
				message: `${couldNot('be reached')}: ${server}`,
				description: 'Check the Base URL in the credential and the network of the n8n host.',
			};
		case 'timeout':
			return {
				message: `${couldNot('answer in time')}: ${server}`,
				description: 'Raise the Timeout option, or try again later.',
			};
		case 'item-timeout':
			return {
				message: 'The item ran out of time',
				description: 'Raise the Item Timeout option, or lower Max Retries.',
			};
		case 'broken':
			return {
				message: `MetaChat sent an incomplete or invalid answer: ${server}`,
				description: 'Try again later; if it persists, check the Base URL.',
			};
		case 'cancelled':
			return { message: 'The execution was stopped', description: 'Nothing more was sent.' };
	}
}

/** The error an item fails with: an API error with its details, or a wrong-input error. */
export function toNodeError(node: INode, error: unknown, itemIndex: number): Error {
	if (error instanceof MetaChatRequestError) {
		const { message, description } = explain(error);
		const details = { ...error.details } as unknown as IDataObject;
		const apiError = new NodeApiError(node, { message, description, details } as JsonObject, {
			message,
			description,
			httpCode: error.details.status ? String(error.details.status) : undefined,
			itemIndex,
		});
		apiError.context.details = details;
		return apiError;
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
