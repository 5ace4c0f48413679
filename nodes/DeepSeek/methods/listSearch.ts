import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { KNOWN_MODELS, isReasoningModel, modelName } from '../../shared/knownModels';
import { fetchModelIds } from '../../shared/transport/listModels';

/** The model list: what MetaChat's /models says, or the four known models if it cannot be read. */
export async function searchModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	let ids: string[] = [];
	try {
		ids = await fetchModelIds(await this.getCredentials('metaChatApi'));
	} catch {
		// The list is a convenience: a wrong key or an unreachable URL shows up when the node runs.
	}
	if (ids.length === 0) ids = KNOWN_MODELS.map((model) => model.id);

	const operation = this.getCurrentNodeParameter('operation') as string | undefined;
	const known = (id: string) => {
		const index = KNOWN_MODELS.findIndex((model) => model.id === id);
		return index === -1 ? KNOWN_MODELS.length : index;
	};
	const reasoningFirst = (id: string) => (operation === 'reason' && !isReasoningModel(id) ? 1 : 0);
	const needle = filter?.trim().toLowerCase() ?? '';

	const results = [...new Set(ids)]
		.filter((id) => !needle || `${id} ${modelName(id)}`.toLowerCase().includes(needle))
		.sort(
			(a, b) => reasoningFirst(a) - reasoningFirst(b) || known(a) - known(b) || a.localeCompare(b),
		)
		.map((id) => ({ name: modelName(id) === id ? id : `${modelName(id)} — ${id}`, value: id }));
	return { results };
}
