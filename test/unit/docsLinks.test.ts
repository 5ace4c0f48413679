import fs from 'fs';
import path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
/** Links into this repository by address: README links to the example files by their raw URLs. */
const REPOSITORY_URL =
	/^https:\/\/(?:github\.com\/n8n-nodes-metachat\/n8n-nodes-metachat\/blob|raw\.githubusercontent\.com\/n8n-nodes-metachat\/n8n-nodes-metachat)\/main\//;

const pages = [
	'README.md',
	'CONTRIBUTING.md',
	...fs
		.readdirSync(path.join(ROOT, 'docs'))
		.filter((name) => name.endsWith('.md'))
		.map((name) => `docs/${name}`),
];

/** The link targets of a Markdown page: [text](target) and ![alt](target), outside code. */
function linksOf(markdown: string): string[] {
	const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
	return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorsOf(markdown: string): Set<string> {
	const prose = markdown.replace(/```[\s\S]*?```/g, '');
	return new Set(
		[...prose.matchAll(/^#+ (.+)$/gm)].map((match) =>
			match[1]
				.trim()
				.toLowerCase()
				.replace(/[^\p{L}\p{N} _-]/gu, '')
				.replace(/ /g, '-'),
		),
	);
}

describe('the links of the README and the docs', () => {
	it.each(pages)('%s: every link into the repository resolves, anchors too', (page) => {
		const text = fs.readFileSync(path.join(ROOT, page), 'utf8');
		const broken: string[] = [];
		for (const link of linksOf(text)) {
			let target: string;
			if (REPOSITORY_URL.test(link)) target = link.replace(REPOSITORY_URL, '');
			else if (/^[a-z]+:/i.test(link)) continue;
			else target = path.join(path.dirname(page), link);
			const [file, anchor] = target.split('#');
			const resolved = path.join(ROOT, file === '' ? page : file);
			if (!fs.existsSync(resolved)) {
				broken.push(`${link}: no file ${path.relative(ROOT, resolved)}`);
			} else if (anchor && resolved.endsWith('.md')) {
				if (!anchorsOf(fs.readFileSync(resolved, 'utf8')).has(anchor))
					broken.push(`${link}: no heading #${anchor}`);
			}
		}
		expect(broken).toEqual([]);
	});

	it('the README is a short read and still names the two development commands', () => {
		const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
		expect(readme.split(/\s+/).filter(Boolean).length).toBeLessThanOrEqual(2500);
		expect(readme).toContain('`npm start`');
		expect(readme).toContain('`npm test`');
		// Installation comes first: before the credential and the nodes.
		const headings = [...readme.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
		expect(headings[0]).toBe('Installation');
	});

	it('the link checker notices a broken link and a missing anchor', () => {
		expect(linksOf('see [x](docs/nope.md) and ![y](a.png) but not `[z](c.md)`')).toEqual([
			'docs/nope.md',
			'a.png',
		]);
		expect(anchorsOf("# Title\n## n8n's AI nodes\n")).toEqual(new Set(['title', 'n8ns-ai-nodes']));
	});
});
