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

/** n8n's AI nodes the workflow tests run, by type name: their file in n8n's package and class. */
const AI_NODE_FILES: Record<string, [file: string, className: string]> = {
	agent: ['agents/Agent/Agent.node.js', 'Agent'],
	agentTool: ['agents/Agent/AgentTool.node.js', 'AgentTool'],
	chainLlm: ['chains/ChainLLM/ChainLlm.node.js', 'ChainLlm'],
	chainRetrievalQa: ['chains/ChainRetrievalQA/ChainRetrievalQa.node.js', 'ChainRetrievalQa'],
	chainSummarization: [
		'chains/ChainSummarization/ChainSummarization.node.js',
		'ChainSummarization',
	],
	chatTrigger: ['trigger/ChatTrigger/ChatTrigger.node.js', 'ChatTrigger'],
	code: ['code/Code.node.js', 'Code'],
	documentDefaultDataLoader: [
		'document_loaders/DocumentDefaultDataLoader/DocumentDefaultDataLoader.node.js',
		'DocumentDefaultDataLoader',
	],
	guardrails: ['Guardrails/Guardrails.node.js', 'Guardrails'],
	informationExtractor: [
		'chains/InformationExtractor/InformationExtractor.node.js',
		'InformationExtractor',
	],
	memoryBufferWindow: [
		'memory/MemoryBufferWindow/MemoryBufferWindow.node.js',
		'MemoryBufferWindow',
	],
	modelSelector: ['ModelSelector/ModelSelector.node.js', 'ModelSelector'],
	outputParserAutofixing: [
		'output_parser/OutputParserAutofixing/OutputParserAutofixing.node.js',
		'OutputParserAutofixing',
	],
	outputParserStructured: [
		'output_parser/OutputParserStructured/OutputParserStructured.node.js',
		'OutputParserStructured',
	],
	retrieverContextualCompression: [
		'retrievers/RetrieverContextualCompression/RetrieverContextualCompression.node.js',
		'RetrieverContextualCompression',
	],
	retrieverMultiQuery: [
		'retrievers/RetrieverMultiQuery/RetrieverMultiQuery.node.js',
		'RetrieverMultiQuery',
	],
	sentimentAnalysis: ['chains/SentimentAnalysis/SentimentAnalysis.node.js', 'SentimentAnalysis'],
	textClassifier: ['chains/TextClassifier/TextClassifier.node.js', 'TextClassifier'],
	toolCalculator: ['tools/ToolCalculator/ToolCalculator.node.js', 'ToolCalculator'],
	toolVectorStore: ['tools/ToolVectorStore/ToolVectorStore.node.js', 'ToolVectorStore'],
};

/** The nodeTypes entries of these AI nodes (names without the package prefix), loaded from n8n. */
export function aiNodeTypes(...names: string[]): Record<string, INodeType | IVersionedNodeType> {
	return Object.fromEntries(
		names.map((name) => [`${LC}.${name}`, loadAiNode(...AI_NODE_FILES[name])]),
	);
}
