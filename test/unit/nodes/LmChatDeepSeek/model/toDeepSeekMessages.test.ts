import type { Message } from '@n8n/ai-node-sdk';

import { toDeepSeekMessages } from '../../../../../nodes/LmChatDeepSeek/model/toDeepSeekMessages';

const kept: Record<string, string> = { call_kept: 'kept reasoning' };
const recall = (id: string) => kept[id];
const call = (toolCallId: string, providerMetadata?: Record<string, unknown>) => ({
	type: 'tool-call' as const,
	toolCallId,
	toolName: 'lookup',
	input: '{"city":"Paris"}',
	...(providerMetadata && { providerMetadata }),
});

describe("n8n's messages as DeepSeek messages", () => {
	it('joins the text of system and user messages and leaves other parts out', () => {
		const messages: Message[] = [
			{ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'Line one' },
					{ type: 'reasoning', text: 'not sent' },
					{ type: 'text', text: 'Line two' },
				],
			},
		];
		expect(toDeepSeekMessages(messages, recall)).toEqual([
			{ role: 'system', content: 'Be brief.' },
			{ role: 'user', content: 'Line one\nLine two' },
		]);
	});

	it("sends a user message's images as image blocks, in order with its text (issue 32)", () => {
		// An 8-byte PNG signature: the bytes, not the media type, say the format.
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).toString('base64');
		const messages: Message[] = [
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'Line one' },
					{ type: 'file', data: png, mediaType: 'image/jpeg' },
					{ type: 'text', text: 'Line two' },
					{ type: 'file', data: '', providerMetadata: { url: 'https://example.com/a.gif' } },
				],
			},
		];
		expect(toDeepSeekMessages(messages, recall)).toEqual([
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'Line one' },
					{ type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
					{ type: 'text', text: 'Line two' },
					{ type: 'image_url', image_url: { url: 'https://example.com/a.gif' } },
				],
			},
		]);
	});

	it.each([
		['a reasoning part of the message', [{ type: 'reasoning' as const, text: 'own' }], {}, 'own'],
		['our provider metadata on its tool call', [], { reasoning_content: 'metadata' }, 'metadata'],
		['the store, by tool-call id', [], undefined, 'kept reasoning'],
	])('gives a tool-call message its reasoning from %s', (_, extra, metadata, expected) => {
		const messages: Message[] = [
			{ role: 'assistant', content: [...extra, call('call_kept', metadata)] },
		];
		expect(toDeepSeekMessages(messages, recall)[0]).toEqual({
			role: 'assistant',
			content: '',
			tool_calls: [
				{
					id: 'call_kept',
					type: 'function',
					function: { name: 'lookup', arguments: '{"city":"Paris"}' },
				},
			],
			reasoning_content: expected,
		});
	});

	it('leaves an unknown reasoning out: the shared rules (modelRules.ts) fill it in per model', () => {
		const messages: Message[] = [{ role: 'assistant', content: [call('call_unknown')] }];
		expect(toDeepSeekMessages(messages, recall)[0]).not.toHaveProperty('reasoning_content');
	});

	it('puts no reasoning on an assistant message without tool calls', () => {
		const messages: Message[] = [
			{
				role: 'assistant',
				content: [
					{ type: 'reasoning', text: 'thinking' },
					{ type: 'text', text: 'The answer' },
				],
			},
		];
		expect(toDeepSeekMessages(messages, recall)).toEqual([
			{ role: 'assistant', content: 'The answer' },
		]);
	});

	it.each([
		['text', 'sunny', 'sunny'],
		['the AI Agent 3 empty result', '""', '""'],
		['content parts', [{ type: 'text', text: 'from parts' }], 'from parts'],
		['an object', { temperature: 18 }, '{"temperature":18}'],
	])('sends a tool result given as %s as text', (_, result, expected) => {
		const messages: Message[] = [
			{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', result }] },
		];
		expect(toDeepSeekMessages(messages, recall)).toEqual([
			{ role: 'tool', tool_call_id: 'call_1', content: expected },
		]);
	});
});
