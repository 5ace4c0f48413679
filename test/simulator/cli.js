#!/usr/bin/env node
// @ts-check
'use strict';

const { startSimulator } = require('./simulator');

const USAGE = `Usage: node test/simulator/cli.js [options]

  --host HOST                 default 127.0.0.1
  --port PORT                 default 8001 (0: a free port)
  --name NAME                 default primary
  --api-key KEY               the Bearer key it accepts (default sk-simulated)
  --latency MS                delay before answering
  --token-delay MS            delay between streamed words
  --reply-tokens N            answers exactly N words long
  --keep-alive-interval MS    send keep-alives while waiting
  --max-concurrency N         429 beyond N requests in flight
  --fault TYPE                400 401 402 404 422 429 500 502 503 504 reset reset-mid hang
                              hang-keepalive slow truncate html html502 nochoices stream-error
                              empty text nostream oversized badjson, and the real shapes of
                              test/simulator/README.md (deepseek-401, gateway-429-saturated, …)
  --retry-after S             Retry-After for --fault 429
  --fault-size BYTES          body size for --fault oversized (64 MiB) and html502 (200 KiB)
  --long-line                 --fault oversized as one line that never ends
  --tools JSON                the tool calls the model makes when a request offers tools, e.g.
                              '{"rounds":[[{"name":"Weather_Lookup","arguments":{"input":"Paris"}}]]}'
  --chat-thinks BOOL          deepseek-chat in thinking mode unless thinking is off (default true)
  --stream-quirks LIST        odd but legal answers, comma-separated: repeatToolName,
                              omitToolCallIds, noFinishReason
  --reject-params LIST        request fields answered with 400 Unknown parameter, e.g. thinking
  --real-shapes LIST          shapes real hosts send, comma-separated: deepseekStream,
                              gatewayNulls, reasoningInMaxTokens (see README.md)
  --line-ending lf|crlf|cr    how stream lines end (default lf)
  --connection-delay MS       delay the first answer on each new connection
  --quiet                     no line per request

Faults can be changed at run time: POST /__sim/fault {"type":"503"}, {"type":null} to clear;
tool calls with POST /__sim/tools {"rounds":[…]}, {} to stop calling tools.`;

function parse(argv) {
	/** @type {Record<string, string | boolean>} */
	const args = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
		const key = arg.slice(2);
		if (key === 'quiet' || key === 'help' || key === 'long-line') args[key] = true;
		else if (i + 1 < argv.length) args[key] = argv[++i];
		else throw new Error(`${arg} needs a value`);
	}
	return args;
}

async function main() {
	const args = parse(process.argv.slice(2));
	if (args.help) {
		console.log(USAGE);
		return;
	}
	const number = (key) => (args[key] === undefined ? undefined : Number(args[key]));
	const list = (key) =>
		args[key] === undefined ? undefined : String(args[key]).split(',').filter(Boolean);
	const sim = await startSimulator({
		host: /** @type {string | undefined} */ (args.host),
		port: number('port') ?? 8001,
		name: /** @type {string | undefined} */ (args.name),
		apiKey: /** @type {string | undefined} */ (args['api-key']),
		latencyMs: number('latency'),
		tokenDelayMs: number('token-delay'),
		replyTokens: number('reply-tokens'),
		keepAliveIntervalMs: number('keep-alive-interval'),
		maxConcurrency: number('max-concurrency'),
		fault: args.fault
			? {
					type: /** @type {any} */ (args.fault),
					retryAfter: number('retry-after'),
					sizeBytes: number('fault-size'),
					longLine: args['long-line'] === true,
				}
			: null,
		log: !args.quiet,
		tools: args.tools ? JSON.parse(String(args.tools)) : null,
		chatThinks: args['chat-thinks'] === undefined ? undefined : args['chat-thinks'] !== 'false',
		streamQuirks: /** @type {any} */ (list('stream-quirks')),
		rejectParams: list('reject-params'),
		realShapes: /** @type {any} */ (list('real-shapes')),
		lineEnding: /** @type {any} */ (args['line-ending']),
		connectionDelayMs: number('connection-delay'),
	});
	console.log(`MetaChat simulator (${sim.name}) listening on ${sim.url}`);
	const stop = () => sim.close().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	console.error(`simulator: ${error.message}\n\n${USAGE}`);
	process.exit(2);
});
