export { adviceWords } from './advice';
export { describeCode, factWords } from './attempt';
export { TEST_RULES } from './credentialTest';
export {
	detailWords,
	explain,
	headlineWords,
	outcomeDetails,
	outcomeWords,
	type Explained,
	type WordedOutcome,
} from './failures';
export { historyWords } from './history';
export { inputWords } from './input';
export {
	failoverNotice,
	thinkingBudgetNotice,
	toolChoiceDroppedNotice,
	toolLimitNotice,
} from './notices';
export { toolErrorContent, toolResultCutWords, toolWords } from './tools';
