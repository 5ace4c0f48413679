// `npm run lint`: n8n's own verification scan (@n8n/scan-community-package, its ESLint config, no
// overrides, inline disables ignored) on both of its legs: the sources (package.json, nodes/,
// credentials/) and the packed tarball. Any finding fails the run, and with it `npm test`.
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
	process.exitCode = sources && packed ? 0 : 1;
} finally {
	fs.rmSync(packDir, { recursive: true, force: true });
}
