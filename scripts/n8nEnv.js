// A real n8n for `npm start` and the end-to-end suite: installed once into a cache outside the
// repository, with this package installed the way the editor's Community Nodes installer does it.
// Plain Node, no dependencies; runs under the Node 24 that scripts/toolchain.js puts on PATH.
'use strict';

const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

/** The n8n the package is released against: `npm start`, `npm test` and CI's full e2e run. */
const PINNED_N8N_VERSION = '2.40.7';
/** The n8n this process uses: `N8N_VERSION=2.41.0 npm run test:e2e` runs the suite on another. */
const N8N_VERSION = process.env.N8N_VERSION || PINNED_N8N_VERSION;
const ROOT = path.resolve(__dirname, '..');
const CACHE_DIR =
	process.env.METACHAT_CACHE_DIR || path.join(os.homedir(), '.cache', 'n8n-nodes-metachat');
const PACKAGE_NAME = require(path.join(ROOT, 'package.json')).name;
const { cleanEnv } = require('./toolchain');

const children = new Set();

function log(message) {
	process.stderr.write(`[n8n-env] ${message}\n`);
}

function run(command, args, options = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd: options.cwd ?? ROOT,
			env: options.env ?? cleanEnv(),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (data) => (stdout += data));
		child.stderr.on('data', (data) => (stderr += data));
		child.on('error', reject);
		child.on('exit', (code) => {
			if (code === 0 || options.allowFailure) resolve({ code, stdout, stderr });
			else {
				// `n8n execute` says why a run failed on stdout, with nothing on stderr.
				const said = stderr.trim() ? stderr : stdout;
				reject(new Error(`${command} ${args.join(' ')} exited ${code}\n${said.slice(-4000)}`));
			}
		});
	});
}

/** The native modules n8n cannot start without; `npm rebuild` builds them for the running Node. */
const NATIVE_MODULES = ['sqlite3', 'isolated-vm'];

/**
 * The native modules that do not load under this Node (the one that will run n8n), each with its
 * error; probed in a child process so a broken build cannot take this one down.
 */
function brokenNativeModules(home) {
	const probes = {
		sqlite3: `new (require(require.resolve('sqlite3', { paths: [process.cwd()] })).Database)(':memory:').close()`,
		'isolated-vm': `require(require.resolve('isolated-vm', { paths: [process.cwd()] }))`,
	};
	const broken = [];
	for (const name of NATIVE_MODULES) {
		try {
			execFileSync(process.execPath, ['-e', probes[name]], {
				cwd: home,
				stdio: ['ignore', 'ignore', 'pipe'],
				env: cleanEnv(),
			});
		} catch (error) {
			const stderr = String(error.stderr ?? error.message);
			const line = stderr.split('\n').find((text) => /Error|Cannot find/.test(text)) ?? stderr;
			broken.push({ name, problem: line.trim().slice(0, 200) });
		}
	}
	return broken;
}

const describeBroken = (broken) =>
	broken.map(({ name, problem }) => `${name}: ${problem}`).join('; ');

function completeMarker(installed = { n8n: N8N_VERSION }) {
	return `${JSON.stringify({
		...installed,
		node: process.version,
		modules: process.versions.modules,
		platform: `${process.platform}-${process.arch}`,
		at: new Date().toISOString(),
	})}\n`;
}

async function rebuildNative(dir, modules = NATIVE_MODULES) {
	// Stated explicitly: an ignore-scripts handed down by a parent npm would build nothing.
	const env = cleanEnv();
	// Node's headers come with the toolchain's Node, so node-gyp builds offline.
	if (process.env.npm_config_nodedir) env.npm_config_nodedir = process.env.npm_config_nodedir;
	const args = ['rebuild', ...modules, '--ignore-scripts=false', '--foreground-scripts'];
	await run('npm', args, { cwd: dir, env });
}

/** Where the n8n in use is installed in the cache (complete once its `.complete` marker exists). */
function n8nHome() {
	return path.join(CACHE_DIR, `n8n-${N8N_VERSION}`);
}

/**
 * Installs the n8n in use (N8N_VERSION, else the pinned one) once. The cache counts as complete
 * only when its native modules load under the Node that will run it; a cache that fails that check
 * is repaired, not trusted, and an interrupted install never looks complete.
 */
async function ensureN8n() {
	const home = n8nHome();
	const bin = path.join(home, 'node_modules', 'n8n', 'bin', 'n8n');
	const marker = path.join(home, '.complete');
	if (fs.existsSync(marker) && fs.existsSync(bin)) {
		const broken = brokenNativeModules(home);
		if (broken.length === 0) return { home, bin };
		log(`the n8n in ${home} cannot load its native modules (${describeBroken(broken)}): repairing`);
		fs.rmSync(marker, { force: true });
		const names = broken.map(({ name }) => name);
		await rebuildNative(home, names).catch((error) => log(String(error.message).slice(0, 2000)));
		const still = brokenNativeModules(home);
		if (still.length === 0) {
			fs.writeFileSync(marker, completeMarker());
			log(`repaired: ${names.join(' and ')} rebuilt for Node ${process.version}`);
			return { home, bin };
		}
		log(`rebuilding did not help (${describeBroken(still)}): installing n8n again`);
	}

	log(`installing n8n ${N8N_VERSION} into ${home} (once, a few minutes)`);
	const started = Date.now();
	await installStaged(home, [`n8n@${N8N_VERSION}`], async (staging) => {
		await rebuildNative(staging);
		const broken = brokenNativeModules(staging);
		if (broken.length > 0) {
			throw new Error(
				`n8n's native modules do not load after the install: ${describeBroken(broken)}`,
			);
		}
	});
	log(`n8n installed in ${Math.round((Date.now() - started) / 1000)} s`);
	return { home, bin };
}

/**
 * `npm install` of `specs` into a staging folder beside `home`, moved into place once complete
 * with its `.complete` marker written last, so an interrupted install never looks complete.
 * `prepare(staging)` runs after the install, before the marker. The install runs no scripts:
 * n8n's Kafka client's install script downloads a binary from outside.
 */
async function installStaged(home, specs, prepare = async () => {}) {
	const staging = `${home}.partial`;
	fs.rmSync(staging, { recursive: true, force: true });
	fs.mkdirSync(staging, { recursive: true });
	fs.writeFileSync(
		path.join(staging, 'package.json'),
		'{ "name": "n8n-cache", "private": true }\n',
	);
	await run('npm', ['install', ...specs, '--ignore-scripts', '--no-audit', '--no-fund'], {
		cwd: staging,
	});
	await prepare(staging);
	const installed = Object.fromEntries(specs.map((spec) => spec.split(/(?<=.)@/)));
	fs.writeFileSync(path.join(staging, '.complete'), completeMarker(installed));
	fs.rmSync(home, { recursive: true, force: true });
	fs.renameSync(staging, home);
}

/**
 * The engine of the last n8n 1.x (n8n 1.123.81 depends on these): `npm run test:engine1x` runs
 * the DeepSeek node's workflow tests through it. n8n 1.x itself does not install here (one of its
 * dependencies comes from a host outside the registry); its engine packages do.
 */
const ENGINE_1X = { 'n8n-core': '1.122.48', 'n8n-workflow': '1.120.31' };

/** Installs ENGINE_1X once into the cache; returns the folder whose node_modules hold it. */
async function ensureEngine1x() {
	const home = path.join(CACHE_DIR, `engine-n8n-core-${ENGINE_1X['n8n-core']}`);
	if (fs.existsSync(path.join(home, '.complete'))) return home;
	log(
		`installing n8n-core ${ENGINE_1X['n8n-core']} and n8n-workflow ${ENGINE_1X['n8n-workflow']} into ${home}`,
	);
	await installStaged(
		home,
		Object.entries(ENGINE_1X).map(([name, version]) => `${name}@${version}`),
	);
	return home;
}

/** `npm pack` of this repository (its prepack script builds it); returns the tarball's path. */
async function packPackage() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metachat-pack-'));
	const { stdout } = await run('npm', ['pack', '--pack-destination', dir, '--silent']);
	const name = stdout.trim().split('\n').pop();
	return path.join(dir, name);
}

/**
 * Installs a package tarball into <userFolder>/.n8n/nodes as n8n 2.x's Community Nodes installer
 * does: unpacked into node_modules/<name>, dev/peer/optional dependencies dropped, `npm install`
 * of its dependencies inside it, and the dependency recorded in nodes/package.json.
 */
async function installCommunityPackage(userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const packageDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.rmSync(packageDir, { recursive: true, force: true });
	fs.mkdirSync(packageDir, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
	const manifestPath = path.join(packageDir, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...manifest } = JSON.parse(
		fs.readFileSync(manifestPath, 'utf8'),
	);
	fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	await run(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
		],
		{ cwd: packageDir },
	);
	const nodesManifestPath = path.join(nodesDir, 'package.json');
	const nodesManifest = fs.existsSync(nodesManifestPath)
		? JSON.parse(fs.readFileSync(nodesManifestPath, 'utf8'))
		: { name: 'installed-nodes', private: true, dependencies: {} };
	nodesManifest.dependencies = { ...nodesManifest.dependencies, [PACKAGE_NAME]: manifest.version };
	fs.writeFileSync(nodesManifestPath, JSON.stringify(nodesManifest, null, 2));
}

function n8nEnvironment(userFolder, port, extra = {}) {
	return {
		...process.env,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: 'localhost',
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `http://localhost:${port}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LOG_LEVEL: 'info',
		N8N_RUNNERS_BROKER_PORT: String(port + 1),
		DB_SQLITE_POOL_SIZE: '2',
		...extra,
	};
}

async function n8nCli(bin, env, args) {
	return await run(process.execPath, [bin, ...args], { env, cwd: env.N8N_USER_FOLDER });
}

function writeJson(file, value) {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, JSON.stringify(value, null, 2));
	return file;
}

/** The MetaChat credential the example workflows refer to (by this id and name). */
const CREDENTIAL = { id: 'metachatExample01', name: 'MetaChat account' };

async function importCredential(bin, env, data) {
	const file = writeJson(path.join(env.N8N_USER_FOLDER, 'import', 'credentials.json'), [
		{ ...CREDENTIAL, type: 'metaChatApi', data },
	]);
	await n8nCli(bin, env, ['import:credentials', `--input=${file}`]);
	fs.rmSync(file);
}

/** Imports workflows (objects or files) and publishes the ones marked active, so triggers run. */
async function importWorkflows(bin, env, workflows) {
	for (const workflow of workflows) {
		const data =
			typeof workflow === 'string' ? JSON.parse(fs.readFileSync(workflow, 'utf8')) : workflow;
		const file = writeJson(path.join(env.N8N_USER_FOLDER, 'import', `${data.id}.json`), data);
		await n8nCli(bin, env, ['import:workflow', `--input=${file}`]);
		if (data.active) await n8nCli(bin, env, ['publish:workflow', `--id=${data.id}`]);
	}
}

function exampleWorkflowFiles() {
	const dir = path.join(ROOT, 'examples', 'workflows');
	return fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.map((file) => path.join(dir, file));
}

async function waitFor(check, timeoutMs, what) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			if (await check()) return;
		} catch {
			// not up yet
		}
		if (Date.now() > deadline) throw new Error(`${what} did not come up in ${timeoutMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** Starts `n8n start` (or another command) and waits until it answers /healthz/readiness. */
async function startN8n(bin, env, { command = 'start', logFile, waitReady = true } = {}) {
	const out = logFile ? fs.openSync(logFile, 'a') : 'inherit';
	const child = spawn(process.execPath, [bin, command], {
		env,
		cwd: env.N8N_USER_FOLDER,
		stdio: ['ignore', out, out],
	});
	children.add(child);
	child.on('exit', () => children.delete(child));
	if (waitReady) {
		const url = `http://127.0.0.1:${env.N8N_PORT}/healthz/readiness`;
		await waitFor(
			async () => {
				if (child.exitCode !== null) throw Object.assign(new Error('n8n exited'), { fatal: true });
				return (await fetch(url)).ok;
			},
			180_000,
			'n8n',
		).catch((error) => {
			if (child.exitCode !== null)
				throw new Error(`n8n exited with ${child.exitCode} before it was ready`);
			throw error;
		});
	}
	return child;
}

const OWNER = {
	email: 'owner@example.com',
	password: 'MetaChat-dev-1',
	firstName: 'Dev',
	lastName: 'Owner',
};

/** Creates the instance owner on first start; returns a session cookie for the REST API. */
async function ownerSession(baseUrl) {
	const setup = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(OWNER),
	});
	const login = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
	});
	if (!login.ok) {
		throw new Error(
			`n8n login failed (${login.status}; owner setup ${setup.status}): ${await login.text()}`,
		);
	}
	const cookie = (login.headers.getSetCookie?.() ?? [login.headers.get('set-cookie')])
		.filter(Boolean)
		.map((value) => value.split(';')[0])
		.join('; ');
	return { cookie, ...OWNER };
}

/** Starts a simulator in its own process and waits for its "listening" line. */
function startSimulatorProcess({ port, name, apiKey, extraArgs = [] }) {
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			[
				path.join(ROOT, 'test', 'simulator', 'cli.js'),
				'--port',
				String(port),
				'--name',
				name,
				'--api-key',
				apiKey,
				'--quiet',
				...extraArgs,
			],
			{ stdio: ['ignore', 'pipe', 'inherit'] },
		);
		children.add(child);
		child.on('exit', () => children.delete(child));
		let buffer = '';
		child.stdout.on('data', (data) => {
			buffer += data;
			const match = buffer.match(/listening on (\S+)/);
			if (match) resolve({ child, url: match[1], control: match[1].replace(/\/v1$/, '/__sim') });
		});
		child.on('exit', (code) => reject(new Error(`simulator ${name} exited with ${code}`)));
	});
}

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

function portFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.unref();
		server.on('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** A free port for n8n whose next port is free too: n8n's task broker takes port + 1. */
async function freeN8nPort() {
	for (let tries = 0; tries < 50; tries++) {
		const port = await freePort();
		if (port < 65535 && (await portFree(port + 1))) return port;
	}
	throw new Error('found no two free ports in a row for n8n and its task broker');
}

/** The port asked for when it is free, or any free one (so a second `npm start` still starts). */
function portOr(preferred) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.unref();
		server.on('error', () => resolve(freePort()));
		server.listen(preferred, '127.0.0.1', () => server.close(() => resolve(preferred)));
	});
}

/** Whether a child has ended, by exiting or by a signal (then its exitCode stays null). */
const ended = (child) => child.exitCode !== null || child.signalCode !== null;

/** Stops every child this process started; safe to call more than once. */
function stopAll(signal = 'SIGTERM') {
	for (const child of children) {
		if (!ended(child)) child.kill(signal);
	}
}

function stopChild(child) {
	return new Promise((resolve) => {
		if (ended(child)) return resolve();
		child.once('exit', () => resolve());
		child.kill('SIGTERM');
		setTimeout(() => !ended(child) && child.kill('SIGKILL'), 10_000).unref();
	});
}

process.on('exit', () => stopAll('SIGKILL'));

module.exports = {
	N8N_VERSION,
	n8nHome,
	ENGINE_1X,
	ensureEngine1x,
	ROOT,
	CACHE_DIR,
	CREDENTIAL,
	log,
	run,
	ensureN8n,
	packPackage,
	installCommunityPackage,
	n8nEnvironment,
	n8nCli,
	importCredential,
	importWorkflows,
	exampleWorkflowFiles,
	startN8n,
	ownerSession,
	startSimulatorProcess,
	freePort,
	freeN8nPort,
	portOr,
	waitFor,
	stopAll,
	stopChild,
};

// `node scripts/n8nEnv.js`: installs (or repairs) the n8n of N8N_VERSION (the pinned one by
// default) in the cache, for `npm test` and CI.
if (require.main === module) {
	ensureN8n().then(
		() => process.exit(0),
		(error) => {
			log(error.stack || String(error));
			process.exit(1);
		},
	);
}
