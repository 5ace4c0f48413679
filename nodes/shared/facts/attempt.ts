/** What happened in one attempt, as the transport and the credential record it. */
export type AttemptFact =
	| { what: 'stopped' }
	| { what: 'item-timeout' }
	| { what: 'idle'; idleMs: number }
	| { what: 'answer-timeout'; attemptMs: number }
	| { what: 'interrupted'; streamedChars: number; cause: AttemptFact }
	/** The server's own words (redacted and cut to size where they were read). */
	| { what: 'server-said'; text: string }
	| { what: 'status-only'; status: number }
	| { what: 'status-html'; status: number; title?: string }
	| { what: 'status-body-lost'; status: number }
	| { what: 'no-answer-in-time' }
	| { what: 'no-connection'; code?: string; text?: string }
	| { what: 'mid-answer-error'; text: string }
	/** DeepSeek ended the answer with finish_reason insufficient_system_resource. */
	| { what: 'cut-for-resources' }
	| { what: 'wrong-type'; contentType: string }
	| { what: 'empty-body' }
	| { what: 'broke-off'; code?: string }
	/** `limit` in bytes (a body) or characters (an answer); `part`: one line or event of a stream. */
	| { what: 'too-large'; limit: number; unit: 'bytes' | 'characters'; part?: 'line' | 'event' }
	| { what: 'bad-tool-index'; index: unknown }
	| { what: 'too-many-tool-calls'; max: number }
	| { what: 'no-choices' }
	| { what: 'no-message' }
	| { what: 'ended-early' }
	| { what: 'chunk-not-json' }
	| { what: 'not-json' }
	| { what: 'not-object' }
	| { what: 'model-list-format' }
	| { what: 'model-list-html' }
	| { what: 'model-list-unreadable'; code?: string }
	| { what: 'no-api-key' }
	| { what: 'bad-url'; field: string; problem: UrlProblem }
	| { what: 'primary-skipped' };

/** What is wrong with a URL of the credential. */
export type UrlProblem =
	| 'not-text'
	| 'empty'
	| 'spaces'
	| 'no-scheme'
	| 'not-a-url'
	| 'wrong-scheme'
	| 'user-info'
	| 'query';

/**
 * The server's own words in what happened, for the rules that read them (a refused parameter or
 * model id); '' where it said none. Only what it said: our words never match those rules.
 */
export function serverText(fact: AttemptFact): string {
	switch (fact.what) {
		case 'server-said':
		case 'mid-answer-error':
			return fact.text;
		case 'status-html':
			return fact.title ?? '';
		default:
			return '';
	}
}
