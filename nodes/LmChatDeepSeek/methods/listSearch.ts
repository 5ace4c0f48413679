import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { KNOWN_MODELS, modelName } from '../../shared/knownModels';
import { fetchModelIds } from '../../shared/transport/listModels';

/** Answers that are about the credential, not the URL's health: the editor shows them. */
const REFUSED: Record<number, string> = {
	401: 'MetaChat rejected the API key (401)',
	402: 'MetaChat balance exhausted (402)',
	403: 'MetaChat refused access to the model list (403)',
	404: 'No model list at the Base URL (404): it should end in /v1',
};

/** The model list: what MetaChat's /models says, or the known models if MetaChat is unreachable. */
export async function searchModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	let ids: string[] = [];
	try {
		ids = await fetchModelIds(await this.getCredentials('metaChatApi'));
	} catch (error) {
		const refused = REFUSED[(error as { status?: number }).status ?? 0];
		if (refused) {
			throw new NodeOperationError(this.getNode(), refused, {
				description: 'Open the MetaChat credential and check the API key and the Base URL.',
			});
		}
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
