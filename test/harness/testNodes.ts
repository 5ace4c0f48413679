import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/** Items handed to a Start node by key, so large test inputs never pass through parameters. */
export const startItems = new Map<string, INodeExecutionData[]>();

export const START_NODE_TYPE = 'test.start';

/** A test-only first node: emits the items the harness registered under its `key` parameter. */
export class TestStart implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Start',
		name: 'test.start',
		group: ['input'],
		version: 1,
		description: 'Emits the items a test gave it',
		defaults: { name: 'Start' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Key', name: 'key', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const key = this.getNodeParameter('key', 0) as string;
		const items = startItems.get(key) ?? [];
		return [
			items.map((item) => ({
				json: item.json,
				...(item.binary && { binary: item.binary }),
				pairedItem: { item: 0 },
			})),
		];
	}
}
