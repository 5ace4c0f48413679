import type { HistoryFact } from '../facts/input';
import { ROLES } from '../protocol/wire';

/** What a History value is, for its errors: only its type, never the value. */
function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const HISTORY_SHAPE = 'pass an array of { role, content }, e.g. {{ $json.messages }}';

/** What is wrong with the History, in words, with the fix after the colon. */
export function historyWords(fact: HistoryFact): string {
	const roles = ROLES.join(', ');
	const message = 'index' in fact ? `History message ${fact.index}` : '';
	switch (fact.what) {
		case 'not-json': {
			const where = fact.position === undefined ? '' : ` (at character ${fact.position})`;
			return `History is not valid JSON${where}: ${HISTORY_SHAPE}`;
		}
		case 'not-a-list':
			return `History is ${kindOf(fact.value)}, not a list of messages: ${HISTORY_SHAPE}`;
		case 'message-not-object':
			return `${message} is ${kindOf(fact.value)}, expected { role, content }`;
		case 'no-role':
			return `${message} has no role: give it one of ${roles}`;
		case 'unknown-role':
			return `${message} has the role "${fact.role}": use one of ${roles}`;
		case 'content-not-text':
			return `${message} has content that is ${kindOf(fact.value)}, expected text`;
		case 'content-part-not-text':
			return `${message} has a content part ${fact.part} that is neither text nor an image_url block: give it as { type: 'text', text } or { type: 'image_url', image_url: { url } }`;
		case 'image-part-not-image':
			return `${message} has an image block ${fact.part} whose URL is neither https nor a JPEG, PNG, GIF or WebP data URL: give image_url.url as one of them`;
		case 'image-not-in-user':
			return `${message} (${fact.role}) has an image block ${fact.part}: DeepSeek takes images in user messages only`;
		case 'no-content':
			return `${message} (${fact.role}) has no content`;
		case 'tool-call-without-id':
			return `${message} has a tool call ${fact.call} without an id or a function name: pass tool_calls as this node's Messages output gives them`;
		case 'tool-call-arguments':
			// The arguments are not quoted: they may hold anything.
			return `${message} has a tool call ${fact.call} whose arguments are not valid JSON: give function.arguments as JSON text such as {"city":"Paris"}, or as an object`;
		case 'no-tool-call-id':
			return `${message} (tool) has no tool_call_id`;
	}
}
