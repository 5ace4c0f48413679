import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { KNOWN_MODELS, modelName } from '../../shared/knownModels';
import { fetchModelIds } from '../../shared/transport/listModels';

/** The model list: what MetaChat's /models says, or the known models if it cannot be read. */
export async function searchModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	let ids: string[] = [];
	try {
		ids = await fetchModelIds(await this.getCredentials('metaChatApi'));
	} catch {
		// The list is a convenience: a wrong key or an unreachable URL shows up when the agent runs.
	}
	if (ids.length === 0) ids = KNOWN_MODELS.map((model) => model.id);

	const rank = (id: string) => {
		const index = KNOWN_MODELS.findIndex((model) => model.id === id);
		return index === -1 ? KNOWN_MODELS.length : index;
	};
	const needle = filter?.trim().toLowerCase() ?? '';
	const results = [...new Set(ids)]
		.filter((id) => !needle || `${id} ${modelName(id)}`.toLowerCase().includes(needle))
		.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
		.map((id) => ({ name: modelName(id) === id ? id : `${modelName(id)} — ${id}`, value: id }));
	return { results };
}
