// Each SDK premise check (sdkPremises.js) run against an n8n changed in memory as n8n might change
// it (a gap fixed, a class renamed): each must fail, so none passes whatever n8n does.
// `node test/e2e/sdkPremisesChanged.js <n8n home>` prints one result per change as JSON.
'use strict';

const { PREMISES, loadN8nSdk } = require('./sdkPremises');

/** Replaces obj[key] with make(original); returns the undo. */
function swap(obj, key, make) {
	const original = obj[key];
	obj[key] = make(original);
	return () => {
		obj[key] = original;
	};
}

/** A change of one method of the adapter's class: make(original) replaces it. */
function onAdapter(method, make) {
	return ({ Adapter }) => swap(Adapter.prototype, method, make);
}

/** Makes the adapter's _generate rewrite each content block of the messages before its own work. */
function mapBlocksFirst(mapBlock) {
	return onAdapter(
		'_generate',
		(original) =>
			function (messages, ...rest) {
				for (const message of messages) {
					if (Array.isArray(message.content)) message.content = message.content.map(mapBlock);
				}
				return original.call(this, messages, ...rest);
			},
	);
}

/** The adapter's class and n8n's tracing class, from an adapter the SDK makes. */
function classesOf({ sdk }) {
	class Model extends sdk.BaseChatModel {
		constructor() {
			super('p', 'm');
		}
	}
	const ctx = { getNode: () => ({}), logger: {}, helpers: {} };
	const adapter = sdk.supplyModel(ctx, new Model()).response;
	return { Adapter: adapter.constructor, Tracing: adapter.callbacks[0].constructor };
}

/** Each change: the workaround whose premise it breaks, and how (returns the undo). */
const CHANGES = [
	{
		change: 'bindTools passes the tool_choice on to the model',
		workaround: 'keepBoundToolChoice',
		apply: onAdapter('bindTools', (original) => {
			return function (tools, options) {
				const copy = original.call(this, tools);
				if (options?.tool_choice)
					copy.chatModel = copy.chatModel.withToolChoice(options.tool_choice);
				return copy;
			};
		}),
	},
	{
		change: 'bindTools returns the adapter itself',
		workaround: 'patchEveryBoundCopy',
		apply: onAdapter(
			'bindTools',
			() =>
				function () {
					return this;
				},
		),
	},
	{
		change: "_generate gives the answer's text as a string",
		workaround: 'shapeGenerated',
		apply: onAdapter(
			'_generate',
			(original) =>
				async function (...args) {
					const result = await original.apply(this, args);
					const message = result.generations[0].message;
					message.content = message.text;
					return result;
				},
		),
	},
	{
		change: '_streamResponseChunks leaves the new tokens to LangChain',
		workaround: 'shapeStreamed',
		apply: onAdapter(
			'_streamResponseChunks',
			(original) =>
				function (messages, options) {
					return original.call(this, messages, options, undefined);
				},
		),
	},
	{
		change: 'the tracing callback renamed',
		workaround: 'amendTracing',
		apply: ({ Tracing }) => {
			// The constructor assigns the name: a setter on the prototype takes it.
			Object.defineProperty(Tracing.prototype, 'name', {
				configurable: true,
				get: () => 'N8nTracing',
				set() {},
			});
			return () => delete Tracing.prototype.name;
		},
	},
	{
		change: "the tracing reads LangChain's streamed usage shape too",
		workaround: 'amendTracing',
		apply: ({ Tracing }) =>
			swap(
				Tracing.prototype,
				'handleLLMEnd',
				(original) =>
					function (output, ...rest) {
						const usage = output.llmOutput?.tokenUsage;
						if (usage?.promptTokens !== undefined) {
							output.llmOutput.tokenUsage = {
								input_tokens: usage.promptTokens,
								output_tokens: usage.completionTokens,
							};
						}
						return original.call(this, output, ...rest);
					},
			),
	},
	{
		change: 'the adapter keeps image_url blocks',
		workaround: 'rewriteMessagesFirst (keepImages)',
		apply: mapBlocksFirst((block) =>
			block.type === 'image_url'
				? { type: 'image', mimeType: 'image/png', data: block.image_url.url.split(',')[1] }
				: block,
		),
	},
	{
		change: "the adapter reads the older form's mime_type",
		workaround: 'rewriteMessagesFirst (keepImages)',
		apply: mapBlocksFirst((block) =>
			block.source_type ? { type: block.type, mimeType: block.mime_type, data: block.data } : block,
		),
	},
	{
		change: 'the adapter counts tokens locally',
		workaround: 'countTokensLocally',
		apply: onAdapter('getNumTokens', () => async (text) => Math.ceil(String(text).length / 4)),
	},
];

/** Each change applied, its premise's check run, the change undone: whether the check failed. */
async function checkChanges(home) {
	const n8n = loadN8nSdk(home);
	const classes = classesOf(n8n);
	const results = [];
	for (const { change, workaround, apply } of CHANGES) {
		const { check } = PREMISES.find((premise) => premise.workaround === workaround);
		await check(n8n);
		const undo = apply(classes);
		let failure;
		try {
			await check(n8n);
		} catch (error) {
			failure = error;
		} finally {
			undo();
		}
		await check(n8n);
		results.push({ change, workaround, failed: failure !== undefined, message: failure?.message });
	}
	return results;
}

if (require.main === module) {
	checkChanges(process.argv[2]).then(
		(results) => process.stdout.write(`${JSON.stringify(results)}\n`),
		(error) => {
			process.stderr.write(`${String(error.stack ?? error)}\n`);
			process.exitCode = 2;
		},
	);
}

module.exports = { CHANGES, checkChanges };
