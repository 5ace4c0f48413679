import { randomUUID } from 'crypto';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ExecutionError,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	NodeConnectionType,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	StructuredChunk,
} from 'n8n-workflow';
import { createRunExecutionData, ICredentialsHelper, Workflow } from 'n8n-workflow';

import { applyAuthentication } from './genericAuth';
import { START_NODE_TYPE, startItems, TestStart } from './testNodes';

type NodeSpec = Omit<INode, 'id' | 'position'> & Partial<Pick<INode, 'id' | 'position'>>;

/**
 * Every Base URL a run of this test file was given, with its key: the process-wide failover
 * breaker remembers a primary that failed, and a test clears that for the URLs it used.
 */
const baseUrlsUsed = new Set<string>();

export function usedBaseUrls(): Array<[baseUrl: string, apiKey: string]> {
	return [...baseUrlsUsed].map((entry) => JSON.parse(entry) as [string, string]);
}

export interface SubNodeSpec {
	node: NodeSpec;
	/** The name of the chain node it serves. */
	to: string;
	type: NodeConnectionType;
	/** The input of that type on `to`, when it has several (a fallback model: 1). */
	index?: number;
}

export interface RunWorkflowOptions {
	/** Node types by full type name, besides the harness's own Start node. */
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	credentialTypes?: Record<string, ICredentialType>;
	/** Decrypted credential data by credential type name. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** What the Start node emits. */
	items?: INodeExecutionData[];
	/** Nodes after Start, connected in a chain: Start → nodes[0] → nodes[1] … */
	nodes: NodeSpec[];
	/** Sub-nodes outside the chain, e.g. tools on an ai_tool input: `node` feeds `to`. */
	subNodes?: SubNodeSpec[];
	/** Cancels the execution as the editor's Stop button does, after this long. */
	cancelAfterMs?: number;
	/** Cancels the execution after this long, as a safety net. */
	timeoutMs?: number;
	/** Runs as n8n does for a streaming webhook response: sendChunk chunks are collected. */
	streaming?: boolean;
	mode?: 'manual' | 'webhook' | 'trigger' | 'chat';
}

export interface ReceivedChunk extends StructuredChunk {
	/** performance.now() when the chunk reached the harness. */
	receivedAt: number;
}

export interface RunWorkflowResult {
	status: IRun['status'];
	error: ExecutionError | undefined;
	run: IRun;
	runData: IRun['data']['resultData']['runData'];
	/** The first output of a node's last run. */
	output(nodeName: string): INodeExecutionData[];
	chunks: ReceivedChunk[];
	/** performance.now() when the execution started. */
	startedAt: number;
	durationMs: number;
}

class HarnessNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(type: string): INodeType {
		return this.getByNameAndVersion(type);
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		const nodeType = this.types[type];
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		return 'nodeVersions' in nodeType ? nodeType.getNodeType(version) : nodeType;
	}

	getKnownTypes() {
		return {};
	}
}

/** Hands nodes the decrypted credentials a test gave, and applies generic authentication. */
class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly types: Record<string, ICredentialType>,
		private readonly data: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return await applyAuthentication(
			this.types[typeName]?.authenticate,
			credentials,
			requestOptions,
		);
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('The harness holds decrypted credentials only');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: unknown,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		return { ...data };
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type: string) {
		return this.types[type]?.properties ?? [];
	}
}

function chain(
	nodes: NodeSpec[],
	key: string,
	subNodes: NonNullable<RunWorkflowOptions['subNodes']> = [],
): { nodes: INode[]; connections: IConnections } {
	const all: INode[] = [
		{
			id: randomUUID(),
			name: 'Start',
			type: START_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: { key },
		},
		...nodes.map((node, index) => ({
			id: node.id ?? randomUUID(),
			position: node.position ?? [(index + 1) * 220, 0],
			...node,
		})),
	];
	const connections: IConnections = {};
	for (let index = 0; index < all.length - 1; index++) {
		connections[all[index].name] = {
			main: [[{ node: all[index + 1].name, type: 'main', index: 0 }]],
		};
	}
	for (const [index, { node, to, type, index: input = 0 }] of subNodes.entries()) {
		all.push({
			id: node.id ?? randomUUID(),
			position: node.position ?? [index * 220, 300],
			...node,
		});
		const outputs = (connections[node.name] ??= {});
		(outputs[type] ??= [[]])[0]!.push({ node: to, type, index: input });
	}
	return { nodes: all, connections };
}

/** Runs Start → nodes through n8n's own WorkflowExecute and returns what each node produced. */
export async function runWorkflow(options: RunWorkflowOptions): Promise<RunWorkflowResult> {
	const key = randomUUID();
	startItems.set(key, options.items ?? [{ json: {} }]);
	const mode = options.mode ?? (options.streaming ? 'webhook' : 'manual');
	const { nodes, connections } = chain(options.nodes, key, options.subNodes);
	const nodeTypes = new HarnessNodeTypes({
		[START_NODE_TYPE]: new TestStart(),
		...options.nodeTypes,
	});
	const workflow = new Workflow({
		id: 'harness',
		name: 'Harness',
		nodes,
		connections,
		nodeTypes,
		active: false,
		settings: { executionOrder: 'v1' },
	});

	const hooks = new ExecutionLifecycleHooks(mode, key, {
		id: 'harness',
		name: 'Harness',
		nodes,
		connections,
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as never);
	let resolveFinished!: (run: IRun) => void;
	const finished = new Promise<IRun>((resolve) => (resolveFinished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveFinished(run));
	const chunks: ReceivedChunk[] = [];
	if (options.streaming) {
		hooks.addHandler('sendChunk', (chunk) => {
			chunks.push({ ...chunk, receivedAt: performance.now() });
		});
	}

	for (const credential of Object.values(options.credentials ?? {})) {
		if (typeof credential.baseUrl === 'string' && typeof credential.apiKey === 'string') {
			baseUrlsUsed.add(JSON.stringify([credential.baseUrl, credential.apiKey]));
		}
	}
	const base = {
		credentialsHelper: new HarnessCredentialsHelper(
			options.credentialTypes ?? {},
			options.credentials ?? {},
		),
		hooks,
		executionId: key,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		variables: {},
		streamingEnabled: options.streaming === true,
		currentNodeParameters: undefined,
		logAiEvent: () => {},
	};
	// Anything else n8n may ask of the host (sub-workflows, runners) is out of scope here.
	const additionalData = new Proxy(base, {
		get: (target, property) =>
			property in target ? target[property as keyof typeof target] : undefined,
	}) as unknown as IWorkflowExecuteAdditionalData;

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: nodes[0], data: { main: [[{ json: {} }]] }, source: null }],
		},
	});

	const startedAt = performance.now();
	const execution = new WorkflowExecute(additionalData, mode, runExecutionData);
	const running = execution.processRunExecutionData(workflow);
	const timers: NodeJS.Timeout[] = [];
	if (options.cancelAfterMs !== undefined) {
		timers.push(setTimeout(() => running.cancel(), options.cancelAfterMs));
	}
	timers.push(setTimeout(() => running.cancel(), options.timeoutMs ?? 60_000));

	let run: IRun;
	try {
		await running.catch(() => undefined);
		run = await finished;
	} finally {
		timers.forEach(clearTimeout);
		startItems.delete(key);
	}
	const durationMs = performance.now() - startedAt;
	const runData = run.data.resultData.runData;
	return {
		status: run.status,
		error: run.data.resultData.error,
		run,
		runData,
		output(nodeName: string) {
			const runs = runData[nodeName];
			return runs?.at(-1)?.data?.main?.[0] ?? [];
		},
		chunks,
		startedAt,
		durationMs,
	};
}
