import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	type ChatMessage,
	parseUntrustedJson,
	type ToolCall,
	type ToolDefinition,
	toolDefinition,
	toolResultText,
} from '../../shared/protocol';
import { inputError } from '../../shared/session';
import { toolErrorContent, toolResultCutWords, toolWords } from '../../shared/wording';

/** A tool result longer than this is cut, with a note, so one tool cannot flood the context. */
export const MAX_TOOL_RESULT_CHARS = 32_000;

/** What n8n hands over on the ai_tool input: LangChain tools, by shape rather than class. */
interface ConnectedTool {
	name: string;
	description?: string;
	schema?: unknown;
	invoke: (input: unknown, config?: { signal?: AbortSignal }) => Promise<unknown>;
}

export interface NodeTool {
	/** The name the model sees: the tool's own, made safe for the API. */
	name: string;
	definition: ToolDefinition;
	tool: ConnectedTool;
}

export interface ToolCallSummary {
	round: number;
	tool: string;
	arguments: unknown;
	resultChars: number;
	truncated?: boolean;
	error?: string;
}

function isTool(value: unknown): value is ConnectedTool {
	const tool = value as ConnectedTool | null;
	return (
		typeof tool === 'object' &&
		tool !== null &&
		typeof tool.name === 'string' &&
		typeof tool.invoke === 'function'
	);
}

function flatten(value: unknown): unknown[] {
	if (Array.isArray(value)) return value.flatMap(flatten);
	const toolkit = value as { tools?: unknown; getTools?: () => unknown } | null;
	if (toolkit && !isTool(toolkit)) {
		if (Array.isArray(toolkit.tools)) return toolkit.tools;
		if (typeof toolkit.getTools === 'function') return flatten(toolkit.getTools());
	}
	return value === undefined || value === null ? [] : [value];
}

/** DeepSeek takes function names of letters, digits, _ and -, at most 64 long. */
function apiName(name: string): string {
	const safe = name.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 64);
	return safe === '' ? 'tool' : safe;
}

/** The tools connected to the Tools input, toolkits flattened, each with a unique API name. */
export async function connectedTools(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<NodeTool[]> {
	// Used as a tool itself (n8n gives that variant no inputs), the node has no Tools input to read.
	const inputs = typeof ctx.getNodeInputs === 'function' ? ctx.getNodeInputs() : [];
	const hasToolsInput = inputs.some(
		(input) => (typeof input === 'string' ? input : input.type) === NodeConnectionTypes.AiTool,
	);
	if (!hasToolsInput) return [];
	const connected = flatten(
		await ctx.getInputConnectionData(NodeConnectionTypes.AiTool, itemIndex),
	);
	const tools: NodeTool[] = [];
	const seen = new Map<string, string>();
	for (const tool of connected) {
		if (!isTool(tool)) continue;
		const name = apiName(tool.name);
		const clash = seen.get(name);
		if (clash !== undefined) {
			const fact = { what: 'tool-name-clash', name, first: clash, second: tool.name } as const;
			throw inputError(ctx.getNode(), fact, itemIndex);
		}
		seen.set(name, tool.name);
		tools.push({
			name,
			tool,
			definition: toolDefinition(name, tool.description, tool.schema),
		});
	}
	return tools;
}

function cut(text: string): { text: string; truncated: boolean } {
	if (text.length <= MAX_TOOL_RESULT_CHARS) return { text, truncated: false };
	return {
		text: `${text.slice(0, MAX_TOOL_RESULT_CHARS)}${toolResultCutWords(text.length, MAX_TOOL_RESULT_CHARS)}`,
		truncated: true,
	};
}

function errorText(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message.trim() === '' ? toolWords({ what: 'no-message' }) : message;
}

/** The most tool calls of one round that run at the same time. */
export const MAX_PARALLEL_TOOL_CALLS = 8;
/** The most tool calls of one round that run at all; the rest are answered as not run. */
export const MAX_TOOL_CALLS_PER_ROUND = 128;

const STOPPED = Symbol('stopped');

/** The tool's answer, or STOPPED as soon as the execution is stopped: a tool may ignore the signal. */
function untilStopped<T>(work: () => Promise<T>, signal: AbortSignal): Promise<T | typeof STOPPED> {
	if (signal.aborted) return Promise.resolve(STOPPED);
	return new Promise((resolve, reject) => {
		const stop = () => resolve(STOPPED);
		signal.addEventListener('abort', stop, { once: true });
		work()
			.then(resolve, reject)
			.finally(() => signal.removeEventListener('abort', stop));
	});
}

/** What one call gives the model: the tool's text, or why there is none. Never throws. */
async function callOutcome(
	tools: NodeTool[],
	call: ToolCall,
	summary: ToolCallSummary,
	signal: AbortSignal,
): Promise<{ text: string } | { error: string }> {
	const tool = tools.find((candidate) => candidate.name === call.function.name);
	if (!tool) return { error: toolWords({ what: 'no-tool', name: call.function.name }) };
	let args: unknown = {};
	if (call.function.arguments.trim() !== '') {
		try {
			args = parseUntrustedJson(call.function.arguments);
		} catch {
			return { error: toolWords({ what: 'arguments-not-json' }) };
		}
	}
	summary.arguments = args;
	try {
		const result = await untilStopped(() => tool.tool.invoke(args, { signal }), signal);
		if (result === STOPPED) return { error: toolWords({ what: 'stopped' }) };
		return { text: toolResultText(result) };
	} catch (error) {
		return { error: errorText(error) };
	}
}

async function runToolCall(
	tools: NodeTool[],
	call: ToolCall,
	round: number,
	signal: AbortSignal,
): Promise<{ message: ChatMessage; summary: ToolCallSummary }> {
	const summary: ToolCallSummary = {
		round,
		tool: call.function.name,
		arguments: call.function.arguments,
		resultChars: 0,
	};
	const outcome = await callOutcome(tools, call, summary, signal);
	let content: string;
	if ('text' in outcome) {
		const { text, truncated } = cut(outcome.text);
		content = text;
		summary.resultChars = outcome.text.length;
		if (truncated) summary.truncated = true;
	} else {
		summary.error = outcome.error;
		content = toolErrorContent(outcome.error);
		summary.resultChars = content.length;
	}
	return { message: { role: 'tool', tool_call_id: call.id, content }, summary };
}

/**
 * Runs one round of tool calls, up to MAX_PARALLEL_TOOL_CALLS at a time. A call that fails
 * (unknown tool, arguments that are not JSON, a tool that throws, a stopped execution, one past
 * MAX_TOOL_CALLS_PER_ROUND) becomes a tool message, never a thrown error; a stopped execution ends
 * the round at once, without waiting for tools that ignore the signal.
 */
export async function runToolCalls(
	tools: NodeTool[],
	calls: ToolCall[],
	round: number,
	signal: AbortSignal,
): Promise<{ messages: ChatMessage[]; summary: ToolCallSummary[] }> {
	const running = calls.slice(0, MAX_TOOL_CALLS_PER_ROUND);
	const results: Array<{ message: ChatMessage; summary: ToolCallSummary }> = [];
	let next = 0;
	const worker = async () => {
		while (next < running.length) {
			const index = next++;
			results[index] = await runToolCall(tools, running[index], round, signal);
		}
	};
	await Promise.all(
		Array.from({ length: Math.min(MAX_PARALLEL_TOOL_CALLS, running.length) }, worker),
	);
	const error = toolWords({
		what: 'over-round-limit',
		calls: calls.length,
		max: MAX_TOOL_CALLS_PER_ROUND,
	});
	for (const call of calls.slice(MAX_TOOL_CALLS_PER_ROUND)) {
		results.push({
			message: { role: 'tool', tool_call_id: call.id, content: error },
			summary: {
				round,
				tool: call.function.name,
				arguments: call.function.arguments,
				resultChars: error.length,
				error,
			},
		});
	}
	return {
		messages: results.map((result) => result.message),
		summary: results.map((result) => result.summary),
	};
}
