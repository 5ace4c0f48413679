export { runWorkflow, usedBaseUrls } from './runWorkflow';
export type {
	ReceivedChunk,
	RunWorkflowOptions,
	RunWorkflowResult,
	SubNodeSpec,
} from './runWorkflow';
export { START_NODE_TYPE, TestStart } from './testNodes';
export { ENGINE_MAJOR } from './engine';
