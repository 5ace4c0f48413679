// The n8n behaviours the sub-node's workarounds rely on (nodes/LmChatDeepSeek/model/aiNodeSdkGaps.ts),
// each checked against an installed n8n's own AI node SDK: the one n8n itself depends on, its
// LangChain adapter and that adapter's @langchain/core. A premise that fails names the workaround
// to revisit. Run by test/workflow/aiNodeSdkGaps.test.ts (the pinned n8n) and by the e2e core
// subset on every n8n of the version matrix.
'use strict';

const assert = require('assert/strict');
const path = require('path');
const { createRequire } = require('module');

/** Resolves `name` as the module at `from` would; a clear error where the layout has none. */
function resolveFrom(from, name, what) {
	try {
		return createRequire(from).resolve(name);
	} catch (error) {
		throw new Error(
			`cannot load ${name} as ${what} (${from}) would: ${error.code ?? error.message}; ` +
				'the SDK premises need this n8n install to hold it',
		);
	}
}

/**
 * The modules of the n8n installed in `home` (an n8n cache folder of scripts/n8nEnv.js): the SDK
 * n8n depends on, then what the SDK and its adapter load, each resolved from its parent's place
 * (hoisted or nested, as npm laid that version out).
 */
function loadN8nSdk(home) {
	const n8nPackage = path.join(home, 'node_modules', 'n8n', 'package.json');
	const sdkMain = resolveFrom(n8nPackage, '@n8n/ai-node-sdk', 'n8n');
	const utilitiesMain = resolveFrom(sdkMain, '@n8n/ai-utilities', '@n8n/ai-node-sdk');
	const sdk = require(sdkMain);
	const messages = require(
		resolveFrom(utilitiesMain, '@langchain/core/messages', '@n8n/ai-utilities'),
	);
	for (const name of ['supplyModel', 'BaseChatModel']) {
		assert.equal(typeof sdk[name], 'function', `@n8n/ai-node-sdk (${sdkMain}) has no ${name}`);
	}
	return { sdk, messages, sdkMain };
}

/** An SDK model that records what the adapter hands it, and answers with fixed text. */
function recordingModel(sdk, seen = { generate: [], stream: [], withTools: [], toolChoice: [] }) {
	class Recording extends sdk.BaseChatModel {
		constructor() {
			super('recording', 'recording-model');
			this.seen = seen;
		}
		async generate(messages, options) {
			seen.generate.push({ messages, options });
			return {
				id: 'answer-1',
				finishReason: 'stop',
				message: { role: 'assistant', content: [{ type: 'text', text: 'Hello' }] },
				usage: { promptTokens: 3, completionTokens: 5, totalTokens: 8 },
			};
		}
		async *stream(messages, options) {
			seen.stream.push({ messages, options });
			yield { type: 'text-delta', delta: 'Hel' };
			yield { type: 'finish', finishReason: 'stop' };
		}
		withTools(tools) {
			seen.withTools.push(tools);
			return recordingModel(sdk, seen).model;
		}
		withToolChoice(choice) {
			seen.toolChoice.push(choice);
			return this;
		}
	}
	return { model: new Recording(), seen };
}

/** The n8n context a sub-node gets, as far as the adapter and n8n's tracing use it. */
function subNodeContext() {
	const outputs = [];
	const ctx = {
		outputs,
		getNode: () => ({ name: 'Model', type: 'n8n-nodes-metachat.lmChatDeepSeek' }),
		addInputData: () => ({ index: 0 }),
		addOutputData: (type, index, data) => outputs.push(data),
		getNextRunIndex: () => 0,
		logAiEvent: () => undefined,
		logger: { debug() {}, info() {}, warn() {}, error() {} },
		helpers: {},
	};
	return ctx;
}

/** The tracing's name amendTracing looks for (N8N_TRACING_NAME there; the jest test keeps them equal). */
const TRACING_NAME = 'N8nLlmTracing';

const TOOL = {
	name: 'lookup',
	description: 'Looks up',
	schema: { type: 'object', properties: { q: { type: 'string' } } },
};

/** The adapter the SDK's supplyModel makes of a recording model, as our sub-node gets it. */
function adapterOf({ sdk }, ctx = subNodeContext()) {
	const recording = recordingModel(sdk);
	const adapter = sdk.supplyModel(ctx, recording.model).response;
	return { adapter, seen: recording.seen, ctx };
}

/** Call options with a marker of their own, to see whether a call hands them on as they are. */
function markedOptions() {
	const key = Symbol('facts');
	const facts = {};
	return { options: { [key]: facts }, in: (options) => options?.[key] === facts };
}

/** Each premise: the workaround that relies on it, what n8n does, and its check. */
const PREMISES = [
	{
		workaround: 'keepBoundToolChoice',
		premise:
			"the adapter's bindTools drops its second argument: tool_choice never reaches our model",
		async check(n8n) {
			const { adapter, seen } = adapterOf(n8n);
			const bound = adapter.bindTools([TOOL], { tool_choice: 'any' });
			await bound._generate([new n8n.messages.HumanMessage('Hi')], {});
			assert.equal(seen.withTools.length, 1, 'bindTools did not call our withTools once');
			assert.deepEqual(seen.toolChoice, [], 'the adapter called our withToolChoice');
			const [{ options }] = seen.generate;
			assert.equal(options?.tool_choice, undefined, 'generate got the bound tool_choice');
			assert.ok(!JSON.stringify(options ?? {}).includes('"any"'), 'generate got "any"');
		},
	},
	{
		workaround: 'patchEveryBoundCopy',
		premise:
			"the adapter's bindTools builds a new adapter, without the patches of the one it was called on",
		async check(n8n) {
			const { adapter } = adapterOf(n8n);
			const patched = async () => ({ generations: [] });
			adapter._generate = patched;
			const bound = adapter.bindTools([TOOL]);
			assert.notEqual(bound, adapter, 'bindTools returned the adapter itself');
			assert.equal(typeof bound._generate, 'function');
			assert.notEqual(bound._generate, patched, "the bound copy has the adapter's patch");
			assert.ok(
				!Object.prototype.hasOwnProperty.call(bound, '_generate'),
				'the bound copy has its own _generate',
			);
		},
	},
	{
		workaround: 'shapeGenerated',
		premise:
			"the adapter's _generate hands the call options to our model as they are, and gives the text as a list of parts without the finish reason",
		async check(n8n) {
			const { adapter, seen } = adapterOf(n8n);
			const mark = markedOptions();
			const result = await adapter._generate([new n8n.messages.HumanMessage('Hi')], mark.options);
			assert.equal(mark.in(seen.generate[0].options), true, 'the options did not reach generate');
			const message = result.generations[0].message;
			assert.ok(Array.isArray(message.content), `content is ${JSON.stringify(message.content)}`);
			assert.equal(message.response_metadata?.finish_reason, undefined);
			assert.equal(message.response_metadata?.model_name, undefined);
		},
	},
	{
		workaround: 'shapeStreamed',
		premise:
			"the adapter's _streamResponseChunks hands the options to our model, yields a text delta as a list of one text part, and gives the callbacks its own chunk",
		async check(n8n) {
			const { adapter, seen } = adapterOf(n8n);
			const mark = markedOptions();
			const tokens = [];
			const runManager = { handleLLMNewToken: async (...args) => tokens.push(args) };
			const chunks = [];
			for await (const chunk of adapter._streamResponseChunks(
				[new n8n.messages.HumanMessage('Hi')],
				mark.options,
				runManager,
			)) {
				chunks.push(chunk);
			}
			assert.equal(mark.in(seen.stream[0].options), true, 'the options did not reach stream');
			assert.deepEqual(chunks[0].message.content, [{ type: 'text', text: 'Hel' }]);
			assert.equal(tokens.length, chunks.length, 'not one new token per chunk');
			assert.equal(tokens[0][0], 'Hel');
			assert.equal(tokens[0][5]?.chunk, chunks[0], "the callbacks did not get the adapter's chunk");
		},
	},
	{
		workaround: 'amendTracing',
		premise:
			"the adapter's callbacks hold n8n's tracing named N8nLlmTracing, whose handleLLMEnd logs only each answer's text and reads llmOutput.tokenUsage as input_tokens and output_tokens",
		async check(n8n) {
			const { adapter, ctx } = adapterOf(n8n);
			const tracings = (adapter.callbacks ?? []).filter((c) => c?.name === TRACING_NAME);
			assert.equal(tracings.length, 1, `no callback of the adapter is named ${TRACING_NAME}`);
			const [tracing] = tracings;
			assert.equal(typeof tracing.handleLLMEnd, 'function', 'N8nLlmTracing has no handleLLMEnd');
			const call = (tokenUsage) =>
				tracing.handleLLMEnd(
					{
						generations: [
							[
								{
									text: '',
									message: { tool_calls: [{ name: 'lookup', args: { q: 'x' } }] },
								},
							],
						],
						llmOutput: { tokenUsage },
					},
					'run-1',
				);
			await tracing.handleLLMStart({}, ['Hi'], 'run-1');
			await call({ input_tokens: 3, output_tokens: 5 });
			await call({ promptTokens: 3, completionTokens: 5 });
			const [usageShape, streamShape] = ctx.outputs.map((data) => data[0][0].json);
			assert.deepEqual(usageShape.response.generations, [[{ text: '' }]]);
			assert.deepEqual(usageShape.tokenUsage, {
				completionTokens: 5,
				promptTokens: 3,
				totalTokens: 8,
			});
			assert.equal(streamShape.tokenUsage, undefined, "LangChain's streamed shape was read");
			assert.ok(streamShape.tokenUsageEstimate, 'no estimate for the streamed shape');
		},
	},
	{
		workaround: 'rewriteMessagesFirst (keepImages)',
		premise:
			"the adapter drops an image_url block, keeps a standard image block as a file part, and reads no mime_type of LangChain's older form",
		async check(n8n) {
			const { adapter, seen } = adapterOf(n8n);
			const data = 'iVBORw0KGgo=';
			await adapter._generate(
				[
					new n8n.messages.HumanMessage({
						content: [
							{ type: 'text', text: 'What is this?' },
							{ type: 'image', mimeType: 'image/png', data },
							{ type: 'image', source_type: 'base64', mime_type: 'image/png', data },
							{ type: 'image_url', image_url: { url: `data:image/png;base64,${data}` } },
						],
					}),
				],
				{},
			);
			const [part, standard, older, ...rest] = seen.generate[0].messages[0].content;
			assert.deepEqual(rest, [], 'the image_url block reached our model');
			assert.deepEqual(part, { type: 'text', text: 'What is this?' });
			assert.equal(standard?.type, 'file', `the standard block became ${JSON.stringify(standard)}`);
			assert.equal(standard.mediaType, 'image/png');
			assert.equal(standard.data, data);
			assert.equal(older?.mediaType, undefined, "the older form's mime_type was read");
		},
	},
	{
		workaround: 'countTokensLocally',
		premise:
			"the adapter's getNumTokens is LangChain's, which fetches a tokenizer from the network",
		async check(n8n) {
			const { adapter } = adapterOf(n8n);
			const fetched = [];
			const realFetch = globalThis.fetch;
			// An abort, which LangChain does not retry: the count then falls back to its estimate.
			globalThis.fetch = async (url) => {
				fetched.push(String(url));
				throw Object.assign(new Error('no network here'), { name: 'AbortError' });
			};
			const warn = console.warn;
			console.warn = () => undefined;
			try {
				await adapter.getNumTokens('x'.repeat(400));
			} finally {
				globalThis.fetch = realFetch;
				console.warn = warn;
			}
			assert.ok(fetched.length > 0, 'getNumTokens fetched nothing');
		},
	},
];

/**
 * Checks every premise against the n8n in `home`; resolves with one result per premise (`ok`, or
 * the `error` that names what changed).
 */
async function checkPremises(home) {
	const n8n = loadN8nSdk(home);
	const results = [];
	for (const { workaround, premise, check } of PREMISES) {
		try {
			await check(n8n);
			results.push({ workaround, premise, ok: true });
		} catch (error) {
			results.push({ workaround, premise, ok: false, error });
		}
	}
	return results;
}

/** The results as one error naming each workaround to revisit, or nothing when all hold. */
function assertPremises(results) {
	const failed = results.filter((result) => !result.ok);
	if (failed.length === 0) return;
	throw new Error(
		failed
			.map(
				({ workaround, premise, error }) =>
					`revisit ${workaround}: n8n no longer does what it relies on (${premise}): ${error?.message ?? error}`,
			)
			.join('\n'),
	);
}

/**
 * The premises checked in a process of this Node (`run`: scripts/n8nEnv.js's), which loads the n8n
 * in `home`; throws naming each workaround to revisit.
 */
async function checkPremisesInChild(home, run) {
	const { stdout, stderr } = await run(process.execPath, [__filename, home], {
		allowFailure: true,
	});
	if (!stdout.trim()) throw new Error(`the SDK premises did not run:\n${stderr}`);
	const results = JSON.parse(stdout);
	assert.equal(results.length, PREMISES.length, 'not one result per premise');
	assertPremises(results);
}

module.exports = {
	PREMISES,
	TRACING_NAME,
	checkPremises,
	checkPremisesInChild,
	assertPremises,
	loadN8nSdk,
};

// `node test/e2e/sdkPremises.js <n8n home>`: the results as JSON, for a test runner whose globals
// are not n8n's (jest's sandbox); exits 1 where a premise fails.
if (require.main === module) {
	checkPremises(process.argv[2]).then(
		(results) => {
			const out = results.map(({ error, ...result }) => ({
				...result,
				...(error && { error: String(error.stack ?? error) }),
			}));
			process.stdout.write(`${JSON.stringify(out)}\n`);
			process.exitCode = out.every((result) => result.ok) ? 0 : 1;
		},
		(error) => {
			process.stderr.write(`${String(error.stack ?? error)}\n`);
			process.exitCode = 2;
		},
	);
}
