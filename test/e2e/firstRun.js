// A new user's first run, as CI proves it: `npm start` from this clone (whatever Node is on PATH)
// must set everything up, serve n8n with the DeepSeek node and answer the example webhook; a
// broken n8n cache (its sqlite3 build removed) must be detected and repaired by the next
// `npm start`; `npm pack` must build dist/ itself; the pinned Node 24 packages must exist for
// every platform the toolchain supports. Plain Node; prints "N passed, N failed".
'use strict';

const assert = require('assert/strict');
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const { NODE_PACKAGES, cleanEnv } = require('../../scripts/toolchain');
const { freeN8nPort, n8nHome, CACHE_DIR } = require('../../scripts/n8nEnv');

const N8N_HOME = n8nHome();
const START_TIMEOUT_MS = 25 * 60_000;
const OWNER = { email: 'owner@example.com', password: 'MetaChat-dev-1' };

const results = [];
async function test(name, body) {
	const started = Date.now();
	try {
		await body();
		results.push(true);
		console.log(`  ✓ ${name} (${Math.round((Date.now() - started) / 1000)} s)`);
	} catch (error) {
		results.push(false);
		console.log(
			`  ✗ ${name}\n    ${String(error.stack || error)
				.split('\n')
				.join('\n    ')}`,
		);
	}
}

/** `npm start` in its own process group; resolves when it says n8n is ready, with its output. */
function npmStart(port, userFolder, logFile) {
	const out = fs.openSync(logFile, 'w');
	const child = spawn('npm', ['start', '--', '--port', String(port), '--user-folder', userFolder], {
		cwd: ROOT,
		env: { ...process.env, METACHAT_API_KEY: '' },
		stdio: ['ignore', out, out],
		detached: true,
	});
	const ready = new Promise((resolve, reject) => {
		const deadline = Date.now() + START_TIMEOUT_MS;
		const timer = setInterval(() => {
			const text = fs.readFileSync(logFile, 'utf8');
			if (text.includes('n8n is ready at')) {
				clearInterval(timer);
				resolve(text);
			} else if (child.exitCode !== null || Date.now() > deadline) {
				clearInterval(timer);
				reject(new Error(`npm start did not get ready:\n${text.slice(-3000)}`));
			}
		}, 500);
	});
	return { child, ready };
}

function stop(child) {
	return new Promise((resolve) => {
		if (child.exitCode !== null) return resolve();
		child.once('exit', () => resolve());
		try {
			process.kill(-child.pid, 'SIGINT');
		} catch {
			return resolve();
		}
		setTimeout(() => {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				// already gone
			}
		}, 15_000).unref();
	});
}

async function login(base) {
	const response = await fetch(`${base}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
	});
	assert.equal(response.status, 200, `login: HTTP ${response.status}`);
	return (response.headers.getSetCookie?.() ?? []).map((value) => value.split(';')[0]).join('; ');
}

/** The node is served, and the example webhooks answer through the simulator (one with a tool). */
async function checkServing(port) {
	const base = `http://127.0.0.1:${port}`;
	const cookie = await login(base);
	const types = await (await fetch(`${base}/types/nodes.json`, { headers: { cookie } })).json();
	assert.ok(
		types.some((type) => type.name === 'n8n-nodes-metachat.deepSeek'),
		'n8n does not serve the DeepSeek node',
	);
	const response = await fetch(`${base}/webhook/metachat-chat`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ text: 'Hello there', messages: [] }),
	});
	const text = await response.text();
	assert.equal(response.status, 200, `webhook: HTTP ${response.status}: ${text.slice(0, 300)}`);
	assert.match(text, /simulated/);
	const tools = await fetch(`${base}/webhook/metachat-tools`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ text: 'What is the weather in Paris?', messages: [] }),
	});
	const toolText = await tools.text();
	assert.equal(tools.status, 200, `tools webhook: HTTP ${tools.status}: ${toolText.slice(0, 300)}`);
	assert.match(toolText, /Weather in Paris: sunny/);
}

async function startAndCheck(label) {
	const port = await freeN8nPort();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'metachat-first-run-'));
	const logFile = path.join(userFolder, 'npm-start.log');
	const started = Date.now();
	const { child, ready } = npmStart(port, userFolder, logFile);
	try {
		const output = await ready;
		console.log(`    ${label}: ready in ${Math.round((Date.now() - started) / 1000)} s`);
		await checkServing(port);
		return output;
	} finally {
		await stop(child);
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

async function main() {
	console.log(`first run: cache ${CACHE_DIR}, Node ${process.version} on PATH`);

	await test('`npm start` sets everything up from nothing and serves the DeepSeek node', async () => {
		const output = await startAndCheck('first start');
		const marker = path.join(N8N_HOME, '.complete');
		assert.ok(fs.existsSync(marker), 'the n8n cache is not marked complete');
		assert.ok(!/repairing/.test(output), 'a fresh install needed a repair');
	});

	await test('a broken n8n cache (sqlite3 build removed) is detected and repaired by `npm start`', async () => {
		const build = path.join(N8N_HOME, 'node_modules', 'sqlite3', 'build');
		assert.ok(fs.existsSync(build), `${build} is missing before the test broke it`);
		fs.rmSync(build, { recursive: true, force: true });
		const output = await startAndCheck('start on a broken cache');
		assert.match(output, /cannot load its native modules .*repairing/);
		assert.match(output, /repaired/);
		assert.ok(fs.existsSync(build), 'sqlite3 was not rebuilt');
	});

	await test('`npm pack` builds dist/ itself (prepack runs), from a clean dist/', async () => {
		// A leftover from an older build (a moved file, say) must not ship.
		fs.rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
		fs.mkdirSync(path.join(ROOT, 'dist', 'nodes'), { recursive: true });
		fs.writeFileSync(path.join(ROOT, 'dist', 'nodes', 'stale.js'), 'module.exports = {};\n');
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metachat-pack-'));
		try {
			const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], {
				cwd: ROOT,
				encoding: 'utf8',
				env: cleanEnv(),
				stdio: ['ignore', 'pipe', 'inherit'],
			})
				.trim()
				.split('\n')
				.pop();
			const files = execFileSync('tar', ['-tzf', path.join(dir, name)], { encoding: 'utf8' });
			assert.match(files, /package\/dist\/nodes\/DeepSeek\/DeepSeek\.node\.js/);
			assert.match(files, /package\/dist\/credentials\/MetaChatApi\.credentials\.js/);
			assert.match(files, /package\/dist\/nodes\/LmChatDeepSeek\/LmChatDeepSeek\.node\.js/);
			assert.doesNotMatch(files, /stale\.js/);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	await test('the pinned Node 24 package exists on the registry for every supported platform', async () => {
		for (const [platform, { name, version }] of Object.entries(NODE_PACKAGES)) {
			const found = execFileSync('npm', ['view', `${name}@${version}`, 'version'], {
				encoding: 'utf8',
				env: cleanEnv(),
			}).trim();
			assert.equal(found, version, `${platform}: ${name}@${version} is not on the registry`);
		}
	});

	const passed = results.filter(Boolean).length;
	console.log(`${passed} passed, ${results.length - passed} failed`);
	return passed === results.length ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
