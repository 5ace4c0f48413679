import {
	type ChatMessage,
	parseUntrustedJson,
	textOf,
	type ThinkingSetting,
	toolChoiceFor,
	toolParameters,
} from '../../shared/protocol';
import type { StructuredAnswerProblem } from '../../shared/session';

/** How a structured answer is asked for, as LangChain names the methods. */
export type StructuredOutputMethod = 'functionCalling' | 'jsonMode' | 'jsonSchema';

/**
 * The method DeepSeek gets for a caller's request: JSON mode where the caller asked for it; else a
 * forced tool call where the model takes one (toolChoiceFor: thinking mode refuses it); else a JSON
 * answer with the schema stated in the prompt ('jsonSchema'), as DeepSeek refuses `json_schema`.
 */
export function structuredOutputMethod(
	requested: unknown,
	model: string,
	thinking: ThinkingSetting,
): StructuredOutputMethod {
	if (requested === 'jsonMode') return 'jsonMode';
	const forced = toolChoiceFor(model, { thinking, toolChoice: 'required' });
	return forced.choice !== undefined ? 'functionCalling' : 'jsonSchema';
}

interface JsonSchemaFormat {
	type: 'json_schema';
	json_schema?: { name?: unknown; schema?: unknown };
}

/** A schema stated in the prompt, in the words of LangChain's StructuredOutputParser. */
function jsonSchemaInstruction(schema: unknown): string {
	return [
		'You must format your output as a JSON value that adheres to a given "JSON Schema" instance.',
		'Your output will be parsed and type-checked according to the provided schema instance, so make sure all fields in your output match the schema exactly and there are no trailing commas!',
		'Here is the JSON Schema instance your output must adhere to.',
		'```json',
		JSON.stringify(schema),
		'```',
	].join('\n');
}

/**
 * The messages of a call that asks for JSON as LangChain words it (`response_format`), undefined
 * where it does not. DeepSeek takes `json_object` only and refuses `json_schema`: a schema is
 * stated in a system message instead (which says "JSON", as DeepSeek requires of the prompt).
 */
export function withJsonInstruction(
	messages: ChatMessage[],
	format: unknown,
): { messages: ChatMessage[] } | undefined {
	const type = (format as { type?: unknown } | null | undefined)?.type;
	if (type === 'json_object') return { messages };
	if (type !== 'json_schema') return undefined;
	const schema = (format as JsonSchemaFormat).json_schema?.schema;
	if (schema === undefined) return { messages };
	const instruction: ChatMessage = {
		role: 'system',
		content: jsonSchemaInstruction(schema),
	};
	const firstOther = messages.findIndex((message) => message.role !== 'system');
	const at = firstOther === -1 ? messages.length : firstOther;
	return { messages: [...messages.slice(0, at), instruction, ...messages.slice(at)] };
}

/** An answer as the parsers read it: LangChain's AI message. */
interface AnswerMessage {
	content?: unknown;
	tool_calls?: Array<{ name?: string; args?: unknown }>;
}

type Fail = (problem: StructuredAnswerProblem) => Error;

interface Validating {
	safeParse: (value: unknown) => {
		success: boolean;
		data?: unknown;
		error?: { issues?: Array<{ path?: unknown[]; message?: string }> };
	};
}

const isValidating = (schema: unknown): schema is Validating =>
	typeof (schema as Partial<Validating> | null)?.safeParse === 'function';

/** The value, checked against a zod schema (v3 or v4) where the caller gave one. */
function checked(schema: unknown, value: unknown, fail: Fail): unknown {
	if (!isValidating(schema)) return value;
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	const issue = result.error?.issues?.[0];
	const path = issue?.path?.length ? `${issue.path.join('.')}: ` : '';
	throw fail({ what: 'not-schema', detail: `${path}${issue?.message ?? 'invalid'}` });
}

/** The JSON of an answer: the whole text, or a fenced block, or the outermost braces. */
function jsonOf(text: string): unknown {
	const trimmed = text.trim();
	const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/i.exec(trimmed)?.[1];
	const braces = trimmed.slice(trimmed.indexOf('{'), trimmed.lastIndexOf('}') + 1);
	for (const candidate of [trimmed, fenced, braces]) {
		if (!candidate) continue;
		try {
			return parseUntrustedJson(candidate);
		} catch {
			// The next candidate.
		}
	}
	return undefined;
}

/** The parser of an answer for a method: the forced tool call's arguments, or the JSON answer. */
export function answerParser(
	method: StructuredOutputMethod,
	name: string,
	schema: unknown,
	fail: Fail,
): (message: AnswerMessage) => unknown {
	if (method === 'functionCalling') {
		return (message) => {
			const call = message.tool_calls?.find((toolCall) => toolCall.name === name);
			if (!call) throw fail({ what: 'no-tool-call', name });
			return checked(schema, call.args, fail);
		};
	}
	return (message) => {
		const value = jsonOf(textOf(message.content));
		if (value === undefined || typeof value !== 'object') throw fail({ what: 'not-json' });
		return checked(schema, value, fail);
	};
}

/** What withStructuredOutput asks of the model: the tool, or the JSON format, for the method. */
export function structuredRequest(
	method: StructuredOutputMethod,
	schema: unknown,
	name: string,
): { tool?: unknown; callOptions: Record<string, unknown> } {
	const parameters = toolParameters(schema);
	const description =
		(schema as { description?: unknown } | null)?.description ?? 'A function available to call.';
	const tracing = { ls_structured_output_format: { kwargs: { method }, schema: parameters } };
	if (method === 'functionCalling') {
		return {
			tool: { type: 'function', function: { name, description, parameters } },
			callOptions: { tool_choice: { type: 'function', function: { name } }, ...tracing },
		};
	}
	const format =
		method === 'jsonMode'
			? { type: 'json_object' }
			: { type: 'json_schema', json_schema: { name, schema: parameters } };
	return { callOptions: { response_format: format, ...tracing } };
}
