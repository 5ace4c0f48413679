import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { operationFields } from '../description/operation';
import { DEFAULT_CHAT_MODEL } from '../../shared/protocol/models';
import { parseUntrustedJson } from '../../shared/protocol/untrustedJson';
import { inputError } from '../../shared/nodeErrors';
import { completeItem, type NodeRunScope } from './complete';
import { readCompletionOptions } from './readOptions';

export const description = operationFields('chat', DEFAULT_CHAT_MODEL);

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
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	scope: NodeRunScope,
): Promise<INodeExecutionData> {
	const { responseFormat } = readCompletionOptions(this, itemIndex);
	const json = responseFormat === 'json_object';
	return await completeItem(this, itemIndex, scope, {
		thinking: 'disabled',
		responseFormat,
		// DeepSeek's JSON output may come back empty; one more request usually fixes it.
		retryEmptyAnswer: json,
		answerData: json ? (content) => parseJsonAnswer(this, itemIndex, content) : undefined,
	});
}
