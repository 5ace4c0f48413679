import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { DeepSeek } from '../../nodes/DeepSeek/DeepSeek.node';
import { runWorkflow } from '../harness';
import {
	chat,
	completions,
	CREDENTIALS,
	NODE_TYPE,
	reason,
	runDeepSeek,
	useSimulatorPair,
	metaChatCredential,
} from './fixtures';

const PROMPT = 'Summarise this: the quick brown fox jumps.';
const EARLIER = [
	{ role: 'user', content: 'Hi' },
	{ role: 'assistant', content: 'Hello! How can I help?' },
];

describe("DeepSeek node version 2: the panel's fields through n8n", () => {
	const pair = useSimulatorPair();
	const v2 = (parameters: IDataObject) => runDeepSeek(pair, { parameters, typeVersion: 2 });
	const sentMessages = () => (completions(pair.primary)[0].body as IDataObject).messages;

	it('sends the System Message of the main panel first', async () => {
		const result = await v2(chat({ systemMessage: 'Answer in one sentence.' }));
		expect(result.status).toBe('success');
		expect(sentMessages()).toEqual([
			{ role: 'system', content: 'Answer in one sentence.' },
			{ role: 'user', content: PROMPT },
		]);
		expect(result.output('DeepSeek')[0].json.endpoint).toBe('primary');
	});

	it('takes History as JSON text typed into the field', async () => {
		const result = await v2(chat({ history: JSON.stringify(EARLIER) }));
		expect(result.status).toBe('success');
		expect(sentMessages()).toEqual([...EARLIER, { role: 'user', content: PROMPT }]);
	});

	it("takes History mapped as an array from the previous node's output", async () => {
		const turn = (name: string, parameters: IDataObject) => ({
			name,
			type: NODE_TYPE,
			typeVersion: 2,
			parameters: parameters as INodeParameters,
			credentials: CREDENTIALS,
		});
		const result = await runWorkflow({
			nodeTypes: { [NODE_TYPE]: new DeepSeek() },
			...metaChatCredential(pair),
			items: [{ json: { text: 'What is two plus two?' } }],
			nodes: [
				// Version 2 outputs `messages` only when asked.
				turn('First Turn', chat({ outputOptions: { includeMessages: true } })),
				turn(
					'Second Turn',
					chat({
						prompt: 'And times three?',
						history: '={{ $json.messages }}',
						outputOptions: { includeMessages: true },
					}),
				),
			],
		});
		expect(result.status).toBe('success');
		const first = result.output('First Turn')[0].json;
		const [, second] = completions(pair.primary);
		expect((second.body as IDataObject).messages).toEqual([
			{ role: 'user', content: 'What is two plus two?' },
			{ role: 'assistant', content: first.content },
			{ role: 'user', content: 'And times three?' },
		]);
		expect(result.output('Second Turn')[0].json.messages).toHaveLength(4);
	});

	it('puts content, reasoning_content and endpoint first, and messages only when asked', async () => {
		const plain = await v2(reason());
		const keys = Object.keys(plain.output('DeepSeek')[0].json);
		expect(keys.slice(0, 3)).toEqual(['content', 'reasoning_content', 'endpoint']);
		expect(keys).not.toContain('messages');
		const asked = await v2(reason({ outputOptions: { includeMessages: true } }));
		expect(asked.output('DeepSeek')[0].json.messages).toHaveLength(2);
	});

	it('leaves History empty for a single question', async () => {
		const result = await v2(reason({ history: '' }));
		expect(result.status).toBe('success');
		expect(sentMessages()).toEqual([{ role: 'user', content: PROMPT }]);
	});

	it('reads every option group', async () => {
		const result = await v2(
			chat({
				samplingOptions: { temperature: 0.3, thinking: 'enabled' },
				outputOptions: { maxTokens: 200, stop: 'END', includeReasoning: false },
				reliabilityOptions: { failover: false, maxRetries: 0 },
				performanceOptions: { concurrency: 1 },
			}),
		);
		expect(result.status).toBe('success');
		expect(completions(pair.primary)[0].body).toMatchObject({
			temperature: 0.3,
			max_tokens: 200,
			stop: ['END'],
			thinking: { type: 'enabled' },
		});
		expect(result.output('DeepSeek')[0].json).not.toHaveProperty('reasoning_content');
	});

	it("ignores version 1's Options collection", async () => {
		const result = await v2(chat({ options: { systemMessage: 'From version 1' } }));
		expect(result.status).toBe('success');
		expect(sentMessages()).toEqual([{ role: 'user', content: PROMPT }]);
	});

	it('fails only the item whose System Message is not text, naming the field', async () => {
		const result = await runDeepSeek(pair, {
			parameters: chat({ systemMessage: '={{ $json.rules }}' }),
			typeVersion: 2,
			items: [
				{ json: { text: 'Hi', rules: { tone: 'dry' } } },
				{ json: { text: 'Hello', rules: 'Be dry.' } },
			],
			continueOnFail: true,
		});
		const [bad, good] = result.output('DeepSeek');
		expect(bad.json).toMatchObject({ error: expect.stringMatching(/System Message is not text/) });
		expect(bad.pairedItem).toEqual({ item: 0 });
		expect(good.json.endpoint).toBe('primary');
		expect((completions(pair.primary)[0].body as IDataObject).messages).toEqual([
			{ role: 'system', content: 'Be dry.' },
			{ role: 'user', content: 'Hello' },
		]);
	});

	it('names where version 2 keeps the option that leaves out a refused parameter', async () => {
		pair.primary.configure({ rejectParams: ['thinking'] });
		try {
			const result = await runDeepSeek(pair, {
				parameters: chat(),
				typeVersion: 2,
				continueOnFail: true,
			});
			expect(result.output('DeepSeek')[0].json.message).toBe(
				'MetaChat does not accept the `thinking` parameter that this node sends; set Thinking and Sampling > Thinking to Model Default to leave it out.',
			);
			// And the option it names, where it names it, does leave it out.
			const fixed = await v2(chat({ samplingOptions: { thinking: 'model' } }));
			expect(fixed.output('DeepSeek')[0].json.error).toBeUndefined();
			expect(completions(pair.primary).at(-1)?.body).not.toHaveProperty('thinking');
		} finally {
			pair.primary.configure({ rejectParams: [] });
		}
	});
});

describe('DeepSeek node version 1 workflows run as before', () => {
	const pair = useSimulatorPair();

	it('reads the System Message, the History JSON and the options from Options', async () => {
		const result = await runDeepSeek(pair, {
			typeVersion: 1,
			parameters: chat({
				history: JSON.stringify(EARLIER),
				options: { systemMessage: 'Be brief.', temperature: 0.5, maxTokens: 100 },
			}),
		});
		expect(result.status).toBe('success');
		const [request] = completions(pair.primary);
		expect(request.body).toMatchObject({ temperature: 0.5, max_tokens: 100 });
		expect((request.body as IDataObject).messages).toEqual([
			{ role: 'system', content: 'Be brief.' },
			...EARLIER,
			{ role: 'user', content: PROMPT },
		]);
	});

	it("ignores version 2's fields on a version-1 node", async () => {
		const result = await runDeepSeek(pair, {
			typeVersion: 1,
			parameters: chat({
				systemMessage: 'From version 2',
				samplingOptions: { temperature: 0.3 },
			}),
		});
		expect(result.status).toBe('success');
		const [request] = completions(pair.primary);
		expect((request.body as IDataObject).messages).toEqual([{ role: 'user', content: PROMPT }]);
		expect(request.body).not.toHaveProperty('temperature');
	});
});

describe('DeepSeek node version 3: one Options collection, named by group', () => {
	const pair = useSimulatorPair();
	const v3 = (parameters: IDataObject) => runDeepSeek(pair, { parameters, typeVersion: 3 });
	const sentMessages = () => (completions(pair.primary)[0].body as IDataObject).messages;

	it('reads every option from Options, and the System Message from the panel', async () => {
		const result = await v3(
			chat({
				systemMessage: 'Answer in one sentence.',
				options: {
					temperature: 0.3,
					thinking: 'enabled',
					maxTokens: 200,
					stop: 'END',
					includeReasoning: false,
					failover: false,
					maxRetries: 0,
					concurrency: 1,
				},
			}),
		);
		expect(result.status).toBe('success');
		expect(completions(pair.primary)[0].body).toMatchObject({
			temperature: 0.3,
			max_tokens: 200,
			stop: ['END'],
			thinking: { type: 'enabled' },
		});
		expect(sentMessages()).toEqual([
			{ role: 'system', content: 'Answer in one sentence.' },
			{ role: 'user', content: PROMPT },
		]);
		expect(result.output('DeepSeek')[0].json).not.toHaveProperty('reasoning_content');
	});

	it('outputs messages only when asked, as version 2 does', async () => {
		const plain = await v3(reason());
		expect(plain.output('DeepSeek')[0].json).not.toHaveProperty('messages');
		const asked = await v3(reason({ options: { includeMessages: true } }));
		expect(asked.output('DeepSeek')[0].json.messages).toHaveLength(2);
	});

	it("ignores version 2's option groups", async () => {
		const result = await v3(chat({ samplingOptions: { temperature: 0.3 } }));
		expect(result.status).toBe('success');
		expect(completions(pair.primary)[0].body).not.toHaveProperty('temperature');
	});

	it('names the option that leaves out a refused parameter by its place in Options', async () => {
		pair.primary.configure({ rejectParams: ['thinking'] });
		try {
			const result = await runDeepSeek(pair, {
				parameters: chat(),
				typeVersion: 3,
				continueOnFail: true,
			});
			expect(result.output('DeepSeek')[0].json.message).toBe(
				'MetaChat does not accept the `thinking` parameter that this node sends; set Options > Thinking: Mode to Model Default to leave it out.',
			);
		} finally {
			pair.primary.configure({ rejectParams: [] });
		}
	});
});
