import type {
	IDisplayOptions,
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { MetaChatApi } from '../../credentials/MetaChatApi.credentials';
import baselineJson from './parameterContract.baseline.json';
import { DeepSeek } from '../../nodes/DeepSeek/DeepSeek.node';
import { LmChatDeepSeek } from '../../nodes/LmChatDeepSeek/LmChatDeepSeek.node';

type Contract = Record<string, unknown>;

/** Whether a parameter is shown in a version of its node (its `@version` rules, nothing else). */
function shownIn(displayOptions: IDisplayOptions | undefined, version: number): boolean {
	const show = displayOptions?.show?.['@version'];
	const hide = displayOptions?.hide?.['@version'];
	if (show && !NodeHelpers.checkConditions(show, [version])) return false;
	return !(hide && NodeHelpers.checkConditions(hide, [version]));
}

/** Where a parameter is shown within its version: its display options without the version. */
function withoutVersion(displayOptions: IDisplayOptions): IDisplayOptions | undefined {
	const rest: IDisplayOptions = {};
	for (const key of ['show', 'hide'] as const) {
		const { '@version': _version, ...rules } = displayOptions[key] ?? {};
		if (Object.keys(rules).length > 0) rest[key] = rules;
	}
	return Object.keys(rest).length > 0 ? rest : undefined;
}

/**
 * What a saved workflow of one node version depends on: node and credential names, versions,
 * and every parameter's name, type, the values of its options and where it is shown. Wording,
 * hints and defaults may change; none of this may.
 */
function contractOf(properties: INodeProperties[], version = 1): Contract[] {
	return properties.flatMap((property) => {
		if (!shownIn(property.displayOptions, version)) return [];
		const contract: Contract = { name: property.name, type: property.type };
		const displayOptions = property.displayOptions && withoutVersion(property.displayOptions);
		if (displayOptions) contract.displayOptions = displayOptions;
		const options = property.options ?? [];
		if (property.type === 'options' || property.type === 'multiOptions') {
			contract.values = (options as INodePropertyOptions[]).map((option) => option.value);
		} else if (property.type === 'collection') {
			contract.options = contractOf(options as INodeProperties[]);
		} else if (property.type === 'fixedCollection') {
			contract.options = (options as INodePropertyCollection[]).map((group) => ({
				name: group.name,
				values: contractOf(group.values),
			}));
		} else if (property.type === 'resourceLocator') {
			contract.modes = (property.modes ?? []).map((mode) => mode.name);
		}
		return [contract];
	});
}

/**
 * Whether everything a saved workflow of the baseline relies on is still there: each parameter
 * (matched by name and where it is shown) with its type, and each of its option values. New
 * parameters and new option values may be added.
 */
function missingFrom(current: Contract[], baseline: Contract[], path = ''): string[] {
	const key = (contract: Contract) =>
		`${String(contract.name)} ${JSON.stringify(contract.displayOptions ?? null)}`;
	return baseline.flatMap((old) => {
		const where = `${path}${String(old.name)}`;
		const now = current.find((contract) => key(contract) === key(old));
		if (!now) return [`${where} is gone`];
		if (now.type !== old.type) return [`${where} changed type from ${old.type} to ${now.type}`];
		const lost: string[] = [];
		for (const value of (old.values as unknown[] | undefined) ?? []) {
			if (!(now.values as unknown[]).includes(value))
				lost.push(`${where} lost the value ${String(value)}`);
		}
		for (const mode of (old.modes as unknown[] | undefined) ?? []) {
			if (!(now.modes as unknown[]).includes(mode))
				lost.push(`${where} lost the mode ${String(mode)}`);
		}
		const oldOptions = (old.options as Contract[] | undefined) ?? [];
		const nowOptions = (now.options as Contract[] | undefined) ?? [];
		for (const group of oldOptions) {
			if (Array.isArray(group.values) && typeof group.values[0] === 'object') {
				const match = nowOptions.find((candidate) => candidate.name === group.name);
				if (!match) lost.push(`${where}.${String(group.name)} is gone`);
				else
					lost.push(
						...missingFrom(match.values as Contract[], group.values as Contract[], `${where}.`),
					);
			}
		}
		if (old.type === 'collection') lost.push(...missingFrom(nowOptions, oldOptions, `${where}.`));
		return lost;
	});
}

/**
 * Taken from the code of 0.1.0, before the move onto n8n's request helpers; `deepSeek@2` from
 * the release that added the DeepSeek node's version 2, `deepSeek@3` from the one that added 3.
 */
const baseline = baselineJson as unknown as Record<
	string,
	{
		name: string;
		version: number | number[];
		credentials?: string[];
		parameters?: Contract[];
		fields?: Contract[];
	}
>;

describe('the parameters saved workflows depend on', () => {
	it.each([
		['DeepSeek', 1, 'deepSeek', new DeepSeek().description],
		['DeepSeek', 2, 'deepSeek@2', new DeepSeek().description],
		['DeepSeek', 3, 'deepSeek@3', new DeepSeek().description],
		['MetaChat DeepSeek Chat Model', 1, 'lmChatDeepSeek', new LmChatDeepSeek().description],
	])(
		'%s version %s keeps its name and every parameter of its baseline %s',
		(_name, version, key, description) => {
			const old = baseline[key];
			expect(old).toBeDefined();
			expect(description.name).toBe(old.name);
			expect([description.version].flat()).toContain(old.version);
			expect(description.credentials?.map((credential) => credential.name)).toEqual(
				old.credentials,
			);
			expect(missingFrom(contractOf(description.properties, version), old.parameters!)).toEqual([]);
		},
	);

	it('a new DeepSeek node is version 3; saved ones keep version 1 or 2', () => {
		const { version, defaultVersion } = new DeepSeek().description;
		expect(version).toEqual([1, 2, 3]);
		expect(defaultVersion).toBe(3);
	});

	it("version 2's parameters are not version 1's", () => {
		const { properties } = new DeepSeek().description;
		const names = (version: number) =>
			new Set(contractOf(properties, version).map((contract) => contract.name));
		expect([...names(1)].sort()).toEqual([
			'history',
			'model',
			'operation',
			'options',
			'prompt',
			'simplify',
		]);
		expect(names(2).has('options')).toBe(false);
		expect(names(2).has('systemMessage')).toBe(true);
	});

	it("version 3 keeps version 2's fields and holds its options in one Options collection", () => {
		const { properties } = new DeepSeek().description;
		const names = (version: number) =>
			[...new Set(contractOf(properties, version).map((contract) => contract.name))].sort();
		expect(names(3)).toEqual([
			'history',
			'model',
			'operation',
			'options',
			'prompt',
			'simplify',
			'systemMessage',
		]);
		const optionNames = (version: number) =>
			contractOf(properties, version)
				.filter((contract) => contract.type === 'collection')
				.flatMap((contract) => (contract.options as Contract[]).map((option) => option.name))
				.sort();
		expect(optionNames(3)).toEqual(optionNames(2));
	});

	it('the MetaChat credential keeps its name and fields', () => {
		const credential = new MetaChatApi();
		expect(
			missingFrom(contractOf(credential.properties), baseline[credential.name].fields!),
		).toEqual([]);
	});

	it('notices a removed option value', () => {
		const parameters = contractOf(new DeepSeek().description.properties);
		const operation = parameters.find((parameter) => parameter.name === 'operation')!;
		operation.values = ['chat'];
		expect(missingFrom(parameters, baseline.deepSeek.parameters!)).toEqual([
			'operation lost the value reason',
		]);
	});
});
