export { runWorkflow } from './runWorkflow';
export type { ReceivedChunk, RunWorkflowOptions, RunWorkflowResult } from './runWorkflow';
export { START_NODE_TYPE, TestStart } from './testNodes';
