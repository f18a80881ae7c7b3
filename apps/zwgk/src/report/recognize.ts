/** The record lists of the `--records` format (docs/assessment.md). */
export const RECORD_LISTS = ['confirmations', 'briefings', 'highlights', 'carryover', 'deductions', 'rectifications', 'exemptions'] as const;

const has = (o: Record<string, unknown>, ...keys: string[]) => keys.every((k) => k in o);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Tells assessment records from the other JSON files a person might pass instead (a plan, a report, a
 * rubric, a configuration, a bare list), so that such a file is refused with what it looks like rather
 * than scored as "nothing recorded". Records may omit lists, but name at least one of them.
 */
export function recognizeRecords(input: unknown, file: string): { success: true } | { success: false; error: string } {
  const refuse = (what: string, hint: string) => ({ success: false as const, error: `${file} looks like ${what}, not assessment records: ${hint}` });
  const fix = 'records are {"year": 2022, "confirmations": [...], "briefings": [...], ...} (docs/assessment.md); `zwgk export` writes them from the bot’s database';
  if (Array.isArray(input)) {
    const first: unknown = input[0];
    if (isObject(first) && has(first, 'task', 'unit', 'at')) return refuse('a bare list of confirmations', `put it in {"year": 2022, "confirmations": [...]}`);
    return refuse('a JSON list', fix);
  }
  if (!isObject(input)) return refuse(`a JSON ${input === null ? 'null' : typeof input}`, fix);
  if (has(input, 'tasks') && (has(input, 'county') || has(input, 'units'))) return refuse('a plan (county, year, tasks — what `zwgk plan --json` prints)', fix);
  if (has(input, 'units', 'asOf') && Array.isArray(input.units) && isObject(input.units[0]) && 'grade' in input.units[0]) {
    return refuse('an assessment report (what `zwgk report --format json` writes)', fix);
  }
  if (has(input, 'weights') || has(input, 'grades') || has(input, 'roleFactors')) return refuse('a rubric', `pass it with --rubric FILE; ${fix}`);
  if (has(input, 'dataDir') || has(input, 'policy') || has(input, 'digest') || has(input, 'dingtalk')) return refuse('a zwgk configuration file', fix);
  if (!RECORD_LISTS.some((k) => k in input)) {
    const keys = Object.keys(input);
    return {
      success: false,
      error: `${file} holds no records (${keys.length ? `only ${keys.map((k) => `"${k}"`).join(', ')}` : 'an empty object'}): records name at least one of ${RECORD_LISTS.join(', ')}, even if empty — ${fix}`,
    };
  }
  return { success: true };
}
