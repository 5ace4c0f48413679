// What the e2e checks share: the simulators' control routes and posting to n8n's webhooks.
'use strict';

const assert = require('assert/strict');

/** A simulator control route (`/__sim/<route>`): GET without a body, POST with one. */
async function control(sim, route, body) {
	const response = await fetch(`${sim.control}/${route}`, {
		method: body === undefined ? 'GET' : 'POST',
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	assert.equal(response.status, 200, `simulator ${route}: HTTP ${response.status}`);
	return await response.json();
}

/** The chat completion requests a simulator received, oldest first. */
async function chatRequests(sim) {
	const requests = await control(sim, 'requests');
	return requests.filter((request) => request.path === '/v1/chat/completions');
}

/** POSTs JSON and returns the answer's text, failing on anything but 200. */
async function postText(url, body) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const text = await response.text();
	assert.equal(response.status, 200, `HTTP ${response.status}: ${text.slice(0, 500)}`);
	return text;
}

const postJson = async (url, body) => JSON.parse(await postText(url, body));

module.exports = { control, chatRequests, postText, postJson };
