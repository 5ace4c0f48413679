import { createHash } from 'crypto';
import fs from 'fs';
import path from 'path';

import type {
	IBinaryData,
	ICredentialType,
	IDataObject,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { MetaChatApi } from '../../credentials/MetaChatApi.credentials';
import { LmChatDeepSeek } from '../../nodes/LmChatDeepSeek/LmChatDeepSeek.node';
import { runWorkflow, type SubNodeSpec } from '../harness';
import {
	aiNodesAvailable as available,
	aiNodeTypes,
	LANGCHAIN,
	LC,
	loadAiNode as load,
	N8N_MODULES,
	subNodeCasesRun,
} from './aiNodes';
import {
	API_KEY,
	chat,
	completions,
	runDeepSeek,
	useSimulatorPair,
	type SimulatorPair,
} from './fixtures';

// Images: the DeepSeek node's Images options and the chat model under n8n's AI Agent, asserted by
// what the simulator received (test/simulator/images.js). afterAll prints the agent table
// (ours beside n8n's OpenAI Chat Model pointed at the same simulator) for docs/images.md.

const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
	'base64',
);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF test jpeg')]);
const PDF = Buffer.from('%PDF-1.4\n% test document\n%%EOF\n');
// A BMP labelled as a PNG: the bytes decide.
const BMP = Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)]);

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex').slice(0, 12);
/** What the simulator's answer says it received for these bytes. */
const proof = (format: string, bytes: Buffer) =>
	`${format} ${bytes.length} bytes sha256 ${sha(bytes)}`;

const binary = (bytes: Buffer, mimeType: string, fileName: string): IBinaryData => ({
	data: bytes.toString('base64'),
	mimeType,
	fileName,
});

interface SentMessage {
	role: string;
	content: string | Array<{ type: string; text?: string; image_url?: { url: string } }>;
}

/** The image URLs of the user messages of a request, in order. */
function sentImages(request: { messages: unknown[] | null }): string[] {
	return ((request.messages ?? []) as SentMessage[])
		.filter((message) => message.role === 'user' && Array.isArray(message.content))
		.flatMap((message) => message.content as Array<{ type: string; image_url?: { url: string } }>)
		.filter((part) => part.type === 'image_url')
		.map((part) => part.image_url!.url);
}

const dataUrl = (format: string, bytes: Buffer) =>
	`data:image/${format};base64,${bytes.toString('base64')}`;

const flash = (extra: IDataObject = {}) =>
	chat({ model: { __rl: true, mode: 'list', value: 'deepseek-flash' }, ...extra });

describe('the DeepSeek node with images', () => {
	const pair = useSimulatorPair();

	it('sends one image of a binary property after the prompt, and keeps no bytes in its output', async () => {
		const result = await runDeepSeek(pair, {
			typeVersion: 2,
			parameters: flash({
				images: { binaryProperties: 'receipt' },
				outputOptions: { includeMessages: true },
			}),
			items: [
				{
					json: { text: 'What is the total?' },
					binary: { receipt: binary(PNG, 'image/png', 'receipt.png') },
				},
			],
		});
		expect(result.error).toBeUndefined();
		const [request] = completions(pair.primary);
		const user = (request.messages as SentMessage[]).at(-1)!;
		expect(user.content).toEqual([
			{ type: 'text', text: 'What is the total?' },
			{ type: 'image_url', image_url: { url: dataUrl('png', PNG) } },
		]);
		const [item] = result.output('DeepSeek');
		expect(item.json.content).toContain(`[images: ${proof('png', PNG)}]`);
		const kept = JSON.stringify(item.json.messages);
		expect(kept).not.toContain(PNG.toString('base64'));
		expect(kept).toContain('[image from the binary property \\"receipt\\": png');
	});

	it('sends two binary properties in the order named, and * sends every image but not a PDF', async () => {
		const item: INodeExecutionData = {
			json: { text: 'Compare them' },
			binary: {
				photo: binary(JPEG, 'image/jpeg', 'photo.jpg'),
				doc: binary(PDF, 'application/pdf', 'doc.pdf'),
				scan: binary(PNG, 'application/octet-stream', 'scan'),
			},
		};
		const named = await runDeepSeek(pair, {
			typeVersion: 2,
			parameters: flash({ images: { binaryProperties: 'scan, photo' } }),
			items: [item],
		});
		expect(named.error).toBeUndefined();
		expect(sentImages(completions(pair.primary)[0])).toEqual([
			dataUrl('png', PNG),
			dataUrl('jpeg', JPEG),
		]);
		expect(named.output('DeepSeek')[0].json.content).toContain(
			`[images: ${proof('png', PNG)}; ${proof('jpeg', JPEG)}]`,
		);
		pair.primary.reset();
		const every = await runDeepSeek(pair, {
			typeVersion: 1,
			parameters: flash({ options: { binaryProperties: '*' } }),
			items: [item],
		});
		expect(every.error).toBeUndefined();
		expect(sentImages(completions(pair.primary)[0])).toEqual([
			dataUrl('jpeg', JPEG),
			dataUrl('png', PNG),
		]);
	});

	it('sends image URLs from an expression as they are (the simulator fetches nothing)', async () => {
		const result = await runDeepSeek(pair, {
			typeVersion: 2,
			parameters: flash({ images: { imageUrls: '={{ $json.urls }}' } }),
			items: [
				{
					json: {
						text: 'Describe',
						urls: ['https://example.com/a.png', 'https://example.com/b.jpg'],
					},
				},
			],
		});
		expect(result.error).toBeUndefined();
		expect(sentImages(completions(pair.primary)[0])).toEqual([
			'https://example.com/a.png',
			'https://example.com/b.jpg',
		]);
		expect(result.output('DeepSeek')[0].json.content).toContain(
			'[images: url https://example.com/a.png; url https://example.com/b.jpg]',
		);
	});

	it('fails an item whose binary is not JPEG, PNG, GIF or WebP before sending; the others go on', async () => {
		const result = await runDeepSeek(pair, {
			typeVersion: 2,
			continueOnFail: true,
			parameters: flash({ images: { binaryProperties: 'data' } }),
			items: [
				{ json: { text: 'one' }, binary: { data: binary(BMP, 'image/png', 'fake.png') } },
				{ json: { text: 'two' }, binary: { data: binary(PNG, 'image/png', 'real.png') } },
			],
		});
		const [bad, good] = result.output('DeepSeek');
		expect(bad.json.error).toBe(
			'The binary property "data" is not a JPEG, PNG, GIF or WebP image (it says image/png, its bytes say otherwise)',
		);
		expect(bad.pairedItem).toEqual({ item: 0 });
		expect(good.json.content).toContain(proof('png', PNG));
		expect(completions(pair.primary)).toHaveLength(1);
	});

	it('names a missing binary property and the ones the item has', async () => {
		const result = await runDeepSeek(pair, {
			typeVersion: 2,
			continueOnFail: true,
			parameters: flash({ images: { binaryProperties: 'photo' } }),
			items: [{ json: { text: 'one' }, binary: { data: binary(PNG, 'image/png', 'a.png') } }],
		});
		const [item] = result.output('DeepSeek');
		expect(item.json.error).toBe('The item has no binary property "photo" to attach as an image');
		expect(item.json.message).toMatch(/^Name one of its binary properties \(data\)/);
		expect(completions(pair.primary)).toHaveLength(0);
	});

	it('fails an item whose request would pass 48 MiB before sending, naming the largest image', async () => {
		// 37 MiB of bytes are about 49.3 MiB of base64.
		const big = Buffer.concat([PNG, Buffer.alloc(37 * 1024 * 1024)]);
		const result = await runDeepSeek(pair, {
			typeVersion: 2,
			continueOnFail: true,
			parameters: flash({ images: { binaryProperties: 'small, big' } }),
			items: [
				{
					json: { text: 'too much' },
					binary: {
						small: binary(PNG, 'image/png', 'small.png'),
						big: binary(big, 'image/png', 'big.png'),
					},
				},
				{
					json: { text: 'fine' },
					binary: {
						small: binary(PNG, 'image/png', 'small.png'),
						big: binary(JPEG, 'image/jpeg', 'big.jpg'),
					},
				},
			],
		});
		const [tooLarge, fine] = result.output('DeepSeek');
		expect(tooLarge.json.error).toMatch(
			/^The request with its images would be 49\.\d MiB, over DeepSeek's limit of 48\.0 MiB; the largest image is "big"$/,
		);
		expect(fine.json.error).toBeUndefined();
		expect(completions(pair.primary)).toHaveLength(1);
	}, 60_000);

	it('says a model without vision does not take images, and names the fix', async () => {
		const result = await runDeepSeek(pair, {
			typeVersion: 2,
			continueOnFail: true,
			parameters: chat({ images: { binaryProperties: 'data' } }),
			items: [{ json: { text: 'one' }, binary: { data: binary(PNG, 'image/png', 'a.png') } }],
		});
		const [item] = result.output('DeepSeek');
		expect(item.json.error).toBe(
			'The model "deepseek-chat" does not take images (400): pick a model that sees images, such as deepseek-flash, or leave the images out (Images > Binary Properties and Image URLs).',
		);
		expect(item.json.message).toMatch(
			/^MetaChat said: .*unknown variant `image_url`, expected `text`/,
		);
	});

	it('takes History with a user message of text and image blocks, and sends it on', async () => {
		const history = [
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'This is my cat' },
					{ type: 'image_url', image_url: { url: dataUrl('png', PNG) } },
				],
			},
			{ role: 'assistant', content: 'A fine cat.' },
		];
		const result = await runDeepSeek(pair, {
			typeVersion: 2,
			parameters: flash({ history: '={{ $json.history }}' }),
			items: [{ json: { text: 'What colour was it?', history } }],
		});
		expect(result.error).toBeUndefined();
		const [request] = completions(pair.primary);
		expect((request.messages as SentMessage[])[0]).toEqual(history[0]);
	});
});

const MODEL_TYPE = 'n8n-nodes-metachat.lmChatDeepSeek';
const OPENAI_TYPE = `${LC}.lmChatOpenAi`;

function openAiCredentialType(): ICredentialType {
	const file = path.join(
		N8N_MODULES,
		'n8n-nodes-base',
		'dist',
		'credentials',
		'OpenAiApi.credentials.js',
	);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const module = require(file) as { OpenAiApi: new () => ICredentialType };
	return new module.OpenAiApi();
}

type Via = 'ours' | 'openai';

async function runAgent(
	pair: SimulatorPair,
	via: Via,
	version: number,
	model: string,
	binaries: Record<string, IBinaryData>,
	agentOptions: INodeParameters = {},
) {
	const modelNode: SubNodeSpec['node'] =
		via === 'openai'
			? {
					name: 'OpenAI Chat Model',
					type: OPENAI_TYPE,
					typeVersion: 1.3,
					parameters: {
						model: { __rl: true, mode: 'id', value: model },
						responsesApiEnabled: false,
						options: {},
					},
					credentials: { openAiApi: { id: '3', name: 'OpenAI account' } },
				}
			: {
					name: 'DeepSeek Model',
					type: MODEL_TYPE,
					typeVersion: 1,
					parameters: { model: { __rl: true, mode: 'list', value: model }, options: {} },
					credentials: { metaChatApi: { id: '1', name: 'MetaChat account' } },
				};
	return await runWorkflow({
		nodeTypes: {
			[MODEL_TYPE]: new LmChatDeepSeek(),
			[OPENAI_TYPE]: load('llms/LMChatOpenAi/LmChatOpenAi.node.js', 'LmChatOpenAi'),
			...aiNodeTypes('agent'),
		},
		credentialTypes: { metaChatApi: new MetaChatApi(), openAiApi: openAiCredentialType() },
		credentials: {
			metaChatApi: { apiKey: API_KEY, baseUrl: pair.primary.url, failoverBaseUrl: pair.backup.url },
			openAiApi: { apiKey: API_KEY, url: pair.primary.url, header: false },
		},
		items: [{ json: { chatInput: 'What do these show?' }, binary: binaries }],
		nodes: [
			{
				name: 'AI Agent',
				type: `${LC}.agent`,
				typeVersion: version,
				parameters: { promptType: 'define', text: '={{ $json.chatInput }}', options: agentOptions },
			},
		],
		subNodes: [{ node: modelNode, to: 'AI Agent', type: NodeConnectionTypes.AiLanguageModel }],
		timeoutMs: 30_000,
	});
}

/** The agent table: scenario → column → outcome. */
const table = new Map<string, Map<string, string>>();
const COLUMNS: Record<Via, string> = {
	ours: 'MetaChat DeepSeek Chat Model',
	openai: "n8n's OpenAI Chat Model",
};

function record(scenario: string, via: Via, outcome: string) {
	const row = table.get(scenario) ?? new Map<string, string>();
	row.set(COLUMNS[via], outcome.replace(/\|/g, '\\|').replace(/\n/g, ' ').slice(0, 200));
	table.set(scenario, row);
}

const errorText = (error: unknown) => {
	const { message, description } = error as { message: string; description?: string };
	return `${message}${description ? ` (${description})` : ''}`;
};

(subNodeCasesRun ? describe : describe.skip)(
	'the chat model under the AI Agent with images',
	() => {
		const pair = useSimulatorPair();

		afterAll(() => {
			if (table.size === 0) return;
			const columns = Object.values(COLUMNS);
			console.log(
				[
					`| scenario | ${columns.join(' | ')} |`,
					`|---|${columns.map(() => '---').join('|')}|`,
					...[...table].map(
						([name, row]) =>
							`| ${name} | ${columns.map((c) => row.get(c) ?? 'not run').join(' | ')} |`,
					),
				].join('\n'),
			);
		});

		describe.each([2.2, 3.1])('AI Agent %s', (version) => {
			describe.each<Via>(['ours', 'openai'])('with %s', (via) => {
				it('one image: it reaches the model byte for byte', async () => {
					const result = await runAgent(pair, via, version, 'deepseek-flash', {
						data: binary(PNG, 'image/png', 'a.png'),
					});
					const images = completions(pair.primary).map(sentImages);
					record(
						`AI Agent ${version}: one PNG (passthrough)`,
						via,
						result.error
							? `fails: ${errorText(result.error)}`
							: `sent: ${images[0]?.length ?? 0} image, answer proves ${proof('png', PNG)}`,
					);
					expect(result.error).toBeUndefined();
					expect(images[0]).toEqual([dataUrl('png', PNG)]);
					expect(String(result.output('AI Agent')[0].json.output)).toContain(proof('png', PNG));
				});

				it('two images: both, in the item order', async () => {
					const result = await runAgent(pair, via, version, 'deepseek-flash', {
						first: binary(PNG, 'image/png', 'a.png'),
						second: binary(JPEG, 'image/jpeg', 'b.jpg'),
					});
					const images = completions(pair.primary).map(sentImages);
					record(
						`AI Agent ${version}: a PNG and a JPEG`,
						via,
						result.error
							? `fails: ${errorText(result.error)}`
							: `sent: ${images[0]?.length ?? 0} images in order`,
					);
					expect(result.error).toBeUndefined();
					expect(images[0]).toEqual([dataUrl('png', PNG), dataUrl('jpeg', JPEG)]);
					expect(String(result.output('AI Agent')[0].json.output)).toContain(
						`${proof('png', PNG)}; ${proof('jpeg', JPEG)}`,
					);
				});

				it('a PDF beside them (Passthrough Binary PDFs): never sent as an image', async () => {
					const result = await runAgent(
						pair,
						via,
						version,
						'deepseek-flash',
						{
							first: binary(PNG, 'image/png', 'a.png'),
							doc: binary(PDF, 'application/pdf', 'doc.pdf'),
						},
						{ passthroughBinaryPdfs: true },
					);
					const sent = completions(pair.primary);
					record(
						`AI Agent ${version}: a PNG and a PDF (Passthrough Binary PDFs on)`,
						via,
						result.error
							? `fails${sent.length === 0 ? ' before sending' : ` (${sent[0].status})`}: ${errorText(result.error)}`
							: `answers (${sent.map(sentImages).flat().length} image sent)`,
					);
					for (const request of sent) {
						expect(
							sentImages(request).every((url) => !url.startsWith('data:application/pdf')),
						).toBe(true);
					}
					if (via === 'ours') {
						expect(sent).toHaveLength(0);
						expect(errorText(result.error)).toContain(
							"The AI node handed the model a file of type application/pdf (block 1 of its message), but DeepSeek reads only images (JPEG, PNG, GIF or WebP): turn off the agent's Automatically Passthrough Binary PDFs option",
						);
					}
				});

				it('a model without vision: says so and names the fix', async () => {
					const result = await runAgent(pair, via, version, 'deepseek-chat', {
						data: binary(PNG, 'image/png', 'a.png'),
					});
					record(
						`AI Agent ${version}: one PNG to deepseek-chat (no vision)`,
						via,
						result.error ? `fails: ${errorText(result.error)}` : 'answers without the image',
					);
					expect(result.error).toBeDefined();
					expect(completions(pair.primary)[0].status).toBe(400);
					if (via === 'ours') {
						expect(errorText(result.error)).toContain(
							'The model "deepseek-chat" does not take images (400)',
						);
						expect(errorText(result.error)).toContain(
							'The model "deepseek-chat" does not take images (400): pick a model that sees images, such as deepseek-flash, or turn off the AI Agent\'s Automatically Passthrough Binary Images option.',
						);
					}
				});
			});
		});
	},
);

(available ? describe : describe.skip)('the receipt example (examples/workflows)', () => {
	const pair = useSimulatorPair();

	it('reads an uploaded receipt with deepseek-flash into typed fields; the image reaches the model', async () => {
		const example = JSON.parse(
			fs.readFileSync(
				path.join(__dirname, '../../examples/workflows/receipt-form-images.json'),
				'utf8',
			),
		) as { nodes: Array<SubNodeSpec['node'] & { type: string }> };
		const byType = (type: string) => example.nodes.find((node) => node.type === type)!;
		const agent = byType(`${LC}.agent`);
		const result = await runWorkflow({
			nodeTypes: {
				[MODEL_TYPE]: new LmChatDeepSeek(),
				...aiNodeTypes('agent', 'outputParserStructured'),
			},
			credentialTypes: { metaChatApi: new MetaChatApi() },
			credentials: {
				metaChatApi: { apiKey: API_KEY, baseUrl: pair.primary.url, failoverBaseUrl: '' },
			},
			// What the Form Trigger gives for an upload to its Receipt field.
			items: [
				{
					json: { Receipt: { filename: 'receipt.png', mimetype: 'image/png', size: PNG.length } },
					binary: { Receipt: binary(PNG, 'image/png', 'receipt.png') },
				},
			],
			nodes: [agent],
			subNodes: [
				{ node: byType(MODEL_TYPE), to: agent.name, type: NodeConnectionTypes.AiLanguageModel },
				{
					node: byType(`${LC}.outputParserStructured`),
					to: agent.name,
					type: NodeConnectionTypes.AiOutputParser,
				},
			],
			timeoutMs: 30_000,
		});
		expect(result.error).toBeUndefined();
		const output = result.output(agent.name)[0].json.output as IDataObject;
		expect(output).toEqual({
			merchant: expect.any(String),
			// The simulator cannot read the image: it fills the fields from the prompt's words.
			date: expect.any(String),
			total: expect.any(Number),
			currency: expect.any(String),
		});
		const [request] = completions(pair.primary);
		expect(request.model).toBe('deepseek-flash');
		expect(sentImages(request)).toEqual([dataUrl('png', PNG)]);
	});
});

if (!available) console.warn(`n8n's AI nodes not found in ${LANGCHAIN}: agent image tests skipped`);
