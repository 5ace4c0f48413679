import { textOf } from '../../shared/protocol';

/**
 * LangChain's default token count (the Summarization Chain splits documents with it) downloads a
 * tokenizer from the internet on first use, and waits through its retries where there is no route.
 * The model only talks to MetaChat, so it counts as LangChain does when that download fails.
 */
export function countTokensLocally(model: { getNumTokens?: unknown }): void {
	if (typeof model.getNumTokens !== 'function') return;
	model.getNumTokens = async (content: unknown) => Math.ceil(textOf(content).length / 4);
}
