import fs from 'fs';
import type { INodeProperties } from 'n8n-workflow';
import path from 'path';

import { DeepSeek } from '../../nodes/DeepSeek/DeepSeek.node';
import { LmChatDeepSeek } from '../../nodes/LmChatDeepSeek/LmChatDeepSeek.node';

const ROOT = path.resolve(__dirname, '..', '..');
const DIR = 'examples/workflows';
const files = fs.readdirSync(path.join(ROOT, DIR)).filter((name) => name.endsWith('.json'));

interface SavedNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
}

const nodesOf = (file: string) =>
	(JSON.parse(fs.readFileSync(path.join(ROOT, DIR, file), 'utf8')) as { nodes: SavedNode[] }).nodes;

/** The parameters a version of the DeepSeek node shows, and the options of its Options. */
function deepSeekPanel(version: number) {
	const shown = new DeepSeek().description.properties.filter((property) => {
		const versions = property.displayOptions?.show?.['@version'] as unknown[] | undefined;
		if (!versions) return true;
		return versions.some((rule) =>
			typeof rule === 'number'
				? rule === version
				: version >= (rule as { _cnd: { gte: number } })._cnd.gte,
		);
	});
	const options = shown
		.filter((property) => property.name === 'options')
		.flatMap((property) => (property.options as INodeProperties[]).map((option) => option.name));
	return { parameters: new Set(shown.map((property) => property.name)), options: new Set(options) };
}

describe('the example workflows', () => {
	it('are nine', () => {
		expect(files).toHaveLength(9);
	});

	it.each(files)(
		'%s saves the MetaChat nodes at their newest versions, with their fields',
		(file) => {
			const ours = nodesOf(file).filter((node) => node.type.startsWith('n8n-nodes-metachat.'));
			expect(ours.length).toBeGreaterThan(0);
			const { defaultVersion } = new DeepSeek().description;
			const panel = deepSeekPanel(defaultVersion!);
			for (const node of ours) {
				if (node.type === 'n8n-nodes-metachat.deepSeek') {
					expect(node.typeVersion).toBe(defaultVersion);
					expect(node.name).toBe('MetaChat DeepSeek');
					for (const name of Object.keys(node.parameters)) expect(panel.parameters).toContain(name);
					for (const name of Object.keys(node.parameters.options ?? {}))
						expect(panel.options).toContain(name);
				} else {
					expect(node.type).toBe('n8n-nodes-metachat.lmChatDeepSeek');
					expect(node.typeVersion).toBe(
						Math.max(...[new LmChatDeepSeek().description.version].flat()),
					);
				}
			}
		},
	);

	it('ship in the npm package and are linked from the README as files to import', () => {
		const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
			files: string[];
		};
		expect(pkg.files).toContain(DIR);
		const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
		for (const file of files)
			expect(readme).toContain(
				`(https://raw.githubusercontent.com/n8n-nodes-metachat/n8n-nodes-metachat/main/${DIR}/${file})`,
			);
	});
});
