import fs from 'fs';
import path from 'path';

import type { INodeType, IVersionedNodeType } from 'n8n-workflow';

import { n8nHome } from '../../scripts/n8nEnv';

// n8n's AI nodes come from the real n8n (the pinned 2.40.7) the e2e suite installs (too large to
// be a devDependency); where it is not installed, the tests and the bench that need them skip.
const N8N = n8nHome();
export const N8N_MODULES = path.join(N8N, 'node_modules');
export const LANGCHAIN = path.join(N8N_MODULES, '@n8n', 'n8n-nodes-langchain');
// The marker the install writes last: a half-installed n8n is not used.
export const aiNodesAvailable = fs.existsSync(path.join(N8N, '.complete'));

/**
 * Whether the chat model sub-node's cases run: not through the 1.x engine (`npm run
 * test:engine1x`), which runs the DeepSeek node's tests only; the sub-node and n8n's own chat
 * models need n8n 2.x's engine (its AI Agent, getSecureEgressFilter).
 */
export const subNodeCasesRun = aiNodesAvailable && !process.env.METACHAT_ENGINE_DIR;

export const LC = '@n8n/n8n-nodes-langchain';

/** One of n8n's AI node classes, by its file under the package's dist/nodes. */
export function loadAiNode(file: string, name: string): INodeType | IVersionedNodeType {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const module = require(path.join(LANGCHAIN, 'dist', 'nodes', file)) as Record<
		string,
		new () => INodeType | IVersionedNodeType
	>;
	return new module[name]();
}
