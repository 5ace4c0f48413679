import type { INode } from 'n8n-workflow';

import { readCredentialFields } from '../../../../nodes/shared/credentialFields';
import { failureError } from '../../../../nodes/shared/nodeErrors';
import {
	failureFromRequestError,
	failureFromStatus,
} from '../../../../nodes/shared/transport/classify';
import { tooLarge } from '../../../../nodes/shared/transport/completion';
import type { EndpointOutcome } from '../../../../nodes/shared/transport/endpoint';
import {
	FAILURE_KIND_LIST,
	type FailureKind,
} from '../../../../nodes/shared/transport/failureKinds';
import {
	AttemptFailure,
	interruptedAttempt,
	itemTimeoutAttempt,
	RequestFailure,
	stoppedAttempt,
} from '../../../../nodes/shared/failures';
import { isUnreachable } from '../../../../nodes/shared/transport/listModels';
import { redacted } from '../../../../nodes/shared/transport/redact';
import { optionPathsOf } from '../../../../nodes/DeepSeek/description/completionOptions';
import { optionsProperty as subNodeOptions } from '../../../../nodes/LmChatDeepSeek/description/chatModelOptions';
import { optionPaths } from '../../../../nodes/shared/description/modelOptions';
import {
	REJECTABLE_PARAMETERS,
	type RejectableParameter,
} from '../../../../nodes/shared/protocol/rejectedParameter';
import {
	adviceWords,
	explain,
	factWords,
	failoverNotice,
	historyWords,
	inputWords,
	TEST_RULES,
} from '../../../../nodes/shared/wording';
import type { AttemptFact } from '../../../../nodes/shared/facts/attempt';
import type { HistoryFact, InputFact } from '../../../../nodes/shared/facts/input';

const KEY = 'sk-wording-test-0123456789abcdef';
const PRIMARY = 'https://primary.example/v1';
const BACKUP = 'https://backup.example/v1';
const node = { name: 'DeepSeek' } as INode;

/** A server error body that quotes the key, as a careless proxy does. */
const echoing = (status: number) =>
	failureFromStatus(
		status,
		{ 'content-type': 'application/json' },
		JSON.stringify({ error: { message: `status ${status} for key ${KEY}` } }),
		KEY,
	);

/** One failed attempt of each kind, made the way the transport makes it, the key in reach. */
const ATTEMPTS: Record<FailureKind, AttemptFailure> = {
	connection: failureFromRequestError(
		Object.assign(new Error(`connect ECONNREFUSED with ${KEY}`), { code: 'ECONNREFUSED' }),
		KEY,
	),
	timeout: failureFromRequestError(Object.assign(new Error('t'), { code: 'ETIMEDOUT' }), KEY),
	'answer-timeout': new AttemptFailure('answer-timeout', {
		what: 'answer-timeout',
		attemptMs: 600_000,
	}),
	server: echoing(502),
	broken: tooLarge(16 * 1024 * 1024, 'bytes'),
	'rate-limit': echoing(429),
	'upstream-busy': failureFromStatus(
		429,
		{ 'content-type': 'application/json' },
		JSON.stringify({
			error: { message: `当前分组上游负载已饱和，请稍后再试 (key ${KEY})`, type: 'new_api_error' },
		}),
		KEY,
	),
	balance: echoing(402),
	auth: echoing(401),
	request: echoing(422),
	interrupted: interruptedAttempt(redacted(echoing(502), KEY), 120),
	cancelled: stoppedAttempt(),
	'item-timeout': itemTimeoutAttempt(),
};

/** The words a fix starts with: every description tells the user what to do. */
const FIX = /check|raise|lower|top up|paste|fix|try|run|set|copy|open|ends in|nothing more/i;

function finalFailure(attempt: AttemptFailure, urls: EndpointOutcome[]): RequestFailure {
	return new RequestFailure(attempt.kind, attempt.fact, {
		status: attempt.status ?? null,
		endpoint: urls.at(-1)!.endpoint,
		attempts: urls.length,
		failover: urls.length > 1,
		retryable: true,
		urls,
	});
}

const outcome = (attempt: AttemptFailure, endpoint: 'primary' | 'failover'): EndpointOutcome => ({
	endpoint,
	url: endpoint === 'primary' ? PRIMARY : BACKUP,
	status: attempt.status ?? null,
	code: attempt.code ?? null,
	fact: attempt.fact,
});

function expectNoKey(text: string): void {
	expect(text).not.toContain(KEY);
	expect(text).not.toContain(KEY.slice(4, 20));
}

describe('the wording table', () => {
	it('has a row for every kind of failure, and the test walks them all', () => {
		expect(Object.keys(ATTEMPTS).sort()).toEqual([...FAILURE_KIND_LIST].sort());
	});

	describe.each(FAILURE_KIND_LIST)('%s', (kind) => {
		const attempt = ATTEMPTS[kind];

		it('keeps the key out of what happened', () => {
			expect(attempt.kind).toBe(kind);
			expectNoKey(factWords(attempt.fact));
			expect(factWords(attempt.fact)).not.toBe('');
		});

		it.each([
			['at one URL', [outcome(attempt, 'primary')]],
			['at both URLs', [outcome(attempt, 'primary'), outcome(attempt, 'failover')]],
		])('as an item error %s: says what happened, the fix, and each URL asked', (_, urls) => {
			const error = failureError(node, finalFailure(attempt, urls), 0);
			expect(error.message).not.toBe('');
			expect(error.description).toMatch(FIX);
			for (const { url } of urls) expect(error.messages.join(' ')).toContain(url);
			for (const text of [error.message, error.description ?? '', ...error.messages]) {
				expectNoKey(text);
			}
			expectNoKey(JSON.stringify(error.context));
		});

		it('in the model list: says what happened and, but for a refused list, the fix', () => {
			const { message, description } = explain(attempt, 'model-list');
			expect(message).not.toBe('');
			expectNoKey(message + description);
			expect(description).toMatch(FIX);
			// The model list is read with the credential alone, so every one of its errors ends
			// with the credential's fix (a refused list other than a 404 has that fix only).
			expect(description).toMatch(
				/Open the MetaChat credential and check the API key and the Base URL\.$/,
			);
			if (isUnreachable(attempt)) {
				expect(message).toContain('The Base URL could not be reached');
			}
		});
	});

	it.each(TEST_RULES.map((rule) => [rule.status, rule] as const))(
		"the credential Test's rule for %i says what happened at the Base URL and the fix",
		(status, { kind, message }) => {
			expect(FAILURE_KIND_LIST).toContain(kind);
			expect(echoing(status).kind).toBe(kind);
			expect(message).toContain(`(${status}):`);
			// The balance is the account's, wherever it was asked.
			if (kind !== 'balance') expect(message).toContain('Base URL');
			expect(message.split('):')[1]).toMatch(FIX);
		},
	);

	it('keeps the failover notice short however the messages differ: grouped by status, counted, one quoted', () => {
		const primary = (status: number | null, fact: AttemptFact, code: string | null = null) => ({
			primary: { endpoint: 'primary' as const, url: PRIMARY, status, code, fact },
			backupUrl: BACKUP,
		});
		const events = [
			...Array.from({ length: 100 }, (_, i) =>
				primary(503, { what: 'server-said', text: `overloaded (trace ${i}) ${'x'.repeat(400)}` }),
			),
			primary(null, { what: 'no-connection', code: 'ECONNREFUSED' }, 'ECONNREFUSED'),
			primary(null, { what: 'no-connection', code: 'ECONNREFUSED' }, 'ECONNREFUSED'),
		];
		const notice = failoverNotice(events, 120);
		expect(notice.length).toBeLessThan(1000);
		expect(notice).toBe(
			`MetaChat failover: the primary URL (${PRIMARY}) answered 503 (100 items; the first said: overloaded (trace 0) ${'x'.repeat(400)}); could not connect: the connection was refused (ECONNREFUSED) (2 items). The failover URL (${BACKUP}) answered instead, for 102 of 120 items.`,
		);
	});

	it.each<[number, string, string]>([
		[
			401,
			'该令牌额度已用尽 (request id: 1)',
			'MetaChat says the balance or quota of this key is used up (401): 该令牌额度已用尽 (request id: 1)',
		],
		[
			403,
			'user quota is not enough',
			'MetaChat says the balance or quota of this key is used up (403): user quota is not enough',
		],
		[402, 'Insufficient Balance', 'MetaChat balance exhausted (402)'],
	])('words a used-up quota behind a %i as that, with the fix', (status, server, message) => {
		const words = explain({ kind: 'balance', apiMessage: server, status });
		expect(words.message).toBe(message);
		expect(words.description).toMatch(/^Top up the MetaChat balance/);
		if (status !== 402) expect(words.description).toContain('quota in the MetaChat console');
	});

	it.each([401, 403])('quotes the server’s own words on a %i, whatever they are', (status) => {
		const words = explain({ kind: 'auth', apiMessage: 'token disabled by admin', status });
		expect(words.message).toMatch(/ \((401|403)\): token disabled by admin$/);
	});

	it('words the credential as the nodes read it: the field and the fix', () => {
		const noKey = readCredentialFields({ apiKey: ' ', baseUrl: PRIMARY });
		const badUrl = readCredentialFields({ apiKey: KEY, baseUrl: `https://u:${KEY}@host/v1` });
		expect(explain(noKey as AttemptFailure)).toEqual({
			message: 'The MetaChat credential has no API key',
			description: 'Open the MetaChat credential and paste your API key.',
		});
		const { message, description } = explain(badUrl as AttemptFailure);
		expect(message).toContain("The credential's Base URL has a user name or password");
		expect(description).toMatch(FIX);
		expectNoKey(message);
	});

	it.each<[AttemptFact, string]>([
		[
			{ what: 'too-large', limit: 4 * 1024 * 1024, unit: 'bytes', part: 'line' },
			'one line of 4 MiB',
		],
		[{ what: 'too-large', limit: 8 * 1024 * 1024, unit: 'characters' }, '8 Mi characters'],
		[{ what: 'idle', idleMs: 1500 }, 'nothing arrived for 1.5 s'],
		[{ what: 'no-connection', code: 'ENOTFOUND' }, 'the host name was not found'],
		[{ what: 'status-html', status: 502, title: 'Bad Gateway' }, '("Bad Gateway") with status 502'],
	])('turns the facts %j into words with their numbers', (fact, words) => {
		expect(factWords(fact)).toContain(words);
	});

	it.each([
		['ECONNREFUSED', /^The n8n host cannot reach the URL: check the Base URL .* firewall or proxy/],
		['ENOTFOUND', /^The n8n host could not look up the host name: check the spelling/],
		['CERT_HAS_EXPIRED', /^The n8n host did not accept the URL's TLS certificate/],
		['ECONNRESET', /^Check the Base URL in the credential and the network of the n8n host\.$/],
	])('explains the network code %s in the item error it applies to', (code, fix) => {
		const attempt = failureFromRequestError(Object.assign(new Error(code), { code }), KEY);
		const error = failureError(node, finalFailure(attempt, [outcome(attempt, 'primary')]), 0);
		expect(error.description).toMatch(fix);
	});

	describe('the advice of a refused request', () => {
		const refused = (parameter: RejectableParameter) =>
			({ refused: 'parameter', parameter }) as const;

		it.each<[RejectableParameter, number, string]>([
			['thinking', 1, 'set Options > Thinking to Model Default'],
			['thinking', 2, 'set Thinking and Sampling > Thinking to Model Default'],
			['reasoning_effort', 2, 'set Thinking and Sampling > Reasoning Effort to Model Default'],
			['response_format', 1, 'set Options > Response Format to Text'],
			['response_format', 2, 'set Output > Response Format to Text'],
			['temperature', 1, 'remove Options > Sampling Temperature'],
			['top_p', 2, 'remove Thinking and Sampling > Top P'],
			['max_tokens', 2, 'remove Output > Maximum Number of Tokens'],
			['stop', 2, 'remove Output > Stop Sequences'],
			['thinking', 3, 'set Options > Thinking: Mode to Model Default'],
			['response_format', 3, 'set Options > Output: Response Format to Text'],
			['temperature', 3, 'remove Options > Sampling: Temperature'],
			['stop', 3, 'remove Options > Output: Stop Sequences'],
		])(
			'names the option that leaves out `%s`, where version %i of the node has it',
			(parameter, version, action) => {
				expect(adviceWords(refused(parameter), optionPathsOf(version, 'chat'))).toBe(
					`MetaChat does not accept the \`${parameter}\` parameter that this node sends; ${action} to leave it out.`,
				);
			},
		);

		it.each(REJECTABLE_PARAMETERS)(
			'finds `%s` in a collection of version 2 (no "Options" left over)',
			(parameter) => {
				expect(adviceWords(refused(parameter), optionPathsOf(2, 'chat'))).not.toContain(
					'Options >',
				);
				// The chat model sub-node has one Options collection, and no Stop Sequences option:
				// its stop sequences are the AI node's.
				const subNode = adviceWords(refused(parameter), optionPaths([subNodeOptions]));
				if (parameter === 'stop') expect(subNode).toContain('the node it serves asks for it');
				else expect(subNode).toContain('Options >');
			},
		);

		it('replaces the general fix of a refused request', () => {
			const failure = new RequestFailure(
				'request',
				{ what: 'server-said', text: 'Unknown parameter: thinking' },
				{ status: 400, endpoint: 'primary', attempts: 1, failover: false, retryable: false },
				refused('thinking'),
			);
			const error = failureError(node, failure, 0, optionPathsOf(2, 'chat'));
			expect(error.message).toBe(
				'MetaChat rejected the request (400): Unknown parameter: thinking',
			);
			expect(error.description).toBe(
				'MetaChat does not accept the `thinking` parameter that this node sends; set Thinking and Sampling > Thinking to Model Default to leave it out.',
			);
		});

		it.each<[string[] | AttemptFact, string]>([
			[
				['deepseek-chat', 'deepseek-v4-flash'],
				'MetaChat does not serve the model "deepseek-v9". Its /models offers: deepseek-chat, deepseek-v4-flash. Pick one in the Model field (From List shows them).',
			],
			[
				{ what: 'status-only', status: 503 },
				'MetaChat does not serve the model "deepseek-v9", and its model list could not be read (status 503). Check the model ID.',
			],
			[
				['deepseek-v9'],
				'MetaChat lists the model "deepseek-v9" but refused it for this request: check the request\'s options, or ask MetaChat.',
			],
			[[], 'MetaChat does not serve the model "deepseek-v9"; its model list is empty.'],
		])('names what MetaChat serves for a refused model id (%j)', (served, words) => {
			expect(adviceWords({ refused: 'model', model: 'deepseek-v9', served })).toBe(words);
		});

		it('lists at most 40 ids, and says how many more', () => {
			const served = Array.from({ length: 45 }, (_, i) => `model-${i}`);
			const words = adviceWords({ refused: 'model', model: 'x', served });
			expect(words).toContain('model-39 and 5 more.');
			expect(words).not.toContain('model-40');
		});

		it.each([
			['deepseek-v9', '"deepseek-v9"'],
			['Qwen/Qwen2.5-72B-Instruct', '"Qwen/Qwen2.5-72B-Instruct"'],
			['ep-20250212105505-5zfpd', '"ep-20250212105505-5zfpd"'],
			[
				KEY,
				`in the Model field (${KEY.length} characters that look like an API key, not a model ID)`,
			],
			[
				'9f86d081884c7d659a2feaa0c55ad015',
				'in the Model field (32 characters that look like an API key, not a model ID)',
			],
			[
				`Bearer ${KEY}`,
				`in the Model field (${KEY.length + 7} characters with spaces in them, so not a model ID: is it the key?)`,
			],
		])('quotes a refused model id only where it cannot be a key (%s)', (model, named) => {
			const words = adviceWords({ refused: 'model', model, served: ['deepseek-chat'] });
			expect(words).toBe(
				`MetaChat does not serve the model ${named}. Its /models offers: deepseek-chat. Pick one in the Model field (From List shows them).`,
			);
		});
	});

	describe('wrong input', () => {
		// A value that could be anything a user pasted (a key in the wrong field): never quoted whole.
		const PASTED = `${KEY} pasted into the wrong field`;

		/** One fact of each kind: the Record makes the compiler name a kind the test leaves out. */
		const HISTORY: { [What in HistoryFact['what']]: Extract<HistoryFact, { what: What }> } = {
			'not-json': { what: 'not-json', position: '3' },
			'not-a-list': { what: 'not-a-list', value: PASTED },
			'message-not-object': { what: 'message-not-object', index: 2, value: PASTED },
			'no-role': { what: 'no-role', index: 2 },
			'unknown-role': { what: 'unknown-role', index: 2, role: 'bot' },
			'content-not-text': { what: 'content-not-text', index: 2, value: { text: PASTED } },
			'content-part-not-text': { what: 'content-part-not-text', index: 2, part: 1 },
			'image-part-not-image': { what: 'image-part-not-image', index: 2, part: 1 },
			'image-not-in-user': { what: 'image-not-in-user', index: 2, part: 0, role: 'assistant' },
			'no-content': { what: 'no-content', index: 2, role: 'user' },
			'tool-call-without-id': { what: 'tool-call-without-id', index: 2, call: 0 },
			'tool-call-arguments': { what: 'tool-call-arguments', index: 2, call: 0 },
			'no-tool-call-id': { what: 'no-tool-call-id', index: 2 },
		};
		const INPUT: { [What in InputFact['what']]: Extract<InputFact, { what: What }> } = {
			'prompt-not-text': { what: 'prompt-not-text', value: { text: PASTED } },
			'prompt-empty': { what: 'prompt-empty' },
			history: { what: 'history', problem: HISTORY['no-role'] },
			'system-message-not-text': { what: 'system-message-not-text' },
			'no-model': { what: 'no-model' },
			'bad-model-id': { what: 'bad-model-id', model: 'deepseek chat' },
			'number-option': {
				what: 'number-option',
				label: 'Timeout (Ms)',
				value: PASTED,
				min: 1,
				itemIndex: 3,
			},
			'stop-entry': { what: 'stop-entry', label: 'Stop Sequences', entry: 1, value: PASTED },
			'stop-type': { what: 'stop-type', label: 'Stop Sequences', value: { stop: PASTED } },
			'tool-name-clash': {
				what: 'tool-name-clash',
				name: 'Lookup',
				first: 'Lookup',
				second: 'lookup',
			},
			'json-answer': { what: 'json-answer', empty: true },
			'structured-answer': {
				what: 'structured-answer',
				problem: { what: 'no-tool-call', name: 'extract' },
			},
			'needs-ai-sdk': { what: 'needs-ai-sdk' },
			'unknown-operation': { what: 'unknown-operation', operation: 'translate' },
			'file-not-image': { what: 'file-not-image', part: 2, mimeType: 'application/pdf' },
			'image-format': { what: 'image-format', part: 1, mimeType: 'image/png' },
			'image-url': { what: 'image-url', url: 'ftp://example.com/a.png' },
			'image-binary-missing': {
				what: 'image-binary-missing',
				property: 'photo',
				present: ['data'],
			},
			'image-binary-format': {
				what: 'image-binary-format',
				property: 'data',
				mimeType: 'image/png',
			},
			'image-request-too-large': {
				what: 'image-request-too-large',
				bytes: 60 * 1024 * 1024,
				limit: 48 * 1024 * 1024,
				largest: 'scan',
			},
			'image-urls-not-text': { what: 'image-urls-not-text', value: { url: PASTED } },
		};

		it.each([
			['deepseek chat', 'The model ID "deepseek chat" is not valid'],
			[`Bearer ${KEY}`, /^The model ID in the Model field \(\d+ characters /],
		])('quotes an invalid model ID only where it cannot be a key (%s)', (model, expected) => {
			const { message } = inputWords({ what: 'bad-model-id', model });
			expect(message).toMatch(expected);
			expectNoKey(message);
		});

		it.each(Object.values(HISTORY))(
			'words a History problem (%j): the message, what is wrong, the fix after the colon or in the error',
			(fact) => {
				const words = historyWords(fact);
				if ('index' in fact) expect(words).toMatch(new RegExp(`^History message ${fact.index} `));
				else expect(words).toMatch(/^History is /);
				expectNoKey(words);
				// As an item's error, the general History fix follows it.
				const { message, description } = inputWords({ what: 'history', problem: fact });
				expect(message).toBe(words);
				expect(description).toMatch(/^History takes an array of \{ role, content \} messages/);
			},
		);

		it.each(Object.values(INPUT))('words %j: what is wrong and the fix', (fact) => {
			const { message, description } = inputWords(fact);
			expect(message).not.toBe('');
			// Every fix starts with what to do (History's names the shape it takes).
			expect(description).toMatch(
				/^(pick|map|set|give|rename|describe|update|history takes|turn|convert|name|read|attach)\b/i,
			);
			expectNoKey(message + description);
		});

		it('names the option, the item and the kind of value, quoting only short texts', () => {
			expect(inputWords(INPUT['number-option']).message).toBe(
				'The Timeout (Ms) option of item 3 must be a number of at least 1, not a text of 60 characters',
			);
			expect(inputWords({ what: 'number-option', label: 'Top P', value: 'high' }).message).toBe(
				'The Top P option must be a number, not the text "high"',
			);
		});
	});
});
