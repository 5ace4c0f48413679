// @ts-check
'use strict';

// What the simulated model answers to the prompts n8n's AI nodes send: the format instructions of
// LangChain's StructuredOutputParser (Information Extractor, Text Classifier, Sentiment Analysis,
// the Structured Output Parser node), its fixing prompt, the Summarization Chain's default prompts
// and a system message that says a tool must be used (AI Agent with an output parser). Each answer
// conforms to the schema it was given and is made from the words of the input, so a classifier
// routes by content and an extractor's fields change with the text. Anything else: undefined, and
// the simulator answers as it always does.

const SCHEMA_MARK = 'Here is the JSON Schema instance your output must adhere to.';
const FORMAT_START =
	'You must format your output as a JSON value that adheres to a given "JSON Schema" instance.';
const FIX_MARK = 'Above, the Completion did not satisfy the constraints given in the Instructions.';
const CATEGORY = /^Should be true if the input has category "(.*)" \(description: (.*)\)$/s;
const FALLBACK = 'Should be true if none of the other categories apply';
const MULTI_CLASS = 'Categories are not mutually exclusive, and multiple can be true';
const MUST_USE_TOOL = /\bMUST use the `([A-Za-z0-9_-]{1,64})` tool\b/;
const CONCISE = /^Write a concise summary of the following:\s*"([\s\S]*)"\s*CONCISE SUMMARY:\s*$/;
const REFINE =
	/^Your job is to produce a final summary\nWe have provided an existing summary up to a certain point: "([\s\S]*?)"\nWe have the opportunity to refine the existing summary[\s\S]*?\n------------\n"([\s\S]*)"\n------------\n[\s\S]*REFINED SUMMARY:\s*$/;

const STOP = new Set(
	(
		'a an the and or of to in on at for from with by is are was were be been it its this that ' +
		'these those as into about over under than then there here their his her our your my we you ' +
		'they he she them us me not no yes do does did has have had will would can could should may ' +
		'might must if so but also just only very more most such each every any all some what which ' +
		'who when where why how please should true input has category description value none other ' +
		'whether'
	).split(' '),
);
const POSITIVE = new Set(
	(
		'love loved great excellent good happy wonderful fantastic amazing pleased delighted ' +
		'satisfied thanks thank perfect awesome like enjoy enjoyed recommend best nice fast helpful ' +
		'glad superb brilliant positive'
	).split(' '),
);
const NEGATIVE = new Set(
	(
		'hate hated terrible awful bad angry disappointed disappointing broken poor worst slow ' +
		'horrible useless refund late damaged problem complaint unhappy annoyed rude furious ' +
		'negative wrong missing'
	).split(' '),
);
// Category names that mean "no polarity" or "none of these".
const NEUTRAL = new Set(['neutral', 'mixed', 'other', 'unknown', 'none', 'fallback']);
const TRUE_WORDS = new Set(['yes', 'true', 'y', '1', 'on', 'required', 'wanted']);
const FALSE_WORDS = new Set(['no', 'false', 'n', '0', 'off', 'none', 'not']);

/** @param {string} text */
const tokens = (text) => text.toLowerCase().match(/[a-z0-9]+(?:['-][a-z0-9]+)*/g) ?? [];
/** A crude stem, so "refunds" meets "refund" and "shipping" meets "ship". @param {string} word */
const stem = (word) => (word.length > 4 ? word.replace(/(?:ing|ed|es|s)$/, '') : word);
/** @param {string} text */
const keywords = (text) => tokens(text).filter((word) => word.length > 2 && !STOP.has(word));
/** @param {string} text */
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** @param {number} n */
const round2 = (n) => Math.round(n * 100) / 100;

/** @param {any} message */
const textOf = (message) =>
	typeof message?.content === 'string'
		? message.content
		: Array.isArray(message?.content)
			? message.content
					.filter((/** @type {any} */ block) => block?.type === 'text')
					.map((/** @type {any} */ block) => String(block.text))
					.join('\n')
			: '';

/** The JSON Schema a StructuredOutputParser's format instructions carry. @param {string} text */
function instructedSchema(text) {
	const at = text.indexOf(SCHEMA_MARK);
	if (at < 0) return undefined;
	const fence = /```json\s*\n([\s\S]*?)\n```/.exec(text.slice(at));
	if (!fence) return undefined;
	try {
		const schema = JSON.parse(fence[1]);
		return schema && typeof schema === 'object' ? schema : undefined;
	} catch {
		return undefined;
	}
}

/** The text without the format instructions (from their first line to the schema's fence). @param {string} text */
function withoutInstructions(text) {
	const start = text.indexOf(FORMAT_START);
	if (start < 0) return text;
	const mark = text.indexOf(SCHEMA_MARK, start);
	const fence = mark < 0 ? -1 : text.indexOf('```', text.indexOf('```json', mark) + 7);
	return `${text.slice(0, start)}${fence < 0 ? '' : text.slice(fence + 3)}`.trim();
}

/** The words a field is known by: its name split at case and underscores, then its description. @param {string} key @param {any} schema */
function labels(key, schema) {
	const name = key
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.replace(/[_-]+/g, ' ')
		.toLowerCase()
		.trim();
	const described = typeof schema?.description === 'string' ? keywords(schema.description) : [];
	return [...new Set([name, ...name.split(' '), ...described].filter((word) => word.length > 1))];
}

/**
 * The value written after a field's label in the input ("City: Paris", "quantity = 3", "the
 * customer is Ada"), up to the end of its clause; list is true for a list ("a, b and c").
 * @param {string} input @param {string[]} names @param {boolean} [list]
 */
function labelled(input, names, list = false) {
	const clause = list ? String.raw`(?:[^;\n!?.]|\.(?=\S))+` : String.raw`(?:[^,;\n!?.]|\.(?=\S))+`;
	for (const name of names) {
		const pattern = new RegExp(
			String.raw`(?:^|[^a-z0-9])${escapeRegExp(name).replace(/ /g, String.raw`[\s_-]*`)}\s*(?::|=|\bis\b|\bwas\b|\bare\b)\s*(${clause})`,
			'i',
		);
		const found = pattern.exec(input);
		if (found && found[1].trim()) return found[1].trim();
	}
	return undefined;
}

/** The words after the first mention of any label, up to the end of the clause. @param {string} input @param {string[]} names */
function mentioned(input, names) {
	for (const name of names) {
		const found = new RegExp(
			String.raw`(?:^|[^a-z0-9])${escapeRegExp(name)}[a-z]*\s+((?:[^,;\n!?.]|\.(?=\S))+)`,
			'i',
		).exec(input);
		if (found) return found[1].trim().split(/\s+/).slice(0, 6).join(' ');
	}
	return undefined;
}

/** @param {string} text */
const firstNumber = (text) => {
	const found = /-?\d+(?:\.\d+)?/.exec(text.replace(/(\d),(\d{3})/g, '$1$2'));
	return found ? Number(found[0]) : undefined;
};
/** @param {string} text */
const firstDate = (text) => /\b\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+Z?)?\b/.exec(text)?.[0];

/** How positive the input is: counts of positive and negative words. @param {string} input */
function polarity(input) {
	let positive = 0;
	let negative = 0;
	const words = tokens(input);
	for (const [index, word] of words.entries()) {
		const negated =
			index > 0 && ['not', 'never', "don't", "isn't", "wasn't"].includes(words[index - 1]);
		if (POSITIVE.has(word)) negated ? negative++ : positive++;
		else if (NEGATIVE.has(word)) negated ? positive++ : negative++;
	}
	return { positive, negative };
}

/** How well a name (and its description) matches the input: shared word stems. @param {string} name @param {string} input */
function matchScore(name, input) {
	const said = new Set(keywords(input).map(stem));
	return keywords(name).reduce((score, word) => score + (said.has(stem(word)) ? 1 : 0), 0);
}

/** The enum value the input best fits: its own words first, then the input's sentiment. @param {any[]} values @param {string} input */
function pickEnum(values, input) {
	const strings = values.filter((value) => typeof value === 'string');
	if (strings.length === 0) return values[0];
	const { positive, negative } = polarity(input);
	const leaning = Math.sign(positive - negative);
	const score = (/** @type {string} */ value) => {
		const words = tokens(value);
		const sign = words.some((word) => POSITIVE.has(word))
			? 1
			: words.some((word) => NEGATIVE.has(word))
				? -1
				: words.some((word) => NEUTRAL.has(word))
					? 0
					: undefined;
		return 10 * matchScore(value, input) + (sign !== undefined && sign === leaning ? 5 : 0);
	};
	let best = strings[0];
	for (const value of strings) if (score(value) > score(best)) best = value;
	return best;
}

/** The schema's type, the first that is not null. @param {any} schema */
function typeOf(schema) {
	if (!schema || typeof schema !== 'object') return undefined;
	if (Array.isArray(schema.type))
		return schema.type.find((/** @type {string} */ t) => t !== 'null');
	if (schema.type) return schema.type;
	if (schema.properties) return 'object';
	if (Array.isArray(schema.enum)) return typeof schema.enum[0];
	return undefined;
}

/** The option of anyOf/oneOf/allOf that is not null. @param {any} schema */
function resolved(schema) {
	const options = schema?.anyOf ?? schema?.oneOf ?? schema?.allOf;
	if (!Array.isArray(options)) return schema;
	return {
		...(options.find((option) => option?.type !== 'null') ?? options[0]),
		...(schema.description ? { description: schema.description } : {}),
	};
}

/** @param {number} value @param {any} schema */
function inRange(value, schema) {
	let n = value;
	if (typeof schema.minimum === 'number') n = Math.max(schema.minimum, n);
	if (typeof schema.maximum === 'number') n = Math.min(schema.maximum, n);
	if (typeof schema.exclusiveMinimum === 'number' && n <= schema.exclusiveMinimum)
		n = schema.exclusiveMinimum + 1;
	if (typeof schema.exclusiveMaximum === 'number' && n >= schema.exclusiveMaximum)
		n = schema.exclusiveMaximum - 1;
	return n;
}

/**
 * What fills one field: found says whether the input held it (an optional field found nowhere is
 * left out).
 * @param {any} rawSchema @param {string} key @param {string} input
 * @returns {{ value: unknown, found: boolean }}
 */
function fillField(rawSchema, key, input) {
	const schema = resolved(rawSchema);
	const names = labels(key, schema);
	if (schema && 'const' in schema) return { value: schema.const, found: true };
	if (Array.isArray(schema?.enum)) return { value: pickEnum(schema.enum, input), found: true };
	const type = typeOf(schema);
	if (type === 'object') return { value: fillObject(schema, input), found: true };
	if (type === 'array') {
		const itemType = typeOf(resolved(schema.items));
		if (itemType === 'object')
			return { value: [fillObject(resolved(schema.items), input)], found: true };
		const said = labelled(input, names, true);
		if (itemType === 'number' || itemType === 'integer') {
			const numbers = (said ?? input).match(/-?\d+(?:\.\d+)?/g) ?? [];
			return { value: numbers.map(Number), found: numbers.length > 0 };
		}
		const parts = said
			? said.split(/\s*(?:,|\band\b)\s*/).filter(Boolean)
			: [...new Set(keywords(input))].slice(0, 3);
		return { value: parts, found: said !== undefined };
	}
	if (type === 'number' || type === 'integer') {
		const said = labelled(input, names) ?? mentioned(input, names);
		const number = (said && firstNumber(said)) ?? firstNumber(input);
		const low = typeof schema.minimum === 'number' ? schema.minimum : undefined;
		const high = typeof schema.maximum === 'number' ? schema.maximum : undefined;
		// A bounded score with nothing to read is the middle of its range.
		const base = number ?? (low !== undefined && high !== undefined ? (low + high) / 2 : 0);
		const value = inRange(base, schema);
		return { value: type === 'integer' ? Math.round(value) : value, found: number !== undefined };
	}
	if (type === 'boolean') {
		const said = labelled(input, names);
		if (said !== undefined) {
			const first = tokens(said)[0];
			if (TRUE_WORDS.has(first)) return { value: true, found: true };
			if (FALSE_WORDS.has(first)) return { value: false, found: true };
		}
		const words = tokens(input).map(stem);
		const hit = names.flatMap((name) => tokens(name)).some((word) => words.includes(stem(word)));
		return { value: hit, found: hit };
	}
	if (type === 'string') {
		const format = schema.format;
		if (format === 'date' || format === 'date-time') {
			const said = labelled(input, names);
			const date = (said && firstDate(said)) ?? firstDate(input);
			const day = date?.slice(0, 10) ?? '1970-01-01';
			return {
				value: format === 'date' ? day : `${day}T00:00:00Z`,
				found: date !== undefined,
			};
		}
		const said = labelled(input, names);
		if (said !== undefined) return { value: said, found: true };
		const near = mentioned(input, names);
		if (near !== undefined) return { value: near, found: true };
		return {
			value: input
				.split(/(?<=[.!?])\s+/)[0]
				.split(/\s+/)
				.slice(0, 12)
				.join(' '),
			found: false,
		};
	}
	return { value: null, found: false };
}

/** @param {any} schema @param {string} input */
function fillObject(schema, input) {
	/** @type {Record<string, unknown>} */
	const out = {};
	const required = new Set(Array.isArray(schema?.required) ? schema.required : []);
	for (const [key, property] of Object.entries(schema?.properties ?? {})) {
		const { value, found } = fillField(property, key, input);
		if (found || required.has(key)) out[key] = value;
	}
	return out;
}

/** Text Classifier's schema: a boolean per category, described as the node describes it. @param {any} schema */
function classifierCategories(schema) {
	const entries = Object.entries(schema?.properties ?? {});
	if (entries.length === 0) return undefined;
	/** @type {Array<{ key: string, words: string }>} */
	const categories = [];
	let fallback = false;
	for (const [key, property] of entries) {
		const description = /** @type {any} */ (property)?.description ?? '';
		const found = CATEGORY.exec(description);
		if (found) categories.push({ key, words: `${found[1]} ${found[2]}` });
		else if (key === 'fallback' && description === FALLBACK) fallback = true;
		else return undefined;
	}
	return { categories, fallback };
}

/** @param {{ categories: Array<{ key: string, words: string }>, fallback: boolean }} classifier @param {string} input @param {boolean} multi */
function classify(classifier, input, multi) {
	const scores = classifier.categories.map(({ words }) => matchScore(words, input));
	const best = Math.max(0, ...scores);
	const first = scores.indexOf(best);
	/** @type {Record<string, boolean>} */
	const out = {};
	classifier.categories.forEach(({ key }, index) => {
		out[key] = best > 0 && (multi ? scores[index] > 0 : index === first);
	});
	if (classifier.fallback) out.fallback = best === 0;
	return out;
}

/** Sentiment Analysis's schema: sentiment (an enum), strength and confidence. @param {any} schema @param {string} input */
function sentiment(schema, input) {
	const { positive, negative } = polarity(input);
	const total = positive + negative;
	return {
		sentiment: pickEnum(schema.properties.sentiment.enum, input),
		strength: total === 0 ? 0.5 : round2(0.5 + (0.5 * Math.abs(positive - negative)) / total),
		confidence: round2(Math.min(1, 0.5 + 0.1 * total)),
	};
}

/** The answer to format instructions for this input. @param {any} schema @param {string} input @param {string} context */
function conforming(schema, input, context) {
	const classifier = classifierCategories(schema);
	if (classifier) return classify(classifier, input, context.includes(MULTI_CLASS));
	if (Array.isArray(schema?.properties?.sentiment?.enum) && schema.properties.strength)
		return sentiment(schema, input);
	return fillObject(schema, input);
}

/** A completion repaired as a model asked to fix it would: fences and trailing commas gone, missing or mistyped fields filled from it. @param {any} schema @param {string} completion */
function repaired(schema, completion) {
	const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(completion)?.[1] ?? completion;
	/** @type {any} */
	let parsed;
	try {
		parsed = JSON.parse(fenced.replace(/,\s*([}\]])/g, '$1'));
	} catch {
		parsed = undefined;
	}
	const fresh = conforming(schema, completion, '');
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return fresh;
	/** @type {Record<string, unknown>} */
	const out = { ...fresh };
	for (const [key, property] of Object.entries(schema?.properties ?? {})) {
		const type = typeOf(resolved(property));
		const value = parsed[key];
		const fits =
			value !== undefined &&
			(type === 'integer'
				? Number.isInteger(value)
				: type === 'array'
					? Array.isArray(value)
					: type === 'object'
						? value !== null && typeof value === 'object'
						: typeof value === type);
		if (fits) out[key] = value;
	}
	return out;
}

/** @param {string} text */
const withoutMarkers = (text) =>
	text.replace(/\[simulated [^\]]*\][ \t]*/g, '').replace(/^[ \t]*Summary:[ \t]*/gm, '');

/** A concise summary: the lead sentence of each paragraph, each sentence once. @param {string} text */
function leadSentences(text) {
	const leads = withoutMarkers(text)
		.split(/\n\s*\n/)
		.flatMap((paragraph) => {
			const sentences =
				paragraph
					.replace(/\s+/g, ' ')
					.trim()
					.match(/[^.!?]+[.!?]?/g) ?? [];
			return sentences.length > 0 ? [sentences[0].trim()] : [];
		});
	return [...new Set(leads.filter(Boolean))];
}

/** The Summarization Chain's default prompts. @param {string} prompt @returns {string | undefined} */
function summary(prompt) {
	const concise = CONCISE.exec(prompt);
	if (concise) return leadSentences(concise[1]).join(' ');
	const refine = REFINE.exec(prompt);
	if (refine) {
		const existing = withoutMarkers(refine[1]).trim();
		const added = leadSentences(refine[2]).filter((sentence) => !existing.includes(sentence));
		return [existing, ...added].filter(Boolean).join(' ');
	}
	return undefined;
}

/**
 * The answer to a request that asks for a format, or undefined for any other request.
 * content: the answer's text; toolCall: a tool the instructions say must be used, with arguments
 * that conform to its parameters. broken: the JSON comes with a trailing comma (the once-bad
 * answer that makes n8n ask the model to fix it).
 * @param {any} body a chat completion request (already validated)
 * @param {{ broken?: boolean }} [how]
 * @returns {{ content?: string, toolCall?: { name: string, arguments: unknown } } | undefined}
 */
function formatAnswer(body, how = {}) {
	const messages = Array.isArray(body?.messages) ? body.messages : [];
	const lastUserIndex = messages.map((/** @type {any} */ m) => m?.role).lastIndexOf('user');
	const lastUser = textOf(messages[lastUserIndex]);
	const system = messages
		.filter((/** @type {any} */ m) => m?.role === 'system')
		.map(textOf)
		.join('\n');
	const marker = `[simulated ${body.model}]`;
	const raw = body.response_format?.type === 'json_object';
	/** @param {unknown} value */
	const asJson = (value) => {
		let json = JSON.stringify(value);
		if (how.broken && json.endsWith('}')) json = `${json.slice(0, -1)},}`;
		return raw ? json : `\`\`\`json\n${json}\n\`\`\``;
	};

	const summarised = summary(lastUser);
	if (summarised !== undefined) return { content: `${marker} Summary: ${summarised}` };

	if (lastUser.includes(FIX_MARK)) {
		const schema = instructedSchema(lastUser);
		const completion = /\nCompletion:\n-+\n([\s\S]*?)\n-+\n\nAbove, the Completion/.exec(
			lastUser,
		)?.[1];
		if (schema && completion !== undefined)
			return { content: asJson(repaired(schema, completion)) };
	}

	const schema = instructedSchema(lastUser) ?? instructedSchema(system);
	if (schema) {
		const input = withoutInstructions(lastUser);
		return { content: asJson(conforming(schema, input, `${system}\n${lastUser}`)) };
	}

	// A system message that says a tool must be used, for a tool the request offers (AI Agent's
	// format_final_json_response), in the turn's first round.
	const tool = MUST_USE_TOOL.exec(system)?.[1];
	const offered = Array.isArray(body.tools)
		? body.tools.find((/** @type {any} */ t) => t?.function?.name === tool)
		: undefined;
	const answered = messages
		.slice(lastUserIndex + 1)
		.some(
			(/** @type {any} */ m) =>
				m?.role === 'assistant' &&
				Array.isArray(m.tool_calls) &&
				m.tool_calls.some((/** @type {any} */ call) => call?.function?.name === tool),
		);
	if (offered && !answered && body.tool_choice !== 'none') {
		const results = messages
			.slice(lastUserIndex + 1)
			.filter((/** @type {any} */ m) => m?.role === 'tool')
			.map(textOf);
		const input = [lastUser, ...results].join('\n');
		return {
			toolCall: {
				name: offered.function.name,
				arguments: conforming(offered.function.parameters, input, system),
			},
		};
	}
	return undefined;
}

module.exports = { formatAnswer };
