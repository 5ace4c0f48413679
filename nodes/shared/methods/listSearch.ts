import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { listModels } from '../session';
import { explain } from '../wording';
import { KNOWN_MODELS, isReasoningModel, knownModel } from '../protocol/models';
import { AttemptFailure } from '../failures';
import { isUnreachable } from '../transport/listModels';

/**
 * The model list of both nodes: what MetaChat's /models says, or the known models if MetaChat
 * cannot be reached. The DeepSeek node's Reason operation lists the reasoning models first.
 */
export async function searchModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	let ids = await listModels(this);
	if (ids instanceof AttemptFailure) {
		// Only an unreachable MetaChat falls back to the known models; a refused key shows here.
		if (!isUnreachable(ids)) {
			const { message, description } = explain(ids, 'model-list');
			throw new NodeOperationError(this.getNode(), message, { description });
		}
		ids = [];
	}
	if (ids.length === 0) ids = KNOWN_MODELS.map((model) => model.id);

	// The chat model sub-node has no operation parameter.
	const operation = this.getCurrentNodeParameter?.('operation') as string | undefined;
	const known = (id: string) => {
		const index = KNOWN_MODELS.findIndex((model) => model.id === id);
		return index === -1 ? KNOWN_MODELS.length : index;
	};
	const reasoningFirst = (id: string) => (operation === 'reason' && !isReasoningModel(id) ? 1 : 0);
	const needle = filter?.trim().toLowerCase() ?? '';

	const results = [...new Set(ids)]
		.filter((id) => {
			const known = knownModel(id);
			const text = `${id} ${known?.label ?? ''} ${known?.description ?? ''}`;
			return !needle || text.toLowerCase().includes(needle);
		})
		.sort(
			(a, b) => reasoningFirst(a) - reasoningFirst(b) || known(a) - known(b) || a.localeCompare(b),
		)
		.map((id) => {
			const known = knownModel(id);
			// The ID first and a few words after it: n8n's list shows the name only, on one line.
			if (!known) return { name: id, value: id };
			return { name: `${id} (${known.label})`, value: id, description: known.description };
		});
	return { results };
}
