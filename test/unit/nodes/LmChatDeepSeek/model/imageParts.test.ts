import { fromLcMessage } from '@n8n/ai-utilities';
import { HumanMessage, type BaseMessage } from '@langchain/core/messages';

import { keepImages } from '../../../../../nodes/LmChatDeepSeek/model/imageParts';
import { toDeepSeekMessages } from '../../../../../nodes/LmChatDeepSeek/model/toDeepSeekMessages';
import { InputProblem } from '../../../../../nodes/shared/nodeErrors';

const PNG =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]).toString('base64');
const PDF = Buffer.from('%PDF-1.4 test').toString('base64');

/** What our model gets of LangChain messages: through keepImages, then the SDK's adapter. */
function throughTheAdapter(messages: BaseMessage[]) {
	let seen: BaseMessage[] = [];
	const model = {
		_generate(received: BaseMessage[]) {
			seen = received;
		},
	};
	keepImages(model);
	model._generate(messages);
	// The adapter has its own copy of @langchain/core: the same messages, other types.
	return toDeepSeekMessages(
		seen.map((message) => fromLcMessage(message as never)),
		() => undefined,
	);
}

describe('images through the AI node SDK adapter', () => {
	it("keeps the agent's image_url blocks, in order with the text, as DeepSeek's image blocks", () => {
		const sent = throughTheAdapter([
			new HumanMessage({
				content: [
					{ type: 'text', text: 'What is this?' },
					{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
					{ type: 'text', text: 'And this?' },
					// The bytes decide: a JPEG labelled as a PNG goes as a JPEG.
					{ type: 'image_url', image_url: `data:image/png;base64,${JPEG}` },
					{ type: 'image_url', image_url: { url: 'https://example.com/a.webp' } },
				],
			}),
		]);
		expect(sent).toEqual([
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'What is this?' },
					{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
					{ type: 'text', text: 'And this?' },
					{ type: 'image_url', image_url: { url: `data:image/jpeg;base64,${JPEG}` } },
					{ type: 'image_url', image_url: { url: 'https://example.com/a.webp' } },
				],
			},
		]);
	});

	it('drops the image_url block without the workaround (the reason for it)', () => {
		const [message] = [
			new HumanMessage({
				content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }],
			}),
		].map((message) => fromLcMessage(message as never));
		expect(message.content).toEqual([]);
	});

	it("never sends the agent's PDF (LangChain's older file form) as an image: it fails with the fix", () => {
		const problem = (() => {
			try {
				throughTheAdapter([
					new HumanMessage({
						content: [
							{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
							{
								type: 'file',
								source_type: 'base64',
								mime_type: 'application/pdf',
								data: PDF,
								metadata: { filename: 'a.pdf' },
							},
						],
					}),
				]);
			} catch (error) {
				return error;
			}
			return undefined;
		})();
		expect(problem).toBeInstanceOf(InputProblem);
		expect((problem as InputProblem).fact).toEqual({
			what: 'file-not-image',
			part: 1,
			mimeType: 'application/pdf',
		});
	});

	it('refuses bytes that are not JPEG, PNG, GIF or WebP, whatever the label', () => {
		expect(() =>
			throughTheAdapter([
				new HumanMessage({
					content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${PDF}` } }],
				}),
			]),
		).toThrow(InputProblem);
	});

	it('leaves a message without images as it was: text as a string', () => {
		expect(throughTheAdapter([new HumanMessage('Hello')])).toEqual([
			{ role: 'user', content: 'Hello' },
		]);
	});
});
