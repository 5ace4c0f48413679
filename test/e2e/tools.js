// e2e checks of the DeepSeek node's Tools input in a real n8n: the example workflow
// examples/workflows/webhook-tool-lookup.json (webhook → DeepSeek with deepseek-reasoner and n8n's
// Code Tool → reply) against simulators that enforce DeepSeek's thinking-mode passback rule.
'use strict';

const assert = require('assert/strict');

const { control, chatRequests, postJson } = require('./http');

const TOOL = 'Weather_Lookup';

/** Requests at both URLs in time order: after a 503 test n8n's breaker may still skip the primary. */
const allRequests = async (sims) =>
	(await Promise.all(sims.map(chatRequests))).flat().sort((a, b) => a.at - b.at);

/** The model calls the Code Tool for each city in the first round, then answers. */
async function script(sims, cities, repeat = false) {
	const round = cities.map((city) => ({ name: TOOL, arguments: { input: city } }));
	for (const sim of sims) await control(sim, 'tools', { rounds: [round], repeat });
}

function assertPassedBack(request) {
	const call = request.messages.find((message) => message.tool_calls);
	assert.ok(call, 'no assistant tool-call message was sent back');
	assert.equal(typeof call.reasoning_content, 'string', 'the tool-call message lost its reasoning');
}

/**
 * Runs the tool checks; `test` is run.js's reporter, `base` n8n's URL (running, with the example
 * workflows published), `primary` and `backup` the simulator processes.
 */
async function checkTools({ test, base, primary, backup }) {
	const webhook = `${base}/webhook/metachat-tools`;
	const sims = [primary, backup];
	const reset = async () => {
		for (const sim of sims) {
			await control(sim, 'reset', {});
			await control(sim, 'fault', { type: null });
		}
	};
	let firstTurn;

	await test("tools: a Code Tool on deepseek-reasoner, the answer uses the tool's result", async () => {
		await reset();
		await script(sims, ['Paris']);
		const reply = await postJson(webhook, { text: 'What is the weather in Paris?' });
		assert.match(reply.content, /Weather_Lookup said Weather in Paris: sunny, 21 °C/);
		assert.equal(reply.finish_reason, 'stop');
		assert.equal(reply.endpoint, 'primary');
		assert.deepEqual(
			reply.toolCalls.map((call) => [call.tool, call.arguments]),
			[[TOOL, { input: 'Paris' }]],
		);
		const requests = await chatRequests(primary);
		assert.equal(requests.length, 2);
		assert.deepEqual(
			requests[0].body.tools.map((tool) => tool.function.name),
			[TOOL],
		);
		assertPassedBack(requests[1]);
		assert.equal(requests[1].status, 200);
		firstTurn = reply;
	});

	await test('tools: the same through the backup while the primary answers 503', async () => {
		await reset();
		await script(sims, ['Paris']);
		await control(primary, 'fault', { type: '503' });
		const reply = await postJson(webhook, { text: 'What is the weather in Paris?' });
		await control(primary, 'fault', { type: null });
		assert.equal(reply.endpoint, 'failover');
		assert.match(reply.content, /Weather in Paris: sunny, 21 °C/);
		const atBackup = await chatRequests(backup);
		assert.equal(atBackup.length, 2);
		assertPassedBack(atBackup[1]);
	});

	await test("tools: a second turn from the first turn's messages keeps the tool-call reasoning", async () => {
		assert.ok(firstTurn, 'the first turn did not run');
		await reset();
		await script(sims, ['Oslo']);
		const reply = await postJson(webhook, { text: 'And in Oslo?', messages: firstTurn.messages });
		assert.match(reply.content, /Weather in Oslo: snow, -3 °C/);
		const [first] = await allRequests(sims);
		assert.equal(first.status, 200);
		assertPassedBack(first);
		assert.deepEqual(
			first.messages.map((message) => message.role),
			['system', 'user', 'assistant', 'tool', 'assistant', 'user'],
		);
	});

	await test('tools: a tool that throws becomes a result the model reads', async () => {
		await reset();
		await script(sims, ['Atlantis']);
		const reply = await postJson(webhook, { text: 'What is the weather in Atlantis?' });
		assert.equal(reply.finish_reason, 'stop');
		assert.match(reply.content, /No weather data for .*Atlantis/);
	});

	await test('tools: Max Tool Calls Iterations ends a model that never stops calling', async () => {
		await reset();
		await script(sims, ['Tokyo'], true);
		const reply = await postJson(webhook, { text: 'What is the weather in Tokyo?' });
		assert.equal(reply.finish_reason, 'max_tool_iterations');
		assert.equal(reply.toolCalls.length, 3);
		assert.equal((await allRequests(sims)).length, 4);
	});
	await reset();
}

module.exports = { checkTools };
