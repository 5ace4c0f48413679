// The editor, as a person uses it: Debian's Chromium driven by playwright-core (it cannot
// download its own browser here). Logs in, adds the node from the nodes panel, checks the
// MetaChat credential and the model list, and saves screenshots (test-results/ by default).
'use strict';

const assert = require('assert/strict');
const fs = require('fs');
const path = require('path');

const { ownerSession } = require('../../scripts/n8nEnv');

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

async function checkEditor(base, screenshotDir) {
	const { chromium } = require('playwright-core');
	const session = await ownerSession(base);
	fs.mkdirSync(screenshotDir, { recursive: true });
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: CHROMIUM_ARGS,
	});
	try {
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
		const page = await context.newPage();
		await page.goto(`${base}/signin`);
		await page
			.locator('input[type="email"], input[name="emailOrLdapLoginId"]')
			.first()
			.fill(session.email);
		await page.locator('input[type="password"]').first().fill(session.password);
		await page.keyboard.press('Enter');
		await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 30_000 });

		// The example workflow with the node in it, as the README shows it.
		await page.goto(`${base}/workflow/mcExampleWebhook01`);
		await page.getByText('DeepSeek', { exact: true }).first().waitFor({ timeout: 30_000 });
		await page.waitForTimeout(1000);
		await page.screenshot({ path: path.join(screenshotDir, 'screenshot-workflow.png') });

		// The nodes panel: find the node by searching "DeepSeek", as a user would, and add it.
		await page.locator('[data-test-id="node-creator-plus-button"]').first().click();
		await page.locator('[data-test-id="node-creator"]').first().waitFor({ timeout: 15_000 });
		await page.keyboard.type('DeepSeek');
		const entry = page.getByText('DeepSeek (MetaChat)').first();
		await entry.waitFor({ timeout: 15_000 });
		await page.screenshot({ path: path.join(screenshotDir, 'screenshot-nodes-panel.png') });
		await entry.click();
		// Depending on the panel's state n8n lists the node's actions first, or adds it at once.
		const action = page.getByText('Chat with a model', { exact: true }).first();
		if (await action.isVisible({ timeout: 3000 }).catch(() => false)) await action.click();

		// The node's settings: the imported credential is picked and the models load from /models.
		await shown(page, 'MetaChat account');
		await shown(page, 'deepseek-chat');
		await page.locator('input[value="deepseek-chat"]').first().click();
		await page
			.getByText(/deepseek-reasoner/)
			.first()
			.waitFor({ timeout: 15_000 });
		await page.waitForTimeout(500);
		await page.screenshot({ path: path.join(screenshotDir, 'screenshot-editor.png') });
		const text = await page.locator('body').innerText();
		assert.match(text, /deepseek-r1-250528/);
	} catch (error) {
		const pages = browser.contexts().flatMap((context) => context.pages());
		if (pages[0])
			await pages[0].screenshot({ path: path.join(screenshotDir, 'screenshot-failure.png') });
		throw error;
	} finally {
		await browser.close();
	}
}

module.exports = { checkEditor };
