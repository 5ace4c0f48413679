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

describe('which parameter of the request a server refusal names', () => {
	it.each([
		['Unknown parameter: thinking', body, 'thinking'],
		['Unrecognized request argument supplied: reasoning_effort', body, 'reasoning_effort'],
		['body -> thinking: Extra inputs are not permitted', body, 'thinking'],
		['This model does not support response_format', body, 'response_format'],
		["Invalid parameter 'temperature'", body, 'temperature'],
		['thinking is not supported by deepseek-r1-250528', body, 'thinking'],
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
	] as Array<[string, CompletionBody, string | undefined]>)('%j', (message, sent, parameter) => {
		expect(rejectedParameter(sent, message)).toBe(parameter);
	});
});
