// @ts-check
'use strict';

// Shapes real traffic has that the plain simulator never serves: DeepSeek's own stream and error
// bodies, other OpenAI-compatible hosts' nulls, and the error bodies of the gateways resellers run
// (one-api, new-api and their forks). Written from the published facts, not from recordings; each
// is off unless a test asks for it (a shape in `realShapes`, a `lineEnding`, or a fault).

/**
 * @typedef {'deepseekStream' | 'gatewayNulls' | 'reasoningInMaxTokens'} RealShape
 * @typedef {'lf' | 'crlf' | 'cr'} LineEnding
 * @typedef {{ type: string | null, errorType?: string, english?: boolean }} ShapeFault
 * @typedef {{ seq: number, model: string | null, sentKey: string }} RequestFacts
 */

/** @type {ReadonlySet<string>} */
const REAL_SHAPES = new Set(['deepseekStream', 'gatewayNulls', 'reasoningInMaxTokens']);
/** @type {Record<LineEnding, string>} */
const LINE_ENDINGS = { lf: '\n', crlf: '\r\n', cr: '\r' };

/** The gateway's own `type` unless a fault names another (one_api_error, a reseller's own). */
const GATEWAY_TYPE = 'new_api_error';

/** new-api and one-api append the request's id to their messages; a different one each time. */
const requestId = (/** @type {number} */ seq) =>
	`(request id: 2026120717${String(seq).padStart(6, '0')}${(seq * 7919).toString(36)})`;

/**
 * The error answers of DeepSeek and of the gateways, by fault type: status, and the error object
 * for a request. DeepSeek's `type` and `code` differ; the gateways' messages are often Chinese.
 * @type {Record<string, (facts: RequestFacts, fault: ShapeFault) => { status: number, error: Record<string, unknown> }>}
 */
const ERROR_FAULTS = {
	'deepseek-401': ({ sentKey }) => ({
		status: 401,
		error: {
			message: `Authentication Fails, Your api key: ****${sentKey.slice(-4)} is invalid`,
			type: 'authentication_error',
			param: null,
			code: 'invalid_request_error',
		},
	}),
	'deepseek-402': () => ({
		status: 402,
		error: {
			message: 'Insufficient Balance',
			type: 'unknown_error',
			param: null,
			code: 'invalid_request_error',
		},
	}),
	// This token's quota is used up.
	'gateway-401-quota': ({ seq }, fault) => ({
		status: 401,
		error: {
			message: `该令牌额度已用尽 ${requestId(seq)}`,
			type: fault.errorType ?? GATEWAY_TYPE,
			param: '',
			code: null,
		},
	}),
	// The user's quota is not enough, with what is left.
	'gateway-403-quota': ({ seq }, fault) => ({
		status: 403,
		error: {
			message: fault.english
				? `user quota is not enough ${requestId(seq)}`
				: `用户额度不足, 剩余额度: ＄0.001234 ${requestId(seq)}`,
			type: fault.errorType ?? GATEWAY_TYPE,
			param: '',
			code: 'insufficient_user_quota',
		},
	}),
	// No channel serves this model in the group.
	'gateway-503-no-channel': ({ seq, model }, fault) => ({
		status: 503,
		error: {
			message: `当前分组 default 下对于模型 ${model ?? 'unknown'} 无可用渠道 ${requestId(seq)}`,
			type: fault.errorType ?? GATEWAY_TYPE,
			param: '',
			code: null,
		},
	}),
	'gateway-503-model-not-found': ({ seq, model }, fault) => ({
		status: 503,
		error: {
			message: `model ${model ?? 'unknown'} has no available channel in group default ${requestId(seq)}`,
			type: fault.errorType ?? GATEWAY_TYPE,
			param: '',
			code: 'model_not_found',
		},
	}),
	// The upstream behind the group is saturated, try later; no Retry-After.
	'gateway-429-saturated': ({ seq }, fault) => ({
		status: 429,
		error: {
			message: `当前分组上游负载已饱和，请稍后再试 ${requestId(seq)}`,
			type: fault.errorType ?? GATEWAY_TYPE,
			param: '',
			code: null,
		},
	}),
	'gateway-429-quota': ({ seq }) => ({
		status: 429,
		error: {
			message: `the quota of this token is used up ${requestId(seq)}`,
			type: 'insufficient_quota',
			param: '',
			code: 'insufficient_quota',
		},
	}),
};

/**
 * Faults that change an answer rather than replace it: DeepSeek stopping for want of resources
 * (the text is a fragment), a stream error as text (`data: {"error": "…"}`), and an
 * `event: error` whose data is `{"message": …}`.
 */
const ANSWER_FAULTS = new Set([
	'insufficient-system-resource',
	'stream-error-text',
	'stream-error-event',
]);

/**
 * Refuses a setting a typo would turn into silence.
 * @param {{ realShapes?: unknown, lineEnding?: unknown }} partial
 */
function checkTuning(partial) {
	const { realShapes, lineEnding } = partial;
	if (realShapes !== undefined) {
		if (!Array.isArray(realShapes)) throw new TypeError('realShapes must be an array');
		for (const shape of realShapes)
			if (!REAL_SHAPES.has(shape))
				throw new TypeError(
					`Unknown real shape ${JSON.stringify(shape)}: use ${[...REAL_SHAPES].join(', ')}`,
				);
	}
	if (lineEnding !== undefined && !Object.hasOwn(LINE_ENDINGS, String(lineEnding)))
		throw new TypeError(`lineEnding must be one of ${Object.keys(LINE_ENDINGS).join(', ')}`);
}

/**
 * Sends a fault's error answer. Returns the status, or null where the fault is not one of these.
 * @param {import('http').ServerResponse} res @param {ShapeFault} fault @param {RequestFacts} facts
 */
function sendErrorFault(res, fault, facts) {
	const make = ERROR_FAULTS[String(fault.type)];
	if (!make) return null;
	const { status, error } = make(facts, fault);
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify({ error }));
	return status;
}

/** @param {string} text */
const words = (text) => text.split(/\s+/).filter(Boolean);

/**
 * With reasoningInMaxTokens, thinking counts against max_tokens, as DeepSeek V4 counts it: a
 * budget the reasoning uses up leaves the content "" and finish_reason "length".
 * @template {{ content: string, reasoning: string | undefined, finishReason: string, toolCalls: unknown[] }} T
 * @param {T} answer @param {any} body @param {string[]} shapes @returns {T}
 */
function spendBudget(answer, body, shapes) {
	const max = body?.max_tokens;
	if (!shapes.includes('reasoningInMaxTokens') || !answer.reasoning || !Number.isInteger(max))
		return answer;
	const thought = words(answer.reasoning);
	if (thought.length >= max)
		return {
			...answer,
			reasoning: thought.slice(0, max).join(' '),
			content: '',
			toolCalls: [],
			finishReason: 'length',
		};
	const said = words(answer.content);
	if (said.length <= max - thought.length) return answer;
	return {
		...answer,
		content: said.slice(0, max - thought.length).join(' '),
		finishReason: 'length',
	};
}

/**
 * The usage in the host's shape: DeepSeek's own (`prompt_tokens_details.cached_tokens` beside
 * `prompt_cache_hit_tokens`, no `completion_tokens_details` where nothing was thought), or another
 * host's (`prompt_tokens_details: null`, `reasoning_tokens` at the top level).
 * @param {Record<string, any>} usage @param {Set<string>} shapes
 */
function shapeUsage(usage, shapes) {
	const { completion_tokens_details: details, ...rest } = usage;
	const reasoning = details?.reasoning_tokens ?? 0;
	/** @type {Record<string, unknown>} */
	let shaped = { ...usage };
	if (shapes.has('deepseekStream'))
		shaped = {
			prompt_tokens: rest.prompt_tokens,
			completion_tokens: rest.completion_tokens,
			total_tokens: rest.total_tokens,
			prompt_tokens_details: { cached_tokens: rest.prompt_cache_hit_tokens },
			prompt_cache_hit_tokens: rest.prompt_cache_hit_tokens,
			prompt_cache_miss_tokens: rest.prompt_cache_miss_tokens,
			...(reasoning > 0 ? { completion_tokens_details: { reasoning_tokens: reasoning } } : {}),
		};
	if (shapes.has('gatewayNulls')) {
		const { completion_tokens_details: _details, ...other } = shaped;
		shaped = { ...other, prompt_tokens_details: null, reasoning_tokens: reasoning };
	}
	return shaped;
}

/**
 * Whether the stream of this answer is written here: a real shape or a line ending was asked for,
 * or one of the answer faults above.
 * @param {{ realShapes: string[], lineEnding: string }} tuning @param {{ type: string | null } | null} fault
 */
function ownsStream(tuning, fault) {
	return (
		tuning.realShapes.some((shape) => shape !== 'reasoningInMaxTokens') ||
		tuning.lineEnding !== 'lf' ||
		ANSWER_FAULTS.has(String(fault?.type))
	);
}

/** Splits text into pieces of 1 to 8 characters, as DeepSeek streams tool arguments. @param {string} text */
function smallPieces(text) {
	const pieces = [];
	for (let at = 0, size = 1; at < text.length; at += size, size = (size % 8) + 1)
		pieces.push(text.slice(at, at + size));
	return pieces;
}

/**
 * The whole body of a streamed answer in the shapes asked for.
 * @param {{ id: string, content: string, reasoning?: string, finishReason: string, toolCalls: any[], usage: Record<string, any> }} answer
 * @param {Record<string, unknown>} base the fields every chunk has
 * @param {{ realShapes: string[], lineEnding: LineEnding }} tuning
 * @param {{ type: string | null } | null} fault
 * @param {{ includeUsage: boolean, seq: number }} request
 */
function streamBody(answer, base, tuning, fault, request) {
	const shapes = new Set(tuning.realShapes);
	const deepseek = shapes.has('deepseekStream');
	const gateway = shapes.has('gatewayNulls');
	const thinking = Boolean(answer.reasoning);
	const type = String(fault?.type);
	const usage = shapeUsage(answer.usage, shapes);
	/** @type {string[]} */
	const events = [];
	/** @param {object} delta @param {string | null} [finish] @param {unknown} [withUsage] */
	const chunk = (delta, finish = null, withUsage = null) => {
		/** @type {Record<string, unknown>} */
		const value = {
			...base,
			choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
		};
		// DeepSeek: `usage: null` on every chunk, the usage on the one with the finish_reason.
		if (deepseek) value.usage = withUsage;
		events.push(`data: ${JSON.stringify(value)}\n\n`);
	};
	/** An ordinary delta: DeepSeek's thinking-mode nulls, another host's role and tool_calls nulls. @param {Record<string, unknown>} fields */
	const delta = (fields) => {
		let shaped =
			deepseek && thinking ? { content: null, reasoning_content: null, ...fields } : fields;
		if (gateway) shaped = { role: null, ...shaped, tool_calls: shaped.tool_calls ?? null };
		return shaped;
	};

	chunk(
		deepseek && thinking
			? { role: 'assistant', content: null, reasoning_content: '' }
			: { role: 'assistant', content: '' },
	);
	for (const word of (answer.reasoning ?? '').split(/(?<= )/).filter(Boolean))
		chunk(delta({ reasoning_content: word }));
	for (const [index, call] of answer.toolCalls.entries()) {
		const id = deepseek
			? `call_${String(index).padStart(2, '0')}_${answer.id.slice(-8)}${index}`
			: call.id;
		chunk(
			delta({
				tool_calls: [
					{ index, id, type: 'function', function: { name: call.function.name, arguments: '' } },
				],
			}),
		);
		const args = String(call.function.arguments);
		const pieces = deepseek
			? smallPieces(args)
			: [args.slice(0, Math.ceil(args.length / 2)), args.slice(Math.ceil(args.length / 2))];
		for (const piece of pieces.filter(Boolean))
			chunk(delta({ tool_calls: [{ index, function: { arguments: piece } }] }));
	}
	const contentWords = answer.content.split(/(?<= )/).filter(Boolean);
	const cut = ANSWER_FAULTS.has(type)
		? Math.max(1, Math.floor(contentWords.length / 2))
		: contentWords.length;
	for (const word of contentWords.slice(0, cut)) chunk(delta({ content: word }));

	const said = `upstream error: do request failed ${requestId(request.seq)}`;
	if (type === 'stream-error-text') events.push(`data: ${JSON.stringify({ error: said })}\n\n`);
	else if (type === 'stream-error-event')
		events.push(`event: error\ndata: ${JSON.stringify({ message: said })}\n\n`);
	else {
		const finish =
			type === 'insufficient-system-resource'
				? 'insufficient_system_resource'
				: answer.finishReason;
		const last =
			deepseek && thinking
				? { content: '', reasoning_content: null }
				: deepseek
					? { content: '' }
					: gateway
						? delta({})
						: {};
		chunk(last, finish, deepseek && request.includeUsage ? usage : null);
		if (!deepseek && request.includeUsage)
			events.push(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
		events.push('data: [DONE]\n\n');
	}
	return events.join('').replace(/\n/g, LINE_ENDINGS[tuning.lineEnding]);
}

/**
 * A whole JSON answer in the shapes asked for: the host's usage and nulls, and DeepSeek's
 * fragment under insufficient-system-resource.
 * @param {Record<string, any>} payload @param {{ realShapes: string[] }} tuning @param {{ type: string | null } | null} fault
 */
function shapeJson(payload, tuning, fault) {
	const shapes = new Set(tuning.realShapes);
	const choice = payload.choices?.[0];
	if (choice && fault?.type === 'insufficient-system-resource') {
		const content = String(choice.message.content ?? '').split(/(?<= )/);
		choice.message.content = content.slice(0, Math.max(1, Math.floor(content.length / 2))).join('');
		choice.finish_reason = 'insufficient_system_resource';
	}
	if (choice && shapes.has('gatewayNulls')) {
		choice.message.tool_calls ??= null;
		choice.message.reasoning_content ??= null;
	}
	if (payload.usage) payload.usage = shapeUsage(payload.usage, shapes);
	return payload;
}

module.exports = {
	REAL_SHAPES,
	ERROR_FAULTS,
	ANSWER_FAULTS,
	checkTuning,
	sendErrorFault,
	spendBudget,
	ownsStream,
	streamBody,
	shapeJson,
};
