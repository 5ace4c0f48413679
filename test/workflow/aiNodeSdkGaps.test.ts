import { execFileSync } from 'child_process';
import path from 'path';

import { N8N_TRACING_NAME } from '../../nodes/LmChatDeepSeek/model/aiNodeSdkGaps';
import { TRACING_NAME } from '../e2e/sdkPremises';
import { aiNodesAvailable as available, N8N_MODULES } from './aiNodes';

// The premises run in their own process: n8n's modules there see their own globals (fetch), not
// jest's sandbox. The same checks run in the e2e core subset on every n8n of the version matrix.
const SCRIPTS = path.join(__dirname, '..', 'e2e');

interface PremiseResult {
	workaround: string;
	premise: string;
	ok: boolean;
	error?: string;
}

/** A script's JSON results on the pinned n8n; a script exits 1 where a premise fails, with them. */
function resultsOf<T>(script: string): T[] {
	try {
		return JSON.parse(
			execFileSync(process.execPath, [script, path.dirname(N8N_MODULES)], { encoding: 'utf8' }),
		) as T[];
	} catch (error) {
		const stdout = (error as { stdout?: string }).stdout;
		if (stdout) return JSON.parse(stdout) as T[];
		throw error;
	}
}

interface ChangeResult {
	change: string;
	workaround: string;
	failed: boolean;
	message?: string;
}

const WORKAROUNDS = [
	'keepBoundToolChoice',
	'patchEveryBoundCopy',
	'shapeGenerated',
	'shapeStreamed',
	'amendTracing',
	'rewriteMessagesFirst (keepImages)',
	'countTokensLocally',
];

(available ? describe : describe.skip)(
	"the n8n behaviours aiNodeSdkGaps.ts relies on, in the pinned n8n's AI node SDK",
	() => {
		let results: PremiseResult[] = [];
		/** sdkPremisesChanged.js: each premise check run where n8n changed as it might. */
		let changes: ChangeResult[] = [];
		beforeAll(() => {
			results = resultsOf<PremiseResult>(path.join(SCRIPTS, 'sdkPremises.js'));
			changes = resultsOf<ChangeResult>(path.join(SCRIPTS, 'sdkPremisesChanged.js'));
		});

		it("checks the tracing's name amendTracing looks for", () => {
			expect(TRACING_NAME).toBe(N8N_TRACING_NAME);
		});

		it('has one premise per workaround', () => {
			expect(results.map((result) => result.workaround)).toEqual(WORKAROUNDS);
		});

		it.each(WORKAROUNDS)('%s: what it relies on still holds', (workaround) => {
			const result = results.find((entry) => entry.workaround === workaround);
			expect(result).toBeDefined();
			if (!result!.ok) {
				throw new Error(`revisit ${workaround}: ${result!.premise}\n${result!.error}`);
			}
		});

		it('changes every premise at least once, and each check fails where n8n changes', () => {
			expect([...new Set(changes.map((result) => result.workaround))]).toEqual(WORKAROUNDS);
			expect(changes.filter((result) => !result.failed).map((result) => result.change)).toEqual([]);
		});
	},
);
