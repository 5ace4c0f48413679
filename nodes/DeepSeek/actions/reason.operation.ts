import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { historyProperty, promptProperty } from '../description/messages';
import { optionsProperty, simplifyProperty } from '../description/completionOptions';
import { modelProperty } from '../../shared/description/modelLocator';
import { DEFAULT_REASON_MODEL } from '../../shared/protocol/models';
import { completeItem, type NodeRunScope } from './complete';

const properties: INodeProperties[] = [
	modelProperty(DEFAULT_REASON_MODEL),
	promptProperty,
	historyProperty,
	simplifyProperty,
	optionsProperty('reason'),
];

export const description = updateDisplayOptions({ show: { operation: ['reason'] } }, properties);

/** An answer with thinking on unless turned off; the output always holds the reasoning. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	scope: NodeRunScope,
): Promise<INodeExecutionData> {
	return await completeItem(this, itemIndex, scope, { thinking: 'enabled', alwaysReasoning: true });
}
