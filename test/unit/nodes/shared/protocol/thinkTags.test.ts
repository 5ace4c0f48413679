import {
	answerParts,
	splitThinkTags,
	ThinkTagSplitter,
} from '../../../../../nodes/shared/protocol/thinkTags';

describe('splitThinkTags', () => {
	it.each([
		['plain content', 'Hello', { reasoning: '', content: 'Hello' }],
		[
			'inline thinking',
			'<think>Let me see.</think>\n\nHello',
			{ reasoning: 'Let me see.', content: 'Hello' },
		],
		['leading whitespace', '\n <think>a</think>b', { reasoning: 'a', content: 'b' }],
		['unclosed thinking', '<think>still going', { reasoning: 'still going', content: '' }],
		['a tag later in the text', 'Use <think> tags', { reasoning: '', content: 'Use <think> tags' }],
		['empty text', '', { reasoning: '', content: '' }],
		['a lone prefix of the tag', '<thi', { reasoning: '', content: '<thi' }],
	])('splits %s', (_name, text, expected) => {
		expect(splitThinkTags(text)).toEqual(expected);
	});

	it('gives the same split whatever the chunking', () => {
		const text = '<think>step one, step two</think>\n\nThe answer is 4.';
		for (let size = 1; size <= 9; size++) {
			const splitter = new ThinkTagSplitter();
			let reasoning = '';
			let content = '';
			for (let at = 0; at < text.length; at += size) {
				const part = splitter.push(text.slice(at, at + size));
				reasoning += part.reasoning;
				content += part.content;
			}
			const rest = splitter.flush();
			expect({ reasoning: reasoning + rest.reasoning, content: content + rest.content }).toEqual({
				reasoning: 'step one, step two',
				content: 'The answer is 4.',
			});
		}
	});
});

describe('answerParts', () => {
	it.each([
		[
			'reasoning_content',
			{ content: 'Yes', reasoning_content: 'hm' },
			{ content: 'Yes', reasoning: 'hm' },
		],
		[
			'inline <think>',
			{ content: '<think>hm</think>\n\nYes' },
			{ content: 'Yes', reasoning: 'hm' },
		],
		[
			'an empty inline <think>',
			{ content: '<think></think>Yes' },
			{ content: 'Yes', reasoning: '' },
		],
		[
			'a tool-call answer of inline thinking only',
			{ content: '<think>call it</think>\n\n' },
			{ content: '', reasoning: 'call it' },
		],
		['no content', { content: null }, { content: '', reasoning: '' }],
		[
			'<think> later in the text',
			{ content: 'Say <think>' },
			{ content: 'Say <think>', reasoning: '' },
		],
	])('takes %s apart', (_name, message, expected) => {
		expect(answerParts(message)).toEqual(expected);
	});
});
