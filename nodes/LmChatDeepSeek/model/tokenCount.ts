import type { SupplyData } from 'n8n-workflow';

import { textOf } from '../../shared/protocol/messageText';

interface CountingModel {
	getNumTokens?: unknown;
	bindTools?: unknown;
}

function patch<T>(model: T): T {
	const target = model as CountingModel | undefined;
	if (!target || typeof target.getNumTokens !== 'function') return model;
	target.getNumTokens = async (content: unknown) => Math.ceil(textOf(content).length / 4);
	const bindTools = target.bindTools;
	if (typeof bindTools === 'function') {
		// The agent binds its tools to a new model object, which must count the same way.
		target.bindTools = (...args: unknown[]) => patch(bindTools.apply(target, args));
	}
	return model;
}

/**
 * LangChain's default token count (the Summarization Chain splits documents with it) downloads a
 * tokenizer from the internet on first use, and waits through its retries where there is no route.
 * The model only talks to MetaChat, so it counts as LangChain does when that download fails.
 */
export function countTokensLocally(supplied: SupplyData): SupplyData {
	patch(supplied.response);
	return supplied;
}
