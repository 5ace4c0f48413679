import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';

import { MetaChatApi } from '../../credentials/MetaChatApi.credentials';
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

describe('the parameters saved workflows depend on', () => {
	it.each([
		['DeepSeek', new DeepSeek().description],
		['MetaChat DeepSeek Chat Model', new LmChatDeepSeek().description],
	])('%s keeps its name, version and parameters', (_name, description) => {
		expect({
			name: description.name,
			version: description.version,
			credentials: description.credentials?.map((credential) => credential.name),
			parameters: contractOf(description.properties),
		}).toMatchSnapshot();
	});

	it('the MetaChat credential keeps its name and fields', () => {
		const credential = new MetaChatApi();
		expect({ name: credential.name, fields: contractOf(credential.properties) }).toMatchSnapshot();
	});
});
