import type { FailureFacts, OptionPath, Place } from '../facts/failure';
import type { EndpointOutcome } from '../transport/endpoint';
import type { FailureKind } from '../transport/failureKinds';
import type { AttemptFact } from '../facts/attempt';
import { adviceWords } from './advice';
import { factWords } from './attempt';

/**
 * Every sentence a user reads about a failure, in one place. The transport and the credential
 * record what happened as facts (`AttemptFact`: what, with the server's own words, numbers and
 * codes); `factWords` turns one into the words of what happened, and `explain` turns a failure
 * into the message and the fix for the place that shows it.
 */

/** A message with the fix, as n8n shows an error: its message and its description. */
export interface Explained {
	message: string;
	description: string;
}

/** How much of the server's words an error's headline quotes; the details section has them all. */
const HEADLINE_CHARS = 200;

/** The server's words as an error's headline quotes them: cut where they are long. */
export function headlineWords(server: string): string {
	if (server.length <= HEADLINE_CHARS) return server;
	return `${server.slice(0, HEADLINE_CHARS)}… (the full message is in the error details)`;
}

/**
 * How a URL failed: what it said, or why it was silent; `withCode` adds the network code. (Never
 * in an error's message: n8n replaces a message that holds a code such as ECONNREFUSED with a
 * generic text.)
 */
export function failureWhat(outcome: EndpointOutcome, withCode = false): string {
	const said = factWords(outcome.fact);
	let what = outcome.status
		? `answered ${outcome.status}: ${said}`
		: said.charAt(0).toLowerCase() + said.slice(1);
	if (withCode && !outcome.status && outcome.code) what += ` (${outcome.code})`;
	return what;
}

/**
 * The lines of n8n's error details section ("Full message"): what MetaChat said, in full, or
 * each URL tried with its address and how it failed.
 */
export function detailWords(apiMessage: string, urls: EndpointOutcome[] = []): string[] {
	if (urls.length > 0) return urls.map((outcome) => `MetaChat: ${outcomeWords(outcome, true)}`);
	return [`MetaChat: ${apiMessage}`];
}

/**
 * Each URL asked as the error's details show it (error data, "On Error: Continue" output): how it
 * failed, in words, where the failure holds what happened.
 */
export function outcomeDetails(urls: EndpointOutcome[]): WordedOutcome[] {
	return urls.map(({ fact, ...outcome }) => ({ ...outcome, message: factWords(fact) }));
}

export type WordedOutcome = Omit<EndpointOutcome, 'fact'> & { message: string };

/** One URL's failure in a sentence: which URL, its address, and how it failed. */
export function outcomeWords(outcome: EndpointOutcome, withCode = false): string {
	return `the ${outcome.endpoint} URL (${outcome.url}) ${failureWhat(outcome, withCode)}`;
}

/** The words a row builds from: the failure's facts and where it is shown. */
interface RowInput extends FailureFacts {
	server: string;
	/** The advice of the request, worded for the node's panel. */
	hint?: string;
	/** ' (402)': the status, where one came. */
	code: string;
	/** ' at the Base URL' in the model list. */
	at: string;
	place: Exclude<Place, 'test'>;
}

type Row = (input: RowInput) => Explained;

/** The model list is asked at the credential's Base URL. */
const MODEL_LIST_FIELD = 'Base URL';

const couldNot = (input: RowInput, what: string) =>
	input.failover ? `Neither MetaChat URL could ${what}` : `MetaChat could not ${what}`;

/** A URL that could not answer, as the model list says it: the Base URL and the network. */
const unreachableListRow: Row = ({ server }) => ({
	message: `The ${MODEL_LIST_FIELD} could not be reached: ${server}`,
	description: 'Check the URL and the network of the n8n host.',
});

/** A request that failed at both URLs: each URL and how it failed, with the row's fix. */
/** What the network codes of the URLs asked mean for the n8n host, and what to check. */
function networkFix(urls: EndpointOutcome[] | undefined): string {
	const codes = (urls ?? []).map((outcome) => outcome.code ?? '');
	if (codes.some((code) => /CERT|TLS|SSL/i.test(code))) {
		return "The n8n host did not accept the URL's TLS certificate (a proxy or a private certificate authority in between?): check the Base URL in the credential, or give n8n that certificate authority.";
	}
	if (codes.some((code) => code === 'ENOTFOUND' || code === 'EAI_AGAIN')) {
		return 'The n8n host could not look up the host name: check the spelling of the Base URL in the credential and the DNS of the n8n host.';
	}
	if (codes.some((code) => ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code))) {
		return 'The n8n host cannot reach the URL: check the Base URL in the credential, and that no firewall or proxy blocks the n8n host.';
	}
	return 'Check the Base URL in the credential and the network of the n8n host.';
}

function atBothUrls(row: Row): Row {
	return (input) => {
		if (input.place === 'model-list') return unreachableListRow(input);
		const both = input.failover && input.urls && input.urls.length > 1 ? input.urls : undefined;
		if (!both) return row(input);
		return {
			message: `Neither MetaChat URL could answer: ${both.map((outcome) => outcomeWords(outcome)).join('; ')}`,
			description: row(input).description,
		};
	};
}

/** The table: one row per kind of failure, worded for the item and for the model list. */
const ROWS: Record<FailureKind, Row> = {
	// A gateway's used-up quota is worded as that, whatever status (401, 403, 429) carried it.
	balance: ({ status, server, code, place }) => {
		const quota = status !== 402 && status !== undefined && status !== null;
		const fix = quota
			? "Top up the MetaChat balance, or raise this key's (token's) quota in the MetaChat console"
			: 'Top up the MetaChat balance';
		return {
			message: quota
				? `MetaChat says the balance or quota of this key is used up${code}: ${server}`
				: `MetaChat balance exhausted${code}`,
			description:
				place === 'model-list'
					? `${fix}.`
					: `${fix}, then run the workflow again. The remaining items of this run were not sent.`,
		};
	},
	// Always the server's own words: a reason we do not recognise still reaches the user.
	auth: ({ status, server, code, at }) => {
		if (!status) {
			return {
				message: server,
				description: 'Open the MetaChat credential and paste your API key.',
			};
		}
		const said = server === `status ${status}` ? '' : `: ${server}`;
		return status === 403
			? {
					message: `MetaChat refused access${at}${code}${said}`,
					description: 'Check that your MetaChat key may use this model.',
				}
			: {
					message: `MetaChat rejected the API key${at}${code}${said}`,
					description:
						'Check the API key in the MetaChat credential: copy it again from your MetaChat account.',
				};
	},
	request: ({ status, server, code, at, place, hint, advice }) => {
		if (!status) return { message: server, description: 'Fix the URL in the MetaChat credential.' };
		if (place === 'model-list') {
			return status === 404
				? {
						message: `No model list${at}${code}`,
						description: `The ${MODEL_LIST_FIELD} usually ends in /v1.`,
					}
				: { message: `MetaChat refused the model list${at}${code}: ${server}`, description: '' };
		}
		if (advice?.refused === 'images' && hint) {
			// The AI Agent shows only the message of its model's error: the fix is in it.
			return {
				message: `The model "${advice.model}" does not take images${code}: ${hint.charAt(0).toLowerCase()}${hint.slice(1)}`,
				description: `MetaChat said: ${server}`,
			};
		}
		return {
			message: `MetaChat rejected the request${code}: ${server}`,
			description: hint
				? hint
				: status === 404
					? 'Check the Base URL in the credential (it usually ends in /v1) and the model ID.'
					: "Check this item's prompt, history, model and options.",
		};
	},
	'rate-limit': ({ code }) => ({
		message: `MetaChat kept answering "rate limit reached"${code}`,
		description: 'Lower the Concurrency option or set Max Requests per Minute, or run again later.',
	}),
	// The gateway's own upstream was full: nothing in this workflow's settings can change that.
	'upstream-busy': ({ code, server }) => ({
		message: `MetaChat's gateway kept answering that its upstream is busy${code}: ${server}`,
		description:
			'The servers behind MetaChat had no free capacity (not your rate limit); run the workflow again later, or ask MetaChat.',
	}),
	cancelled: () => ({
		message: 'The execution was stopped',
		description: 'Nothing more was sent.',
	}),
	'item-timeout': () => ({
		message: 'The item ran out of time',
		description: 'Raise the Item Timeout option, or lower Max Retries.',
	}),
	interrupted: ({ server }) => ({
		message: `The answer broke off while it was being streamed: ${server}`,
		description:
			'It was not asked again, so the caller does not get the streamed text twice. Run the item again.',
	}),
	'answer-timeout': ({ server }) => ({
		message: `The answer took longer than the Timeout option allows: ${server}`,
		description:
			'MetaChat was still answering (reasoning models can think for minutes). Raise the Timeout option; the backup URL was not asked, since the primary was working.',
	}),
	server: atBothUrls((input) => ({
		message: `${couldNot(input, 'answer')}${input.code}: ${input.server}`,
		description: input.failover
			? 'MetaChat is having trouble; try again later.'
			: 'Try again later, or set a Failover Base URL in the credential.',
	})),
	connection: atBothUrls((input) => ({
		message: `${couldNot(input, 'be reached')}: ${input.server}`,
		description: networkFix(input.urls),
	})),
	timeout: atBothUrls((input) => ({
		message: `${couldNot(input, 'answer in time')}: ${input.server}`,
		description: 'MetaChat did not start answering, or went silent. Try again later.',
	})),
	broken: atBothUrls(({ server }) => ({
		message: `MetaChat sent an incomplete or invalid answer: ${server}`,
		description: 'Try again later; if it persists, check the Base URL.',
	})),
};

/**
 * The one function that words every failure for the user: an item of the DeepSeek node, a call
 * of the chat model, the credential as the nodes read it (`item`), and the model list
 * (`model-list`, asked at the Base URL).
 */
export function explain(
	failure: FailureFacts | { kind: FailureKind; fact: AttemptFact; status?: number },
	place: Exclude<Place, 'test'> = 'item',
	optionPath?: OptionPath,
): Explained {
	const facts: FailureFacts =
		'apiMessage' in failure
			? failure
			: { kind: failure.kind, apiMessage: factWords(failure.fact), status: failure.status };
	const explained = ROWS[facts.kind]({
		...facts,
		server: facts.apiMessage,
		hint: facts.advice && adviceWords(facts.advice, optionPath),
		code: facts.status ? ` (${facts.status})` : '',
		at: place === 'model-list' ? ` at the ${MODEL_LIST_FIELD}` : '',
		place,
	});
	if (place !== 'model-list') return explained;
	// The model list is read with the credential alone: its fix is always there too.
	const general = `Open the MetaChat credential and check the API key and the ${MODEL_LIST_FIELD}.`;
	return { ...explained, description: `${explained.description} ${general}`.trim() };
}
