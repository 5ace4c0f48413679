// @ts-check
'use strict';

// A local MetaChat (OpenAI-compatible DeepSeek) server for tests, the benchmark and `npm start`.
// Its answers are deterministic and marked [simulated …]; faults are injected per instance.

const http = require('http');

const { formatAnswer } = require('./formats');
const { createImages } = require('./images');
const realShapes = require('./realShapes');

// The known models of the nodes (one list, which the model list falls back to), in their order.
const MODELS = require('../../nodes/shared/protocol/knownModels.json').map(
	(/** @type {{ id: string }} */ model) => model.id,
);
const REASONING = new Set(['deepseek-reasoner', 'deepseek-r1-250528']);
// DeepSeek-V4 (and V4.1's deepseek-flash): thinking unless `thinking` is disabled, and V4's
// stricter passback rule.
const V4 = new Set([
	'deepseek-v4-flash',
	'deepseek-v4-pro',
	'deepseek-flash',
	'deepseek-v4-flash-vision-exp',
]);
const INLINE_THINKING = new Set(['deepseek-r1t2-chimera']);
// The R1 snapshots reject reasoning_content anywhere and know no thinking switch.
const R1 = new Set(['deepseek-r1-250528', 'deepseek-r1t2-chimera']);
const EFFORTS = new Set(['low', 'medium', 'high', 'max']);
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
// DeepSeek's 400 for a response_format other than text and json_object (json_schema among them).
const RESPONSE_FORMAT_MESSAGE = 'This response_format type is unavailable now';
const JSON_WORD_MESSAGE =
	"Prompt must contain the word 'json' in some form to use 'response_format' of type 'json_object'.";
const ROLES = new Set(['system', 'user', 'assistant', 'tool']);
const FILLER = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu'.split(' ');
const V4_PASSBACK_MESSAGE =
	'The `reasoning_content` in the thinking mode must be passed back to the API.';
const REASONING_CONTENT_MESSAGE =
	'The reasoning_content is an intermediate result for display purposes only and will not be included in the context for inference. Please remove the reasoning_content from your API request before sending it.';

const ERRORS = {
	400: ['invalid_request_error', 'Invalid request'],
	401: ['authentication_error', 'Authentication Fails'],
	402: ['unknown_error', 'Insufficient Balance'],
	404: ['invalid_request_error', 'Not Found'],
	422: ['invalid_request_error', 'Invalid Parameters'],
	429: ['rate_limit_error', 'Rate Limit Reached'],
	500: ['server_error', 'Server error, please try again later'],
	502: ['server_error', 'Bad gateway'],
	503: ['server_error', 'Server overloaded, please try again later'],
	504: ['server_error', 'Gateway timeout'],
};

/**
 * @typedef {{ type: string | null, times?: number, retryAfter?: number, delayMs?: number, only?: 'chat' | 'models', sizeBytes?: number, longLine?: boolean, errorType?: string, english?: boolean }} Fault
 * @typedef {'repeatToolName' | 'omitToolCallIds' | 'noFinishReason'} StreamQuirk
 * @typedef {{ latencyMs: number, tokenDelayMs: number, replyTokens: number | undefined, keepAliveIntervalMs: number, maxConcurrency: number, numberAnswers: boolean, chatThinks: boolean, passbackError: 'v3.2' | 'v4', passbackRule: 'v3.2' | 'v4', hostileKeys: boolean, streamQuirks: StreamQuirk[], rejectParams: string[], connectionDelayMs: number, realShapes: import('./realShapes').RealShape[], lineEnding: import('./realShapes').LineEnding }} Tuning
 * @typedef {{ name: string, arguments?: unknown }} ScriptedCall
 * @typedef {{ rounds: ScriptedCall[][], repeat?: boolean }} ToolScript
 */

// Faults that change a normal answer instead of replacing it.
const ANSWER_FAULTS = new Set([
	'truncate',
	'reset-mid',
	'stream-error',
	'nochoices',
	'empty',
	'text',
	'nostream',
	'oversized',
	'badjson',
	...realShapes.ANSWER_FAULTS,
]);

/**
 * Legal but unusual shapes some OpenAI-compatible servers give their answers (see Tuning).
 * @type {ReadonlySet<string>}
 */
const STREAM_QUIRKS = new Set(['repeatToolName', 'omitToolCallIds', 'noFinishReason']);

/** @param {any} message */
const hasToolCalls = (message) =>
	message?.role === 'assistant' &&
	Array.isArray(message.tool_calls) &&
	message.tool_calls.length > 0;

// What a hostile server would put in an answer to reach Object.prototype through a careless merge.
// JSON.stringify cannot write an own "__proto__" key, so the text is spliced in.
const HOSTILE_KEYS =
	'"__proto__":{"polluted":1,"toString":1},"constructor":{"prototype":{"polluted":1}},"prototype":{"polluted":1}';

/** @param {string} json an object's JSON text @param {boolean} hostile */
const withHostileKeys = (json, hostile) =>
	hostile && json.startsWith('{')
		? `{${HOSTILE_KEYS}${json === '{}' ? '' : ','}${json.slice(1)}`
		: json;

const KIB = 1024;
// An oversized answer's size unless the fault gives sizeBytes, and a CDN error page's.
const OVERSIZED_BYTES = 64 * KIB * KIB;
const CDN_PAGE_BYTES = 200 * KIB;
// The words an oversized answer repeats, in the pieces it is written in (plain ASCII: no escapes).
const FILL = FILLER.join(' ')
	.concat(' ')
	.repeat(Math.ceil((64 * KIB) / 64))
	.slice(0, 64 * KIB);

/**
 * The fields every completion and chunk of one answer share.
 * @param {{ id: string, created: number, model: string, system_fingerprint: string }} answer
 * @param {'chat.completion' | 'chat.completion.chunk'} object
 */
const envelope = (answer, object) => ({
	id: answer.id,
	object,
	created: answer.created,
	model: answer.model,
	system_fingerprint: answer.system_fingerprint,
});

/** One SSE event of a stream: a chunk with this delta. @param {object} base @param {object} delta @param {string | null} [finish] */
const sseChunk = (base, delta, finish = null) =>
	`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] })}\n\n`;

/**
 * A CDN's 502 page of exactly size bytes (at least its markup), padded with inline style as the
 * big ones are. @param {number} size
 */
function cdnErrorPage(size) {
	const head =
		'<!DOCTYPE html>\n<html lang="en-US"><head><meta charset="UTF-8"><title>simulated-cdn.example | 502: Bad gateway</title><style>\n';
	const tail =
		'</style></head><body><div id="error-details"><h1>Bad gateway</h1><p>Error code 502</p><p>The origin web server reported a bad gateway error.</p><p>Ray ID: 0123456789abcdef</p></div></body></html>\n';
	const rule =
		'.error-details *{margin:0;padding:0;border:0;font:inherit;vertical-align:baseline}\n';
	const pad = Math.max(0, size - head.length - tail.length);
	return head + rule.repeat(Math.ceil(pad / rule.length)).slice(0, pad) + tail;
}

/**
 * Writes text to a response, waiting while the client is behind; false once the client has gone.
 * @param {http.ServerResponse} res @param {string} text
 */
async function send(res, text) {
	if (res.destroyed) return false;
	if (!res.write(text))
		await new Promise((resolve) => {
			const done = () => {
				res.off('drain', done);
				res.off('close', done);
				resolve(undefined);
			};
			res.on('drain', done);
			res.on('close', done);
		});
	return !res.destroyed;
}

/**
 * Writes prefix, FILL text and suffix, exactly size bytes in all (never less than prefix and
 * suffix), piece by piece as the client takes them. False once the client has gone.
 * @param {http.ServerResponse} res @param {string} prefix @param {number} size @param {string} suffix
 */
async function sendSized(res, prefix, size, suffix) {
	if (!(await send(res, prefix))) return false;
	for (let left = size - prefix.length - suffix.length; left > 0; left -= FILL.length)
		if (!(await send(res, left >= FILL.length ? FILL : FILL.slice(0, left)))) return false;
	return send(res, suffix);
}

/**
 * Refuses list settings that a typo would otherwise turn into silence: an unknown quirk, a
 * parameter name that is not a string.
 * @param {{ streamQuirks?: unknown, rejectParams?: unknown, realShapes?: unknown, lineEnding?: unknown }} partial
 */
function checkLists(partial) {
	realShapes.checkTuning(partial);
	const { streamQuirks, rejectParams } = partial;
	if (streamQuirks !== undefined) {
		if (!Array.isArray(streamQuirks)) throw new TypeError('streamQuirks must be an array');
		for (const quirk of streamQuirks)
			if (!STREAM_QUIRKS.has(quirk))
				throw new TypeError(
					`Unknown stream quirk ${JSON.stringify(quirk)}: use ${[...STREAM_QUIRKS].join(', ')}`,
				);
	}
	if (
		rejectParams !== undefined &&
		!(Array.isArray(rejectParams) && rejectParams.every((name) => typeof name === 'string'))
	)
		throw new TypeError('rejectParams must be an array of parameter names');
}

/** @param {number} ms */
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {string} text */
const words = (text) => text.split(/\s+/).filter(Boolean);

/** @param {string} model @param {string} prompt @param {number | undefined} replyTokens */
function answerText(model, prompt, replyTokens) {
	const marker = `[simulated ${model}]`;
	if (replyTokens !== undefined) {
		const out = words(marker);
		while (out.length < replyTokens) out.push(FILLER[out.length % FILLER.length]);
		return out.slice(0, Math.max(1, replyTokens)).join(' ');
	}
	const summary = words(prompt).slice(0, 20).join(' ');
	return `${marker} Summary: ${summary}`;
}

/** @param {string} prompt */
function reasoningText(prompt) {
	const topic = words(prompt).slice(0, 12).join(' ');
	return `[simulated reasoning] The user asks about "${topic}". I will answer with a short summary.`;
}

/**
 * @param {{ host?: string, port?: number, name?: string, apiKey?: string, latencyMs?: number,
 *   tokenDelayMs?: number, replyTokens?: number, keepAliveIntervalMs?: number, maxConcurrency?: number, numberAnswers?: boolean,
 *   log?: boolean, fault?: Fault | null, maxLog?: number, chatThinks?: boolean, tools?: ToolScript | null, passbackError?: 'v3.2' | 'v4', passbackRule?: 'v3.2' | 'v4', hostileKeys?: boolean,
 *   streamQuirks?: StreamQuirk[], rejectParams?: string[], connectionDelayMs?: number,
 *   realShapes?: import('./realShapes').RealShape[], lineEnding?: import('./realShapes').LineEnding,
 *   images?: Partial<import('./images').ImageTuning> }} [options]
 */
async function startSimulator(options = {}) {
	const host = options.host ?? '127.0.0.1';
	const name = options.name ?? 'primary';
	const apiKey = options.apiKey ?? 'sk-simulated';
	const maxLog = options.maxLog ?? 10_000;
	/** @type {Tuning} */
	const tuning = {
		latencyMs: options.latencyMs ?? 0,
		tokenDelayMs: options.tokenDelayMs ?? 0,
		replyTokens: options.replyTokens,
		keepAliveIntervalMs: options.keepAliveIntervalMs ?? 0,
		maxConcurrency: options.maxConcurrency ?? 0,
		numberAnswers: options.numberAnswers ?? false,
		chatThinks: options.chatThinks ?? true,
		passbackError: options.passbackError ?? 'v3.2',
		passbackRule: options.passbackRule ?? 'v3.2',
		hostileKeys: options.hostileKeys ?? false,
		streamQuirks: [],
		rejectParams: [],
		connectionDelayMs: options.connectionDelayMs ?? 0,
		realShapes: [],
		lineEnding: options.lineEnding ?? 'lf',
	};
	checkLists(options);
	tuning.streamQuirks = [...(options.streamQuirks ?? [])];
	tuning.realShapes = [...(options.realShapes ?? [])];
	tuning.rejectParams = [...(options.rejectParams ?? [])];
	const images = createImages(options.images);
	/** @type {ToolScript | null} */
	let toolScript = options.tools ?? null;
	/** @type {Fault | null} */
	let fault = options.fault ?? null;
	/** @type {any[]} */
	const requests = [];
	const stats = { total: 0, inFlight: 0, maxInFlight: 0, connections: 0 };
	let seq = 0;
	const sockets = new Set();
	// Connections that have had their first answer, for connectionDelayMs.
	/** @type {WeakSet<import('net').Socket>} */
	const warmSockets = new WeakSet();

	/** @param {'chat' | 'models'} endpoint */
	function takeFault(endpoint) {
		if (!fault || !fault.type) return null;
		if (fault.only && fault.only !== endpoint) return null;
		const current = fault;
		if (current.times !== undefined) {
			current.times--;
			if (current.times <= 0) fault = null;
		}
		return current;
	}

	/**
	 * @param {http.ServerResponse} res @param {number} status @param {string} [message]
	 * @param {Record<string, string>} [headers] @param {string | null} [param] the request field at fault
	 */
	function sendError(res, status, message, headers = {}, param = null) {
		const [type, text] = ERRORS[/** @type {keyof typeof ERRORS} */ (status)] ?? [
			'api_error',
			'Error',
		];
		const body = JSON.stringify({
			error: { message: message ?? text, type, param, code: type },
		});
		res.writeHead(status, { 'content-type': 'application/json', ...headers });
		res.end(body);
		return status;
	}

	/** @param {http.ServerResponse} res @param {unknown} value @param {number} [status] */
	function sendJson(res, value, status = 200) {
		res.writeHead(status, { 'content-type': 'application/json' });
		res.end(JSON.stringify(value));
		return status;
	}

	/**
	 * Waits ms while optionally sending keep-alives (headers go out at once, as DeepSeek does).
	 * @param {http.ServerResponse} res @param {number} ms @param {boolean} stream
	 */
	async function waitWithKeepAlive(res, ms, stream) {
		if (ms <= 0) return;
		if (tuning.keepAliveIntervalMs <= 0) return wait(ms);
		if (!res.headersSent) {
			res.writeHead(200, { 'content-type': stream ? 'text/event-stream' : 'application/json' });
		}
		const end = Date.now() + ms;
		while (Date.now() < end && !res.destroyed) {
			res.write(stream ? ': keep-alive\n\n' : '\n');
			await wait(Math.min(tuning.keepAliveIntervalMs, end - Date.now()));
		}
	}

	/** @param {any} body @returns {[number, string] | null} */
	function validate(body) {
		if (!body || typeof body !== 'object') return [400, 'Failed to deserialize the JSON body'];
		if (typeof body.model !== 'string' || !MODELS.includes(body.model))
			return [400, 'Model Not Exist'];
		if (!Array.isArray(body.messages) || body.messages.length === 0) {
			return [400, 'messages: field required and must be a non-empty array'];
		}
		for (const [index, message] of body.messages.entries()) {
			if (!message || typeof message !== 'object') return [400, `messages[${index}]: invalid type`];
			if (!ROLES.has(message.role))
				return [400, `messages[${index}]: unknown variant \`${message.role}\``];
			if ('reasoning_content' in message) {
				if (R1.has(body.model)) return [400, REASONING_CONTENT_MESSAGE];
				if (typeof message.reasoning_content !== 'string')
					return [400, `messages[${index}]: reasoning_content must be a string`];
			}
			// Content blocks in user messages only (DeepSeek's image understanding); elsewhere text.
			if (Array.isArray(message.content) && message.role === 'user') {
				const refused = images.checkContent(body.model, message, index);
				if (refused) return refused;
				continue;
			}
			const toolCall = message.role === 'assistant' && Array.isArray(message.tool_calls);
			if (typeof message.content !== 'string' && !(toolCall && message.content === null)) {
				return [400, `messages[${index}]: content must be a string`];
			}
		}
		for (const [field, min, max] of [
			['temperature', 0, 2],
			['top_p', 0, 1],
			['frequency_penalty', -2, 2],
			['presence_penalty', -2, 2],
		]) {
			const value = body[field];
			if (value !== undefined && (typeof value !== 'number' || value < +min || value > +max)) {
				return [422, `${field} must be between ${min} and ${max}`];
			}
		}
		return validateThinking(body) ?? validateTools(body) ?? validateJsonFormat(body);
	}

	/** @param {any} body @returns {[number, string] | null} */
	function validateThinking(body) {
		if (body.thinking !== undefined) {
			if (R1.has(body.model)) return [400, `thinking is not supported by ${body.model}`];
			const type = body.thinking?.type;
			if (type !== 'enabled' && type !== 'disabled')
				return [400, 'thinking.type must be "enabled" or "disabled"'];
		}
		if (body.reasoning_effort !== undefined) {
			if (R1.has(body.model)) return [400, `reasoning_effort is not supported by ${body.model}`];
			if (!EFFORTS.has(body.reasoning_effort))
				return [400, 'reasoning_effort must be one of low, medium, high, max'];
		}
		if (thinks(body)) {
			const v4 = V4.has(body.model) || tuning.passbackRule === 'v4';
			const toolTurn = toolTurns(body.messages);
			for (const [index, message] of body.messages.entries()) {
				const needs = hasToolCalls(message) || (v4 && toolTurn[index]);
				if (needs && typeof message.reasoning_content !== 'string') {
					return [
						400,
						v4 || tuning.passbackError === 'v4'
							? V4_PASSBACK_MESSAGE
							: `Missing \`reasoning_content\` field in the assistant message at message index ${index}`,
					];
				}
			}
		}
		return null;
	}

	/**
	 * For each message, whether it is an assistant message of a turn (one user message to the next)
	 * that made tool calls: V4 wants the reasoning of every one of those back in later requests.
	 * @param {any[]} messages @returns {boolean[]}
	 */
	function toolTurns(messages) {
		/** @type {boolean[]} */
		const marks = messages.map(() => false);
		let start = 0;
		for (let index = 0; index <= messages.length; index++) {
			if (index < messages.length && messages[index]?.role !== 'user') continue;
			const turn = messages.slice(start, index);
			if (turn.some(hasToolCalls))
				turn.forEach((/** @type {any} */ m, at) => (marks[start + at] = m?.role === 'assistant'));
			start = index + 1;
		}
		return marks;
	}

	/** @param {any} body @returns {[number, string] | null} */
	function validateTools(body) {
		/** @type {Set<string>} */
		const names = new Set();
		if (body.tools !== undefined) {
			if (!Array.isArray(body.tools)) return [400, 'tools must be an array'];
			for (const [index, tool] of body.tools.entries()) {
				const name = tool?.function?.name;
				if (tool?.type !== 'function' || typeof name !== 'string' || !TOOL_NAME.test(name))
					return [
						400,
						`tools[${index}]: a function with a name of letters, digits, _ or - is required`,
					];
				if (tool.function.parameters !== undefined && typeof tool.function.parameters !== 'object')
					return [400, `tools[${index}].function.parameters must be a JSON schema object`];
				if (names.has(name)) return [400, `tools[${index}]: the tool name ${name} is used twice`];
				names.add(name);
			}
		}
		const choice = body.tool_choice;
		if (choice !== undefined) {
			const forced = choice === 'required' || typeof choice === 'object';
			if (!forced && choice !== 'auto' && choice !== 'none')
				return [400, 'tool_choice must be none, auto, required or a named function'];
			if (forced && thinks(body))
				return [400, `${body.model} does not support this tool_choice in thinking mode`];
			if (typeof choice === 'object' && !names.has(choice?.function?.name))
				return [400, 'tool_choice names a function that is not in tools'];
		}
		const unanswered = (/** @type {Set<string>} */ ids) =>
			`An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...ids].join(', ')}`;
		/** @type {Set<string>} */
		let pending = new Set();
		for (const [index, message] of body.messages.entries()) {
			if (message.role === 'tool') {
				if (!pending.has(message.tool_call_id))
					return [
						400,
						`messages[${index}]: Messages with role 'tool' must be a response to a preceding message with 'tool_calls'`,
					];
				pending.delete(message.tool_call_id);
				continue;
			}
			if (pending.size > 0) return [400, unanswered(pending)];
			// A call must come back with an id even where the answer had none (omitToolCallIds).
			const idless = hasToolCalls(message)
				? message.tool_calls.findIndex((/** @type {any} */ call) => typeof call?.id !== 'string')
				: -1;
			if (idless >= 0)
				return [400, `messages[${index}].tool_calls[${idless}]: missing field \`id\``];
			pending = new Set(
				hasToolCalls(message) ? message.tool_calls.map((/** @type {any} */ call) => call?.id) : [],
			);
		}
		if (pending.size > 0) return [400, unanswered(pending)];
		return null;
	}

	/** @param {any} body @returns {[number, string] | null} */
	function validateJsonFormat(body) {
		const format = body.response_format?.type;
		if (body.response_format !== undefined && format !== 'text' && format !== 'json_object')
			return [400, RESPONSE_FORMAT_MESSAGE];
		if (format !== 'json_object') return null;
		const said = body.messages.some(
			(/** @type {any} */ m) => typeof m.content === 'string' && /json/i.test(m.content),
		);
		return said ? null : [400, JSON_WORD_MESSAGE];
	}

	/**
	 * Thinking mode, where tool-call messages must carry their reasoning back: deepseek-reasoner,
	 * thinking enabled, the V4 ids or deepseek-chat unless thinking is off (V4 routing).
	 * @param {any} body
	 */
	function thinks(body) {
		if (R1.has(body.model)) return false;
		const type = body.thinking?.type;
		if (type === 'enabled') return true;
		if (body.model === 'deepseek-reasoner') return true;
		if (V4.has(body.model)) return type !== 'disabled';
		return body.model === 'deepseek-chat' && tuning.chatThinks && type !== 'disabled';
	}

	/**
	 * The scripted tool calls for this request: round n is the number of tool-call rounds since the
	 * last user message, so the script holds per conversation, across retries and endpoints.
	 * @param {any} body @param {number} id
	 */
	function scriptedCalls(body, id) {
		if (!Array.isArray(body.tools) || body.tools.length === 0) return [];
		if (body.tool_choice === 'none') return [];
		if (!toolScript) return forcedCall(body, id);
		const lastUser = body.messages.map((/** @type {any} */ m) => m.role).lastIndexOf('user');
		const round = body.messages.slice(lastUser + 1).filter(hasToolCalls).length;
		const rounds = toolScript.rounds;
		const calls =
			round < rounds.length ? rounds[round] : toolScript.repeat ? (rounds.at(-1) ?? []) : [];
		const offered = new Set(body.tools.map((/** @type {any} */ tool) => tool.function.name));
		return toolCallsOf(
			calls.filter((call) => offered.has(call.name)),
			id,
			round,
		);
	}

	/** Calls as an answer carries them. @param {ScriptedCall[]} calls @param {number} id @param {number} round */
	function toolCallsOf(calls, id, round) {
		return calls.map((call, index) => ({
			id: `call_${id}_${round}_${index}`,
			type: 'function',
			function: {
				name: call.name,
				arguments:
					typeof call.arguments === 'string'
						? call.arguments
						: JSON.stringify(call.arguments ?? {}),
			},
		}));
	}

	/**
	 * A call the request forces (`tool_choice` required or a named function) where no script
	 * says which: the named tool, or the first, with arguments that fit its schema's properties
	 * (strings from the prompt). Only in the round right after the user's message.
	 * @param {any} body @param {number} id
	 */
	function forcedCall(body, id) {
		const choice = body.tool_choice;
		if (choice !== 'required' && typeof choice !== 'object') return [];
		const lastUser = body.messages.map((/** @type {any} */ m) => m.role).lastIndexOf('user');
		if (body.messages.slice(lastUser + 1).some(hasToolCalls)) return [];
		const name = typeof choice === 'object' ? choice.function.name : body.tools[0].function.name;
		const tool = body.tools.find((/** @type {any} */ t) => t.function.name === name);
		const prompt = String(body.messages[lastUser]?.content ?? '');
		const schema = tool?.function?.parameters ?? {};
		/** @type {Record<string, unknown>} */
		const args = {};
		for (const key of Object.keys(schema.properties ?? {})) {
			const type = schema.properties?.[key]?.type;
			args[key] =
				type === 'number' || type === 'integer'
					? 1
					: type === 'boolean'
						? true
						: words(prompt).slice(0, 8).join(' ');
		}
		return [
			{
				id: `call_${id}_0_0`,
				type: 'function',
				function: { name, arguments: JSON.stringify(args) },
			},
		];
	}

	/** The tool results of the current turn, quoted so tests can prove an answer used them. @param {any} body */
	function toolResults(body) {
		const lastUser = body.messages.map((/** @type {any} */ m) => m.role).lastIndexOf('user');
		/** @type {Map<string, string>} */
		const names = new Map();
		const quoted = [];
		for (const message of body.messages.slice(lastUser + 1)) {
			if (hasToolCalls(message))
				for (const call of message.tool_calls) names.set(call.id, call.function?.name ?? '?');
			if (message.role === 'tool') {
				const text = String(message.content ?? '');
				const cut = text.length > 500 ? `${text.slice(0, 500)}…` : text;
				quoted.push(`${names.get(message.tool_call_id) ?? '?'} said ${cut}`);
			}
		}
		return quoted;
	}

	/** @param {any} body @param {number} id @param {Fault | null} active */
	function compose(body, id, active) {
		const lastUser = [...body.messages].reverse().find((m) => m.role === 'user');
		const prompt = images.textOf(lastUser?.content);
		const seenImages = images.seen(lastUser);
		let content = answerText(body.model, prompt, tuning.replyTokens) + images.proof(seenImages);
		// Every answer differs from the one before, as a real model's retried answer may.
		if (tuning.numberAnswers) content = content.replace('] ', `] (answer ${id}) `);
		const results = toolResults(body);
		if (results.length > 0)
			content = `[simulated ${body.model}] Tool results: ${results.join(' | ')}`;
		let finishReason = 'stop';
		if (Number.isInteger(body.max_tokens) && words(content).length > body.max_tokens) {
			content = words(content).slice(0, body.max_tokens).join(' ');
			finishReason = 'length';
		}
		if (body.response_format?.type === 'json_object' && active?.type !== 'text') {
			content = JSON.stringify({
				simulated: true,
				model: body.model,
				summary: words(prompt).slice(0, 20).join(' '),
				...(seenImages.length > 0 ? { images: seenImages } : {}),
				...(results.length > 0 ? { toolResults: results } : {}),
			});
		}
		if (active?.type === 'empty') content = '';
		// Format instructions get JSON that conforms and depends on the input (formats.js).
		const plain = active?.type === 'text' || active?.type === 'empty';
		const formatted = plain
			? undefined
			: formatAnswer(body, { broken: active?.type === 'badjson' });
		if (formatted?.content !== undefined) content = formatted.content;
		let toolCalls = scriptedCalls(body, id);
		const call = toolCalls.length === 0 ? formatted?.toolCall : undefined;
		if (call) toolCalls.push(...toolCallsOf([call], id, 0));
		if (toolCalls.length > 0) {
			content = '';
			finishReason = 'tool_calls';
		}
		const thinking =
			REASONING.has(body.model) ||
			body.thinking?.type === 'enabled' ||
			(V4.has(body.model) && thinks(body)) ||
			(toolCalls.length > 0 && thinks(body));
		let reasoning = thinking ? reasoningText(prompt) : undefined;
		if (reasoning && toolCalls.length > 0)
			reasoning = `${reasoning} I will call ${toolCalls.map((call) => call.function.name).join(', ')}.`;
		if (INLINE_THINKING.has(body.model))
			content = `<think>${reasoningText(prompt)}</think>\n\n${content}`;
		({ content, reasoning, finishReason, toolCalls } = realShapes.spendBudget(
			{ content, reasoning, finishReason, toolCalls },
			body,
			tuning.realShapes,
		));
		const promptTokens = body.messages.reduce(
			(n, m) => n + words(String(m.content ?? '')).length,
			0,
		);
		// Everything before the last message counts as read from DeepSeek's context cache.
		const cacheMiss = words(String(body.messages.at(-1)?.content ?? '')).length;
		const reasoningTokens = reasoning ? words(reasoning).length : 0;
		const completionTokens = words(content).length + reasoningTokens;
		return {
			id: `chatcmpl-sim-${id}`,
			created: Math.floor(Date.now() / 1000),
			model: body.model,
			system_fingerprint: `sim-${name}`,
			content,
			reasoning,
			finishReason,
			toolCalls,
			usage: {
				prompt_tokens: promptTokens,
				completion_tokens: completionTokens,
				total_tokens: promptTokens + completionTokens,
				prompt_cache_hit_tokens: promptTokens - cacheMiss,
				prompt_cache_miss_tokens: cacheMiss,
				completion_tokens_details: { reasoning_tokens: reasoningTokens },
			},
		};
	}

	/** @param {http.ServerResponse} res @param {ReturnType<typeof compose>} answer @param {Fault | null} active */
	function completionJson(res, answer, active) {
		const message = { role: 'assistant', content: answer.content };
		if (answer.reasoning) Object.assign(message, { reasoning_content: answer.reasoning });
		if (answer.toolCalls.length > 0)
			Object.assign(message, {
				tool_calls: tuning.streamQuirks.includes('omitToolCallIds')
					? answer.toolCalls.map(({ id: _id, ...call }) => call)
					: answer.toolCalls,
			});
		const payload = {
			...envelope(answer, 'chat.completion'),
			choices:
				active?.type === 'nochoices'
					? []
					: [{ index: 0, message, finish_reason: answer.finishReason, logprobs: null }],
			usage: answer.usage,
		};
		const text = JSON.stringify(realShapes.shapeJson(payload, tuning, active)).replace(
			/"usage":(\{.*\})\}$/,
			(_all, usage) => `"usage":${withHostileKeys(usage, tuning.hostileKeys)}}`,
		);
		if (!res.headersSent) res.writeHead(200, { 'content-type': 'application/json' });
		if (active?.type === 'truncate') res.end(text.slice(0, Math.floor(text.length / 2)));
		else if (active?.type === 'reset-mid') {
			res.write(text.slice(0, Math.floor(text.length / 2)));
			setTimeout(() => res.destroy(), 20);
		} else res.end(text);
		return 200;
	}

	/** @param {http.ServerResponse} res @param {ReturnType<typeof compose>} answer @param {any} body @param {Fault | null} active */
	async function completionStream(res, answer, body, active) {
		if (!res.headersSent)
			res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
		const base = envelope(answer, 'chat.completion.chunk');
		if (realShapes.ownsStream(tuning, active)) {
			const request = {
				includeUsage: body.stream_options?.include_usage === true,
				seq: Number(answer.id.split('-').at(-1)),
			};
			res.end(realShapes.streamBody(answer, base, tuning, active, request));
			return 200;
		}
		/** @param {object} delta @param {string | null} [finish] */
		const chunk = (delta, finish = null) => sseChunk(base, delta, finish);
		if (active?.type === 'nochoices') {
			res.end(`data: ${JSON.stringify({ ...base, choices: [] })}\n\ndata: [DONE]\n\n`);
			return 200;
		}
		/** @type {string[]} */
		const parts = [chunk({ role: 'assistant', content: '' })];
		if (answer.reasoning)
			for (const word of answer.reasoning.split(/(?<= )/))
				parts.push(chunk({ reasoning_content: word }));
		const quirks = new Set(tuning.streamQuirks);
		// Tool calls stream as OpenAI does: id and name first, the arguments in pieces, by index.
		// With omitToolCallIds no delta has an id. With repeatToolName every delta repeats the name,
		// as some OpenAI-compatible servers do: a reader must set the name, not append to it. (The
		// openai SDK's ChatCompletionStream, the reference, appends arguments but assigns fn.name
		// whenever a delta has one, so a repeated equal name changes nothing; a different one it
		// takes over, or rejects when the request has a strict or auto-parsed tool. Its
		// finalChatCompletion() fills a missing id with call_<uuid> and throws "missing
		// finish_reason" for a stream without one.)
		for (const [index, call] of answer.toolCalls.entries()) {
			const { name } = call.function;
			const id = quirks.has('omitToolCallIds') ? {} : { id: call.id };
			parts.push(
				chunk({
					tool_calls: [{ index, ...id, type: 'function', function: { name, arguments: '' } }],
				}),
			);
		}
		for (const [index, call] of answer.toolCalls.entries()) {
			const args = call.function.arguments;
			const half = Math.ceil(args.length / 2);
			const name = quirks.has('repeatToolName') ? { name: call.function.name } : {};
			for (const piece of [args.slice(0, half), args.slice(half)])
				if (piece)
					parts.push(chunk({ tool_calls: [{ index, function: { ...name, arguments: piece } }] }));
		}
		const contentParts = answer.content === '' ? [] : answer.content.split(/(?<= )/);
		const cut =
			active?.type === 'truncate' || active?.type === 'reset-mid' || active?.type === 'stream-error'
				? Math.max(1, Math.floor(contentParts.length / 2))
				: -1;
		for (const [index, word] of contentParts.entries()) {
			if (index === cut) {
				if (active?.type === 'stream-error') {
					// As some OpenAI-compatible servers do: an error object inside a started stream.
					const error = { message: `Upstream failed for api key ${apiKey}`, type: 'server_error' };
					res.end(`${parts.join('')}data: ${JSON.stringify({ error })}\n\n`);
				} else if (active?.type === 'reset-mid') {
					res.write(parts.join(''));
					// Let the client read the headers and the first chunks before the connection drops.
					await wait(20);
					res.destroy();
				} else res.end(parts.join(''));
				return 200;
			}
			parts.push(chunk({ content: word }));
			if (tuning.tokenDelayMs > 0) {
				res.write(parts.join(''));
				parts.length = 0;
				await wait(tuning.tokenDelayMs);
				if (res.destroyed) return 200;
			}
		}
		// With noFinishReason the stream still ends with [DONE], but no chunk says why it stopped.
		if (!quirks.has('noFinishReason')) parts.push(chunk({}, answer.finishReason));
		if (body.stream_options?.include_usage)
			parts.push(
				`data: ${JSON.stringify({ ...base, choices: [] }).replace(/\}$/, `,"usage":${withHostileKeys(JSON.stringify(answer.usage), tuning.hostileKeys)}}`)}\n\n`,
			);
		parts.push('data: [DONE]\n\n');
		res.end(parts.join(''));
		return 200;
	}

	/**
	 * A whole, valid answer of about sizeBytes (a JSON body of exactly that), or with longLine one
	 * line of exactly sizeBytes that never ends: the body stops without a newline or the rest of its
	 * JSON. It is written as the client takes it, so the simulator never holds it, and it stops
	 * when the client goes away. Returns 0 then.
	 * @param {http.ServerResponse} res @param {ReturnType<typeof compose>} answer @param {any} body
	 * @param {boolean} stream @param {Fault} active
	 */
	async function oversized(res, answer, body, stream, active) {
		const size = Math.max(0, active.sizeBytes ?? OVERSIZED_BYTES);
		const base = envelope(answer, stream ? 'chat.completion.chunk' : 'chat.completion');
		const tokens = Math.round(size / 6);
		const usage = {
			...answer.usage,
			completion_tokens: tokens,
			total_tokens: answer.usage.prompt_tokens + tokens,
			completion_tokens_details: { reasoning_tokens: 0 },
		};
		const mark = '@@content@@';
		const [open, close] = JSON.stringify(
			stream
				? {
						...base,
						choices: [{ index: 0, delta: { content: mark }, finish_reason: null, logprobs: null }],
					}
				: {
						...base,
						choices: [
							{
								index: 0,
								message: { role: 'assistant', content: mark },
								finish_reason: 'stop',
								logprobs: null,
							},
						],
						usage,
					},
		).split(mark);
		if (!res.headersSent)
			res.writeHead(200, {
				'content-type': stream ? 'text/event-stream' : 'application/json',
				...(stream ? { 'cache-control': 'no-cache' } : {}),
			});
		const prefix = stream ? `data: ${open}` : open;
		if (active.longLine || !stream) {
			if (!(await sendSized(res, prefix, size, active.longLine ? '' : close))) return 0;
			res.end();
			return 200;
		}
		/** @param {object} delta @param {string | null} [finish] */
		const chunk = (delta, finish = null) => sseChunk(base, delta, finish);
		const piece = `${prefix}${FILL.slice(0, 16 * KIB)}${close}\n\n`;
		let sent = 0;
		for (let text = chunk({ role: 'assistant', content: '' }); sent < size; text = piece) {
			if (!(await send(res, text))) return 0;
			sent += text.length;
		}
		const usageChunk = body.stream_options?.include_usage
			? `data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`
			: '';
		res.end(`${chunk({}, 'stop')}${usageChunk}data: [DONE]\n\n`);
		return 200;
	}

	/**
	 * Applies a fault that replaces the answer. Returns the status sent, or null to answer normally.
	 * @param {http.ServerResponse} res @param {Fault} active @param {boolean} stream @param {string} sentKey
	 * @param {number} seq @param {string | null} model
	 */
	async function applyFault(res, active, stream, sentKey, seq, model) {
		const type = String(active.type);
		const shaped = realShapes.sendErrorFault(res, active, { seq, model, sentKey });
		if (shaped !== null) return shaped;
		if (/^\d{3}$/.test(type)) {
			const status = Number(type);
			if (status === 429)
				return sendError(res, 429, undefined, { 'retry-after': String(active.retryAfter ?? 1) });
			if (status === 401)
				return sendError(res, 401, `Authentication Fails, Your api key: ${sentKey} is invalid`);
			return sendError(res, status);
		}
		switch (type) {
			case 'reset':
				res.socket?.destroy();
				return 0;
			case 'hang':
				await new Promise((resolve) => res.on('close', resolve));
				return 0;
			case 'hang-keepalive': {
				res.writeHead(200, { 'content-type': stream ? 'text/event-stream' : 'application/json' });
				const interval = tuning.keepAliveIntervalMs > 0 ? tuning.keepAliveIntervalMs : 200;
				while (!res.destroyed) {
					res.write(stream ? ': keep-alive\n\n' : '\n');
					await wait(interval);
				}
				return 0;
			}
			case 'slow':
				await wait(active.delayMs ?? 1000);
				return null;
			case 'html':
				res.writeHead(200, { 'content-type': 'text/html' });
				res.end('<html><body><h1>502 Bad Gateway</h1><p>cloud proxy</p></body></html>');
				return 200;
			case 'html502':
				res.writeHead(502, { 'content-type': 'text/html; charset=UTF-8' });
				res.end(cdnErrorPage(active.sizeBytes ?? CDN_PAGE_BYTES));
				return 502;
			default:
				return null;
		}
	}

	/** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
	async function handle(req, res) {
		const url = new URL(req.url ?? '/', 'http://simulator');
		let bodyBytes = 0;
		const raw = await new Promise((resolve) => {
			/** @type {Buffer[]} */
			const chunks = [];
			req.on('data', (c) => chunks.push(c));
			req.on('end', () => resolve(Buffer.concat(chunks)));
		}).then((bytes) => {
			bodyBytes = /** @type {Buffer} */ (bytes).length;
			return /** @type {Buffer} */ (bytes).toString('utf8');
		});
		if (url.pathname.startsWith('/__sim/'))
			return control(url.pathname, req.method ?? 'GET', String(raw), res);
		// The first answer on a new connection waits, as TCP and TLS set-up to a distant server
		// would; a request on a kept-alive connection does not. Control requests count for neither.
		if (!warmSockets.has(req.socket)) {
			warmSockets.add(req.socket);
			if (tuning.connectionDelayMs > 0) await wait(tuning.connectionDelayMs);
			if (res.destroyed) return;
		}

		/** @type {any} */
		let body = null;
		try {
			body = raw ? JSON.parse(String(raw)) : null;
		} catch {
			body = undefined;
		}
		const endpoint =
			url.pathname === '/v1/models'
				? 'models'
				: url.pathname === '/v1/chat/completions'
					? 'chat'
					: null;
		const authorization = req.headers.authorization ?? '';
		const sentKey = authorization.replace(/^Bearer\s+/i, '');
		const entry = {
			seq: ++seq,
			at: Date.now(),
			method: req.method,
			path: url.pathname,
			headers: { ...req.headers },
			body: body ?? null,
			bodyBytes,
			model: body?.model ?? null,
			stream: body?.stream === true,
			messages: body?.messages ?? null,
			authorized: sentKey === apiKey,
			fault: /** @type {string | null} */ (null),
			status: 0,
			/** @type {object | null} the usage of the answer it composed, if it did */
			usage: null,
		};
		requests.push(entry);
		if (requests.length > maxLog) requests.splice(0, requests.length - maxLog);
		stats.total++;
		stats.inFlight++;
		stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
		res.on('close', () => stats.inFlight--);
		try {
			entry.status = await route(endpoint, entry, body, res, sentKey);
		} catch (error) {
			if (!res.headersSent) entry.status = sendError(res, 500, String(error));
			else res.destroy();
		}
		if (options.log) {
			process.stdout.write(
				`[${name}] ${entry.method} ${entry.path} ${entry.model ?? ''}${entry.stream ? ' stream' : ''} → ${entry.status || entry.fault}\n`,
			);
		}
	}

	/** @returns {Promise<number>} */
	async function route(endpoint, entry, body, res, sentKey) {
		if (!endpoint)
			return sendError(res, 404, `No route for ${entry.path}: the base URL should end in /v1`);
		if (endpoint === 'models' && entry.method !== 'GET') return sendError(res, 404);
		if (endpoint === 'chat' && entry.method !== 'POST') return sendError(res, 404);
		const active = takeFault(endpoint);
		entry.fault = active?.type ?? null;
		if (active && !ANSWER_FAULTS.has(String(active.type))) {
			const status = await applyFault(res, active, entry.stream, sentKey, entry.seq, entry.model);
			if (status !== null) return status;
		}
		if (!entry.authorized) {
			return sendError(
				res,
				401,
				`Authentication Fails, Your api key: ${sentKey || '(none)'} is invalid`,
			);
		}
		if (endpoint === 'models') {
			return sendJson(res, {
				object: 'list',
				data: MODELS.map((id) => ({
					id,
					object: 'model',
					created: 1735689600,
					owned_by: 'metachat',
				})),
			});
		}
		const tooLarge = images.checkSize(entry.bodyBytes);
		if (tooLarge) return sendError(res, tooLarge[0], tooLarge[1]);
		if (body === undefined) return sendError(res, 400, 'Failed to deserialize the JSON body');
		// An older OpenAI-compatible backend refuses a field it does not know, the first it meets.
		const unknown =
			body && typeof body === 'object'
				? Object.keys(body).find((key) => tuning.rejectParams.includes(key))
				: undefined;
		if (unknown !== undefined)
			return sendError(res, 400, `Unknown parameter: ${unknown}`, {}, unknown);
		const invalid = validate(body);
		if (invalid) return sendError(res, invalid[0], invalid[1]);
		if (tuning.maxConcurrency > 0 && stats.inFlight > tuning.maxConcurrency) {
			return sendError(res, 429, 'Rate Limit Reached: too many concurrent requests', {
				'retry-after': '1',
			});
		}
		await waitWithKeepAlive(res, tuning.latencyMs, entry.stream);
		if (res.destroyed) return 0;
		const answer = compose(body, entry.seq, active);
		entry.usage = answer.usage;
		if (active?.type === 'oversized') return oversized(res, answer, body, entry.stream, active);
		// 'nostream' is a proxy that ignores stream: true and sends the whole answer as JSON.
		return entry.stream && active?.type !== 'nostream'
			? completionStream(res, answer, body, active)
			: completionJson(res, answer, active);
	}

	/** @param {string} path @param {string} method @param {string} raw @param {http.ServerResponse} res */
	function control(path, method, raw, res) {
		let data = {};
		try {
			data = raw ? JSON.parse(raw) : {};
		} catch {
			return sendError(res, 400, 'control body must be JSON');
		}
		if (path === '/__sim/requests' && method === 'GET') {
			return sendJson(
				res,
				requests.map(({ headers, ...rest }) => ({
					...rest,
					headers: { ...headers, authorization: undefined },
				})),
			);
		}
		if (path === '/__sim/stats' && method === 'GET') return sendJson(res, sim.stats());
		if (path === '/__sim/fault' && method === 'POST') {
			sim.setFault(/** @type {any} */ (data).type ? /** @type {Fault} */ (data) : null);
			return sendJson(res, { fault });
		}
		if (path === '/__sim/configure' && method === 'POST') {
			try {
				sim.configure(/** @type {any} */ (data));
				if (/** @type {any} */ (data).images) images.configure(/** @type {any} */ (data).images);
			} catch (error) {
				return sendError(res, 400, /** @type {Error} */ (error).message);
			}
			return sendJson(res, tuning);
		}
		if (path === '/__sim/tools' && method === 'POST') {
			sim.scriptTools(/** @type {any} */ (data).rounds ? /** @type {ToolScript} */ (data) : null);
			return sendJson(res, { tools: toolScript });
		}
		if (path === '/__sim/reset' && method === 'POST') {
			sim.reset();
			return sendJson(res, { ok: true });
		}
		return sendError(res, 404, `No control route ${method} ${path}`);
	}

	const server = http.createServer((req, res) => void handle(req, res));
	server.keepAliveTimeout = 30_000;
	server.on('connection', (socket) => {
		stats.connections++;
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => resolve(undefined));
	});
	const address = /** @type {import('net').AddressInfo} */ (server.address());

	const sim = {
		url: `http://${host}:${address.port}/v1`,
		port: address.port,
		name,
		requests,
		stats: () => ({ ...stats }),
		/** What images each model takes and the body limit (images.js). */
		images: { configure: images.configure, tuning: images.tuning },
		/** @param {Fault | null} next */
		setFault(next) {
			fault = next && next.type ? { ...next } : null;
		},
		/** @param {Partial<Tuning>} partial */
		configure(partial) {
			checkLists(partial);
			for (const key of /** @type {(keyof Tuning)[]} */ (Object.keys(tuning))) {
				if (!(key in partial)) continue;
				const value = partial[key];
				// A list setting is copied, and undefined clears it (checkLists let nothing else by).
				/** @type {any} */ (tuning)[key] = Array.isArray(tuning[key])
					? [.../** @type {unknown[]} */ (value ?? [])]
					: value;
			}
		},
		/** Scripts the tool calls the model makes (see scriptedCalls); null answers without tools. @param {ToolScript | null} next */
		scriptTools(next) {
			toolScript = next && Array.isArray(next.rounds) ? structuredClone(next) : null;
		},
		reset() {
			requests.length = 0;
			fault = null;
			toolScript = null;
			stats.total = 0;
			stats.maxInFlight = stats.inFlight;
			stats.connections = 0;
		},
		/** Closes the kept-alive connections no request is using, so the next requests connect anew. */
		closeIdleConnections() {
			server.closeIdleConnections();
		},
		close() {
			for (const socket of sockets) socket.destroy();
			return new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
	return sim;
}

module.exports = { startSimulator, MODELS };

/** A loopback URL where nothing listens: connections to it are refused at once. */
async function refusedUrl() {
	const server = http.createServer();
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {import('net').AddressInfo} */ (server.address());
	await new Promise((resolve) => server.close(() => resolve(undefined)));
	return `http://127.0.0.1:${port}/v1`;
}

module.exports.refusedUrl = refusedUrl;
