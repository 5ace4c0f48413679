// The MetaChat DeepSeek Chat Model sub-node in a real n8n: the AI Agent 2.2 with a Code Tool and
// deepseek-reasoner against simulators that enforce DeepSeek's reasoning passback rule (primary
// answering, then primary at 503), a second chat turn through a memory, the AI Agent 3.1 without
// tools, a Basic LLM Chain over three items and the Summarization Chain example.
'use strict';

const assert = require('assert/strict');
const { randomUUID } = require('crypto');
const fs = require('fs');
const path = require('path');

const env = require('../../scripts/n8nEnv');
const { control, chatRequests, postText } = require('./http');

const LC = '@n8n/n8n-nodes-langchain';
const CHAT_EXAMPLE = path.join(env.ROOT, 'examples', 'workflows', 'chat-agent-with-tool.json');
const SUMMARY_EXAMPLE = path.join(
	env.ROOT,
	'examples',
	'workflows',
	'scheduled-summarization-chain.json',
);

const messagesOf = (request) => request.body.messages;

/** A chat message to the example's Chat Trigger; its answer streams back as JSON lines. */
async function chat(base, webhookId, sessionId, chatInput) {
	const text = await postText(`${base}/webhook/${webhookId}/chat`, {
		action: 'sendMessage',
		sessionId,
		chatInput,
	});
	const chunks = text
		.split('\n')
		.filter((line) => line.trim())
		.map((line) => JSON.parse(line));
	const tokens = chunks.filter((chunk) => chunk.type === 'item');
	return { tokens, answer: tokens.map((chunk) => chunk.content).join(''), chunks };
}

/** Saves a workflow in the running n8n and publishes it, so its webhook answers. */
async function publish(base, cookie, workflow) {
	const headers = { 'content-type': 'application/json', cookie };
	const created = await fetch(`${base}/rest/workflows`, {
		method: 'POST',
		headers,
		body: JSON.stringify(workflow),
	});
	const saved = (await created.json()).data;
	assert.ok(saved?.id, `workflow not saved: HTTP ${created.status}`);
	const activated = await fetch(`${base}/rest/workflows/${saved.id}/activate`, {
		method: 'POST',
		headers,
		body: JSON.stringify({ versionId: saved.versionId }),
	});
	assert.equal(activated.status, 200, `not published: ${(await activated.text()).slice(0, 500)}`);
}

function webhookNode(pathName, responseData = 'firstEntryJson') {
	return {
		id: randomUUID(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: {
			httpMethod: 'POST',
			path: pathName,
			responseMode: 'lastNode',
			responseData,
			options: {},
		},
	};
}

function modelNode(model, position = [200, 220]) {
	return {
		id: randomUUID(),
		name: 'MetaChat DeepSeek Chat Model',
		type: 'n8n-nodes-metachat.lmChatDeepSeek',
		typeVersion: 1,
		position,
		parameters: { model: { __rl: true, mode: 'list', value: model }, options: {} },
		credentials: { metaChatApi: env.CREDENTIAL },
	};
}

const modelTo = (node) => ({
	'MetaChat DeepSeek Chat Model': {
		ai_languageModel: [[{ node, type: 'ai_languageModel', index: 0 }]],
	},
});

/** Webhook → AI Agent 3.1 (the editor's default) with no tools. */
function agent31Workflow() {
	return {
		name: 'e2e: AI Agent 3.1 without tools',
		settings: { executionOrder: 'v1' },
		nodes: [
			webhookNode('metachat-agent31'),
			{
				id: randomUUID(),
				name: 'AI Agent',
				type: `${LC}.agent`,
				typeVersion: 3.1,
				position: [220, 0],
				parameters: { promptType: 'define', text: '={{ $json.body.text }}', options: {} },
			},
			modelNode('deepseek-reasoner'),
		],
		connections: {
			Webhook: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			...modelTo('AI Agent'),
		},
	};
}

/** Webhook → three items → Basic LLM Chain, answering all three. */
function llmChainWorkflow() {
	return {
		name: 'e2e: Basic LLM Chain over three items',
		settings: { executionOrder: 'v1' },
		nodes: [
			webhookNode('metachat-llm-chain', 'allEntries'),
			{
				id: randomUUID(),
				name: 'Items',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: {
					jsCode:
						'return $json.body.words.map((word) => ({ json: { prompt: `Define ${word}` } }));',
				},
			},
			{
				id: randomUUID(),
				name: 'Basic LLM Chain',
				type: `${LC}.chainLlm`,
				typeVersion: 1.7,
				position: [440, 0],
				parameters: { promptType: 'define', text: '={{ $json.prompt }}' },
			},
			modelNode('deepseek-chat', [440, 220]),
		],
		connections: {
			Webhook: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Basic LLM Chain', type: 'main', index: 0 }]] },
			...modelTo('Basic LLM Chain'),
		},
	};
}

/** The summarisation example with its triggers swapped for a webhook, nodes and options as shipped. */
function summaryWorkflow() {
	const example = JSON.parse(fs.readFileSync(SUMMARY_EXAMPLE, 'utf8'));
	const kept = example.nodes.filter((node) => !/Trigger$/.test(node.type));
	const connections = Object.fromEntries(
		Object.entries(example.connections).filter(([from]) => kept.some((node) => node.name === from)),
	);
	return {
		name: 'e2e: Summarization Chain example',
		settings: { executionOrder: 'v1' },
		nodes: [webhookNode('metachat-summary'), ...kept],
		connections: {
			...connections,
			Webhook: { main: [[{ node: 'Reports', type: 'main', index: 0 }]] },
		},
	};
}

/** Waits out the breaker an earlier failover test opened in n8n, until the primary answers again. */
async function primaryServing(base, primary, reset) {
	const deadline = Date.now() + 60_000;
	for (;;) {
		await reset();
		await postText(`${base}/webhook/metachat-agent31`, { text: 'Are you back?' });
		if ((await chatRequests(primary)).length > 0) return;
		if (Date.now() > deadline) throw new Error('the primary never got a request back');
		await new Promise((resolve) => setTimeout(resolve, 5000));
	}
}

async function checkAgents({ test, base, primary, backup }) {
	const chatWebhookId = JSON.parse(fs.readFileSync(CHAT_EXAMPLE, 'utf8')).nodes.find(
		(node) => node.type === `${LC}.chatTrigger`,
	).webhookId;
	const wordCount = { rounds: [[{ name: 'Word_Count', arguments: { input: 'one two three' } }]] };
	const reset = async () => {
		await control(primary, 'reset', {});
		await control(backup, 'reset', {});
	};

	const session = await env.ownerSession(base);
	await publish(base, session.cookie, agent31Workflow());
	await publish(base, session.cookie, llmChainWorkflow());
	await publish(base, session.cookie, summaryWorkflow());
	await primaryServing(base, primary, reset);

	await test('chat example: AI Agent 2.2 runs the Code Tool with deepseek-reasoner, reasoning passed back (primary)', async () => {
		await reset();
		await control(primary, 'tools', wordCount);
		const { answer, tokens } = await chat(base, chatWebhookId, 'e2e-tool', 'How many words?');
		assert.match(answer, /Word_Count said 3 words/);
		assert.ok(tokens.length > 1, `expected streamed tokens, got ${tokens.length}`);
		assert.doesNotMatch(answer, /simulated reasoning/);
		const requests = await chatRequests(primary);
		assert.equal(requests.length, 2);
		const call = messagesOf(requests[1]).find((message) => message.tool_calls);
		assert.match(call.reasoning_content, /I will call Word_Count/);
		assert.equal((await chatRequests(backup)).length, 0);
	});

	await test('chat example: the second turn carries the first through the memory', async () => {
		await reset();
		await chat(base, chatWebhookId, 'e2e-memory', 'My name is Ada.');
		const { answer } = await chat(base, chatWebhookId, 'e2e-memory', 'What is my name?');
		assert.match(answer, /simulated deepseek-reasoner/);
		const sent = messagesOf((await chatRequests(primary)).at(-1));
		const turns = sent.filter((message) => message.role !== 'system');
		assert.deepEqual(
			turns.map((message) => message.role),
			['user', 'assistant', 'user'],
		);
		assert.equal(turns[0].content, 'My name is Ada.');
		assert.equal(turns[2].content, 'What is my name?');
	});

	await test('AI Agent 3.1 answers through the sub-node without tools', async () => {
		await reset();
		const reply = JSON.parse(
			await postText(`${base}/webhook/metachat-agent31`, { text: 'Name a river' }),
		);
		assert.match(reply.output, /^\[simulated deepseek-reasoner\]/);
		assert.equal((await chatRequests(primary)).length, 1);
	});

	await test('a Basic LLM Chain answers each of three items', async () => {
		await reset();
		const items = JSON.parse(
			await postText(`${base}/webhook/metachat-llm-chain`, { words: ['tide', 'dune', 'fjord'] }),
		);
		assert.equal(items.length, 3);
		['tide', 'dune', 'fjord'].forEach((word, index) => {
			assert.match(items[index].text, new RegExp(`Define ${word}`));
		});
		assert.equal((await chatRequests(primary)).length, 3);
	});

	await test('the Summarization Chain example summarises the reports', async () => {
		await reset();
		const reply = JSON.parse(await postText(`${base}/webhook/metachat-summary`, {}));
		assert.match(JSON.stringify(reply), /simulated deepseek-chat/);
		assert.ok((await chatRequests(primary)).length >= 1);
	});

	// Last: the 503 opens n8n's breaker, which keeps later calls on the backup for a while.
	await test('chat example: with the primary at 503 the backup runs the whole tool loop', async () => {
		await reset();
		await control(primary, 'fault', { type: '503' });
		await control(backup, 'tools', wordCount);
		try {
			const { answer } = await chat(base, chatWebhookId, 'e2e-failover', 'How many words?');
			assert.match(answer, /Word_Count said 3 words/);
		} finally {
			await control(primary, 'fault', { type: null });
		}
		const requests = await chatRequests(backup);
		assert.equal(requests.length, 2);
		const call = messagesOf(requests[1]).find((message) => message.tool_calls);
		assert.match(call.reasoning_content, /I will call Word_Count/);
	});
}

module.exports = { checkAgents };
