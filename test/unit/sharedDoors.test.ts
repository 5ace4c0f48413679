import fs from 'fs';
import path from 'path';

const NODES = path.resolve(__dirname, '..', '..', 'nodes');
const SHARED = path.join(NODES, 'shared');

/** What a node folder may import of nodes/shared: the session, DeepSeek's rules, the parameters, the words. */
const DOORS = ['parameters', 'protocol', 'session', 'wording'];

function filesOf(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return filesOf(full);
		return entry.name.endsWith('.ts') ? [full] : [];
	});
}

/** The modules of nodes/shared a folder's files import (relative to nodes/shared, no extension). */
function sharedImports(folder: string): Map<string, string[]> {
	const found = new Map<string, string[]>();
	for (const file of filesOf(path.join(NODES, folder))) {
		const source = fs.readFileSync(file, 'utf8');
		for (const match of source.matchAll(/(?:import|export)[^;]*?from '(\.[^']+)'/g)) {
			const target = path.relative(SHARED, path.resolve(path.dirname(file), match[1]));
			if (target.startsWith('..')) continue;
			found.set(target, [...(found.get(target) ?? []), path.relative(NODES, file)]);
		}
	}
	return found;
}

describe.each(['DeepSeek', 'LmChatDeepSeek'])('the %s folder', (folder) => {
	it('reaches the shared code only through its doors', () => {
		const imports = sharedImports(folder);
		const others = [...imports].filter(([target]) => !DOORS.includes(target));
		expect(others).toEqual([]);
		expect(imports.size).toBeLessThanOrEqual(5);
	});
});
