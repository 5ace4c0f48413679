import fs from 'fs';
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
	it('loads, while the chat model sub-node (which needs the SDK) does not', () => {
		jest.isolateModules(() => {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const { DeepSeek } = require('../../nodes/DeepSeek/DeepSeek.node');
			expect(new DeepSeek().description.name).toBe('deepSeek');
		});
		jest.isolateModules(() => {
			expect(() => require('../../nodes/LmChatDeepSeek/LmChatDeepSeek.node')).toThrow(
				/ai-node-sdk/,
			);
		});
	});

	// What the tests above do not show: n8n loads a community package with its PackageDirectoryLoader,
	// which requires every node file the package lists and drops the whole package when one throws
	// ("Failed to load package"). Today the sub-node's file imports the SDK at its top, so on an n8n
	// without the SDK the DeepSeek node and the credential are lost with it. This asserts what should
	// happen; it is marked failing until nodes/LmChatDeepSeek loads without the SDK (imports it
	// lazily and says once, in one log line, that the sub-node cannot run); then make it `it`.
	it.failing("KNOWN GAP, fails today: as a package through n8n's own loader, the DeepSeek node and the credential load", async () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { PackageDirectoryLoader } = require('n8n-core') as typeof import('n8n-core');
		const loader = new PackageDirectoryLoader(ROOT);
		await loader.loadAll();
		expect(Object.keys(loader.nodeTypes)).toContain('deepSeek');
		expect(Object.keys(loader.credentialTypes)).toContain('metaChatApi');
	});

	it('has no import of the SDK anywhere under nodes/DeepSeek or nodes/shared', () => {
		const offenders = ['DeepSeek', 'shared']
			.flatMap((dir) => sources(path.join(ROOT, 'nodes', dir)))
			.filter((file) => fs.readFileSync(file, 'utf8').includes('@n8n/ai-node-sdk'))
			.map((file) => path.relative(ROOT, file));
		expect(offenders).toEqual([]);
	});
});
