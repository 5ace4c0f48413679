import type { AttemptFact } from '../facts/attempt';

/** Which of the credential's URLs a request went to. */
export type EndpointRole = 'primary' | 'failover';

/** One URL of the credential, normalised, with its role. */
export interface Endpoint {
	role: EndpointRole;
	baseUrl: string;
}

/** How a request ended at one URL: the last failure there. */
export interface EndpointOutcome {
	endpoint: EndpointRole;
	url: string;
	status: number | null;
	code: string | null;
	/** What happened there, as facts: the wording turns it into words where a node reports it. */
	fact: AttemptFact;
}

/** Why an answer came from the backup URL, for the notice the calling node gives. */
export interface FailoverFacts {
	/** The primary's last failure in this request; `skipped` where the breaker left it out. */
	primary: EndpointOutcome & { skipped?: boolean };
	backupUrl: string;
}
