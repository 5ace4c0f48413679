// @ts-check
'use strict';

// The receipt example (examples/workflows/receipt-form-images.json): a PNG uploaded to its Form
// Trigger reaches deepseek-flash byte for byte through the AI Agent and our chat model, and the
// agent's output has the typed fields of its Structured Output Parser.

const assert = require('assert/strict');
const path = require('path');

const env = require('../../scripts/n8nEnv');
const { chatRequests, control } = require('./http');

const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
	'base64',
);

/** @param {{ test: Function, base: string, bin: string, primary: any, backup: any }} context */
async function checkReceipt({ test, base, bin, primary, backup }) {
	await test('the receipt example reads an uploaded image with deepseek-flash into typed fields', async () => {
		await control(primary, 'reset', {});
		await control(backup, 'reset', {});
		const form = new FormData();
		form.append('field-0', new Blob([PNG], { type: 'image/png' }), 'receipt.png');
		// Response Mode "When Last Node Finishes": the answer comes once the agent has run.
		const response = await fetch(`${base}/form/metachat-receipt`, { method: 'POST', body: form });
		assert.equal(response.status, 200, await response.text());

		// Either URL: the checks before this one leave the primary in the breaker for a while.
		const asked = [...(await chatRequests(primary)), ...(await chatRequests(backup))];
		const requests = asked.filter((r) => r.model === 'deepseek-flash');
		assert.ok(requests.length >= 1, 'no request reached deepseek-flash');
		const images = requests[0].messages
			.filter((/** @type {any} */ m) => m.role === 'user' && Array.isArray(m.content))
			.flatMap((/** @type {any} */ m) => m.content)
			.filter((/** @type {any} */ part) => part.type === 'image_url')
			.map((/** @type {any} */ part) => part.image_url.url);
		assert.deepEqual(images, [`data:image/png;base64,${PNG.toString('base64')}`]);

		const { cookie } = await env.ownerSession(base);
		const filter = encodeURIComponent(JSON.stringify({ workflowId: 'mcExampleReceipt01' }));
		const list = await (
			await fetch(`${base}/rest/executions?filter=${filter}&limit=1`, { headers: { cookie } })
		).json();
		const [latest] = list.data.results;
		const full = (
			await (await fetch(`${base}/rest/executions/${latest.id}`, { headers: { cookie } })).json()
		).data;
		const flatted = require(require.resolve('flatted', { paths: [path.dirname(bin)] }));
		const data = typeof full.data === 'string' ? flatted.parse(full.data) : full.data;
		assert.equal(full.status, 'success', JSON.stringify(data?.resultData?.error));
		const output = data.resultData.runData['Read the receipt'][0].data.main[0][0].json.output;
		assert.equal(typeof output.merchant, 'string');
		assert.equal(typeof output.date, 'string');
		assert.equal(typeof output.total, 'number');
		assert.equal(typeof output.currency, 'string');
	});
}

module.exports = { checkReceipt };
