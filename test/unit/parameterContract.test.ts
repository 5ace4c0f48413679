import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';

import { MetaChatApi } from '../../credentials/MetaChatApi.credentials';
import baselineJson from './parameterContract.baseline.json';
import { DeepSeek } from '../../nodes/DeepSeek/DeepSeek.node';
import { LmChatDeepSeek } from '../../nodes/LmChatDeepSeek/LmChatDeepSeek.node';

type Contract = Record<string, unknown>;

/**
 * What a saved workflow depends on: node and credential names, versions, and every parameter's
 * name, type, the values of its options and where it is shown. Wording, hints and defaults may
 * change; none of this may.
 */
function contractOf(properties: INodeProperties[]): Contract[] {
	return properties.map((property) => {
		const contract: Contract = { name: property.name, type: property.type };
		if (property.displayOptions) contract.displayOptions = property.displayOptions;
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
		return contract;
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

/** Taken from the code of 0.1.0, before the move onto n8n's request helpers. */
const baseline = baselineJson as unknown as Record<
	string,
	{
		name: string;
		version: number;
		credentials?: string[];
		parameters?: Contract[];
		fields?: Contract[];
	}
>;

describe('the parameters saved workflows depend on', () => {
	it.each([
		['DeepSeek', new DeepSeek().description],
		['MetaChat DeepSeek Chat Model', new LmChatDeepSeek().description],
	])('%s keeps its name, version and every parameter of 0.1.0', (_name, description) => {
		const old = baseline[description.name];
		expect(old).toBeDefined();
		expect(description.version).toEqual(old.version);
		expect(description.credentials?.map((credential) => credential.name)).toEqual(old.credentials);
		expect(missingFrom(contractOf(description.properties), old.parameters!)).toEqual([]);
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
