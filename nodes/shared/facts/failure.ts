import type { AttemptFact } from './attempt';
import type { RejectableParameter } from '../protocol/rejectedParameter';
import type { EndpointOutcome } from '../transport/endpoint';
import type { FailureKind } from '../transport/failureKinds';

/**
 * Where a failure is shown: an item of the DeepSeek node or a call of the chat model (`item`),
 * the model list in the editor (`model-list`, asked at the Base URL), or the credential's Test
 * (`test`, n8n's declarative Test: its rules carry a message per status).
 */
export type Place = 'item' | 'model-list' | 'test';

/** A failure as the table below words it, from any of the places that meet one. */
export interface FailureFacts {
	kind: FailureKind;
	/** The server's own words, or ours where the server said nothing. */
	apiMessage: string;
	status?: number | null;
	/** Whether the backup URL was tried too. */
	failover?: boolean;
	/** What to do, where the request itself tells; it replaces the general advice. */
	advice?: RequestAdvice;
	/** Each URL asked, with how it failed there. */
	urls?: EndpointOutcome[];
}

/**
 * What a refused request itself tells the user to do, as facts the failover records: a parameter
 * the server does not take (sent by one of the options), or a model id it does not serve, with
 * the ids its /models offers or what happened when that list could not be read.
 */
export type RequestAdvice =
	| { refused: 'parameter'; parameter: RejectableParameter }
	| { refused: 'images'; model: string }
	| { refused: 'model'; model: string; served: string[] | AttemptFact };

/**
 * Where an option (by its parameter name) sits on the node's panel, as "Collection > Option",
 * read from the node's own description; undefined for an option the node does not have.
 */
export type OptionPath = (option: string) => string | undefined;
