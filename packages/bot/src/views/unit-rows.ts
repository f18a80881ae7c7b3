import { directoryOf, planStatuses, type Plan, type Role, type StatusRow, type WorkingCalendar } from '@zwgk/sdk';
import type { Store } from '../store/store.js';

/** Task number → unit (directory name) → its strongest role on the task. */
type Assignments = ReadonlyMap<number, ReadonlyMap<string, Role>>;

const assignmentIndexes = new WeakMap<Plan, Assignments>();

/** Plans narrowed to one unit and one of its tasks, by unit and task, per plan (null: the unit is not in the directory). */
const narrowPlans = new WeakMap<Plan, Map<string, Plan | null>>();

/**
 * Most narrowed plans kept per plan (about 2 KB each, their checks and directories included), the least
 * recently used dropped first: a county has a few thousand (unit, task) pairs, and building one again
 * costs a fraction of a millisecond.
 */
const NARROW_PLANS_KEPT = 4096;

/** Who is assigned to each task of a plan (groups such as 各乡镇 expanded), computed once per plan object. */
export function assignmentsOf(plan: Plan): Assignments {
  let index = assignmentIndexes.get(plan);
  if (!index) {
    const directory = directoryOf(plan);
    index = new Map(plan.tasks.map((task) => [task.no, new Map(directory.expand(task.units, task.no).map((a) => [a.unit, a.role]))]));
    assignmentIndexes.set(plan, index);
  }
  return index;
}

/** What {@link unitTaskRows} needs besides the store. */
export interface UnitRowsOptions {
  plan: Plan;
  /** Directory name of the unit. */
  unit: string;
  /** The tasks to compute, by number; tasks the unit is not assigned to yield no rows. */
  tasks: readonly number[];
  now: Date;
  calendar: WorkingCalendar;
  horizonDays: number;
}

/**
 * The status rows of one unit on some tasks as of `now`, equal to that unit's rows of those tasks in a
 * county-wide snapshot, but reading only that unit's confirmations and exemptions of those tasks and
 * computing only their milestones: what a 确认 needs for its receipt, at a cost that does not grow with the
 * county.
 *
 * @example
 * const rows = await unitTaskRows(tx, { plan, unit: '郭道镇', tasks: [4], now, calendar, horizonDays: 10 });
 */
export async function unitTaskRows(store: Store, options: UnitRowsOptions): Promise<StatusRow[]> {
  const { plan, unit } = options;
  const assignments = assignmentsOf(plan);
  const wanted = new Set(options.tasks);
  // In the plan's order, as a snapshot lists them.
  const tasks = plan.tasks.filter((task) => wanted.has(task.no) && assignments.get(task.no)?.has(unit)).map((task) => task.no);
  if (tasks.length === 0) return [];
  const [confirmations, exemptions] = await Promise.all([
    store.confirmations.list({ year: plan.year, unit, tasks }),
    store.exemptions.list({ year: plan.year, unit, tasks }),
  ]);
  const rows: StatusRow[] = [];
  for (const task of tasks) {
    const narrow = narrowPlan(plan, unit, task);
    if (narrow === null) return [];
    // A unit's rows of one task depend only on that task's records of the unit.
    rows.push(
      ...planStatuses(narrow, {
        asOf: options.now,
        confirmations: confirmations.filter((c) => c.task === task).map((c) => ({ task: c.task, unit: c.unit, due: c.due, at: c.at, evidence: c.evidence })),
        exemptions: exemptions
          .filter((e) => e.task === task)
          .map((e) => (e.due === null ? { task: e.task, unit: e.unit, reason: e.reason } : { task: e.task, unit: e.unit, due: e.due, reason: e.reason })),
        dueSoonDays: options.horizonDays,
        calendar: options.calendar,
      }),
    );
  }
  return rows;
}

/**
 * The SDK computes statuses over a plan: this one holds only the unit and one task, assigned to the unit
 * alone with the role the whole plan gives it, so that no other unit and no other task of the unit is
 * computed. Kept (see {@link NARROW_PLANS_KEPT}): the SDK checks a plan and builds its directory once per
 * plan object, which would otherwise be paid again by every confirmation.
 */
function narrowPlan(plan: Plan, unit: string, taskNo: number): Plan | null {
  let kept = narrowPlans.get(plan);
  if (!kept) narrowPlans.set(plan, (kept = new Map()));
  const key = `${unit}\u0000${taskNo}`;
  const cached = kept.get(key);
  if (cached !== undefined) {
    // Map order is insertion order: the most recently used goes last.
    kept.delete(key);
    kept.set(key, cached);
    return cached;
  }
  const resolved = directoryOf(plan).resolve(unit);
  const task = plan.tasks.find((t) => t.no === taskNo);
  let narrow: Plan | null = null;
  if (resolved.success && resolved.data.name === unit && task) {
    narrow = {
      ...plan,
      units: [resolved.data],
      groups: {},
      assignments: {},
      tasks: [{ ...task, units: [{ unit, role: assignmentsOf(plan).get(taskNo)?.get(unit) ?? 'responsible', group: false }] }],
    };
  }
  kept.set(key, narrow);
  if (kept.size > NARROW_PLANS_KEPT) kept.delete(kept.keys().next().value as string);
  return narrow;
}
