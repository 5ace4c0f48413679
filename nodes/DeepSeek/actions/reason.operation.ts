import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { operationFields } from '../description/operation';
import { DEFAULT_REASON_MODEL } from '../../shared/protocol/models';
import { completeItem, type NodeRunScope } from './complete';

export const description = operationFields('reason', DEFAULT_REASON_MODEL);

/** An answer with thinking on unless turned off; the output always holds the reasoning. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	scope: NodeRunScope,
): Promise<INodeExecutionData> {
	return await completeItem(this, itemIndex, scope, { thinking: 'enabled', alwaysReasoning: true });
}
