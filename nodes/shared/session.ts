import type { IExecuteFunctions, ISupplyDataFunctions } from 'n8n-workflow';

import { metaChatHttp, readCredential } from './credential';
import type { RequestLimiter } from './transport/limiter';
import type { RunScope } from './transport/request';

/** What a node decides of its own run: the signal that stops it and how its requests are paced. */
export interface Opening {
	signal: AbortSignal;
	/** Made after the credential is read, so a wrong credential is told before a wrong option. */
	limiter: () => RequestLimiter;
	/** The item whose credential expression is read (the chat model's); the run's first otherwise. */
	itemIndex?: number;
}

/**
 * Opens MetaChat for a node's run from its execution context: the key and both URLs of its
 * credential, n8n's request helper bound to it, the signal and the limiter every request shares.
 */
export async function openMetaChat(
	ctx: IExecuteFunctions | ISupplyDataFunctions,
	opening: Opening,
): Promise<RunScope> {
	const { apiKey, endpoints } = await readCredential(ctx, opening.itemIndex);
	return {
		apiKey,
		endpoints,
		signal: opening.signal,
		limiter: opening.limiter(),
		http: metaChatHttp(ctx),
	};
}
