export type FaultType =
	| '400'
	| '401'
	| '402'
	| '404'
	| '422'
	| '429'
	| '500'
	| '502'
	| '503'
	| '504'
	| 'reset'
	| 'reset-mid'
	| 'hang'
	| 'hang-keepalive'
	| 'slow'
	| 'truncate'
	| 'html'
	| 'nochoices'
	/** A stream that starts, then carries an error object naming the key, as some proxies send. */
	| 'stream-error'
	/** A 200 whose answer text is empty. */
	| 'empty'
	/** A plain-text answer even where response_format asks for JSON. */
	| 'text'
	/** A whole JSON answer to a streamed request, as some proxies send. */
	| 'nostream'
	/** A 502 whose body is a CDN's HTML error page of sizeBytes (default 200 KiB). */
	| 'html502'
	/**
	 * A 200 with a huge answer, written only as fast as the client reads and stopped when it leaves:
	 * content chunks of about sizeBytes (default 64 MiB) in all when streamed, else one JSON body of
	 * exactly sizeBytes; with longLine one line of exactly sizeBytes that never ends.
	 */
	| 'oversized'
	/**
	 * The answer to format instructions (formats.js) is JSON with a trailing comma, so it does not
	 * parse and n8n's OutputFixingParser asks again; a request without them answers as usual.
	 */
	| 'badjson'
	/** DeepSeek's own 401: `type` authentication_error, `code` invalid_request_error, the key masked as ****abcd. */
	| 'deepseek-401'
	/** DeepSeek's own 402 "Insufficient Balance", `type` unknown_error. */
	| 'deepseek-402'
	/** A gateway's 401 "该令牌额度已用尽" (this token's quota is used up), no code. */
	| 'gateway-401-quota'
	/** A gateway's 403 `insufficient_user_quota`, "用户额度不足, 剩余额度: …" (english: "user quota is not enough"). */
	| 'gateway-403-quota'
	/** A gateway's 503 "当前分组 default 下对于模型 X 无可用渠道" (no channel serves this model), no code. */
	| 'gateway-503-no-channel'
	/** new-api's 503 with `code` model_not_found. */
	| 'gateway-503-model-not-found'
	/** A gateway's 429 "当前分组上游负载已饱和，请稍后再试" (its upstream is saturated), no Retry-After. */
	| 'gateway-429-saturated'
	/** A 429 whose `type` and `code` are insufficient_quota. */
	| 'gateway-429-quota'
	/** Half the answer, then finish_reason insufficient_system_resource (streamed or not). */
	| 'insufficient-system-resource'
	/** Half the answer, then `data: {"error": "…"}` (the error as text), and the stream ends. */
	| 'stream-error-text'
	/** Half the answer, then `event: error` with `data: {"message": "…"}`, and the stream ends. */
	| 'stream-error-event';

export interface Fault {
	type: FaultType | null;
	/** Apply to the next n matching requests only. */
	times?: number;
	/** Seconds, for 429. */
	retryAfter?: number;
	/** For 'slow'. */
	delayMs?: number;
	only?: 'chat' | 'models';
	/** For 'oversized' (default 64 MiB) and 'html502' (default 200 KiB): the body's size. */
	sizeBytes?: number;
	/**
	 * For 'oversized': the body is one line of exactly sizeBytes, a `data: {…` line when streamed,
	 * else a JSON body, cut off with no newline and no end to its JSON.
	 */
	longLine?: boolean;
	/** For the gateway-* faults: the error's `type` (default new_api_error; one_api_error, a reseller's own). */
	errorType?: string;
	/** For 'gateway-403-quota': the English words instead of the Chinese. */
	english?: boolean;
}

/**
 * Shapes real hosts give their answers (test/simulator/realShapes.js), none by default:
 * - deepseekStream: DeepSeek's own stream: `usage: null` on every chunk and the usage on the
 *   finish_reason chunk (no `choices: []` chunk); in thinking mode `content: null` beside
 *   `reasoning_content` and `reasoning_content: null` beside content, the last delta
 *   `{"content": "", "reasoning_content": null}`; tool-call arguments in pieces of 1 to 8
 *   characters, ids `call_00_…`; `prompt_tokens_details.cached_tokens` beside
 *   `prompt_cache_hit_tokens`; no `completion_tokens_details` where nothing was thought;
 * - gatewayNulls: another OpenAI-compatible host: `role: null` and `tool_calls: null` on ordinary
 *   deltas, `prompt_tokens_details: null`, `reasoning_tokens` at the top level of usage;
 * - reasoningInMaxTokens: thinking counts against max_tokens, as DeepSeek V4 counts it, so a
 *   small budget leaves the content "" with finish_reason "length".
 */
export type RealShape = 'deepseekStream' | 'gatewayNulls' | 'reasoningInMaxTokens';

/**
 * Legal but unusual answer shapes some OpenAI-compatible servers send:
 * - repeatToolName: every streamed tool-call delta repeats the function name (a reader must set
 *   the name, not append to it);
 * - omitToolCallIds: tool calls carry no `id`, streamed or not (a request that sends a call back
 *   without an id is refused with 400: the client must make one up);
 * - noFinishReason: the stream ends with `data: [DONE]`, but no chunk has a finish_reason.
 */
export type StreamQuirk = 'repeatToolName' | 'omitToolCallIds' | 'noFinishReason';

export interface Tuning {
	latencyMs: number;
	tokenDelayMs: number;
	replyTokens: number | undefined;
	keepAliveIntervalMs: number;
	maxConcurrency: number;
	/** Numbers every answer, so a retried answer differs from the broken one. */
	numberAnswers: boolean;
	/** deepseek-chat is in thinking mode unless `thinking` is disabled (V4 routing); default true. */
	chatThinks: boolean;
	/** The 400 text for a tool-call message without its reasoning: V3.2's (default) or V4's. */
	passbackError: 'v3.2' | 'v4';
	/**
	 * The passback rule of the thinking models: V3.2's (default: every tool-call message carries its
	 * reasoning) or V4's (every assistant message of a turn with tool calls, in all later requests,
	 * with V4's wording). deepseek-v4-flash and deepseek-v4-pro always follow V4's.
	 */
	passbackRule: 'v3.2' | 'v4';
	/** Every usage object also holds `__proto__`, `constructor` and `prototype` keys, as a hostile server's might. */
	hostileKeys: boolean;
	/** Odd but legal answer shapes, none by default; an unknown name throws (400 over HTTP). */
	streamQuirks: StreamQuirk[];
	/**
	 * Request body fields refused as an older OpenAI-compatible backend does, none by default: the
	 * first of them in the body gets a 400 {"error":{"message":"Unknown parameter: <name>",
	 * "type":"invalid_request_error","param":"<name>","code":"invalid_request_error"}}.
	 */
	rejectParams: string[];
	/**
	 * The first answer on each new TCP connection waits this long (TCP and TLS set-up to a distant
	 * server); requests on a kept-alive connection do not, nor do /__sim/ control requests.
	 */
	connectionDelayMs: number;
	/** Shapes real hosts send (RealShape), none by default; an unknown name throws (400 over HTTP). */
	realShapes: RealShape[];
	/** How stream lines end: LF (default), CRLF, or a bare CR, as the SSE format allows. */
	lineEnding: 'lf' | 'crlf' | 'cr';
}

/** One tool call the simulated model makes; arguments are sent as JSON text. */
export interface ScriptedCall {
	name: string;
	arguments?: unknown;
}

/**
 * The tool calls the model makes when a request offers tools: round n of a conversation (n = the
 * tool-call rounds since the last user message) calls rounds[n]; past the end it answers, quoting
 * the tool results it received, or with repeat calls the last round again forever.
 */
export interface ToolScript {
	rounds: ScriptedCall[][];
	repeat?: boolean;
}

export interface SimulatorOptions extends Partial<Tuning> {
	host?: string;
	port?: number;
	name?: string;
	apiKey?: string;
	log?: boolean;
	fault?: Fault | null;
	maxLog?: number;
	tools?: ToolScript | null;
	images?: Partial<ImageTuning>;
}

/** Images in user messages (images.js); also POST /__sim/configure with { images: {…} }. */
export interface ImageTuning {
	/** The models that take image_url blocks: knownModels.json's `images: true` by default. */
	visionModels: string[];
	/** The largest request body taken, in bytes: 48 MiB by default. */
	maxBodyBytes: number;
	/** The status of a larger body: 413 by default. */
	oversizeStatus: 400 | 413;
}

export interface LoggedRequest {
	seq: number;
	at: number;
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	model: string | null;
	stream: boolean;
	messages: unknown[] | null;
	authorized: boolean;
	fault: string | null;
	status: number;
	/** The usage of the answer it composed (DeepSeek's usage object), if it composed one. */
	usage: Record<string, unknown> | null;
	/** The request body's size in bytes. */
	bodyBytes: number;
}

export interface Simulator {
	url: string;
	port: number;
	name: string;
	requests: LoggedRequest[];
	/** connections: TCP connections accepted (reset() counts from 0 again). */
	stats(): { total: number; inFlight: number; maxInFlight: number; connections: number };
	setFault(fault: Fault | null): void;
	configure(partial: Partial<Tuning>): void;
	images: { configure(partial: Partial<ImageTuning>): void; tuning: ImageTuning };
	/** Also POST /__sim/tools with a ToolScript, or {} to stop calling tools. */
	scriptTools(script: ToolScript | null): void;
	reset(): void;
	/** Closes the kept-alive connections no request is using, so the next requests connect anew. */
	closeIdleConnections(): void;
	close(): Promise<void>;
}

export const MODELS: string[];
export function startSimulator(options?: SimulatorOptions): Promise<Simulator>;

/** A loopback URL where nothing listens: connections to it are refused at once. */
export function refusedUrl(): Promise<string>;
