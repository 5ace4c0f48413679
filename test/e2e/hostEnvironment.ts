// A real n8n 2.40.7, started with the host's OPENAI_* variables and HTTP_PROXY set, runs the
// reasoning example: none of the variables reaches MetaChat, and the request goes through the
// proxy. Run after a build: node scripts/toolchain.js exec npx tsx test/e2e/hostEnvironment.ts
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';

import { startRecordingProxy } from '../harness/recordingProxy';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const env = require('../../scripts/n8nEnv');

const KEY = 'sk-e2e-host-0123456789';

async function main() {
	const { bin } = await env.ensureN8n();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'metachat-hostenv-'));
	await env.installCommunityPackage(userFolder, await env.packPackage());
	const primary = await env.startSimulatorProcess({
		port: await env.freePort(),
		name: 'primary',
		apiKey: KEY,
	});
	const backup = await env.startSimulatorProcess({
		port: await env.freePort(),
		name: 'backup',
		apiKey: KEY,
	});
	const proxy = await startRecordingProxy();
	const n8nEnv = env.n8nEnvironment(userFolder, await env.freeN8nPort(), {
		OPENAI_ORG_ID: 'org-host-workload',
		OPENAI_PROJECT_ID: 'proj-host-workload',
		OPENAI_CUSTOM_HEADERS: 'X-Host-Secret: host-only\nX-Tenant: acme',
		HTTP_PROXY: proxy.url,
		http_proxy: proxy.url,
		NO_PROXY: '',
		no_proxy: '',
	});
	try {
		await env.importCredential(bin, n8nEnv, {
			apiKey: KEY,
			baseUrl: primary.url,
			failoverBaseUrl: backup.url,
		});
		await env.importWorkflows(bin, n8nEnv, env.exampleWorkflowFiles());
		const { stdout } = await env.n8nCli(bin, n8nEnv, [
			'execute',
			'--id=mcExampleReason01',
			'--rawOutput',
		]);
		assert.match(stdout, /simulated deepseek-reasoner/);

		const requests = await (await fetch(`${primary.control}/requests`)).json();
		const chats = requests.filter(
			(request: { path: string }) => request.path === '/v1/chat/completions',
		);
		assert.equal(chats.length, 1);
		const headers = chats[0].headers as Record<string, string>;
		for (const name of ['openai-organization', 'openai-project', 'x-host-secret', 'x-tenant']) {
			assert.equal(headers[name], undefined, `${name} reached MetaChat`);
		}
		const host = new URL(primary.url).host;
		assert.ok(
			proxy.seen.some((line) => line.includes(host)),
			`the proxy saw ${JSON.stringify(proxy.seen)}`,
		);
		console.log(`  ✓ n8n ${env.N8N_VERSION}: no OPENAI_* header reached MetaChat`);
		console.log(`  ✓ the request went through HTTP_PROXY: ${proxy.seen.join(', ')}`);
		console.log(`    headers MetaChat received: ${Object.keys(headers).sort().join(', ')}`);
	} finally {
		await proxy.close();
		env.stopAll();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
