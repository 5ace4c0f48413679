/** Which of the bench's sections run, and which are skipped with the reason printed for each. */
export interface SectionPlan {
	run: string[];
	skipped: Array<{ name: string; reason: string }>;
}

/**
 * Plans a bench run: every section, or the one `--only` names, less those whose needs this
 * machine lacks (`missing`: the section's name to the reason, e.g. no PostgreSQL for queue mode).
 * An `--only` naming no section is an error that lists the names.
 */
export function planSections(
	names: string[],
	only: string | undefined,
	missing: Record<string, string | undefined>,
): SectionPlan | { error: string } {
	if (only !== undefined && !names.includes(only)) {
		return { error: `--only=${only}: no such section; the sections are ${names.join(', ')}` };
	}
	const plan: SectionPlan = { run: [], skipped: [] };
	for (const name of names) {
		if (only !== undefined && name !== only) continue;
		const reason = missing[name];
		if (reason) plan.skipped.push({ name, reason });
		else plan.run.push(name);
	}
	return plan;
}
