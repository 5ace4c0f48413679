/** Why a connected tool's call gave the model no answer of the tool, as the tool loop records it. */
export type ToolFact =
	| { what: 'no-tool'; name: string }
	| { what: 'arguments-not-json' }
	| { what: 'stopped' }
	| { what: 'no-message' }
	/** `calls`: how many the model asked for in the round; `max`: how many ran. */
	| { what: 'over-round-limit'; calls: number; max: number }
	| { what: 'over-iterations' };
