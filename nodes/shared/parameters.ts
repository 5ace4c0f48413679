// The parameters both nodes show and how they are read: the model picker and its list, the
// options they share, and the reading of numbers, stop sequences, sampling and retry settings.
export { modelProperty } from './description/modelLocator';
export {
	GROUPED_LABELS,
	groupedOptions,
	optionPaths,
	optionsCollection,
	responseFormatOption,
	sharedOptions,
	thinkingChoices,
} from './description/modelOptions';
export { searchModels } from './methods/listSearch';
export { readNumberOption, readStopSequences } from './optionValues';
export {
	readModelId,
	retrySettings,
	samplingSettings,
	type SharedOptionValues,
} from './readSettings';
