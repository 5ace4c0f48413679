import type { IDataObject, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { FailureKind } from './transport/failureKinds';
import { AttemptFailure, RequestFailure, type EndpointOutcome } from './transport/failures';
import type { FailoverFacts } from './transport/request';

interface Explained {
	message: string;
	description: string;
}

/** A failure as the table below words it, from any of the places that meet one. */
export interface FailureFacts {
	kind: FailureKind;
	/** The server's own words, or ours where the server said nothing. */
	apiMessage: string;
	status?: number | null;
	/** Whether the backup URL was tried too. */
	failover?: boolean;
	/** What to do, where the request itself tells; it replaces the general advice. */
	hint?: string;
	/** Each URL asked, with how it failed there. */
	urls?: EndpointOutcome[];
}

/**
 * How a URL failed: what it said, or why it was silent; `withCode` adds the network code. (Never
 * in an error's message: n8n replaces a message that holds a code such as ECONNREFUSED with a
 * generic text.)
 */
function failureWhat(outcome: EndpointOutcome, withCode = false): string {
	let what = outcome.status
		? `answered ${outcome.status}: ${outcome.message}`
		: outcome.message.charAt(0).toLowerCase() + outcome.message.slice(1);
	if (withCode && !outcome.status && outcome.code) what += ` (${outcome.code})`;
	return what;
}

/** One URL's failure in a sentence: which URL, its address, and how it failed. */
function outcomeWords(outcome: EndpointOutcome, withCode = false): string {
	return `the ${outcome.endpoint} URL (${outcome.url}) ${failureWhat(outcome, withCode)}`;
}

/**
 * The notice of answers the backup URL gave: how the primary failed (its address, its status or
 * network code) and, for a node run, for how many of its items. One sentence for a whole run.
 */
export function failoverNotice(events: FailoverFacts[], items?: number): string {
	const groups = new Map<string, number>();
	for (const { primary } of events) {
		const what = failureWhat(primary, true);
		groups.set(what, (groups.get(what) ?? 0) + 1);
	}
	const many = (count: number) => `${count} item${count === 1 ? '' : 's'}`;
	const how = [...groups]
		.map(([what, count]) =>
			groups.size > 1 && items !== undefined ? `${what} (${many(count)})` : what,
		)
		.join('; ');
	const primaries = [...new Set(events.map((event) => event.primary.url))].join(', ');
	const backups = [...new Set(events.map((event) => event.backupUrl))].join(', ');
	const share = items === undefined ? '' : `, for ${events.length} of ${many(items)}`;
	return `MetaChat failover: the primary URL (${primaries}) ${how}. The failover URL (${backups}) answered instead${share}.`;
}

/**
 * The one table that words every failure for the user: an item of the DeepSeek node, a call of
 * the chat model, the credential as the nodes read it, and the model list. `field` names the
 * credential URL the model list was asked at; without it the failure is a request's. (The
 * credential's Test is n8n's declarative one; its rules carry their own words.)
 */
export function explain(failure: FailureFacts | AttemptFailure, field?: 'Base URL'): Explained {
	const facts: FailureFacts =
		failure instanceof AttemptFailure
			? { kind: failure.kind, apiMessage: failure.message, status: failure.status }
			: failure;
	const { kind, status, failover } = facts;
	const server = facts.apiMessage;
	const code = status ? ` (${status})` : '';
	const at = field ? ` at the ${field}` : '';
	const couldNot = (what: string) =>
		failover ? `Neither MetaChat URL could ${what}` : `MetaChat could not ${what}`;
	switch (kind) {
		case 'balance':
			return {
				message: `MetaChat balance exhausted${code}`,
				description: field
					? 'Top up the MetaChat balance.'
					: 'Top up the MetaChat balance, then run the workflow again. The remaining items of this run were not sent.',
			};
		case 'auth':
			if (!status) {
				return {
					message: server,
					description: 'Open the MetaChat credential and paste your API key.',
				};
			}
			return status === 403
				? {
						message: `MetaChat refused access${at}${code}: ${server}`,
						description: 'Check that your MetaChat key may use this model.',
					}
				: {
						message: `MetaChat rejected the API key${at}${code}`,
						description:
							'Check the API key in the MetaChat credential: copy it again from your MetaChat account.',
					};
		case 'request':
			if (!status)
				return { message: server, description: 'Fix the URL in the MetaChat credential.' };
			if (field) {
				return status === 404
					? {
							message: `No model list${at}${code}`,
							description: `The ${field} usually ends in /v1.`,
						}
					: { message: `MetaChat refused the model list${at}${code}: ${server}`, description: '' };
			}
			return {
				message: `MetaChat rejected the request${code}: ${server}`,
				description: facts.hint
					? facts.hint
					: status === 404
						? 'Check the Base URL in the credential (it usually ends in /v1) and the model ID.'
						: "Check this item's prompt, history, model and options.",
			};
		case 'rate-limit':
			return {
				message: `MetaChat kept answering "rate limit reached"${code}`,
				description:
					'Lower the Concurrency option or set Max Requests per Minute, or run again later.',
			};
		case 'cancelled':
			return { message: 'The execution was stopped', description: 'Nothing more was sent.' };
		case 'item-timeout':
			return {
				message: 'The item ran out of time',
				description: 'Raise the Item Timeout option, or lower Max Retries.',
			};
		case 'interrupted':
			return {
				message: `The answer broke off while it was being streamed: ${server}`,
				description:
					'It was not asked again, so the caller does not get the streamed text twice. Run the item again.',
			};
		case 'answer-timeout':
			return {
				message: `The answer took longer than the Timeout option allows: ${server}`,
				description:
					'MetaChat was still answering (reasoning models can think for minutes). Raise the Timeout option; the backup URL was not asked, since the primary was working.',
			};
		default:
			break;
	}
	if (field) {
		return {
			message: `The ${field} could not be reached: ${server}`,
			description: 'Check the URL and the network of the n8n host.',
		};
	}
	const both = failover && facts.urls && facts.urls.length > 1 ? facts.urls : undefined;
	if (both) {
		return {
			message: `Neither MetaChat URL could answer: ${both.map((outcome) => outcomeWords(outcome)).join('; ')}`,
			description: explain({ ...facts, urls: undefined }).description,
		};
	}
	switch (kind) {
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
				description: 'MetaChat did not start answering, or went silent. Try again later.',
			};
		default:
			return {
				message: `MetaChat sent an incomplete or invalid answer: ${server}`,
				description: 'Try again later; if it persists, check the Base URL.',
			};
	}
}

/** How much of the server's words the headline quotes; the details section has them all. */
const HEADLINE_CHARS = 200;

function headline(server: string): string {
	if (server.length <= HEADLINE_CHARS) return server;
	return `${server.slice(0, HEADLINE_CHARS)}… (the full message is in the error details)`;
}

/**
 * The lines of n8n's error details section ("Full message"): what MetaChat said, in full (redacted
 * and bounded where the failure was made), and each URL tried with its address and how it failed.
 */
function detailLines(failure: RequestFailure): string[] {
	const urls = failure.details.urls ?? [];
	if (urls.length > 0) return urls.map((outcome) => `MetaChat: ${outcomeWords(outcome, true)}`);
	return [`MetaChat: ${failure.apiMessage}`];
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
): NodeApiError {
	const { message, description } = explain({
		...failure,
		...failure.details,
		apiMessage: headline(failure.apiMessage),
	});
	const details = { ...failure.details } as unknown as IDataObject;
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

/** The error an item fails with: an API error with its details, or a wrong-input error. */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof RequestFailure) return failureError(node, error, itemIndex);
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
