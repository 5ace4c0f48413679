import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { DeepSeek } from '../../nodes/DeepSeek/DeepSeek.node';

export const LOOKUP_TOOL_TYPE = 'test.lookupTool';

export const WEATHER: Record<string, string> = {
	Paris: 'sunny, 21 °C',
	Oslo: 'snow, -3 °C',
};

/** Lets a test act while a tool runs, between two requests of a loop (e.g. take the primary down). */
export const toolHooks: { onCall?: (city: string) => void | Promise<void> } = {};

/**
 * A node used as a tool the way n8n 2.x uses any node as a tool: it has an ai_tool output and no
 * supplyData, so n8n-core's createNodeAsTool builds the tool and its schema from $fromAI().
 */
export class TestLookupTool implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Lookup Tool',
		name: LOOKUP_TOOL_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Looks the weather of a city up in a fixed table',
		defaults: { name: 'Lookup' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiTool],
		properties: [
			{ displayName: 'City', name: 'city', type: 'string', default: '' },
			{
				displayName: 'Behaviour',
				name: 'behaviour',
				type: 'options',
				options: [
					{ name: 'Look Up', value: 'lookup' },
					{ name: 'Throw', value: 'throw' },
					{ name: 'Huge', value: 'huge' },
					{ name: 'Slow', value: 'slow' },
				],
				default: 'lookup',
			},
			{ displayName: 'Tool Description', name: 'toolDescription', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const city = this.getNodeParameter('city', 0) as string;
		const behaviour = this.getNodeParameter('behaviour', 0) as string;
		await toolHooks.onCall?.(city);
		if (behaviour === 'throw') {
			throw new NodeOperationError(this.getNode(), `The weather service is down for ${city}`);
		}
		if (behaviour === 'slow') await new Promise((resolve) => setTimeout(resolve, 1500));
		if (behaviour === 'huge') return [[{ json: { city, report: 'x'.repeat(100_000) } }]];
		return [[{ json: { city, weather: WEATHER[city] ?? 'unknown' } }]];
	}
}

/** A tool node spec for the harness: `name` becomes the tool's name (n8n makes it snake_case). */
export function lookupTool(name = 'Lookup', behaviour = 'lookup') {
	return {
		name,
		type: LOOKUP_TOOL_TYPE,
		typeVersion: 1,
		parameters: {
			city: "={{ $fromAI('city', 'The city to look up', 'string') }}",
			behaviour,
			toolDescription: 'Looks up the current weather of a city',
		},
	};
}

/** The DeepSeek node as n8n's loader offers it as a tool: no inputs, an ai_tool output. */
export function deepSeekAsTool(): INodeType {
	const node = new DeepSeek();
	return {
		description: {
			...node.description,
			name: 'deepSeekTool',
			inputs: [],
			outputs: [NodeConnectionTypes.AiTool],
		},
		methods: node.methods,
		execute: node.execute,
	};
}
