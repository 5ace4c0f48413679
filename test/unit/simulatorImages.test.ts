import { createHash } from 'crypto';

import { startSimulator, type Simulator } from '../simulator/simulator';

const KEY = 'sk-sim-images';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const GIF = Buffer.from('GIF89a-test');
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]);
const dataUrl = (bytes: Buffer, mime = 'image/png') =>
	`data:${mime};base64,${bytes.toString('base64')}`;
const withImage = (url: string) => [
	{
		role: 'user',
		content: [
			{ type: 'text', text: 'What is it?' },
			{ type: 'image_url', image_url: { url } },
		],
	},
];

describe('the simulator with images', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({ apiKey: KEY });
	});
	afterEach(() => {
		sim.reset();
		sim.images.configure({
			visionModels: ['deepseek-flash', 'deepseek-v4-flash-vision-exp'],
			maxBodyBytes: 48 * 1024 * 1024,
			oversizeStatus: 413,
		});
	});
	afterAll(() => sim.close());

	const post = async (body: unknown) => {
		const response = await fetch(`${sim.url}/chat/completions`, {
			method: 'POST',
			headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return { status: response.status, json: (await response.json()) as any };
	};

	it('takes images from the vision models and proves what arrived, by the bytes', async () => {
		for (const [bytes, format] of [
			[PNG, 'png'],
			[GIF, 'gif'],
			[WEBP, 'webp'],
		] as const) {
			// Labelled as JPEG: the bytes decide.
			const { status, json } = await post({
				model: 'deepseek-v4-flash-vision-exp',
				messages: withImage(dataUrl(bytes, 'image/jpeg')),
			});
			expect(status).toBe(200);
			const sha = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
			expect(json.choices[0].message.content).toContain(
				`[images: ${format} ${bytes.length} bytes sha256 ${sha}]`,
			);
		}
	});

	it('echoes an https image URL without fetching it', async () => {
		const { status, json } = await post({
			model: 'deepseek-flash',
			messages: withImage('https://example.invalid/a.png'),
		});
		expect(status).toBe(200);
		expect(json.choices[0].message.content).toContain(
			'[images: url https://example.invalid/a.png]',
		);
	});

	it("answers DeepSeek's 400 to a model without vision, and to bytes that are no image", async () => {
		const blind = await post({ model: 'deepseek-chat', messages: withImage(dataUrl(PNG)) });
		expect(blind.status).toBe(400);
		expect(blind.json.error.message).toContain('unknown variant `image_url`, expected `text`');
		const pdf = await post({
			model: 'deepseek-flash',
			messages: withImage(dataUrl(Buffer.from('%PDF-1.4'))),
		});
		expect(pdf.status).toBe(400);
		expect(pdf.json.error.message).toContain('not JPEG, PNG, GIF or WebP');
		// Configurable: deepseek-chat as a vision model.
		sim.images.configure({ visionModels: ['deepseek-chat'] });
		expect((await post({ model: 'deepseek-chat', messages: withImage(dataUrl(PNG)) })).status).toBe(
			200,
		);
	});

	it('refuses a body over the limit with the configured status', async () => {
		sim.images.configure({ maxBodyBytes: 1000 });
		const big = dataUrl(Buffer.concat([PNG, Buffer.alloc(2000)]));
		expect((await post({ model: 'deepseek-flash', messages: withImage(big) })).status).toBe(413);
		sim.images.configure({ oversizeStatus: 400 });
		expect((await post({ model: 'deepseek-flash', messages: withImage(big) })).status).toBe(400);
		expect(sim.requests.at(-1)!.bodyBytes).toBeGreaterThan(1000);
	});
});
