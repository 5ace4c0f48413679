import type { IncomingMessage, ServerResponse } from 'http';

import { head, startRawServer, type RawServer } from '../harness/rawServer';
import { startSimulator } from '../simulator/simulator';
import {
	allText,
	API_KEY,
	chat,
	runDeepSeek,
	type RunOptions,
	type SimulatorPair,
} from './fixtures';

// The /models read behind a model id MetaChat refuses: what it says, how long it may take, and
// that one execution's stop never reaches another's. Each test has its own servers, so no model
// list cached by an earlier test (they are kept for 10 minutes per URL and key) answers for it.

const REFUSED = 'deepseek-v9-unknown';
const refusedModel = (options: Record<string, unknown> = {}) =>
	chat({ model: { __rl: true, mode: 'id', value: REFUSED }, options });

/** Whether any 8 characters of a key in a row stand anywhere in a text. */
function holdsKeyFragment(text: string, key = API_KEY): boolean {
	for (let i = 0; i + 8 <= key.length; i++) {
		if (text.includes(key.slice(i, i + 8))) return true;
	}
	return false;
}

type Failed = { error: string; message: string };

describe('the model list behind a refused model id, through n8n', () => {
	const pair = {} as SimulatorPair;
	let raw: RawServer;
	beforeEach(async () => {
		pair.primary = await startSimulator({ name: 'primary', apiKey: API_KEY });
		pair.backup = await startSimulator({ name: 'backup', apiKey: API_KEY });
		raw = await startRawServer();
	});
	afterEach(async () => {
		await Promise.all([pair.primary.close(), pair.backup.close(), raw.close()]);
	});

	/** A server that refuses the model as DeepSeek does and answers /models as `models` says. */
	const refusingRaw = (models: (request: IncomingMessage, response: ServerResponse) => void) =>
		raw.handle((request, response) => {
			if (request.url?.endsWith('/models')) return models(request, response);
			head(response, 400);
			response.end(
				JSON.stringify({ error: { message: 'Model Not Exist', type: 'invalid_request_error' } }),
			);
		});

	const failedItems = async (options: Partial<RunOptions> = {}) => {
		const result = await runDeepSeek(pair, {
			parameters: refusedModel(),
			continueOnFail: true,
			...options,
		});
		const output = result.output('DeepSeek');
		for (const [index, item] of output.entries()) expect(item.pairedItem).toEqual({ item: index });
		return { result, items: output.map((item) => item.json as Failed) };
	};

	const modelsAsked = () => raw.paths.filter((path) => path.endsWith('/models')).length;

	it('never trusts the ids as text: no key, no control characters, each and all bounded', async () => {
		refusingRaw((request, response) => {
			head(response, 200);
			const authorization = String(request.headers.authorization);
			const data = [
				{ id: authorization },
				{ id: authorization.replace(/^Bearer\s+/i, '') },
				{ id: `model-of-${authorization.replace(/^Bearer\s+/i, '')}` },
				{ id: 'x'.repeat(8 << 20) },
				{ id: 'deepseek-chat\u0007\r\n' },
				{ id: '\u0000deepseek-reasoner\t' },
				...Array.from({ length: 5000 }, (_, i) => ({ id: `model-${i}` })),
			];
			response.end(JSON.stringify({ object: 'list', data }));
		});
		const { result, items } = await failedItems({
			credentials: { baseUrl: raw.url, failoverBaseUrl: '' },
			items: [{ json: { text: 'one' } }, { json: { text: 'two' } }],
		});
		expect(items).toHaveLength(2);
		for (const item of items) {
			expect(item.error).toBe('MetaChat rejected the request (400): Model Not Exist');
			expect(item.message).toMatch(
				/^MetaChat does not serve the model "deepseek-v9-unknown"\. Its \/models offers: deepseek-chat, deepseek-reasoner, model-0, model-1, .* and 960 more\. /,
			);
			expect(item.message.length).toBeLessThan(2000);
			// eslint-disable-next-line no-control-regex
			expect(item.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
		}
		expect(holdsKeyFragment(allText(result.run))).toBe(false);
		expect(allText(result.run).length).toBeLessThan(200_000);
		// The two items shared one read.
		expect(modelsAsked()).toBe(1);
	});

	it('describes a Model ID that looks like a key, never quoting it', async () => {
		// A key pasted into the Model field: not the credential's, so no redaction would catch it.
		const pasted = 'sk-9f86d081884c7d659a2feaa0c55ad015';
		const { items } = await failedItems({
			parameters: chat({ model: { __rl: true, mode: 'id', value: pasted } }),
		});
		expect(items[0].message).toMatch(
			/^MetaChat does not serve the model in the Model field \(35 characters that look like an API key, not a model ID\)\. Its \/models offers: deepseek-chat/,
		);
		expect(holdsKeyFragment(allText(items[0]), pasted)).toBe(false);
	});

	it('reads a silent /models no longer than the Item Timeout allows', async () => {
		for (const sim of [pair.primary, pair.backup]) sim.setFault({ type: 'hang', only: 'models' });
		const { result, items } = await failedItems({
			parameters: refusedModel({ itemTimeout: 2000 }),
		});
		expect(items[0].message).toBe(
			`MetaChat does not serve the model "${REFUSED}", and its model list could not be read (The item ran out of time (Item Timeout option)). Check the model ID.`,
		);
		// Not the read's own 15 s: the item's 2 s (a wide margin for a busy machine).
		expect(result.durationMs).toBeLessThan(9000);
	});

	it('calls a silent /models an idle URL, not the Item Timeout it never reached', async () => {
		for (const sim of [pair.primary, pair.backup]) sim.setFault({ type: 'hang', only: 'models' });
		const { items } = await failedItems();
		expect(items[0].message).toBe(
			`MetaChat does not serve the model "${REFUSED}", and its model list could not be read (No answer: nothing arrived for 5 s). Check the model ID.`,
		);
		// Both URLs were asked: a silent primary is an unreachable one.
		for (const sim of [pair.primary, pair.backup]) {
			expect(sim.requests.filter((request) => request.path === '/v1/models')).toHaveLength(1);
		}
	});

	it('words a /models that answers 200 with an HTML page as that', async () => {
		for (const sim of [pair.primary, pair.backup]) sim.setFault({ type: 'html', only: 'models' });
		const { items } = await failedItems();
		expect(items[0].message).toBe(
			`MetaChat does not serve the model "${REFUSED}", and its model list could not be read (The model list came as an HTML page, not JSON). Check the model ID.`,
		);
	});

	it("never gives one execution's stop to another execution's items", async () => {
		// /models answers after 1.5 s; the first execution is stopped while both wait for it.
		for (const sim of [pair.primary, pair.backup]) {
			sim.setFault({ type: 'slow', delayMs: 1500, only: 'models' });
		}
		const [stopped, other] = await Promise.all([
			runDeepSeek(pair, { parameters: refusedModel(), continueOnFail: true, cancelAfterMs: 700 }),
			// The second execution asks once the first one's read is under way.
			new Promise((resolve) => setTimeout(resolve, 200)).then(async () => await failedItems()),
		]);
		expect(stopped.status).toBe('canceled');
		expect(other.items[0].message).toMatch(
			/^MetaChat does not serve the model "deepseek-v9-unknown"\. Its \/models offers: deepseek-chat, /,
		);
	});

	it('keeps the lists of two keys apart, even keys a 32-bit hash cannot tell apart', async () => {
		// These two keys have the same FNV-1a 32-bit hash (0xd0b16399).
		const keys = ['sk-collide-0075zx', 'sk-collide-00epcd'];
		refusingRaw((request, response) => {
			head(response, 200);
			const key = String(request.headers.authorization).replace(/^Bearer\s+/i, '');
			const data = [{ id: `only-for-${keys.indexOf(key)}` }];
			response.end(JSON.stringify({ object: 'list', data }));
		});
		for (const [index, apiKey] of keys.entries()) {
			const { items } = await failedItems({
				credentials: { apiKey, baseUrl: raw.url, failoverBaseUrl: '' },
			});
			expect(items[0].message).toMatch(`Its /models offers: only-for-${index}.`);
		}
		expect(modelsAsked()).toBe(2);
	});
});
