import { ZwgkError } from '../errors.js';
import { formatPath, typeName } from '../scoring/issues.js';
import { PlanSchema, type Plan } from './schemas.js';

// Plans are treated as immutable (as by directoryOf), so each plan object is checked once.
const checkedPlans = new WeakSet<object>();

/**
 * Throws a {@link ZwgkError} (`invalid_plan`) naming the first thing wrong when `plan` is not a {@link Plan};
 * checks each plan object once with {@link PlanSchema}.
 */
export function checkPlan(plan: unknown, where: string): asserts plan is Plan {
  if (plan !== null && typeof plan === 'object' && checkedPlans.has(plan)) return;
  if (plan === null || typeof plan !== 'object' || Array.isArray(plan)) {
    throw new ZwgkError('invalid_plan', where, `expected a plan { county, year, title, tasks, units }, received ${typeName(plan)}`);
  }
  const r = PlanSchema.safeParse(plan);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const at = formatPath(['plan', ...issue.path]);
    throw new ZwgkError('invalid_plan', where, `${at}: ${issue.message}`);
  }
  checkedPlans.add(plan);
}

/** Refuses options that are not an object (a forgotten `{ asOf }`, a date passed as options). */
export function checkOptionsObject(options: unknown, where: string, shape: string): asserts options is Record<string, unknown> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ZwgkError('invalid_option', where, `expected options ${shape}, received ${typeName(options)}`);
  }
}

/** Refuses an optional list that is not a list. */
export function checkList(value: unknown, where: string, what: string): void {
  if (value !== undefined && !Array.isArray(value)) {
    throw new ZwgkError('invalid_option', where, `${what}: expected a list, received ${typeName(value)}`);
  }
}
