// The parameters both nodes show and how they are read: the model picker and its list, the
// options they share (description/), and the reading of numbers, stop sequences, sampling and
// retry settings.
export * from './description/modelLocator';
export * from './description/modelOptions';
export { searchModels } from './methods/listSearch';
export * from './optionValues';
export * from './readSettings';
