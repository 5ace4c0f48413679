import { AttemptFailure } from '../../../../../nodes/shared/failures';
import { factWords } from '../../../../../nodes/shared/wording';
import { MAX_MODEL_IDS, modelIdsFromBody } from '../../../../../nodes/shared/transport/modelIds';

const KEY = 'sk-model-ids-0123456789abcdef';
const JSON_TYPE = 'application/json';
const list = (...ids: unknown[]) =>
	JSON.stringify({ object: 'list', data: ids.map((id) => ({ id })) });

describe('the model ids of a /models answer', () => {
	it.each<[string, unknown[], string[]]>([
		[
			'plain ids, in order, each once',
			['deepseek-chat', 'b', 'deepseek-chat'],
			['deepseek-chat', 'b'],
		],
		[
			'no key, echoed whole, as a Bearer token, or in part',
			[KEY, `Bearer ${KEY}`, `m-${KEY.slice(5, 20)}`, 'ok'],
			['ok'],
		],
		[
			'control characters removed',
			['deepseek-\u0007chat\r\n', '\u0000x\u009f'],
			['deepseek-chat', 'x'],
		],
		[
			'no id longer than a Model ID may be',
			['z'.repeat(201), 'z'.repeat(8 << 20), 'short'],
			['short'],
		],
		['nothing that is not a Model ID', ['has space', '', 42, null, '[x]', 'ok-1'], ['ok-1']],
	])('keeps %s', (_name, ids, kept) => {
		expect(modelIdsFromBody(list(...ids), JSON_TYPE, KEY)).toEqual(kept);
	});

	it(`keeps at most ${MAX_MODEL_IDS} ids`, () => {
		const ids = Array.from({ length: MAX_MODEL_IDS + 500 }, (_, i) => `m-${i}`);
		const kept = modelIdsFromBody(list(...ids), JSON_TYPE, KEY) as string[];
		expect(kept).toHaveLength(MAX_MODEL_IDS);
		expect(kept.at(-1)).toBe(`m-${MAX_MODEL_IDS - 1}`);
	});

	it.each([
		[
			'an HTML page, by its type',
			'<p>Bad gateway</p>',
			'text/html',
			'The model list came as an HTML page, not JSON',
		],
		[
			'an HTML page, by its text',
			'<!DOCTYPE html><html></html>',
			JSON_TYPE,
			'The model list came as an HTML page, not JSON',
		],
		[
			'text that is not JSON',
			'upstream error',
			'text/plain',
			'The model list is not in the OpenAI format',
		],
		['JSON without data', '{"models":[]}', JSON_TYPE, 'The model list is not in the OpenAI format'],
		['null', 'null', JSON_TYPE, 'The model list is not in the OpenAI format'],
	])('words %s as what it is', (_name, body, type, words) => {
		const failure = modelIdsFromBody(body, type, KEY);
		expect(failure).toBeInstanceOf(AttemptFailure);
		expect(failure).toMatchObject({ kind: 'broken' });
		expect(factWords((failure as AttemptFailure).fact)).toBe(words);
	});
});
