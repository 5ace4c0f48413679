import { getProxyForUrl } from 'proxy-from-env';
import { ProxyAgent } from 'undici';
import type { Dispatcher } from 'undici';

/** Our own deadlines end every attempt; the agent's timeouts must never end one first. */
const AGENT_TIMEOUT_MS = 3_600_000;

const agents = new Map<string, ProxyAgent>();

/**
 * The outbound proxy for a MetaChat URL, as n8n's own AI nodes choose it: HTTPS_PROXY or
 * HTTP_PROXY by the URL's scheme, unless NO_PROXY names its host (proxy-from-env's rules).
 * One agent per proxy URL for the whole process, so connections to it are reused.
 */
export function proxyDispatcher(targetUrl: string): Dispatcher | undefined {
	const proxyUrl = getProxyForUrl(targetUrl);
	if (!proxyUrl) return undefined;
	let agent = agents.get(proxyUrl);
	if (!agent) {
		agent = new ProxyAgent({
			uri: proxyUrl,
			headersTimeout: AGENT_TIMEOUT_MS,
			bodyTimeout: AGENT_TIMEOUT_MS,
		});
		agents.set(proxyUrl, agent);
	}
	return agent;
}
