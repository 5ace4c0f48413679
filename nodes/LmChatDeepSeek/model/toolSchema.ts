import { getParametersJsonSchema, type Tool } from '@n8n/ai-node-sdk';

type JsonSchema = Record<string, unknown>;

interface ZodDef {
	typeName?: string;
	description?: string;
	[key: string]: unknown;
}

function defOf(value: unknown): ZodDef | undefined {
	const def = (value as { _def?: unknown } | null)?._def;
	return def && typeof def === 'object' && 'typeName' in def ? (def as ZodDef) : undefined;
}

function isOptional(schema: unknown): boolean {
	const type = defOf(schema)?.typeName;
	return type === 'ZodOptional' || type === 'ZodDefault';
}

/**
 * A zod (v3) schema as JSON schema, read from its definition. The SDK converts only schemas made
 * by its own copy of zod; a tool built with another copy (another package's) would otherwise
 * reach the API as the schema object itself.
 */
function fromZod(schema: unknown): JsonSchema {
	const def = defOf(schema);
	if (!def) return {};
	const inner = (key: string) => fromZod(def[key]);
	let out: JsonSchema;
	switch (def.typeName) {
		case 'ZodObject': {
			const shape = (typeof def.shape === 'function' ? def.shape() : def.shape) as Record<
				string,
				unknown
			>;
			const properties: Record<string, JsonSchema> = {};
			const required: string[] = [];
			for (const [key, value] of Object.entries(shape ?? {})) {
				properties[key] = fromZod(value);
				if (!isOptional(value)) required.push(key);
			}
			out = { type: 'object', properties, ...(required.length > 0 && { required }) };
			break;
		}
		case 'ZodString':
			out = { type: 'string' };
			break;
		case 'ZodNumber': {
			const checks = Array.isArray(def.checks) ? (def.checks as Array<{ kind?: string }>) : [];
			out = { type: checks.some((check) => check.kind === 'int') ? 'integer' : 'number' };
			break;
		}
		case 'ZodBigInt':
			out = { type: 'integer' };
			break;
		case 'ZodBoolean':
			out = { type: 'boolean' };
			break;
		case 'ZodDate':
			out = { type: 'string', format: 'date-time' };
			break;
		case 'ZodArray':
			out = { type: 'array', items: inner('type') };
			break;
		case 'ZodEnum':
			out = { type: 'string', enum: def.values };
			break;
		case 'ZodNativeEnum':
			out = { enum: Object.values(def.values as object) };
			break;
		case 'ZodLiteral':
			out = { const: def.value };
			break;
		case 'ZodUnion':
		case 'ZodDiscriminatedUnion':
			out = { anyOf: (def.options as unknown[]).map(fromZod) };
			break;
		case 'ZodRecord':
			out = { type: 'object', additionalProperties: inner('valueType') };
			break;
		case 'ZodNullable':
			out = { anyOf: [inner('innerType'), { type: 'null' }] };
			break;
		case 'ZodOptional':
		case 'ZodDefault':
		case 'ZodCatch':
		case 'ZodReadonly':
		case 'ZodBranded':
			out = inner(def.typeName === 'ZodBranded' ? 'type' : 'innerType');
			break;
		case 'ZodEffects':
			out = inner('schema');
			break;
		case 'ZodPipeline':
			out = inner('in');
			break;
		default:
			out = {};
	}
	return def.description ? { ...out, description: def.description } : out;
}

/** A function tool's parameters as the JSON schema object the API takes. */
export function toolParameters(tool: Tool & { type: 'function' }): JsonSchema {
	const schema = getParametersJsonSchema(tool) as unknown;
	if (defOf(schema)) return fromZod(schema);
	if (schema && typeof schema === 'object') return schema as JsonSchema;
	return { type: 'object', properties: {} };
}
