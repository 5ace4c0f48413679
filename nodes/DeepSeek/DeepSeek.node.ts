import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { searchModels } from '../shared/modelSearch';
import { router } from './actions/router';
import { versionDescription } from './description/versionDescription';
import { metaChatApiTest } from './methods/credentialTest';

export class DeepSeek implements INodeType {
	description = versionDescription;

	methods = { listSearch: { searchModels }, credentialTest: { metaChatApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
