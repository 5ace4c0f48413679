import type { RejectableParameter } from './protocol/rejectedParameter';
import { ROLES } from './protocol/wire';
import type { EndpointOutcome, FailoverFacts } from './transport/endpoint';
import type { FailureKind } from './transport/failureKinds';

/**
 * Every sentence a user reads about a failure, in one place. The transport and the credential
 * record what happened as facts (`AttemptFact`: what, with the server's own words, numbers and
 * codes); `factWords` turns one into the words of what happened, and `explain` turns a failure
 * into the message and the fix for the place that shows it.
 */

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

const EXAMPLE_URL = 'https://llm-api.mmchat.xyz/v1';

const URL_PROBLEMS: Record<UrlProblem, [what: string, fix: string]> = {
	'not-text': ['is not text', `use e.g. ${EXAMPLE_URL}`],
	empty: ['is empty', `use e.g. ${EXAMPLE_URL}`],
	spaces: ['has spaces in it, so it is not a URL (is it the key?)', `use e.g. ${EXAMPLE_URL}`],
	'no-scheme': ['does not start with https:// or http://', `use e.g. ${EXAMPLE_URL}`],
	'not-a-url': ['is not a URL: check the host name', `use e.g. ${EXAMPLE_URL}`],
	'wrong-scheme': ['must start with https:// or http://', `use e.g. ${EXAMPLE_URL}`],
	'user-info': [
		'has a user name or password in it (user:password@ before the host), which requests would drop',
		'remove it; the key goes in the API Key field',
	],
	query: [
		'has a query string (the part from the ?), which requests would drop',
		`remove it, e.g. ${EXAMPLE_URL}`,
	],
};

const CODE_WORDS: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ECONNRESET: 'the connection was reset',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be looked up',
	ETIMEDOUT: 'the connection timed out',
	ECONNABORTED: 'no answer came in time',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	EPIPE: 'the connection was closed while sending',
	ERR_STREAM_PREMATURE_CLOSE: 'the server closed the connection',
	UND_ERR_SOCKET: 'the server closed the connection',
};

/**
 * Words for a network error code. n8n replaces any error message that contains a raw code such
 * as ECONNREFUSED with a generic text, which would hide which MetaChat URL failed.
 */
export function describeCode(code: string | undefined): string {
	if (!code) return 'the connection failed';
	if (CODE_WORDS[code]) return CODE_WORDS[code];
	if (/CERT|TLS|SSL/i.test(code)) return 'the TLS certificate was not accepted';
	return 'the connection failed';
}

function seconds(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** What happened, in words: the server's own where it said something. */
export function factWords(fact: AttemptFact): string {
	switch (fact.what) {
		case 'stopped':
			return 'The execution was stopped';
		case 'item-timeout':
			return 'The item ran out of time (Item Timeout option)';
		case 'idle':
			return `No answer: nothing arrived for ${seconds(fact.idleMs)}`;
		case 'answer-timeout':
			return `The answer was still arriving after ${seconds(fact.attemptMs)} (Timeout option)`;
		case 'interrupted':
			return `${fact.streamedChars} characters had been streamed when it broke off (${factWords(fact.cause)})`;
		case 'server-said':
			return fact.text;
		case 'status-only':
			return `status ${fact.status}`;
		case 'status-html':
			return `an HTML error page${fact.title ? ` ("${fact.title}")` : ''} with status ${fact.status}`;
		case 'status-body-lost':
			return `status ${fact.status} (the error message broke off before it arrived)`;
		case 'no-answer-in-time':
			return 'No answer came in time';
		case 'no-connection':
			return `Could not connect: ${fact.text ?? describeCode(fact.code)}`;
		case 'mid-answer-error':
			return `The server reported an error mid-answer: ${fact.text}`;
		case 'cut-for-resources':
			return 'The answer was cut off: DeepSeek ran short of resources (finish_reason insufficient_system_resource)';
		case 'wrong-type':
			return `The server answered ${fact.contentType || 'without a type'}, not an answer`;
		case 'empty-body':
			return 'The server answered with an empty body';
		case 'broke-off':
			return `The answer broke off: ${describeCode(fact.code)}`;
		case 'too-large': {
			const size = `${fact.limit / 1024 / 1024} ${fact.unit === 'bytes' ? 'MiB' : 'Mi characters'}`;
			const limit = fact.part ? `one ${fact.part} of ${size}` : size;
			return `The answer was larger than ${limit} and was cut off`;
		}
		case 'bad-tool-index':
			return `The answer held a tool call with the index ${String(fact.index)}`;
		case 'too-many-tool-calls':
			return `The answer held more than ${fact.max} tool calls`;
		case 'no-choices':
			return 'The answer held no choices';
		case 'no-message':
			return 'The answer held no message';
		case 'ended-early':
			return 'The answer stream ended before it was complete';
		case 'chunk-not-json':
			return 'The answer stream held a chunk that is not JSON';
		case 'not-json':
			return 'The answer is not valid JSON';
		case 'not-object':
			return 'The answer is not a JSON object';
		case 'model-list-format':
			return 'The model list is not in the OpenAI format';
		case 'model-list-html':
			return 'The model list came as an HTML page, not JSON';
		case 'model-list-unreadable':
			return `The model list could not be read: ${describeCode(fact.code)}`;
		case 'no-api-key':
			return 'The MetaChat credential has no API key';
		case 'bad-url': {
			const [what, fix] = URL_PROBLEMS[fact.problem];
			return `The credential's ${fact.field} ${what}: ${fix}`;
		}
		case 'primary-skipped':
			return 'Was not asked: it failed moments ago, so requests go to the backup for a while';
	}
}

/** A message with the fix, as n8n shows an error: its message and its description. */
export interface Explained {
	message: string;
	description: string;
}

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
 * How a URL failed: what it said, or why it was silent; `withCode` adds the network code. (Never
 * in an error's message: n8n replaces a message that holds a code such as ECONNREFUSED with a
 * generic text.)
 */
function failureWhat(outcome: EndpointOutcome, withCode = false): string {
	let what = outcome.status
		? `answered ${outcome.status}: ${outcome.message}`
		: outcome.message.charAt(0).toLowerCase() + outcome.message.slice(1);
	if (withCode && !outcome.status && outcome.code) what += ` (${outcome.code})`;
	return what;
}

/** One URL's failure in a sentence: which URL, its address, and how it failed. */
export function outcomeWords(outcome: EndpointOutcome, withCode = false): string {
	return `the ${outcome.endpoint} URL (${outcome.url}) ${failureWhat(outcome, withCode)}`;
}

/** How a URL failed, for grouping: its status, else its network code, else what happened. */
function failureGroup(outcome: EndpointOutcome & { skipped?: boolean }): string {
	if (outcome.status) return `status ${outcome.status}`;
	if (outcome.code) return `code ${outcome.code}`;
	return outcome.skipped ? 'skipped' : outcome.message;
}

/**
 * The notice of answers the backup URL gave: how the primary failed (its address, its status or
 * network code) and, for a node run, for how many of its items. One short sentence for a whole
 * run, however many items: failures are grouped by status (or network code), each group counted
 * and one example of its words quoted.
 */
export function failoverNotice(events: FailoverFacts[], items?: number): string {
	const groups = new Map<string, { first: EndpointOutcome; count: number; differ: boolean }>();
	for (const { primary } of events) {
		const key = failureGroup(primary);
		const group = groups.get(key);
		if (!group) groups.set(key, { first: primary, count: 1, differ: false });
		else {
			group.count++;
			group.differ ||= group.first.message !== primary.message;
		}
	}
	const many = (count: number) => `${count} item${count === 1 ? '' : 's'}`;
	const how = [...groups.values()]
		.map(({ first, count, differ }) => {
			if (differ && first.status) {
				return `answered ${first.status} (${many(count)}; the first said: ${first.message})`;
			}
			const what = failureWhat(first, true);
			return groups.size > 1 && items !== undefined ? `${what} (${many(count)})` : what;
		})
		.join('; ');
	const primaries = [...new Set(events.map((event) => event.primary.url))].join(', ');
	const backups = [...new Set(events.map((event) => event.backupUrl))].join(', ');
	const share = items === undefined ? '' : `, for ${events.length} of ${many(items)}`;
	return `MetaChat failover: the primary URL (${primaries}) ${how}. The failover URL (${backups}) answered instead${share}.`;
}

/**
 * The notice of an answer left empty because the model's thinking used up the token budget
 * (finish_reason "length"): a success, with the two options that fix it, where they sit.
 */
export function thinkingBudgetNotice(optionPath: OptionPath = () => undefined): string {
	const maxTokens = optionPath('maxTokens') ?? 'Maximum Number of Tokens';
	const effort = optionPath('reasoningEffort') ?? 'Reasoning Effort';
	return `The answer is empty: the model used the whole token budget thinking (finish_reason "length"). Raise ${maxTokens}, or set ${effort} lower, and run it again.`;
}

/**
 * What a refused request itself tells the user to do, as facts the failover records: a parameter
 * the server does not take (sent by one of the options), or a model id it does not serve, with
 * the ids its /models offers or why that list could not be read.
 */
export type RequestAdvice =
	| { refused: 'parameter'; parameter: RejectableParameter }
	| { refused: 'images'; model: string }
	| { refused: 'model'; model: string; served: string[] | string };

/**
 * Where an option (by its parameter name) sits on the node's panel, as "Collection > Option",
 * read from the node's own description; undefined for an option the node does not have.
 */
export type OptionPath = (option: string) => string | undefined;

/** The option that sends each parameter, and how to leave it out. */
const LEAVE_OUT: Record<RejectableParameter, [option: string, how: 'default' | 'text' | 'remove']> =
	{
		thinking: ['thinking', 'default'],
		reasoning_effort: ['reasoningEffort', 'default'],
		response_format: ['responseFormat', 'text'],
		temperature: ['temperature', 'remove'],
		top_p: ['topP', 'remove'],
		frequency_penalty: ['frequencyPenalty', 'remove'],
		presence_penalty: ['presencePenalty', 'remove'],
		max_tokens: ['maxTokens', 'remove'],
		stop: ['stop', 'remove'],
	};

const MAX_LISTED_IDS = 40;

/** What to do about a refused request, where the request tells: the option, or the ids served. */
export function adviceWords(
	advice: RequestAdvice,
	optionPath: OptionPath = () => undefined,
): string {
	if (advice.refused === 'images') {
		// The DeepSeek node has an Images option; the chat model gets its images from the AI node.
		const path = optionPath('binaryProperties');
		const other = path
			? `or leave the images out (${path} and Image URLs)`
			: "or turn off the AI Agent's Automatically Passthrough Binary Images option";
		return `Pick a model that sees images, such as deepseek-flash, ${other}.`;
	}
	if (advice.refused === 'parameter') {
		const [option, how] = LEAVE_OUT[advice.parameter];
		const refused = `MetaChat does not accept the \`${advice.parameter}\` parameter that this node sends`;
		const path = optionPath(option);
		// The chat model sub-node sends stop sequences the AI node it serves asks for.
		if (!path) return `${refused}; no option of this node sets it: the node it serves asks for it.`;
		const action =
			how === 'remove'
				? `remove ${path}`
				: `set ${path} to ${how === 'default' ? 'Model Default' : 'Text'}`;
		return `${refused}; ${action} to leave it out.`;
	}
	const { model, served } = advice;
	const id = modelIdWords(model);
	if (typeof served === 'string') {
		return `MetaChat does not serve the model ${id}, and its model list could not be read (${served}). Check the model ID.`;
	}
	if (served.includes(model)) {
		return `MetaChat lists the model ${id} but refused it for this request: check the request's options, or ask MetaChat.`;
	}
	if (served.length === 0)
		return `MetaChat does not serve the model ${id}; its model list is empty.`;
	const shown = served.slice(0, MAX_LISTED_IDS).join(', ');
	const more = served.length > MAX_LISTED_IDS ? ` and ${served.length - MAX_LISTED_IDS} more` : '';
	return `MetaChat does not serve the model ${id}. Its /models offers: ${shown}${more}. Pick one in the Model field (From List shows them).`;
}

/**
 * A model ID as an error names it: quoted, unless it may be a key pasted into the Model field
 * (as a Base URL with spaces is): then described, never quoted, not even in part.
 */
function modelIdWords(model: string): string {
	const described = (what: string) => `in the Model field (${model.length} characters ${what})`;
	if (/\s/.test(model)) return described('with spaces in them, so not a model ID: is it the key?');
	if (mayBeKey(model)) return described('that look like an API key, not a model ID');
	return `"${model.length > 80 ? `${model.slice(0, 80)}…` : model}"`;
}

/** Whether a text looks like a key: a key's prefix, or a long run of mixed letters and digits. */
function mayBeKey(text: string): boolean {
	if (/^(?:sk|pk|rk|ak)-|^bearer\b/i.test(text)) return true;
	const runs = text.match(/[A-Za-z0-9]{20,}/g) ?? [];
	return runs.some((run) => /\d/.test(run) && /[A-Za-z]/.test(run));
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
	failure: FailureFacts | { kind: FailureKind; message: string; status?: number },
	place: Exclude<Place, 'test'> = 'item',
	optionPath?: OptionPath,
): Explained {
	const facts: FailureFacts =
		'apiMessage' in failure
			? failure
			: { kind: failure.kind, apiMessage: failure.message, status: failure.status };
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

/**
 * The credential Test's rules: n8n's declarative Test asks the Base URL for its model list and
 * shows, for a status, the message its rule gives (one sentence, the fix after the colon).
 */
export const TEST_RULES: ReadonlyArray<{ status: number; kind: FailureKind; message: string }> = [
	{
		status: 401,
		kind: 'auth',
		message:
			'MetaChat rejected the API key at the Base URL (401): copy it again from your MetaChat account',
	},
	{
		status: 402,
		kind: 'balance',
		message: 'MetaChat balance exhausted (402): top up the MetaChat balance',
	},
	{
		status: 403,
		kind: 'auth',
		message:
			'MetaChat refused access at the Base URL (403): check that your key may use this service',
	},
	{
		status: 404,
		kind: 'request',
		message: `No model list at the Base URL (404): check its path; it usually ends in /v1, e.g. ${EXAMPLE_URL}`,
	},
	{
		status: 429,
		kind: 'rate-limit',
		message:
			'MetaChat answered "rate limit reached" at the Base URL (429): the key works; try Test again in a minute',
	},
	...[500, 502, 503, 504].map((status) => ({
		status,
		kind: 'server' as const,
		message: `MetaChat could not answer at the Base URL (${status}): try again later`,
	})),
];

// Wrong input: what an item, an option or the workflow gives that the node cannot use. The code
// that reads it records what is wrong as facts; the words are made here.

/** What a value is, for an error: its type, and the value itself only when it is short. */
function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'string') {
		// A long text could be anything (a key pasted into the wrong field): it is not quoted.
		return value.length <= 20 ? `the text "${value}"` : `a text of ${value.length} characters`;
	}
	if (typeof value === 'number') return `the number ${value}`;
	return `a ${typeof value}`;
}

/** What a History value is, for its errors: only its type, never the value. */
function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** What is wrong with the History parameter; `index` is a message's place in the list. */
export type HistoryFact =
	/** `position`: where the JSON parser stopped (the parser's own message quotes the input). */
	| { what: 'not-json'; position?: string }
	| { what: 'not-a-list'; value: unknown }
	| { what: 'message-not-object'; index: number; value: unknown }
	| { what: 'no-role'; index: number }
	| { what: 'unknown-role'; index: number; role: string }
	| { what: 'content-not-text'; index: number; value: unknown }
	| { what: 'content-part-not-text'; index: number; part: number }
	| { what: 'image-part-not-image'; index: number; part: number }
	| { what: 'image-not-in-user'; index: number; part: number; role: string }
	| { what: 'no-content'; index: number; role: string }
	| { what: 'tool-call-without-id'; index: number; call: number }
	| { what: 'tool-call-arguments'; index: number; call: number }
	| { what: 'no-tool-call-id'; index: number };

const HISTORY_SHAPE = 'pass an array of { role, content }, e.g. {{ $json.messages }}';

/** What is wrong with the History, in words, with the fix after the colon. */
export function historyWords(fact: HistoryFact): string {
	const roles = ROLES.join(', ');
	const message = 'index' in fact ? `History message ${fact.index}` : '';
	switch (fact.what) {
		case 'not-json': {
			const where = fact.position === undefined ? '' : ` (at character ${fact.position})`;
			return `History is not valid JSON${where}: ${HISTORY_SHAPE}`;
		}
		case 'not-a-list':
			return `History is ${kindOf(fact.value)}, not a list of messages: ${HISTORY_SHAPE}`;
		case 'message-not-object':
			return `${message} is ${kindOf(fact.value)}, expected { role, content }`;
		case 'no-role':
			return `${message} has no role: give it one of ${roles}`;
		case 'unknown-role':
			return `${message} has the role "${fact.role}": use one of ${roles}`;
		case 'content-not-text':
			return `${message} has content that is ${kindOf(fact.value)}, expected text`;
		case 'content-part-not-text':
			return `${message} has a content part ${fact.part} that is neither text nor an image_url block: give it as { type: 'text', text } or { type: 'image_url', image_url: { url } }`;
		case 'image-part-not-image':
			return `${message} has an image block ${fact.part} whose URL is neither https nor a JPEG, PNG, GIF or WebP data URL: give image_url.url as one of them`;
		case 'image-not-in-user':
			return `${message} (${fact.role}) has an image block ${fact.part}: DeepSeek takes images in user messages only`;
		case 'no-content':
			return `${message} (${fact.role}) has no content`;
		case 'tool-call-without-id':
			return `${message} has a tool call ${fact.call} without an id or a function name: pass tool_calls as this node's Messages output gives them`;
		case 'tool-call-arguments':
			// The arguments are not quoted: they may hold anything.
			return `${message} has a tool call ${fact.call} whose arguments are not valid JSON: give function.arguments as JSON text such as {"city":"Paris"}, or as an object`;
		case 'no-tool-call-id':
			return `${message} (tool) has no tool_call_id`;
	}
}

/** What is wrong with an item's input or the node's set-up, as the code that reads it records it. */
export type InputFact =
	| { what: 'prompt-not-text'; value: unknown }
	| { what: 'prompt-empty' }
	| { what: 'history'; problem: HistoryFact }
	| { what: 'system-message-not-text' }
	| { what: 'no-model' }
	| { what: 'bad-model-id'; model: string }
	/** `label`: the option's name on the panel; `itemIndex` where an item's expression gave it. */
	| { what: 'number-option'; label: string; value: unknown; min?: number; itemIndex?: number }
	| { what: 'stop-entry'; label: string; entry: number; value: unknown; itemIndex?: number }
	| { what: 'stop-type'; label: string; value: unknown; itemIndex?: number }
	| { what: 'tool-name-clash'; name: string; first: string; second: string }
	| { what: 'json-answer'; empty: boolean }
	| { what: 'structured-answer'; problem: StructuredAnswerProblem }
	| { what: 'needs-ai-sdk' }
	| { what: 'unknown-operation'; operation: string }
	/** Images: `part` is a block of the user message the AI node handed the chat model. */
	| { what: 'file-not-image'; part: number; mimeType: string }
	| { what: 'image-format'; part: number; mimeType?: string }
	| { what: 'image-url'; url: string; part?: number }
	/** Images of the DeepSeek node, named by the item's binary property. */
	| { what: 'image-binary-missing'; property: string; present: string[] }
	| { what: 'image-binary-format'; property: string; mimeType?: string }
	| { what: 'image-request-too-large'; bytes: number; limit: number; largest?: string }
	| { what: 'image-urls-not-text'; value: unknown };

/** Why an answer did not give the structured output a caller asked for (withStructuredOutput). */
export type StructuredAnswerProblem =
	| { what: 'no-tool-call'; name: string }
	| { what: 'not-json' }
	| { what: 'not-schema'; detail: string };

function structuredAnswerWords(problem: StructuredAnswerProblem): string {
	switch (problem.what) {
		case 'no-tool-call':
			return `The model answered without calling "${problem.name}", the tool that gives the structured output asked of it`;
		case 'not-json':
			return "The model's answer is not the JSON object the structured output asked of it";
		case 'not-schema':
			return `The model's answer does not fit the structured output's schema (${problem.detail})`;
	}
}

const ofItem = (itemIndex?: number) => (itemIndex === undefined ? '' : ` of item ${itemIndex}`);

const PROMPT_FIX = 'Map a text field into Prompt, e.g. {{ $json.text }}.';

/** The image formats DeepSeek reads, as a user knows them. */
const IMAGE_FORMATS = 'JPEG, PNG, GIF or WebP';

const mebibytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Where the sub-node's image came from: a block of the message the AI node handed it. */
const handedPart = (part?: number) => (part === undefined ? '' : ` (block ${part} of its message)`);

/** The error for wrong input: what is wrong, and the fix. */
export function inputWords(fact: InputFact): Explained {
	switch (fact.what) {
		case 'prompt-not-text':
			return {
				message: `The prompt is ${fact.value === null ? 'null' : 'an object'}, not text`,
				description: PROMPT_FIX,
			};
		case 'prompt-empty':
			return { message: 'The prompt is empty', description: PROMPT_FIX };
		case 'history':
			return {
				message: historyWords(fact.problem),
				description:
					'History takes an array of { role, content } messages with the roles system, user, assistant or tool, as the Messages output of this node gives them.',
			};
		case 'system-message-not-text':
			return {
				message: 'The System Message is not text',
				description: 'Map a text field into System Message, e.g. {{ $json.instructions }}.',
			};
		case 'no-model':
		case 'bad-model-id':
			return {
				message:
					fact.what === 'no-model'
						? 'No model is selected'
						: `The model ID ${mayBeKey(fact.model) ? modelIdWords(fact.model) : `"${fact.model.slice(0, 80)}"`} is not valid`,
				description:
					'Pick a model from the list, or type an ID without spaces, e.g. deepseek-chat.',
			};
		case 'number-option': {
			const wanted = fact.min === undefined ? 'a number' : `a number of at least ${fact.min}`;
			return {
				message: `The ${fact.label} option${ofItem(fact.itemIndex)} must be ${wanted}, not ${describeValue(fact.value)}`,
				description: `Set ${fact.label} to a number such as ${(fact.min ?? 0) + 5} (an expression may give it as text, e.g. "1500"), or remove the option.`,
			};
		}
		case 'stop-entry':
			return {
				message: `The ${fact.label} option${ofItem(fact.itemIndex)} has an entry ${fact.entry} that is ${describeValue(fact.value)}, not text`,
				description: `Give ${fact.label} as texts, e.g. ["END", "###"], or as one text with commas between them.`,
			};
		case 'stop-type':
			return {
				message: `The ${fact.label} option${ofItem(fact.itemIndex)} must be a text or a list of texts, not ${describeValue(fact.value)}`,
				description: `Give ${fact.label} as one text with commas between them, e.g. END,###, or as a list of texts.`,
			};
		case 'tool-name-clash':
			return {
				message: `Two connected tools are both called "${fact.name}"${fact.first === fact.second ? '' : ` ("${fact.first}" and "${fact.second}")`}`,
				description: 'Rename one of the tool nodes so every tool has its own name.',
			};
		case 'json-answer':
			return {
				message: fact.empty
					? 'The model gave an empty answer twice although Response Format is JSON Object'
					: "The model's answer is not valid JSON although Response Format is JSON Object",
				description:
					'Describe the JSON you want in the prompt or the System Message (with an example), or raise Maximum Number of Tokens if the answer was cut off.',
			};
		case 'structured-answer':
			return {
				message: structuredAnswerWords(fact.problem),
				description:
					'Describe the fields you want in the prompt, or set Thinking to Disabled on a model that can switch it off (such as deepseek-chat), so the answer comes as a forced tool call.',
			};
		case 'needs-ai-sdk':
			return {
				message:
					'The MetaChat DeepSeek Chat Model needs n8n 2.16 or later (its AI nodes ship @n8n/ai-node-sdk); the MetaChat DeepSeek node works on this n8n',
				description: 'Update n8n, or use the MetaChat DeepSeek node instead of the AI Agent.',
			};
		case 'unknown-operation':
			return {
				message: `The operation "${fact.operation}" is not supported`,
				description: 'Pick Chat or Reason as the operation.',
			};
		case 'file-not-image':
			// The AI Agent shows only the message of its model's error: the fix is in it.
			return {
				message: `The AI node handed the model a file of type ${fact.mimeType}${handedPart(fact.part)}, but DeepSeek reads only images (${IMAGE_FORMATS}): turn off the agent's Automatically Passthrough Binary PDFs option`,
				description:
					'Turn the file into text first (e.g. with Extract from File) and put the text in the prompt, or send it to a model that reads such files.',
			};
		case 'image-format':
			return {
				message: `The AI node handed the model an image that is not ${IMAGE_FORMATS}${handedPart(fact.part)}${fact.mimeType ? `: it says ${fact.mimeType}, its bytes say otherwise` : ''}`,
				description: `Convert the file to ${IMAGE_FORMATS} first (e.g. with Edit Image: DeepSeek judges the bytes, not the name), or turn off the agent's Automatically Passthrough Binary Images option.`,
			};
		case 'image-url':
			return {
				message: `The image URL "${fact.url.slice(0, 100)}"${handedPart(fact.part)} is not an https URL`,
				description:
					'Give image URLs as https://… addresses DeepSeek can fetch, or attach the image as binary data.',
			};
		case 'image-binary-missing':
			return {
				message:
					fact.property === '*'
						? 'The item has no JPEG, PNG, GIF or WebP binary to attach (Binary Properties is *)'
						: `The item has no binary property "${fact.property}" to attach as an image`,
				description: fact.present.length
					? `Name one of its binary properties (${fact.present.join(', ')}) in Images > Binary Properties, or * for every image.`
					: 'Read the image into the item first (e.g. HTTP Request with Response Format File, or a Form Trigger upload), or remove Binary Properties.',
			};
		case 'image-binary-format':
			return {
				message: `The binary property "${fact.property}" is not a ${IMAGE_FORMATS} image${fact.mimeType ? ` (it says ${fact.mimeType}, its bytes say otherwise)` : ''}`,
				description: `Convert it to ${IMAGE_FORMATS} first (e.g. with Edit Image: DeepSeek judges the bytes, not the name), or leave it out of Images > Binary Properties.`,
			};
		case 'image-request-too-large':
			return {
				message: `The request with its images would be ${mebibytes(fact.bytes)}, over DeepSeek's limit of ${mebibytes(fact.limit)}${fact.largest ? `; the largest image is "${fact.largest}"` : ''}`,
				description:
					'Attach fewer or smaller images (e.g. resize them with Edit Image first), or give them as https URLs.',
			};
		case 'image-urls-not-text':
			return {
				message: `Images > Image URLs is ${describeValue(fact.value)}, not text or a list of texts`,
				description:
					'Give https URLs separated by commas or new lines, or an expression that gives a list of them.',
			};
	}
}
