/**
 * For tests of prototype pollution: the own property names Object.prototype has now, and, after
 * each test of the calling describe block, the removal of any a test added, so one failure cannot
 * leak into the tests after it.
 */
export function guardObjectPrototype(): string[] {
	const before = Object.getOwnPropertyNames(Object.prototype);
	afterEach(() => {
		for (const name of Object.getOwnPropertyNames(Object.prototype)) {
			if (!before.includes(name)) delete (Object.prototype as Record<string, unknown>)[name];
		}
	});
	return before;
}
