import { allText, API_KEY, chat, completions, runDeepSeek, useSimulatorPair } from './fixtures';

/** Inputs a workflow can hand the node by mistake, each with a defined result. */
describe('hostile and malformed input through n8n', () => {
	const pair = useSimulatorPair();

	const run = (history: unknown, extra = {}) =>
		runDeepSeek(pair, {
			parameters: chat({ history: '={{ $json.history }}', ...extra }),
			items: [{ json: { text: 'Hello', history: history as never } }],
			continueOnFail: true,
		});

	it.each([
		[
			'a string that is not JSON',
			'my secret launch code is 0000, remember it',
			/History is not valid JSON/,
		],
		['an object without messages', { role_: 'user' }, /History is an object/],
		['nested arrays', [[{ role: 'user', content: 'x' }]], /History message 0 is an array/],
		['a message without a role', [{ content: 'x' }], /History message 0 has no role/],
		['an unknown role', [{ role: 'narrator', content: 'x' }], /role "narrator"/],
		['object content', [{ role: 'user', content: { text: 'x' } }], /content that is an object/],
	])(
		'rejects history that is %s, naming the fix, and sends nothing',
		async (_name, history, error) => {
			const result = await run(history);
			const [item] = result.output('DeepSeek');
			expect(item.json.error).toMatch(error);
			expect(item.json.message).toMatch(/array of \{ role, content \}/);
			expect(item.pairedItem).toEqual({ item: 0 });
			// Never quoted in what the node gives: a history that is not JSON may be anything typed.
			expect(allText(result.runData.DeepSeek)).not.toMatch(/secret|launch code/);
			expect(completions(pair.primary)).toHaveLength(0);
		},
	);

	it.each([
		['numbers as content', [{ role: 'user', content: 42 }], [{ role: 'user', content: '42' }]],
		[
			'reasoning_content on an earlier answer',
			[
				{ role: 'user', content: 'a' },
				{ role: 'assistant', content: 'b', reasoning_content: 'c' },
			],
			[
				{ role: 'user', content: 'a' },
				{ role: 'assistant', content: 'b' },
			],
		],
		[
			'roles in capitals',
			[{ role: 'SYSTEM', content: 'Be brief' }],
			[{ role: 'system', content: 'Be brief' }],
		],
		['a JSON string', '[{"role":"user","content":"a"}]', [{ role: 'user', content: 'a' }]],
	])('normalises history with %s before sending', async (_name, history, sent) => {
		const result = await run(history);
		expect(result.output('DeepSeek')[0].json.error).toBeUndefined();
		const body = completions(pair.primary)[0].body as { messages: unknown[] };
		expect(body.messages).toEqual([...sent, { role: 'user', content: 'Hello' }]);
	});

	it('rejects an assistant tool call whose arguments are not JSON, naming the message', async () => {
		const result = await run([
			{ role: 'user', content: 'Weather in Paris?' },
			{
				role: 'assistant',
				content: null,
				tool_calls: [
					{ id: 'c1', type: 'function', function: { name: 'Lookup', arguments: '{bad' } },
				],
			},
			{ role: 'tool', tool_call_id: 'c1', content: 'sunny' },
		]);
		const [item] = result.output('DeepSeek');
		expect(item.json.error).toMatch(
			/History message 1 has a tool call 0 whose arguments are not valid JSON: give function.arguments as JSON text/,
		);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(completions(pair.primary)).toHaveLength(0);
	});

	it('sends a 1 MB prompt whole', async () => {
		const prompt = 'word '.repeat(200_000);
		const result = await runDeepSeek(pair, {
			parameters: chat(),
			items: [{ json: { text: prompt } }],
		});
		expect(result.status).toBe('success');
		const body = completions(pair.primary)[0].body as { messages: Array<{ content: string }> };
		expect(body.messages[0].content).toHaveLength(prompt.length);
	});

	it.each([
		['a trailing slash', (url: string) => `${url}/`],
		['no /v1', (url: string) => url.replace(/\/v1$/, '')],
		['spaces around it', (url: string) => `  ${url}  `],
	])('accepts a base URL with %s', async (_name, change) => {
		const result = await runDeepSeek(pair, {
			parameters: chat(),
			credentials: { baseUrl: change(pair.primary.url) },
		});
		expect(result.output('DeepSeek')[0].json.endpoint).toBe('primary');
	});

	it('rejects a base URL that is not a URL, naming the field and what is wrong', async () => {
		const result = await runDeepSeek(pair, {
			parameters: chat(),
			credentials: { baseUrl: 'llm-api.mmchat.xyz/v1' },
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(
			/credential's Base URL does not start with https:\/\/ or http:\/\//,
		);
	});

	it.each([
		['a key pasted into it', 'sk-live-SECRET 123', /Base URL has spaces in it/],
		['a scheme of its own', 'sk-live:SECRET123', /Base URL must start with https:\/\/ or http/],
		['a file:// URL', 'file:///etc/SECRET', /Base URL must start with https:\/\/ or http/],
	])('rejects a base URL with %s without quoting it', async (_name, baseUrl, error) => {
		const result = await runDeepSeek(pair, {
			parameters: chat(),
			credentials: { baseUrl },
			continueOnFail: true,
		});
		const [item] = result.output('DeepSeek');
		expect(item.json.error).toMatch(error);
		expect(allText(result.run)).not.toContain('SECRET');
		expect(completions(pair.primary)).toHaveLength(0);
	});

	it.each([
		['a query string', (url: string) => `${url}?api-version=1`, 'Base URL', /has a query string/],
		[
			'a user name and password',
			(url: string) => url.replace('://', '://user:pw@'),
			'Base URL',
			/has a user name or password in it/,
		],
		[
			'a query string in the backup',
			(url: string) => `${url}?x=1`,
			'Failover Base URL',
			/has a query string/,
		],
	])(
		'refuses a base URL with %s, which requests would drop, and sends nothing',
		async (_name, change, field, error) => {
			const key = field === 'Base URL' ? 'baseUrl' : 'failoverBaseUrl';
			const url = field === 'Base URL' ? pair.primary.url : pair.backup.url;
			const result = await runDeepSeek(pair, {
				parameters: chat(),
				credentials: { [key]: change(url) },
			});
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(new RegExp(`credential's ${field} `));
			expect(result.error?.message).toMatch(error);
			expect(completions(pair.primary)).toHaveLength(0);
			expect(completions(pair.backup)).toHaveLength(0);
		},
	);

	it('keeps the key out of the raw response and of every error', async () => {
		const raw = await runDeepSeek(pair, { parameters: chat({ simplify: false }) });
		expect(allText(raw.run)).not.toContain(API_KEY);
		pair.primary.setFault({ type: '401' });
		const failed = await runDeepSeek(pair, { parameters: chat(), continueOnFail: true });
		expect(failed.output('DeepSeek')[0].json.error).toMatch(/rejected the API key/);
		expect(allText(failed.run)).not.toContain(API_KEY);
	});
});

describe('options set by expressions through n8n', () => {
	const pair = useSimulatorPair();
	const bodyOf = (sim = pair.primary) =>
		completions(sim)[0].body as { temperature?: unknown; max_tokens?: unknown; stop?: unknown };

	it('sends numbers given as text as numbers', async () => {
		const result = await runDeepSeek(pair, {
			parameters: chat({ options: { temperature: '={{ "0.3" }}', maxTokens: '={{ " 100 " }}' } }),
		});
		expect(result.error).toBeUndefined();
		expect(bodyOf()).toMatchObject({ temperature: 0.3, max_tokens: 100 });
	});

	it.each([
		['Timeout (Ms)', { timeout: '={{ "soon" }}' }, /not the text "soon"/],
		['Sampling Temperature', { temperature: '={{ { value: 1 } }}' }, /not an object/],
		['Maximum Number of Tokens', { maxTokens: '={{ true }}' }, /not a boolean/],
		['Max Retries', { maxRetries: '={{ "x".repeat(60) }}' }, /not a text of 60 characters/],
	])(
		'refuses a %s that is not a number, naming the option, the item and what it got',
		async (label, options, got) => {
			const result = await runDeepSeek(pair, {
				parameters: chat({ options }),
				items: [{ json: { text: 'a' } }, { json: { text: 'b' } }],
				continueOnFail: true,
			});
			const output = result.output('DeepSeek');
			expect(output).toHaveLength(2);
			output.forEach((item, index) => {
				expect(item.json.error).toContain(`The ${label} option of item ${index} must be a number`);
				expect(item.json.error).toMatch(got);
				expect(item.pairedItem).toEqual({ item: index });
			});
			expect(allText(result.run)).not.toContain('x'.repeat(60));
			expect(completions(pair.primary)).toHaveLength(0);
		},
	);

	it.each([
		['a list', '={{ ["END", "###"] }}', ['END', '###']],
		['a text with commas', 'END,###', ['END', '###']],
		['a list from the item', '={{ $json.stops }}', ['a,b', 'c']],
	])('takes Stop Sequences given as %s', async (_name, stop, sent) => {
		const result = await runDeepSeek(pair, {
			parameters: chat({ options: { stop } }),
			items: [{ json: { text: 'Hello', stops: ['a,b', 'c'] } }],
		});
		expect(result.error).toBeUndefined();
		expect(bodyOf().stop).toEqual(sent);
	});

	it.each([
		['a number', '={{ 5 }}', /must be a text or a list of texts, not the number 5/],
		['a list holding an object', '={{ ["END", { a: 1 }] }}', /has an entry 1 that is an object/],
	])('refuses Stop Sequences given as %s, naming the option', async (_name, stop, error) => {
		const result = await runDeepSeek(pair, {
			parameters: chat({ options: { stop } }),
			continueOnFail: true,
		});
		const [item] = result.output('DeepSeek');
		expect(item.json.error).toMatch(/The Stop Sequences option of item 0 /);
		expect(item.json.error).toMatch(error);
		expect(completions(pair.primary)).toHaveLength(0);
	});
});
