// `npm run lint`: the checks of n8n's community-package scanner, on both of its legs: the sources
// (package.json, nodes/, credentials/) and the packed tarball's compiled JavaScript.
import { execFileSync } from 'child_process';
import { ESLint } from 'eslint';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { fileURLToPath } from 'url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const configFile = path.join(root, 'eslint.config.mjs');

async function lint(cwd, patterns, label) {
	const eslint = new ESLint({ cwd, overrideConfigFile: configFile, allowInlineConfig: false });
	const results = await eslint.lintFiles(patterns);
	const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
	const files = results.length;
	const output = await (await eslint.loadFormatter('stylish')).format(results);
	if (output.trim()) console.log(output);
	console.log(`${label}: ${files} files, ${errors} errors`);
	return errors;
}

const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'metachat-lint-'));
try {
	let errors = await lint(
		root,
		['package.json', 'nodes/**/*.{ts,json}', 'credentials/**/*.ts'],
		'sources',
	);
	const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], {
		cwd: root,
		encoding: 'utf8',
	})
		.trim()
		.split('\n')
		.pop();
	const unpacked = path.join(packDir, 'package');
	execFileSync('tar', ['-xzf', path.join(packDir, tarball), '-C', packDir]);
	errors += await lint(unpacked, ['**/*.js', 'package.json'], 'packed tarball');
	process.exitCode = errors > 0 ? 1 : 0;
} finally {
	fs.rmSync(packDir, { recursive: true, force: true });
}
