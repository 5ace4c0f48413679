import fs from 'fs';
import type { INodeTypeDescription } from 'n8n-workflow';
import path from 'path';

import { MetaChatApi } from '../../credentials/MetaChatApi.credentials';

const ROOT = path.resolve(__dirname, '..', '..');

/** The node types as n8n's own package loader serves them to the editor (from dist/). */
async function servedNodeTypes(): Promise<Map<string, INodeTypeDescription>> {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { PackageDirectoryLoader } = require('n8n-core') as typeof import('n8n-core');
	const loader = new PackageDirectoryLoader(ROOT);
	await loader.loadAll();
	return new Map(loader.types.nodes.map((type) => [type.name, type]));
}

describe("the nodes as n8n's editor shows them", () => {
	let types: Map<string, INodeTypeDescription>;
	beforeAll(async () => {
		types = await servedNodeTypes();
	});
	const both = ['deepSeek', 'lmChatDeepSeek'];

	it('names both after MetaChat, on the panel and on the canvas', () => {
		expect(both.map((name) => types.get(name)?.displayName)).toEqual([
			'MetaChat DeepSeek',
			'MetaChat DeepSeek Chat Model',
		]);
		expect(both.map((name) => types.get(name)?.defaults.name)).toEqual([
			'MetaChat DeepSeek',
			'MetaChat DeepSeek Chat Model',
		]);
	});

	it("gives both MetaChat's icon, light and dark, from files the package ships", () => {
		for (const name of both) {
			const { iconUrl } = types.get(name) as INodeTypeDescription & {
				iconUrl: { light: string; dark: string };
			};
			expect(iconUrl).toEqual({
				light: 'icons/n8n-nodes-metachat/dist/credentials/metachat.svg',
				dark: 'icons/n8n-nodes-metachat/dist/credentials/metachat.dark.svg',
			});
			for (const url of [iconUrl.light, iconUrl.dark]) {
				const file = path.join(ROOT, url.replace('icons/n8n-nodes-metachat/', ''));
				expect(fs.readFileSync(file, 'utf8')).toMatch(/^<svg [^>]*viewBox="0 0 64 64"/);
			}
		}
	});

	it.each(['deepseek', 'metachat', 'llm', 'summarize'])(
		'a search for "%s" finds both by their aliases',
		(word) => {
			for (const name of both) {
				const aliases = (types.get(name)?.codex?.alias ?? []).map((alias) => alias.toLowerCase());
				expect(aliases).toContain(word);
			}
		},
	);

	it("puts the DeepSeek node in the AI category beside n8n's vendor nodes, as OpenAI's is", () => {
		// n8n's OpenAI node: categories ['AI'], subcategories { AI: ['Agents', 'Miscellaneous'] }.
		const codex = types.get('deepSeek')?.codex;
		expect(codex?.categories).toEqual(['AI']);
		expect(codex?.subcategories?.AI).toEqual(expect.arrayContaining(['Agents', 'Miscellaneous']));
		expect(types.get('lmChatDeepSeek')?.codex?.categories).toEqual(['AI']);
	});

	it('links each node and the credential to a page of this repository, with no anchor', () => {
		const REPOSITORY = 'https://github.com/n8n-nodes-metachat/n8n-nodes-metachat/blob/main/';
		const urls = [
			new MetaChatApi().documentationUrl,
			...both.flatMap((name) => {
				const resources = types.get(name)?.codex?.resources;
				return [
					...(resources?.primaryDocumentation ?? []),
					...(resources?.credentialDocumentation ?? []),
				].map((link) => link.url);
			}),
		];
		expect(urls).toHaveLength(5);
		for (const url of urls) {
			// n8n appends its tracking query to the URL: after an anchor it would break the link.
			expect(url).not.toContain('#');
			expect(url.startsWith(REPOSITORY)).toBe(true);
			expect(fs.existsSync(path.join(ROOT, url.slice(REPOSITORY.length)))).toBe(true);
		}
		const pages = both.map(
			(name) => types.get(name)?.codex?.resources?.primaryDocumentation?.[0].url,
		);
		expect(pages).toEqual([
			`${REPOSITORY}docs/deepseek-node.md`,
			`${REPOSITORY}docs/chat-model.md`,
		]);
	});
});
