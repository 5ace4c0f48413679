// `npm run lint`: n8n's own verification scan (@n8n/scan-community-package, its ESLint config, no
// overrides, inline disables ignored) on both of its legs: the sources (package.json, nodes/,
// credentials/) and the packed tarball; then `n8n-node lint` (@n8n/node-cli, the starter's strict
// mode with n8n Cloud support) on the same sources. Any finding fails the run, and `npm test`.
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { fileURLToPath } from 'url';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function report(label, result) {
	if (result.details) console.log(result.details);
	const errors = Number(result.details?.match(/(\d+) problems?/)?.[1] ?? (result.passed ? 0 : 1));
	console.log(`n8n scan, ${label}: ${result.passed ? 'passed' : `${errors} errors`}`);
	return result.passed;
}

/**
 * `n8n-node lint` lints every .ts file below the folder with the starter's config, which strict
 * mode forbids changing; the package is what it is for, so it runs on a copy of the package's
 * sources (as the scan's source leg reads them), without the tests and tools around them.
 */
function nodeCliLint() {
	const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'metachat-node-cli-'));
	try {
		for (const entry of [
			'package.json',
			'tsconfig.json',
			'eslint.config.mjs',
			'nodes',
			'credentials',
		]) {
			fs.cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
		}
		fs.symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
		execFileSync(path.join(root, 'node_modules', '.bin', 'n8n-node'), ['lint'], {
			cwd: copy,
			stdio: 'inherit',
		});
		console.log('n8n-node lint: passed');
		return true;
	} catch {
		console.log('n8n-node lint: failed');
		return false;
	} finally {
		fs.rmSync(copy, { recursive: true, force: true });
	}
}

const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'metachat-lint-'));
try {
	const sources = report('sources', await analyzePackage(root, SOURCE_FILE_PATTERNS));
	const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], {
		cwd: root,
		encoding: 'utf8',
	})
		.trim()
		.split('\n')
		.pop();
	execFileSync('tar', ['-xzf', path.join(packDir, tarball), '-C', packDir]);
	const unpacked = path.join(packDir, 'package');
	const packed = report(
		'packed tarball',
		await analyzePackage(unpacked, ['**/*.js', 'package.json']),
	);
	process.exitCode = sources && packed && nodeCliLint() ? 0 : 1;
} finally {
	fs.rmSync(packDir, { recursive: true, force: true });
}
