import { PrimaryBreaker } from '../../../../../nodes/shared/transport/breaker';
import { requestModelIds } from '../../../../../nodes/shared/transport/client';
import { AttemptDeadline, backoffMs } from '../../../../../nodes/shared/transport/deadline';
import {
	failureFromRequestError,
	failureFromStatus,
} from '../../../../../nodes/shared/transport/classify';
import {
	FAILURE_KIND_LIST,
	kindForStatus,
	type FailureKind,
} from '../../../../../nodes/shared/transport/failureKinds';
import { redact } from '../../../../../nodes/shared/transport/redact';
import { decide } from '../../../../../nodes/shared/transport/failover';
import { factWords } from '../../../../../nodes/shared/wording';
import { ERROR_FAULTS } from '../../../../simulator/realShapes';

/** kind, retries already made here, max retries, next step: every kind of the list at least once. */
const DECISIONS: ReadonlyArray<
	readonly [FailureKind, number, number, 'retry' | 'failover' | 'stop']
> = [
	['connection', 0, 1, 'failover'],
	['timeout', 0, 1, 'failover'],
	['answer-timeout', 0, 1, 'stop'],
	['server', 0, 1, 'retry'],
	['server', 1, 1, 'failover'],
	['broken', 0, 1, 'retry'],
	['broken', 0, 0, 'failover'],
	['rate-limit', 5, 1, 'retry'],
	['upstream-busy', 5, 1, 'retry'],
	['balance', 0, 1, 'stop'],
	['auth', 0, 1, 'stop'],
	['request', 0, 1, 'stop'],
	['interrupted', 0, 1, 'stop'],
	['cancelled', 0, 1, 'stop'],
	['item-timeout', 0, 1, 'stop'],
];

describe('the failover rules', () => {
	it('decides on every kind of failure the list holds', () => {
		expect(new Set(DECISIONS.map(([kind]) => kind))).toEqual(new Set(FAILURE_KIND_LIST));
	});

	it.each(DECISIONS)('%s after %i of %i retries → %s', (kind, retries, max, next) => {
		expect(decide(kind, retries, max)).toBe(next);
	});

	it.each([
		[400, 'request'],
		[401, 'auth'],
		[402, 'balance'],
		[403, 'auth'],
		[404, 'request'],
		[422, 'request'],
		[429, 'rate-limit'],
		[500, 'server'],
		[502, 'server'],
		[503, 'server'],
		[504, 'server'],
	] as const)('status %i is a %s failure', (status, kind) => {
		expect(kindForStatus(status)).toBe(kind);
	});

	it('backs off with full jitter from 1 s, doubling, capped at 20 s', () => {
		expect([0, 1, 2, 3, 4, 5, 10].map((retry) => backoffMs(retry, () => 1))).toEqual([
			1000, 2000, 4000, 8000, 16000, 20000, 20000,
		]);
		expect(backoffMs(3, () => 0)).toBe(0);
	});
});

describe('classifying a failure', () => {
	const key = 'sk-secret-key-123456';

	// The error bodies of DeepSeek and of the gateways, as the simulator serves them.
	it.each([
		['deepseek-401', 'auth'],
		['deepseek-402', 'balance'],
		['gateway-401-quota', 'balance'],
		['gateway-403-quota', 'balance'],
		['gateway-503-no-channel', 'server'],
		['gateway-503-model-not-found', 'server'],
		['gateway-429-saturated', 'upstream-busy'],
		['gateway-429-quota', 'balance'],
	] as const)('reads %s as a %s failure, quoting its words', (type, kind) => {
		const facts = { seq: 7, model: 'deepseek-chat', sentKey: key };
		for (const fault of [{ type }, { type, english: true, errorType: 'one_api_error' }]) {
			const { status, error } = ERROR_FAULTS[type](facts, fault);
			const failure = failureFromStatus(
				status,
				{ 'content-type': 'application/json' },
				JSON.stringify({ error }),
				key,
			);
			expect(failure).toMatchObject({ kind, status });
			expect(factWords(failure.fact)).toBe(error.message);
		}
	});

	it('reads quota words only behind a 401 or 403, and insufficient_quota only behind a 429', () => {
		const body = (error: object) => JSON.stringify({ error });
		const json = { 'content-type': 'application/json' };
		expect(failureFromStatus(400, json, body({ message: '额度 quota' }), key).kind).toBe('request');
		expect(
			failureFromStatus(503, json, body({ message: 'x', code: 'insufficient_quota' }), key).kind,
		).toBe('server');
		expect(failureFromStatus(401, json, body({ message: 'invalid token' }), key).kind).toBe('auth');
		expect(failureFromStatus(429, json, body({ message: 'Rate Limit Reached' }), key).kind).toBe(
			'rate-limit',
		);
	});

	it('reads status, server message and Retry-After, without the key', () => {
		const failure = failureFromStatus(
			429,
			{ 'Retry-After': '3', 'content-type': 'application/json' },
			JSON.stringify({ error: { message: `Rate limit for ${key}` } }),
			key,
		);
		expect(failure).toMatchObject({ kind: 'rate-limit', status: 429, retryAfterMs: 3000 });
		expect(factWords(failure.fact)).toBe('Rate limit for [redacted]');
	});

	it('quotes an HTML error page by its title, never whole', () => {
		const page = `<html><head><title>502 Bad Gateway</title></head><body>${'x'.repeat(200_000)}</body></html>`;
		const failure = failureFromStatus(502, { 'content-type': 'text/html' }, page, key);
		expect(failure).toMatchObject({ kind: 'server', status: 502 });
		expect(factWords(failure.fact)).toBe('an HTML error page ("502 Bad Gateway") with status 502');
	});

	it('cuts a long plain-text error with a note', () => {
		const failure = failureFromStatus(500, {}, 'y'.repeat(5000), key);
		expect(factWords(failure.fact)).toMatch(/^y{500}… \(4500 more characters cut\)$/);
	});

	it('names connection failures in words n8n does not replace', () => {
		const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
		const failure = failureFromRequestError(new Error('wrapped', { cause }), key);
		expect(failure.kind).toBe('connection');
		expect(factWords(failure.fact)).toBe('Could not connect: the connection was refused');
	});

	it("reads the HTTP library's timeout as no answer in time", () => {
		const cause = Object.assign(new Error('timeout of 5ms exceeded'), { code: 'ECONNABORTED' });
		expect(failureFromRequestError(new Error('wrapped', { cause }), key).kind).toBe('timeout');
	});

	// n8n 1.x's request helper wraps the HTTP library's error in a NodeApiError that keeps the
	// network code only as httpCode (its message: "The connection was aborted, perhaps the server
	// is offline"). Read as a refused connection, a timeout went to the wrong words under n8n 1.x.
	it("reads n8n 1.x's wrapped errors by their httpCode", () => {
		const wrapped = (httpCode: string) =>
			Object.assign(new Error('The connection was aborted, perhaps the server is offline'), {
				httpCode,
			});
		expect(failureFromRequestError(wrapped('ECONNABORTED'), key).kind).toBe('timeout');
		expect(failureFromRequestError(wrapped('ERR_CANCELED'), key).kind).toBe('cancelled');
		expect(factWords(failureFromRequestError(wrapped('ECONNREFUSED'), key).fact)).toBe(
			'Could not connect: the connection was refused',
		);
		// A status in httpCode is not a network code.
		expect(factWords(failureFromRequestError(wrapped('404'), key).fact)).toBe(
			'Could not connect: The connection was aborted, perhaps the server is offline',
		);
	});

	it("gives n8n's helper more time than the attempt's own deadline, which names the cause", async () => {
		const given: number[] = [];
		const deadline = new AttemptDeadline(
			new AbortController().signal,
			60_000,
			300,
			Date.now() + 200,
		);
		const failure = await requestModelIds(
			(options) => {
				given.push(options.timeout ?? 0);
				// The helper's timeout, as n8n 1.x reports it.
				return new Promise((_, reject) =>
					setTimeout(
						() => reject(Object.assign(new Error('aborted'), { httpCode: 'ECONNABORTED' })),
						options.timeout,
					),
				);
			},
			'http://127.0.0.1:9/v1',
			key,
			deadline,
		);
		deadline.dispose();
		expect(given[0]).toBeGreaterThanOrEqual(1000);
		expect(failure).toMatchObject({ kind: 'item-timeout' });
	});

	it('redacts the key and bearer tokens', () => {
		expect(redact(`key ${key} and Authorization: Bearer abc.def`, key)).toBe(
			'key [redacted] and Authorization: Bearer [redacted]',
		);
	});
});

describe('PrimaryBreaker', () => {
	it('skips the primary after a failure, probes once after the cooldown, closes on success', () => {
		const breaker = new PrimaryBreaker(1000);
		const key = PrimaryBreaker.key('https://a.example/v1', 'sk-1');
		expect(key).not.toContain('sk-1');
		expect(breaker.claim(key, 0).skipPrimary).toBe(false);
		breaker.primaryFailed(key, 0);
		expect(breaker.claim(key, 500).skipPrimary).toBe(true);
		const probe = breaker.claim(key, 1500); // this caller probes
		expect(probe).toEqual({ skipPrimary: false, probe: expect.any(Symbol) });
		expect(breaker.claim(key, 1600).skipPrimary).toBe(true); // others wait for the probe
		breaker.primaryAnswered(key);
		expect(breaker.claim(key, 1700).skipPrimary).toBe(false);
	});

	it('frees a released probe for the next caller, and only the probe that holds it', () => {
		const breaker = new PrimaryBreaker(1000);
		const key = PrimaryBreaker.key('https://a.example/v1', 'sk-1');
		breaker.primaryFailed(key, 0);
		const first = breaker.claim(key, 1500).probe!;
		breaker.release(key, Symbol('someone else'));
		expect(breaker.claim(key, 1600).skipPrimary).toBe(true);
		breaker.release(key, first);
		expect(breaker.claim(key, 1700).probe).toBeDefined();
	});
});
