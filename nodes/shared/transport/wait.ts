import { sleep } from 'n8n-workflow';

/**
 * Waits ms, or less when the signal aborts: true when the whole time passed, false when it was
 * cut short. n8n-workflow's sleep takes the signal, but n8n 1.x's ignores it, so the abort is
 * raced here as well: a stopped execution or a passed deadline never waits out a timer.
 */
export async function wait(ms: number, signal: AbortSignal): Promise<boolean> {
	if (signal.aborted) return false;
	let onAbort: (() => void) | undefined;
	const aborted = new Promise<false>((resolve) => {
		onAbort = () => resolve(false);
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		return await Promise.race([
			sleep(ms, signal).then(
				() => !signal.aborted,
				() => false,
			),
			aborted,
		]);
	} finally {
		signal.removeEventListener('abort', onAbort!);
	}
}
