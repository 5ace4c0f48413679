import type { ToolFact } from '../facts/tool';

/** Why a tool call gave no answer, as the model reads it in the tool message. */
export function toolWords(fact: ToolFact): string {
	switch (fact.what) {
		case 'no-tool':
			return `There is no tool called "${fact.name}"`;
		case 'arguments-not-json':
			return 'The arguments are not valid JSON';
		case 'stopped':
			return 'The execution was stopped before the tool answered';
		case 'no-message':
			return 'The tool failed without a message';
		case 'over-round-limit':
			return `Not run: the model asked for ${fact.calls} tool calls in one round; only the first ${fact.max} ran.`;
		case 'over-iterations':
			return 'Not run: the Max Tool Calls Iterations limit was reached.';
	}
}

/** A tool's failure as the model reads it in the tool message. */
export function toolErrorContent(error: string): string {
	return `Error: ${error}`;
}

/** The note after a tool's result that was cut to `shown` characters of its `chars`. */
export function toolResultCutWords(chars: number, shown: number): string {
	return `\n[Result cut: the tool returned ${chars} characters; only the first ${shown} are shown.]`;
}
