// `npm start`: n8n with this package as a community package, the example workflows and a
// MetaChat credential, against local simulators unless METACHAT_API_KEY is set. Ctrl-C stops all.
'use strict';

const fs = require('fs');
const path = require('path');

const env = require('./n8nEnv');

const REAL = {
	baseUrl: 'https://llm-api.mmchat.xyz/v1',
	failoverBaseUrl: 'https://llm-api.mmchat.dev/v1',
};
const SIMULATED_KEY = 'sk-simulated-dev';

function option(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index === -1 ? fallback : process.argv[index + 1];
}

async function main() {
	const port = Number(option('port', process.env.N8N_PORT || 5678));
	const userFolder = path.resolve(option('user-folder', path.join(env.ROOT, '.n8n-dev')));
	fs.mkdirSync(userFolder, { recursive: true });

	const { bin } = await env.ensureN8n();
	env.log('packing and installing n8n-nodes-metachat as a community package');
	const tarball = await env.packPackage();
	await env.installCommunityPackage(userFolder, tarball);
	fs.rmSync(path.dirname(tarball), { recursive: true, force: true });

	let credential;
	const apiKey = process.env.METACHAT_API_KEY;
	if (apiKey) {
		env.log('METACHAT_API_KEY is set: the credential uses the real MetaChat URLs');
		credential = { apiKey, ...REAL };
	} else {
		const primary = await env.startSimulatorProcess({
			port: await env.portOr(8001),
			name: 'primary',
			apiKey: SIMULATED_KEY,
		});
		const backup = await env.startSimulatorProcess({
			port: await env.portOr(8002),
			name: 'backup',
			apiKey: SIMULATED_KEY,
		});
		env.log(`MetaChat simulators: primary ${primary.url}, backup ${backup.url}`);
		env.log(`make the primary fail: curl -X POST ${primary.control}/fault -d '{"type":"503"}'`);
		credential = { apiKey: SIMULATED_KEY, baseUrl: primary.url, failoverBaseUrl: backup.url };
	}

	const n8nEnv = env.n8nEnvironment(userFolder, port);
	await env.importCredential(bin, n8nEnv, credential);
	await env.importWorkflows(bin, n8nEnv, env.exampleWorkflowFiles());
	env.log(`starting n8n ${env.N8N_VERSION} (user folder ${userFolder})`);
	const n8n = await env.startN8n(bin, n8nEnv, { logFile: path.join(userFolder, 'n8n.log') });
	const login = await env.ownerSession(`http://127.0.0.1:${port}`);

	console.log(`
  n8n is ready at http://localhost:${port}
  Log in with ${login.email} / ${login.password}
  Example workflows: "MetaChat: chat with a reasoning model", "MetaChat: multi-turn webhook reply",
  "MetaChat: scheduled summaries". Try the webhook:
    curl -s -X POST http://localhost:${port}/webhook/metachat-chat \\
      -H 'content-type: application/json' -d '{"text":"Hello there","messages":[]}'
  n8n's log: ${path.join(userFolder, 'n8n.log')}. Ctrl-C stops everything.
`);

	const stop = () => {
		env.log('stopping');
		env.stopAll();
		setTimeout(() => process.exit(0), 2000).unref();
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	n8n.on('exit', (code) => {
		env.log(`n8n exited (${code})`);
		env.stopAll();
		process.exit(code ?? 1);
	});
}

main().catch((error) => {
	env.log(error.stack || String(error));
	env.stopAll();
	process.exit(1);
});
