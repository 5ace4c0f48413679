// `npm run test:engine1x`: the DeepSeek node's workflow tests (test/workflow, through
// test/harness/runWorkflow.ts) run through the engine of the last n8n 1.x: n8n-core and
// n8n-workflow of n8n 1.123.81, installed into the cache (never into the project's dependencies)
// and put in place of the project's 2.x ones by jest.config.js. The chat model sub-node's tests
// are left out: the sub-node needs n8n 2.x's AI nodes and @n8n/ai-node-sdk.
'use strict';

const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const env = require('../scripts/n8nEnv');

// requestBodies compares the node's bodies with the sub-node's; aiNodeMatrix and dropIn run the
// sub-node (and n8n's own chat models) in n8n 2.x's AI nodes, as do aiSurface, chatModelContract
// and chatModelStandard; the files that test both nodes skip the sub-node's cases there
// (subNodeCasesRun in test/workflow/aiNodes.ts).
const SUB_NODE_TESTS = [
	'lmChatDeepSeek.workflow.test.ts',
	'requestBodies.test.ts',
	'aiNodeMatrix.test.ts',
	'dropIn.test.ts',
	'aiSurface.test.ts',
	'chatModelContract.test.ts',
	'chatModelStandard.test.ts',
	'aiNodeSdkGaps.test.ts',
];

async function main() {
	const engine = await env.ensureEngine1x();
	const dir = path.join(__dirname, 'workflow');
	const files = fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.test.ts') && !SUB_NODE_TESTS.includes(file))
		.map((file) => path.join('test', 'workflow', file));
	console.log(
		`workflow tests through n8n-core ${env.ENGINE_1X['n8n-core']} / n8n-workflow ${env.ENGINE_1X['n8n-workflow']} (${engine})`,
	);
	// --forceExit: after the tests pass, something n8n-core 1.x starts keeps jest's process alive
	// (seen here for over ten minutes); the results are in by then.
	const child = spawn('npx', ['jest', '--forceExit', ...files, ...process.argv.slice(2)], {
		cwd: env.ROOT,
		env: { ...process.env, METACHAT_ENGINE_DIR: engine },
		stdio: 'inherit',
	});
	return await new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
