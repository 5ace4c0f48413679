import fs from 'fs';
import path from 'path';

const SHARED = path.resolve(__dirname, '..', '..', '..', '..', 'nodes', 'shared');
const WORDING = path.join(SHARED, 'wording');
/** The folders that record facts and must not reach the module that makes sentences. */
const FACTS_ONLY = ['transport', 'protocol', 'facts'];

function sources(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return sources(full);
		return entry.name.endsWith('.ts') ? [full] : [];
	});
}

/** Every relative specifier a file imports or re-exports, statically or dynamically. */
function specifiers(file: string): string[] {
	const text = fs.readFileSync(file, 'utf8');
	const patterns = [
		/\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
		/\bimport\s*['"]([^'"]+)['"]/g,
		/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
	];
	return patterns
		.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1]))
		.filter((specifier) => specifier.startsWith('.'));
}

function resolve(from: string, specifier: string): string {
	const base = path.resolve(path.dirname(from), specifier);
	const found = [base, `${base}.ts`, path.join(base, 'index.ts')].find(
		(candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile(),
	);
	if (!found) throw new Error(`${path.relative(SHARED, from)} imports ${specifier}: not found`);
	return found;
}

/** The chain of imports from a file to the wording, or undefined where it never reaches it. */
function pathToWording(start: string): string[] | undefined {
	const cameFrom = new Map<string, string | undefined>([[start, undefined]]);
	const queue = [start];
	while (queue.length > 0) {
		const file = queue.shift()!;
		if (file.startsWith(WORDING + path.sep)) {
			const chain: string[] = [];
			for (let at: string | undefined = file; at; at = cameFrom.get(at)) {
				chain.unshift(path.relative(SHARED, at));
			}
			return chain;
		}
		if (!file.endsWith('.ts')) continue;
		for (const specifier of specifiers(file)) {
			const next = resolve(file, specifier);
			if (cameFrom.has(next)) continue;
			cameFrom.set(next, file);
			queue.push(next);
		}
	}
	return undefined;
}

describe('facts apart from words', () => {
	const files = FACTS_ONLY.flatMap((folder) => sources(path.join(SHARED, folder)));

	it('finds the files of transport/, protocol/ and facts/, and their imports', () => {
		expect(files.length).toBeGreaterThan(25);
		// The walk sees imports: a file of the wording reaches itself, and the wording's facts.
		const notices = path.join(WORDING, 'notices.ts');
		expect(pathToWording(notices)).toEqual(['wording/notices.ts']);
		expect(specifiers(notices).map((specifier) => resolve(notices, specifier))).toContain(
			path.join(SHARED, 'transport', 'endpoint.ts'),
		);
	});

	it('no file of transport/, protocol/ or facts/ reaches the wording, even through others', () => {
		const reaching = files
			.map((file) => pathToWording(file))
			.filter((chain) => chain !== undefined)
			.map((chain) => chain.join(' → '));
		expect(reaching).toEqual([]);
	});
});
