import fs from 'fs';
import type { ISupplyDataFunctions } from 'n8n-workflow';
import path from 'path';

// An n8n without @n8n/ai-node-sdk: requiring it fails, as it would there.
jest.mock('@n8n/ai-node-sdk', () => {
	throw new Error("Cannot find module '@n8n/ai-node-sdk'");
});

const ROOT = path.resolve(__dirname, '..', '..');

function sources(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return sources(full);
		return entry.name.endsWith('.ts') ? [full] : [];
	});
}

describe('the DeepSeek node on an n8n without the AI node SDK', () => {
	it('loads, and so does the chat model sub-node, which says clearly, once, that it cannot run', async () => {
		jest.isolateModules(() => {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const { DeepSeek } = require('../../nodes/DeepSeek/DeepSeek.node');
			expect(new DeepSeek().description.name).toBe('deepSeek');
		});
		let LmChatDeepSeek: typeof import('../../nodes/LmChatDeepSeek/LmChatDeepSeek.node').LmChatDeepSeek;
		jest.isolateModules(() => {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			({ LmChatDeepSeek } = require('../../nodes/LmChatDeepSeek/LmChatDeepSeek.node'));
		});
		const node = new LmChatDeepSeek!();
		expect(node.description.name).toBe('lmChatDeepSeek');
		const logged: string[] = [];
		const ctx = {
			getNode: () => ({ name: 'MetaChat DeepSeek Chat Model' }),
			logger: { error: (message: string) => logged.push(message) },
		} as unknown as ISupplyDataFunctions;
		await expect(node.supplyData.call(ctx, 0)).rejects.toThrow(/needs n8n 2\.16 or later/);
		expect(logged).toEqual([expect.stringMatching(/@n8n\/ai-node-sdk/)]);
	});

	// n8n loads a community package with its PackageDirectoryLoader, which requires every node file
	// the package lists and drops the whole package when one throws ("Failed to load package"): the
	// sub-node's file must load without the SDK, or the DeepSeek node and the credential go with it.
	it("loads as a package through n8n's own loader: both nodes and the credential", async () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { PackageDirectoryLoader } = require('n8n-core') as typeof import('n8n-core');
		const loader = new PackageDirectoryLoader(ROOT);
		await loader.loadAll();
		expect(Object.keys(loader.nodeTypes)).toEqual(
			expect.arrayContaining(['deepSeek', 'lmChatDeepSeek']),
		);
		expect(Object.keys(loader.credentialTypes)).toContain('metaChatApi');
	});

	it('has no import of the SDK anywhere under nodes/DeepSeek or nodes/shared', () => {
		const offenders = ['DeepSeek', 'shared']
			.flatMap((dir) => sources(path.join(ROOT, 'nodes', dir)))
			// An import or a require of it; a sentence may name it (the sub-node's error says it is needed).
			.filter((file) =>
				/(?:from\s+|import\(\s*|require\(\s*)['"]@n8n\/ai-node-sdk/.test(
					fs.readFileSync(file, 'utf8'),
				),
			)
			.map((file) => path.relative(ROOT, file));
		expect(offenders).toEqual([]);
	});
});
