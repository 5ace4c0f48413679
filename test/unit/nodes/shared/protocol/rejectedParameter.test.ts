import { rejectedParameter } from '../../../../../nodes/shared/protocol/rejectedParameter';
import type { CompletionBody } from '../../../../../nodes/shared/protocol/wire';

const body: CompletionBody = {
	model: 'deepseek-chat',
	messages: [{ role: 'user', content: 'Hi' }],
	thinking: { type: 'disabled' },
	reasoning_effort: 'high',
	response_format: { type: 'json_object' },
	temperature: 0.3,
	stop: ['END'],
};
const bare: CompletionBody = { model: 'deepseek-chat', messages: body.messages };

describe('which option leaves out a parameter the server rejects', () => {
	it.each([
		[
			'Unknown parameter: thinking',
			body,
			'MetaChat does not accept the `thinking` parameter that this node sends; set Options > Thinking to Model Default to leave it out.',
		],
		[
			'Unrecognized request argument supplied: reasoning_effort',
			body,
			'MetaChat does not accept the `reasoning_effort` parameter that this node sends; set Options > Reasoning Effort to Model Default to leave it out.',
		],
		[
			'body -> thinking: Extra inputs are not permitted',
			body,
			'MetaChat does not accept the `thinking` parameter that this node sends; set Options > Thinking to Model Default to leave it out.',
		],
		[
			'This model does not support response_format',
			body,
			'MetaChat does not accept the `response_format` parameter that this node sends; set Options > Response Format to Text to leave it out.',
		],
		[
			"Invalid parameter 'temperature'",
			body,
			'MetaChat does not accept the `temperature` parameter that this node sends; remove Options > Sampling Temperature to leave it out.',
		],
		[
			'thinking is not supported by deepseek-r1-250528',
			body,
			'MetaChat does not accept the `thinking` parameter that this node sends; set Options > Thinking to Model Default to leave it out.',
		],
		// Not sent, so not the culprit.
		['Unknown parameter: thinking', bare, undefined],
		// DeepSeek's own rules mention thinking mode, not the parameter.
		[
			'The `reasoning_content` in the thinking mode must be passed back to the API.',
			body,
			undefined,
		],
		[
			'Missing `reasoning_content` field in the assistant message at message index 1',
			body,
			undefined,
		],
		['Insufficient Balance', body, undefined],
		['temperature must be between 0 and 2', body, undefined],
		['Unknown parameter: thinkingBudget', body, undefined],
	] as Array<[string, CompletionBody, string | undefined]>)('%j', (message, sent, advice) => {
		expect(rejectedParameter(sent, message)).toBe(advice);
	});
});
