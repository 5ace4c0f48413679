import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { KNOWN_MODELS, isReasoningModel, modelName } from './protocol/models';
import { AttemptError } from './transport/failures';
import { fetchModelIds, isUnreachable } from './transport/listModels';

function credentialProblem(error: Error): string {
	if (!(error instanceof AttemptError) || !error.status) return error.message;
	if (error.status === 401) return 'MetaChat rejected the API key (401)';
	if (error.status === 402) return 'MetaChat balance exhausted (402)';
	if (error.status === 404) return 'No model list at the Base URL (404): it should end in /v1';
	return `MetaChat refused the model list (${error.status}): ${error.message}`;
}

/**
 * The model list of both nodes: what MetaChat's /models says, or the known models if MetaChat
 * cannot be reached. The DeepSeek node's Reason operation lists the reasoning models first.
 */
export async function searchModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	let ids: string[] = [];
	try {
		ids = await fetchModelIds(await this.getCredentials('metaChatApi'));
	} catch (error) {
		// Only an unreachable MetaChat falls back to the known models; a refused key shows here.
		if (!isUnreachable(error)) {
			throw new NodeOperationError(this.getNode(), credentialProblem(error as Error), {
				description: 'Open the MetaChat credential and check the API key and the Base URL.',
			});
		}
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
		.filter((id) => !needle || `${id} ${modelName(id)}`.toLowerCase().includes(needle))
		.sort(
			(a, b) => reasoningFirst(a) - reasoningFirst(b) || known(a) - known(b) || a.localeCompare(b),
		)
		.map((id) => ({ name: modelName(id) === id ? id : `${modelName(id)} — ${id}`, value: id }));
	return { results };
}
