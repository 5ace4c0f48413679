// DeepSeek's wire and rules as the nodes use them: the message and request shapes, what each model
// takes, how an answer's thinking is told from its content, and how untrusted input is read. Each
// rule lives in its own file of this folder; this is the list of what the nodes may use.
export { normaliseHistory, HistoryProblem } from './history';
export {
	base64ImageFormat,
	imageDataBlock,
	imageFormatOf,
	imageUrlBlock,
	isImageUrl,
	MAX_REQUEST_BYTES,
	requestBytes,
	type ImageFormat,
} from './imageFormat';
export { textOf, toolResultText } from './messageText';
export type { ReasoningEffort, ThinkingSetting } from './modelRules';
export { DEFAULT_CHAT_MODEL, DEFAULT_REASON_MODEL } from './models';
export { buildRequestBody, toolChoiceFor, type RequestSettings } from './requestBody';
export { answerParts, thinkingUsedBudget, ThinkTagSplitter } from './thinkTags';
export { toolDefinition, toolParameters } from './toolSchema';
export { parseUntrustedJson } from './untrustedJson';
export { addUsage } from './usage';
export type {
	ChatMessage,
	CompletionBody,
	ContentPart,
	ToolCall,
	ToolDefinition,
	Usage,
} from './wire';
