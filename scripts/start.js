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
// The simulated model calls the example workflows' tools (each only where a request offers it),
// then answers quoting what they returned.
const DEMO_TOOLS = {
	rounds: [
		[
			{ name: 'Weather_Lookup', arguments: { input: 'Paris' } },
			{ name: 'Word_Count', arguments: { input: 'how many words are in this sentence' } },
		],
	],
};

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
			extraArgs: ['--tools', JSON.stringify(DEMO_TOOLS)],
		});
		const backup = await env.startSimulatorProcess({
			port: await env.portOr(8002),
			name: 'backup',
			apiKey: SIMULATED_KEY,
			extraArgs: ['--tools', JSON.stringify(DEMO_TOOLS)],
		});
		env.log(`MetaChat simulators: primary ${primary.url}, backup ${backup.url}`);
		env.log(`make the primary fail: curl -X POST ${primary.control}/fault -d '{"type":"503"}'`);
		credential = { apiKey: SIMULATED_KEY, baseUrl: primary.url, failoverBaseUrl: backup.url };
	}

	const n8nEnv = env.n8nEnvironment(userFolder, port);
	await env.importCredential(bin, n8nEnv, credential);
	const workflowFiles = env.exampleWorkflowFiles();
	const workflowNames = workflowFiles.map((file) => JSON.parse(fs.readFileSync(file, 'utf8')).name);
	await env.importWorkflows(bin, n8nEnv, workflowFiles);
	env.log(`starting n8n ${env.N8N_VERSION} (user folder ${userFolder})`);
	const n8n = await env.startN8n(bin, n8nEnv, { logFile: path.join(userFolder, 'n8n.log') });
	const login = await env.ownerSession(`http://127.0.0.1:${port}`);

	console.log(`
  n8n is ready at http://localhost:${port}
  Log in with ${login.email} / ${login.password}
  Example workflows:
${workflowNames.map((name) => `    - ${name}`).join('\n')}
  Try the webhooks:
    curl -s -X POST http://localhost:${port}/webhook/metachat-chat \\
      -H 'content-type: application/json' -d '{"text":"Hello there","messages":[]}'
    curl -s -X POST http://localhost:${port}/webhook/metachat-tools \\
      -H 'content-type: application/json' -d '{"text":"What is the weather in Paris?","messages":[]}'
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
