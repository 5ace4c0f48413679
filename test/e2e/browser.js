// The editor, as a person uses it: Debian's Chromium driven by playwright-core (it cannot
// download its own browser here), in the n8n run.js started, against its two simulators.
// Asserts what the editor shows: the nodes' names and MetaChat icon in the nodes panel (apart from
// n8n's own DeepSeek Chat Model, and in the AI category beside n8n's vendor nodes) and on the
// canvas, version 3's main panel with its one Options list named by group, the model list, the
// execution hint after a failover, an error's details section, and the chat model sub-node's real
// token counts and a failover in the AI Agent's logs. Saves screenshots (test-results/ by default;
// the README's are copied from there into docs/).
'use strict';

const assert = require('assert/strict');
const fs = require('fs');
const path = require('path');

const { ownerSession } = require('../../scripts/n8nEnv');
const { control, chatRequests, postText } = require('./http');

const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
const VIEWPORT = { width: 1440, height: 900 };
/** Where n8n serves our icon from (the light one; the dark theme's is metachat.dark.svg). */
const OUR_ICON = /^\/icons\/n8n-nodes-metachat\/dist\/credentials\/metachat(\.dark)?\.svg$/;
const testId = (id) => `[data-test-id="${id}"]`;

/** Waits until the text is on the page, as text or as the value of a field. */
async function shown(page, text) {
	await page.waitForFunction(
		(wanted) =>
			document.body.innerText.includes(wanted) ||
			[...document.querySelectorAll('input')].some((input) => input.value === wanted),
		text,
		{ timeout: 15_000 },
	);
}

/** The nodes panel's results for a search: each entry's name and the src of its icon. */
async function searchNodes(page, query, expected) {
	const bar = page.locator(
		`${testId('node-creator-search-bar')} input, input${testId('node-creator-search-bar')}`,
	);
	await bar.first().fill(query);
	const names = page.locator(`${testId('node-creator')} ${testId('node-creator-item-name')}`);
	for (const name of expected)
		await names.getByText(name, { exact: true }).first().waitFor({ timeout: 15_000 });
	return await page.evaluate(
		(selector) => {
			return [...document.querySelectorAll(selector)].map((element) => {
				let row = element;
				while (row.parentElement && !row.querySelector('img')) row = row.parentElement;
				return {
					name: element.innerText.trim(),
					icon: row.querySelector('img')?.getAttribute('src'),
				};
			});
		},
		`${testId('node-creator')} ${testId('node-creator-item-name')}`,
	);
}

/** Opens a node's panel from the canvas by its name. */
async function openNode(page, name) {
	await page
		.locator(testId('canvas-node'))
		.filter({ has: page.getByText(name, { exact: true }) })
		.first()
		.dblclick();
	await page.locator(testId('ndv')).first().waitFor({ timeout: 15_000 });
}

/** Opens a saved workflow in a fresh tab (no unsaved-changes prompt from the last one). */
async function openWorkflow(context, previous, base, id, loaded = testId('canvas-node')) {
	if (previous) await previous.close();
	const page = await context.newPage();
	await page.goto(`${base}/workflow/${id}`);
	await page.locator(loaded).first().waitFor({ timeout: 30_000 });
	// The canvas fades in: wait until the element and its ancestors are fully shown.
	await page
		.waitForFunction(
			(selector) => {
				for (
					let element = document.querySelector(selector);
					element;
					element = element.parentElement
				)
					if (getComputedStyle(element).opacity !== '1') return false;
				return true;
			},
			loaded,
			{ timeout: 10_000 },
		)
		.catch(() => {});
	await settled(page);
	return page;
}

/** Waits until the editor's transitions (a notice sliding in, edges turning green) are over. */
async function settled(page) {
	await page
		.waitForFunction(
			() =>
				document
					.getAnimations()
					.every(
						(animation) =>
							animation.playState !== 'running' ||
							animation.effect?.getTiming().iterations === Infinity,
					),
			undefined,
			{ timeout: 5000 },
		)
		.catch(() => {});
}

/** Runs a workflow from the editor's Execute workflow button until the run ends. */
async function executeWorkflow(page, trigger = async () => {}) {
	// The last run's notice closed first, so that only this run's can end the wait.
	const toasts = page.locator('.el-notification');
	for (let tries = 0; (await toasts.count()) > 0 && tries < 10; tries++)
		await toasts
			.first()
			.locator('.el-notification__closeBtn')
			.click({ timeout: 2000 })
			.catch(() => {});
	await toasts
		.first()
		.waitFor({ state: 'detached', timeout: 10_000 })
		.catch(() => {});
	await page.locator(testId('execute-workflow-button')).first().click();
	await trigger();
	await page
		.getByText(/Workflow executed successfully|Problem in node|Workflow execution had issues/)
		.first()
		.waitFor({ timeout: 60_000 });
	await page
		.locator(testId('execute-workflow-button'))
		.getByText('Execute workflow')
		.first()
		.waitFor({ timeout: 15_000 });
	await settled(page);
}

/** Waits out n8n's failover breaker until the primary gets a request again (30 s at most). */
async function primaryServing(base, primary, backup) {
	const deadline = Date.now() + 60_000;
	for (;;) {
		await control(primary, 'reset', {});
		await control(backup, 'reset', {});
		await postText(`${base}/webhook/metachat-chat`, { text: 'Are you back?', messages: [] });
		if ((await chatRequests(primary)).length > 0) return;
		if (Date.now() > deadline) throw new Error('the primary never got a request back');
		await new Promise((resolve) => setTimeout(resolve, 2000));
	}
}

async function checkEditor({ base, primary, backup, screenshotDir }) {
	const { chromium } = require('playwright-core');
	const session = await ownerSession(base);
	fs.mkdirSync(screenshotDir, { recursive: true });
	const shot = (page, name) =>
		page.screenshot({ path: path.join(screenshotDir, `screenshot-${name}.png`) });
	const sims = [primary, backup];
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: CHROMIUM_ARGS,
	});
	let page;
	try {
		const context = await browser.newContext({ viewport: VIEWPORT });
		page = await context.newPage();
		await page.goto(`${base}/signin`);
		await page
			.locator('input[type="email"], input[name="emailOrLdapLoginId"]')
			.first()
			.fill(session.email);
		await page.locator('input[type="password"]').first().fill(session.password);
		await page.keyboard.press('Enter');
		await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 30_000 });

		// The example workflow with the node in it, as the README shows it: our icon on the canvas.
		page = await openWorkflow(context, page, base, 'mcExampleWebhook01');
		const canvasIcon = await page
			.locator(testId('canvas-node'))
			.filter({ has: page.getByText('MetaChat DeepSeek', { exact: true }) })
			.locator('img')
			.first()
			.getAttribute('src');
		assert.match(canvasIcon, OUR_ICON);
		await shot(page, 'workflow');

		// The nodes panel: "metachat" finds both our nodes, "deepseek" finds them beside n8n's own
		// DeepSeek Chat Model, which keeps DeepSeek's whale; ours show the MetaChat icon.
		await page.locator(testId('node-creator-plus-button')).first().click();
		await page.locator(testId('node-creator')).first().waitFor({ timeout: 15_000 });
		const ours = ['MetaChat DeepSeek', 'MetaChat DeepSeek Chat Model'];
		const byMetaChat = await searchNodes(page, 'metachat', ours);
		const byDeepSeek = await searchNodes(page, 'deepseek', [...ours, 'DeepSeek Chat Model']);
		for (const results of [byMetaChat, byDeepSeek])
			for (const name of ours) {
				const entry = results.find((result) => result.name === name);
				assert.match(entry?.icon ?? '', OUR_ICON, `${name}'s icon: ${JSON.stringify(results)}`);
			}
		const builtIn = byDeepSeek.find((result) => result.name === 'DeepSeek Chat Model');
		assert.ok(builtIn.icon && !OUR_ICON.test(builtIn.icon), `n8n's own: ${builtIn.icon}`);
		assert.equal(new Set(byDeepSeek.map((result) => result.name)).size, byDeepSeek.length);
		await shot(page, 'nodes-panel');

		// Browsing the AI category (no search): the DeepSeek node is listed beside n8n's vendor
		// nodes such as OpenAI.
		await page
			.locator(
				`${testId('node-creator-search-bar')} input, input${testId('node-creator-search-bar')}`,
			)
			.first()
			.fill('');
		await page
			.locator(`${testId('node-creator')} ${testId('node-creator-item-name')}`)
			.getByText('AI', { exact: true })
			.first()
			.click();
		const aiNames = page.locator(`${testId('node-creator')} ${testId('node-creator-item-name')}`);
		await aiNames.getByText('OpenAI', { exact: true }).first().waitFor({ timeout: 15_000 });
		await aiNames
			.getByText('MetaChat DeepSeek', { exact: true })
			.first()
			.waitFor({ timeout: 15_000 })
			.catch(async (error) => {
				await shot(page, 'ai-category-failure');
				console.log(JSON.stringify(await aiNames.allInnerTexts()));
				throw error;
			});
		await shot(page, 'ai-category');

		// Adding it to a new workflow: version 3's panel, the System Message on it and the options in
		// one collection, nothing empty shown. (A new workflow, so the examples keep their nodes.)
		page = await openWorkflow(context, page, base, 'new', testId('node-creator-plus-button'));
		await page.locator(testId('node-creator-plus-button')).first().click();
		await searchNodes(page, 'metachat', ours);
		await page
			.locator(testId('node-creator-item-name'))
			.getByText('MetaChat DeepSeek', { exact: true })
			.first()
			.click();
		// Depending on the panel's state n8n lists the node's actions first, or adds it at once.
		const action = page.getByText('Chat with a model', { exact: true }).first();
		if (await action.isVisible({ timeout: 3000 }).catch(() => false)) await action.click();
		const ndv = page.locator(testId('ndv')).first();
		await ndv.waitFor({ timeout: 15_000 });
		const parameters = ndv.locator(testId('node-parameters'));
		await parameters.locator(testId('parameter-input-systemMessage')).waitFor({ timeout: 15_000 });
		assert.match(
			await ndv.locator(testId('node-title-container')).innerText(),
			/MetaChat DeepSeek/,
		);
		// A label's first line is its name (hover buttons and hints follow it).
		const labels = (await parameters.locator(testId('input-label')).allInnerTexts()).map(
			(label) => label.trim().split('\n')[0],
		);
		for (const label of ['Prompt', 'System Message', 'History', 'Options'])
			assert.ok(labels.includes(label), `${label} is not on the panel: ${labels.join(', ')}`);
		for (const label of ['Thinking and Sampling', 'Performance'])
			assert.ok(!labels.includes(label), `version 2's ${label} is on the panel`);
		assert.ok(
			labels.indexOf('System Message') < labels.indexOf('Options'),
			'the System Message is not above the options',
		);
		assert.equal(await parameters.locator(testId('collection-parameter-add')).count(), 1);
		// n8n marks an empty collection "No properties": once, not once per group as version 2 did.
		assert.equal(await parameters.getByText('No properties').count(), 1);
		assert.match(await page.locator(testId('node-version')).first().innerText(), /\b3\b/);
		// The credential imported is picked and the models load from /models.
		await shown(page, 'MetaChat account');
		await shown(page, 'deepseek-chat');
		await page.setViewportSize({ width: VIEWPORT.width, height: 1200 });
		await shot(page, 'panel');
		// The Options list: each option named by its group, so the alphabetical list clusters.
		await parameters.locator(testId('collection-parameter-add')).first().click();
		const listed = page.locator('.el-select-dropdown__item, [role="option"]');
		await listed.getByText('Thinking: Mode', { exact: true }).first().waitFor({ timeout: 15_000 });
		const optionNames = (await listed.allInnerTexts())
			.map((name) => name.trim())
			.filter((name) => /^[A-Z][a-z]+: /.test(name));
		const groupsInOrder = [...new Set(optionNames.map((name) => name.split(':')[0]))];
		assert.deepEqual(
			groupsInOrder,
			['Images', 'Output', 'Performance', 'Reliability', 'Sampling', 'Thinking'],
			optionNames.join(', '),
		);
		assert.ok(optionNames.includes('Output: Include Messages'), optionNames.join(', '));
		await settled(page);
		await shot(page, 'panel-options');
		await page.keyboard.press('Escape');
		await page.setViewportSize(VIEWPORT);
		await page.locator('input[value="deepseek-chat"]').first().click();
		await page
			.getByText(/deepseek-reasoner/)
			.first()
			.waitFor({ timeout: 15_000 });
		assert.match(await page.locator('body').innerText(), /deepseek-r1-250528/);
		await shot(page, 'editor');

		// The tools example run from the editor: its test webhook called, the node's output.
		for (const sim of sims) {
			await control(sim, 'reset', {});
			await control(sim, 'tools', {
				rounds: [[{ name: 'Weather_Lookup', arguments: { input: 'Paris' } }]],
			});
		}
		page = await openWorkflow(context, page, base, 'mcExampleTools01');
		await executeWorkflow(page, async () => {
			// The test webhook answers 404 until the editor listens for it.
			const deadline = Date.now() + 20_000;
			for (;;) {
				const response = await fetch(`${base}/webhook-test/metachat-tools`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ text: 'What is the weather in Paris?', messages: [] }),
				});
				if (response.status === 200) return;
				if (Date.now() > deadline) throw new Error(`webhook-test: HTTP ${response.status}`);
				await new Promise((resolve) => setTimeout(resolve, 300));
			}
		});
		await shot(page, 'tools');
		await openNode(page, 'MetaChat DeepSeek');
		await page.locator(testId('radio-button-table')).last().click();
		await shown(page, 'Weather_Lookup said Weather in Paris');
		await settled(page);
		await shot(page, 'tools-output');

		// The chat agent example from the editor's chat: the sub-node's entries in the logs carry
		// MetaChat's token counts (n8n writes an estimate as "~N").
		for (const sim of sims) {
			await control(sim, 'reset', {});
			await control(sim, 'tools', {
				rounds: [[{ name: 'Word_Count', arguments: { input: 'one two three' } }]],
			});
		}
		page = await openWorkflow(context, page, base, 'mcExampleAgent01');
		await shot(page, 'agent');
		await page.setViewportSize({ width: VIEWPORT.width, height: 1100 });
		await page.locator(testId('workflow-chat-button')).first().click();
		const chatInput = page.locator(`${testId('logs-panel')} textarea`).first();
		await chatInput.waitFor({ timeout: 15_000 });
		await chatInput.fill('How many words are in "one two three"?');
		await chatInput.press('Enter');
		const logs = page.locator(testId('logs-overview')).first();
		await page
			.getByText(/Word_Count said 3 words/)
			.first()
			.waitFor({ timeout: 60_000 });
		await logs.getByText('MetaChat DeepSeek Chat Model').first().waitFor({ timeout: 15_000 });
		// The first model call's entry: its header holds that call's token count.
		await logs.getByText('MetaChat DeepSeek Chat Model', { exact: true }).first().click();
		const logsPanel = page.locator(testId('logs-panel')).first();
		const entryHeader = /MetaChat DeepSeek Chat Model\s*Success in \S+\s*~?\s*(\d+) Tokens/;
		await page
			.waitForFunction(
				(source) =>
					new RegExp(source).test(
						document.querySelector('[data-test-id="logs-panel"]')?.innerText ?? '',
					),
				entryHeader.source,
				{ timeout: 15_000 },
			)
			.catch(async (error) => {
				console.log(JSON.stringify(await logsPanel.innerText()));
				throw error;
			});
		const logText = await logsPanel.innerText();
		assert.doesNotMatch(logText, /~\s*\d+ Tokens/, `n8n's estimate in the logs: ${logText}`);
		const counted = Number(entryHeader.exec(logText)[1]);
		const [firstCall] = (await Promise.all(sims.map(chatRequests)))
			.flat()
			.sort((a, b) => a.at - b.at);
		assert.equal(
			counted,
			firstCall.usage.total_tokens,
			"the first call's tokens, as the server counted",
		);
		// The call's output: its reasoning and the tool call it made.
		assert.match(logText, /Reasoning: \[simulated reasoning\]/);
		assert.match(logText, /Tool call: Word_Count/);
		await settled(page);
		await shot(page, 'agent-logs');

		// A failover during the agent's run: its model call's entry names the URL that answered
		// and why the primary did not.
		for (const sim of sims) await control(sim, 'reset', {});
		await control(primary, 'fault', { type: '500' });
		try {
			const answers = page.getByText(/\[simulated deepseek-reasoner\]/);
			const answered = await answers.count();
			await chatInput.fill('Say hello.');
			await chatInput.press('Enter');
			// The run is over when its answer is in the chat.
			for (const deadline = Date.now() + 60_000; (await answers.count()) <= answered;) {
				if (Date.now() > deadline) throw new Error('no answer in the chat after the failover');
				await page.waitForTimeout(500);
			}
			const failoverEntry = `MetaChat failover: the primary URL (${primary.url}) answered 500`;
			const logShows = (timeout) =>
				page
					.waitForFunction(
						(wanted) =>
							(document.querySelector('[data-test-id="logs-panel"]')?.innerText ?? '').includes(
								wanted,
							),
						failoverEntry,
						{ timeout },
					)
					.then(
						() => true,
						() => false,
					);
			// The entry may still be selected from the last run, where a click deselects it.
			const entry = logs.getByText('MetaChat DeepSeek Chat Model', { exact: true }).first();
			await entry.click();
			if (!(await logShows(10_000))) {
				await entry.click();
				if (!(await logShows(30_000))) {
					console.log(JSON.stringify(await logsPanel.innerText()));
					throw new Error("the model call's log entry does not show the failover");
				}
			}
			const failoverLog = await logsPanel.innerText();
			assert.ok(
				failoverLog.includes(`The failover URL (${backup.url}) answered instead`),
				failoverLog,
			);
		} finally {
			await control(primary, 'fault', { type: null });
		}
		await settled(page);
		await shot(page, 'agent-failover-logs');
		await page.setViewportSize(VIEWPORT);

		// A failover: the primary answers 500, the backup answers; the node's output says so.
		await primaryServing(base, primary, backup);
		page = await openWorkflow(context, page, base, 'mcExampleReason01');
		await control(primary, 'fault', { type: '500' });
		try {
			await executeWorkflow(page);
		} finally {
			await control(primary, 'fault', { type: null });
		}
		await openNode(page, 'MetaChat DeepSeek');
		const hint = page.getByText(/MetaChat failover: the primary URL/).first();
		await hint.waitFor({ timeout: 15_000 });
		const hintText = await hint.innerText();
		assert.ok(hintText.includes(`the primary URL (${primary.url}) answered 500`), hintText);
		assert.ok(hintText.includes(`The failover URL (${backup.url}) answered instead`), hintText);
		assert.match(hintText, /for 1 of 1 item\./);
		await settled(page);
		await shot(page, 'failover-hint');

		// An error: the key is rejected (401, not failed over); its details say MetaChat. Both URLs
		// reject it, as the breaker the failover opened sends this run straight to the backup.
		await page.keyboard.press('Escape');
		await page.locator(testId('ndv')).first().waitFor({ state: 'hidden', timeout: 15_000 });
		for (const sim of sims) await control(sim, 'fault', { type: '401' });
		try {
			await executeWorkflow(page);
		} finally {
			for (const sim of sims) await control(sim, 'fault', { type: null });
		}
		await openNode(page, 'MetaChat DeepSeek');
		const output = page.locator(`${testId('ndv')} ${testId('output-panel')}`).first();
		await output
			.getByText(/MetaChat rejected the API key \(401\)/)
			.first()
			.waitFor({ timeout: 15_000 });
		await output.getByText('Error details', { exact: true }).first().waitFor({ timeout: 15_000 });
		// The section is named after the node's service; open it to show the server's words.
		await output.getByText('From MetaChat DeepSeek', { exact: true }).first().click();
		await output.getByText(backup.url, { exact: false }).first().waitFor({ timeout: 15_000 });
		const errorText = await output.innerText();
		assert.match(errorText, /Error code\s*401/, errorText);
		await settled(page);
		await shot(page, 'error-details');
	} catch (error) {
		if (page) await page.screenshot({ path: path.join(screenshotDir, 'screenshot-failure.png') });
		throw error;
	} finally {
		await browser.close();
	}
}

module.exports = { checkEditor };
