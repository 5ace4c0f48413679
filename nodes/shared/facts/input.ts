/** What is wrong with the History parameter; `index` is a message's place in the list. */
export type HistoryFact =
	/** `position`: where the JSON parser stopped (the parser's own message quotes the input). */
	| { what: 'not-json'; position?: string }
	| { what: 'not-a-list'; value: unknown }
	| { what: 'message-not-object'; index: number; value: unknown }
	| { what: 'no-role'; index: number }
	| { what: 'unknown-role'; index: number; role: string }
	| { what: 'content-not-text'; index: number; value: unknown }
	| { what: 'content-part-not-text'; index: number; part: number }
	| { what: 'image-part-not-image'; index: number; part: number }
	| { what: 'image-not-in-user'; index: number; part: number; role: string }
	| { what: 'no-content'; index: number; role: string }
	| { what: 'tool-call-without-id'; index: number; call: number }
	| { what: 'tool-call-arguments'; index: number; call: number }
	| { what: 'no-tool-call-id'; index: number };

/** What is wrong with an item's input or the node's set-up, as the code that reads it records it. */
export type InputFact =
	| { what: 'prompt-not-text'; value: unknown }
	| { what: 'prompt-empty' }
	| { what: 'history'; problem: HistoryFact }
	| { what: 'system-message-not-text' }
	| { what: 'no-model' }
	| { what: 'bad-model-id'; model: string }
	/** `label`: the option's name on the panel; `itemIndex` where an item's expression gave it. */
	| { what: 'number-option'; label: string; value: unknown; min?: number; itemIndex?: number }
	| { what: 'stop-entry'; label: string; entry: number; value: unknown; itemIndex?: number }
	| { what: 'stop-type'; label: string; value: unknown; itemIndex?: number }
	| { what: 'tool-name-clash'; name: string; first: string; second: string }
	| { what: 'json-answer'; empty: boolean }
	| { what: 'structured-answer'; problem: StructuredAnswerProblem }
	| { what: 'needs-ai-sdk' }
	| { what: 'unknown-operation'; operation: string }
	/** Images: `part` is a block of the user message the AI node handed the chat model. */
	| { what: 'file-not-image'; part: number; mimeType: string }
	| { what: 'image-format'; part: number; mimeType?: string }
	| { what: 'image-url'; url: string; part?: number }
	/** Images of the DeepSeek node, named by the item's binary property. */
	| { what: 'image-binary-missing'; property: string; present: string[] }
	| { what: 'image-binary-format'; property: string; mimeType?: string }
	| { what: 'image-request-too-large'; bytes: number; limit: number; largest?: string }
	| { what: 'image-urls-not-text'; value: unknown };

/** Why an answer did not give the structured output a caller asked for (withStructuredOutput). */
export type StructuredAnswerProblem =
	| { what: 'no-tool-call'; name: string }
	| { what: 'not-json' }
	| { what: 'not-schema'; detail: string };
