import type { INode } from 'n8n-workflow';

import { readCredentialFields } from '../../../../nodes/shared/credentialFields';
import { failureError } from '../../../../nodes/shared/nodeErrors';
import { failureFromRequestError, failureFromStatus } from '../../../../nodes/shared/transport/classify';
import { tooLarge } from '../../../../nodes/shared/transport/completion';
import type { EndpointOutcome } from '../../../../nodes/shared/transport/endpoint';
import { FAILURE_KIND_LIST, type FailureKind } from '../../../../nodes/shared/transport/failureKinds';
import {
	AttemptFailure,
	interruptedAttempt,
	itemTimeoutAttempt,
	RequestFailure,
	stoppedAttempt,
} from '../../../../nodes/shared/transport/failures';
import { isUnreachable } from '../../../../nodes/shared/transport/listModels';
import { redacted } from '../../../../nodes/shared/transport/redact';
import { explain, factWords, TEST_RULES, type AttemptFact } from '../../../../nodes/shared/wording';

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
	return new RequestFailure(attempt.kind, attempt.message, {
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
	message: attempt.message,
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
			expectNoKey(attempt.message);
			expect(attempt.message).not.toBe('');
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
			// A list the server refuses with a status other than 404 has no fix of its own: the model
			// list adds "check the API key and the Base URL" to every one of its errors.
			if (kind === 'request') expect(description).toBe('');
			else expect(description).toMatch(FIX);
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
});
