import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { ChatMessage, ToolCall, ToolDefinition } from '../../shared/protocol/wire';
import { toolResultText } from '../../shared/protocol/messageText';
import { parseUntrustedJson } from '../../shared/safeJson';
import { toolDefinition } from '../../shared/protocol/toolSchema';

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
			throw new NodeOperationError(
				ctx.getNode(),
				`Two connected tools are both called "${name}"${clash === tool.name ? '' : ` ("${clash}" and "${tool.name}")`}`,
				{ itemIndex, description: 'Rename one of the tool nodes so every tool has its own name.' },
			);
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
		text: `${text.slice(0, MAX_TOOL_RESULT_CHARS)}\n[Result cut: the tool returned ${text.length} characters; only the first ${MAX_TOOL_RESULT_CHARS} are shown.]`,
		truncated: true,
	};
}

function errorText(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message.trim() === '' ? 'The tool failed without a message' : message;
}

/**
 * Runs one round of tool calls side by side. A call that fails (unknown tool, arguments that are
 * not JSON, a tool that throws, a stopped execution) becomes a tool message, never a thrown error.
 */
export async function runToolCalls(
	tools: NodeTool[],
	calls: ToolCall[],
	round: number,
	signal: AbortSignal,
): Promise<{ messages: ChatMessage[]; summary: ToolCallSummary[] }> {
	const results = await Promise.all(
		calls.map(async (call) => {
			const summary: ToolCallSummary = {
				round,
				tool: call.function.name,
				arguments: call.function.arguments,
				resultChars: 0,
			};
			let content: string;
			try {
				const tool = tools.find((candidate) => candidate.name === call.function.name);
				if (!tool) throw new Error(`There is no tool called "${call.function.name}"`);
				let args: unknown;
				try {
					args =
						call.function.arguments.trim() === ''
							? {}
							: parseUntrustedJson(call.function.arguments);
				} catch {
					throw new Error('The arguments are not valid JSON');
				}
				summary.arguments = args;
				const full = toolResultText(await tool.tool.invoke(args, { signal }));
				const { text, truncated } = cut(full);
				content = text;
				summary.resultChars = full.length;
				if (truncated) summary.truncated = true;
			} catch (error) {
				summary.error = errorText(error);
				content = `Error: ${summary.error}`;
				summary.resultChars = content.length;
			}
			const message: ChatMessage = { role: 'tool', tool_call_id: call.id, content };
			return { message, summary };
		}),
	);
	return {
		messages: results.map((result) => result.message),
		summary: results.map((result) => result.summary),
	};
}
