import type { ToolDefinition } from './wire';

type JsonSchema = Record<string, unknown>;

interface ZodV3Def {
	typeName?: string;
	description?: string;
	[key: string]: unknown;
}

interface ZodV4Def {
	type?: string;
	[key: string]: unknown;
}

const ANY_OBJECT: JsonSchema = { type: 'object', properties: {} };

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function v3Def(schema: unknown): ZodV3Def | undefined {
	const def = isObject(schema) ? schema._def : undefined;
	return isObject(def) && typeof def.typeName === 'string' ? (def as ZodV3Def) : undefined;
}

function v4Def(schema: unknown): ZodV4Def | undefined {
	const internals = isObject(schema) ? schema._zod : undefined;
	const def = isObject(internals) ? internals.def : undefined;
	return isObject(def) && typeof def.type === 'string' ? (def as ZodV4Def) : undefined;
}

function withDescription(json: JsonSchema, description: unknown): JsonSchema {
	return typeof description === 'string' && description !== '' ? { ...json, description } : json;
}

/** A number's bound (zod's min and max checks), so a model knows the range it must keep. */
function withBound(
	json: JsonSchema,
	kind: string,
	value: unknown,
	inclusive?: boolean,
): JsonSchema {
	if (typeof value !== 'number' || (kind !== 'min' && kind !== 'max')) return json;
	const key = kind === 'min' ? 'minimum' : 'maximum';
	return {
		...json,
		[inclusive === false ? `exclusive${key[0].toUpperCase()}${key.slice(1)}` : key]: value,
	};
}

/** Whether a schema may be left out of an object's `required` list. */
function isOptional(schema: unknown): boolean {
	const v3 = v3Def(schema);
	if (v3) {
		if (v3.typeName === 'ZodOptional' || v3.typeName === 'ZodDefault') return true;
		if (v3.typeName === 'ZodNullable' || v3.typeName === 'ZodEffects')
			return isOptional(v3.innerType ?? v3.schema);
		return false;
	}
	const v4 = v4Def(schema);
	if (v4) return v4.type === 'optional' || v4.type === 'default';
	return false;
}

function objectSchema(shape: Record<string, unknown>, convert: (s: unknown) => JsonSchema) {
	const properties: Record<string, JsonSchema> = {};
	const required: string[] = [];
	for (const [key, value] of Object.entries(shape)) {
		properties[key] = convert(value);
		if (!isOptional(value)) required.push(key);
	}
	return required.length > 0
		? { type: 'object', properties, required }
		: { type: 'object', properties };
}

function fromZodV3(schema: unknown): JsonSchema {
	const def = v3Def(schema);
	if (!def) return fromAny(schema);
	const inner = (key: string) => fromZodV3(def[key]);
	let json: JsonSchema;
	switch (def.typeName) {
		case 'ZodString':
			json = { type: 'string' };
			break;
		case 'ZodNumber': {
			const checks = (def.checks ?? []) as Array<{
				kind: string;
				value?: unknown;
				inclusive?: boolean;
			}>;
			json = { type: checks.some((c) => c.kind === 'int') ? 'integer' : 'number' };
			for (const check of checks) json = withBound(json, check.kind, check.value, check.inclusive);
			break;
		}
		case 'ZodBigInt':
			json = { type: 'integer' };
			break;
		case 'ZodBoolean':
			json = { type: 'boolean' };
			break;
		case 'ZodDate':
			json = { type: 'string', format: 'date-time' };
			break;
		case 'ZodNull':
			json = { type: 'null' };
			break;
		case 'ZodLiteral':
			json = { const: def.value };
			break;
		case 'ZodEnum':
			json = { type: 'string', enum: def.values };
			break;
		case 'ZodNativeEnum':
			json = { enum: Object.values(def.values as object) };
			break;
		case 'ZodArray':
			json = { type: 'array', items: inner('type') };
			break;
		case 'ZodTuple':
			json = { type: 'array', items: (def.items as unknown[]).map(fromZodV3) };
			break;
		case 'ZodRecord':
			json = { type: 'object', additionalProperties: inner('valueType') };
			break;
		case 'ZodObject': {
			const shape = typeof def.shape === 'function' ? (def.shape as () => object)() : def.shape;
			json = objectSchema((shape ?? {}) as Record<string, unknown>, fromZodV3);
			break;
		}
		case 'ZodUnion':
		case 'ZodDiscriminatedUnion':
			json = { anyOf: (def.options as unknown[]).map(fromZodV3) };
			break;
		case 'ZodIntersection':
			json = { allOf: [inner('left'), inner('right')] };
			break;
		case 'ZodOptional':
			json = inner('innerType');
			break;
		case 'ZodNullable':
			json = { anyOf: [inner('innerType'), { type: 'null' }] };
			break;
		case 'ZodDefault': {
			const value = typeof def.defaultValue === 'function' ? def.defaultValue() : undefined;
			json = value === undefined ? inner('innerType') : { ...inner('innerType'), default: value };
			break;
		}
		case 'ZodEffects':
			json = inner('schema');
			break;
		case 'ZodLazy':
			json = fromZodV3((def.getter as () => unknown)());
			break;
		case 'ZodPipeline':
			json = inner('in');
			break;
		case 'ZodBranded':
		case 'ZodReadonly':
		case 'ZodCatch':
			json = inner(def.typeName === 'ZodBranded' ? 'type' : 'innerType');
			break;
		default:
			json = {};
	}
	return withDescription(json, def.description);
}

function fromZodV4(schema: unknown): JsonSchema {
	const def = v4Def(schema);
	if (!def) return fromAny(schema);
	const inner = (key: string) => fromZodV4(def[key]);
	const description = isObject(schema) ? schema.description : undefined;
	let json: JsonSchema;
	switch (def.type) {
		case 'string':
		case 'boolean':
		case 'null':
			json = { type: def.type };
			break;
		case 'number':
			json = { type: def.format === 'safeint' ? 'integer' : 'number' };
			for (const check of (def.checks ?? []) as Array<{ _zod?: { def?: ZodV4Def } }>) {
				const bound = check._zod?.def;
				if (bound?.check === 'number_format' && /int/.test(String(bound.format))) {
					json = { ...json, type: 'integer' };
				}
				const kind = { greater_than: 'min', less_than: 'max' }[String(bound?.check)];
				if (kind) json = withBound(json, kind, bound?.value, bound?.inclusive as boolean);
			}
			break;
		case 'int':
		case 'bigint':
			json = { type: 'integer' };
			break;
		case 'enum':
			json = { enum: Object.values(def.entries as object) };
			break;
		case 'literal':
			json = { enum: def.values };
			break;
		case 'array':
			json = { type: 'array', items: inner('element') };
			break;
		case 'record':
			json = { type: 'object', additionalProperties: inner('valueType') };
			break;
		case 'object':
			json = objectSchema((def.shape ?? {}) as Record<string, unknown>, fromZodV4);
			break;
		case 'union':
			json = { anyOf: (def.options as unknown[]).map(fromZodV4) };
			break;
		case 'optional':
		case 'default':
		case 'readonly':
		case 'catch':
		case 'nonoptional':
			json = inner('innerType');
			break;
		case 'nullable':
			json = { anyOf: [inner('innerType'), { type: 'null' }] };
			break;
		case 'pipe':
			json = inner('in');
			break;
		default:
			json = {};
	}
	return withDescription(json, description);
}

function fromAny(schema: unknown): JsonSchema {
	if (v3Def(schema)) return fromZodV3(schema);
	if (v4Def(schema)) return fromZodV4(schema);
	// Tools may carry a plain JSON schema already (MCP Client Tool, some community tools).
	if (isObject(schema) && (typeof schema.type === 'string' || isObject(schema.properties))) {
		return schema;
	}
	return {};
}

/**
 * The JSON schema of a connected tool's arguments, as the API takes it. n8n's tools carry zod
 * schemas (v3 or v4) or plain JSON schemas; the API wants an object at the top.
 */
export function toolParameters(schema: unknown): JsonSchema {
	const json = fromAny(schema);
	if (json.type === 'object') return json;
	return ANY_OBJECT;
}

/** A tool as the API takes it: its name, its description if it has one, its arguments' schema. */
export function toolDefinition(
	name: string,
	description: string | undefined,
	schema: unknown,
): ToolDefinition {
	return {
		type: 'function',
		function: {
			name,
			...(description && { description }),
			parameters: toolParameters(schema),
		},
	};
}
