import type { SupplyData } from 'n8n-workflow';

function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content
		.map((part: { type?: unknown; text?: unknown }) =>
			part?.type === 'text' && typeof part.text === 'string' ? part.text : '',
		)
		.join('');
}

/**
 * LangChain's default token count (the Summarization Chain splits documents with it) downloads a
 * tokenizer from the internet on first use, and waits through its retries where there is no route.
 * The model only talks to MetaChat, so it counts as LangChain does when that download fails.
 */
export function countTokensLocally(supplied: SupplyData): SupplyData {
	const model = supplied.response as { getNumTokens?: unknown } | undefined;
	if (model && typeof model.getNumTokens === 'function') {
		model.getNumTokens = async (content: unknown) => Math.ceil(textOf(content).length / 4);
	}
	return supplied;
}
