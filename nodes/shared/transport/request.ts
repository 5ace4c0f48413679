import type { Completion } from '../protocol/wire';
import type { Endpoint, EndpointRole, FailoverFacts } from './endpoint';
import type { MetaChatHttp } from './client';
import type { RequestFailure } from '../failures';
import type { RequestLimiter } from './limiter';

/** What all items of one node run share. */
export interface RunScope {
	apiKey: string;
	endpoints: Endpoint[];
	/** Aborts on n8n's execution cancel, or when the run stops after a fatal item error. */
	signal: AbortSignal;
	limiter: RequestLimiter;
	/** n8n's request helper of the calling node, with the MetaChat credential. */
	http: MetaChatHttp;
	/** Set by a 402: the balance is gone for every item, so the rest fail fast with the same error. */
	exhausted?: RequestFailure;
}

export interface RequestPolicy {
	timeoutMs: number;
	itemDeadline: number;
	maxRetries: number;
	/** Whether the backup URL may be used for this item. */
	failover: boolean;
	/** This request's own abort (an agent's call), besides the run's. */
	signal?: AbortSignal;
}

export interface Answer {
	completion: Completion;
	endpoint: EndpointRole;
	attempts: number;
	/** Set where the backup answered: how the primary failed (or that it was skipped), and where. */
	failedOver?: FailoverFacts;
}

/** What a streaming caller is told as the answer arrives. */
export interface StreamCallbacks {
	/** `answerId`: the id the server gave this answer, where it gave one so far. */
	onContent?: (delta: string, answerId?: string) => void;
	onReasoning?: (delta: string) => void;
}

export type DeltaCallbacks = StreamCallbacks & {
	/** Called before each attempt after the first, so streamed output can be reconciled. */
	onRetry?: () => void;
	/**
	 * How many characters of this request's answer have reached a streaming caller. Once any
	 * have, a failed attempt is not repeated: the caller would get the text twice.
	 */
	streamedChars?: () => number;
};
