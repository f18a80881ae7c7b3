import type { z } from 'zod';
import { defaultCalendar, type WorkingCalendar } from '../calendar/calendar.js';
import { directoryOf, type UnknownUnit } from '../directory/directory.js';
import type { Milestone, Plan, Result, Role, Status } from '../model/schemas.js';
import type { ConfirmationSchema, ExemptionSchema } from '../records/schema.js';
import { asOfOf, instantOf, shanghaiIso } from '../time/instant.js';
import { decide, dueOf, horizonOf } from './milestone-status.js';
import { milestoneDue, type MilestoneDue } from '../model/plan-dates.js';
import { ZwgkError, checkOptionNames } from '../errors.js';
import { checkList, checkOptionsObject, checkPlan } from '../model/check.js';

/** A confirmation as recorded (parsed or not by `ConfirmationSchema`): task, unit (any alias), optional `due`, time `at`. */
export type ConfirmationRecord = z.input<typeof ConfirmationSchema>;
/** An exemption as recorded (parsed or not by `ExemptionSchema`): task, unit (any alias), optional `due`. */
export type ExemptionRecord = z.input<typeof ExemptionSchema>;

/** The status of one expanded assignee on one milestone of a task. */
export interface StatusRow {
  /** Task number. */
  task: number;
  taskName: string;
  /** Directory name of the unit (aliases and groups already resolved). */
  unit: string;
  /** The unit's strongest role on the task. */
  role: Role;
  milestone: Milestone;
  /**
   * Due date that counts, `YYYY-MM-DD`: the plan-year occurrence for a yearly milestone, or its next
   * occurrence when the plan-year one falls before the plan's issue date (`moved`).
   */
  due: string;
  /** True when a yearly milestone moved to its next occurrence because the plan was issued after it. */
  moved?: true;
  status: Status;
  /**
   * Working days from the `asOf` date to `due` (see `WorkingCalendar.workingDaysBetween`): 0 when due
   * that day, negative once the due date has passed.
   */
  workingDaysLeft: number;
  /** The counted (earliest) confirmation's time on the Shanghai clock, e.g. `2022-11-20T10:00:00+08:00`. */
  confirmedAt?: string;
  /** The counted confirmation's evidence links. */
  evidence?: string[];
}

/**
 * Options of {@link planStatuses}, {@link dueForUnit}, {@link unitsDigest} and {@link dueBetween}: one name
 * per setting everywhere. An option these functions do not take is refused with a {@link ZwgkError}
 * (`unknown_option`), never ignored.
 */
export interface StatusOptions {
  /** The moment of the statuses: a `Date`, an ISO time, or a bare `YYYY-MM-DD` date meaning that whole Shanghai day. */
  asOf: Date | string;
  /** Confirmations; units may be written by any alias. Default: none. */
  confirmations?: readonly ConfirmationRecord[] | undefined;
  /** Exemptions; units may be written by any alias. Default: none. */
  exemptions?: readonly ExemptionRecord[] | undefined;
  /** How far ahead `due_soon` looks, in working days (default 10, `DEFAULT_DUE_SOON_DAYS`). */
  dueSoonDays?: number | undefined;
  /**
   * The former name of `dueSoonDays` in {@link dueForUnit} and {@link unitsDigest}, still accepted.
   * @deprecated use `dueSoonDays`; giving both with different values is refused.
   */
  horizonDays?: number | undefined;
  /** Working-day calendar (default: the statutory calendar, `createCalendar()`). */
  calendar?: WorkingCalendar | undefined;
}

/** Options of {@link planStatuses} (the same as every status function's, {@link StatusOptions}). */
export type PlanStatusOptions = StatusOptions;
/** Options of {@link dueForUnit} and {@link unitsDigest} (the same as every status function's, {@link StatusOptions}). */
export type DueOptions = StatusOptions;

const OPTION_NAMES = ['asOf', 'confirmations', 'exemptions', 'dueSoonDays', 'horizonDays', 'calendar'];

/** The boundary of the status functions: plan, option names and kinds; returns the `due_soon` horizon. */
function checkStatusInputs(plan: Plan, options: StatusOptions, where: string): number {
  checkPlan(plan, `${where} (plan)`);
  checkOptionsObject(options, where, '{ asOf, confirmations?, exemptions?, dueSoonDays?, calendar? }');
  checkOptionNames(options, OPTION_NAMES, where, { dueSoon: 'dueSoonDays', horizon: 'dueSoonDays', dueSoonDay: 'dueSoonDays' });
  checkList(options.confirmations, where, 'confirmations');
  checkList(options.exemptions, where, 'exemptions');
  const { dueSoonDays, horizonDays } = options;
  if (dueSoonDays !== undefined && horizonDays !== undefined && dueSoonDays !== horizonDays) {
    throw new ZwgkError('invalid_option', where, `dueSoonDays (${dueSoonDays}) and its former name horizonDays (${horizonDays}) disagree; give dueSoonDays only`);
  }
  if (options.calendar !== undefined && typeof options.calendar?.workingDaysBetween !== 'function') {
    throw new ZwgkError('invalid_option', `${where} (calendar)`, 'expected a calendar made by createCalendar()');
  }
  return horizonOf(dueSoonDays ?? horizonDays, `${where} (dueSoonDays)`);
}

/**
 * One unit's milestones as of a date, split so that every row of the unit lands in exactly one list,
 * each sorted by due date, then task number.
 */
export interface UnitDue {
  /** Directory name of the unit. */
  unit: string;
  /** The `asOf` Shanghai date, `YYYY-MM-DD`. */
  asOf: string;
  /** Unconfirmed and past due. */
  overdue: StatusRow[];
  /** Unconfirmed and due within `dueSoonDays` working days (due today included): the rows whose status is `due_soon`. */
  due_soon: StatusRow[];
  /**
   * The same list as `due_soon` (not enumerable, so not in JSON).
   * @deprecated use `due_soon`, named like the status of its rows.
   */
  readonly dueSoon: StatusRow[];
  /** Unconfirmed year-round work (全年, 长期推进 …; `milestone.ongoing`) not yet within the horizon. */
  ongoing: StatusRow[];
  /** Unconfirmed one-off milestones beyond the horizon. */
  upcoming: StatusRow[];
  /** Confirmed, on time (`done`) or late (`done_late`). */
  done: StatusRow[];
  /** Exempted by the county office. */
  exempt: StatusRow[];
  /** One-off milestones due before the plan's issue date: not applicable this year, never overdue. */
  not_applicable: StatusRow[];
}

/** The occurrence of a milestone that counts for the plan (issue date included). */
function effectiveDue(milestone: Milestone, plan: Plan): MilestoneDue {
  dueOf(milestone.due, `task milestone "${milestone.label}"`);
  return milestoneDue(plan, milestone);
}

interface Counted {
  at: number;
  evidence: string[];
}

/** The directory name a record's unit stands for, or null when the plan's directory does not know it. */
function unitName(plan: Plan, name: string): string | null {
  const r = directoryOf(plan).resolve(name);
  return r.success ? r.data.name : null;
}

function rowsFor(plan: Plan, options: StatusOptions, horizon: number, only: string | null, where: string): StatusRow[] {
  const asOf = asOfOf(options.asOf, `${where} (asOf)`);
  const calendar = options.calendar ?? defaultCalendar();
  const directory = directoryOf(plan);

  // key `${task}|${unit}` → records of that pair
  const confirmationsOf = new Map<string, Array<{ record: ConfirmationRecord; at: number; order: number }>>();
  (options.confirmations ?? []).forEach((record, order) => {
    const at = instantOf(record.at, `${where} (confirmation of task ${record.task})`);
    if (at > asOf.cutoff) return;
    const unit = unitName(plan, record.unit);
    if (unit === null) return;
    const key = `${record.task}|${unit}`;
    const list = confirmationsOf.get(key) ?? [];
    list.push({ record, at, order });
    confirmationsOf.set(key, list);
  });
  const exemptionsOf = new Map<string, ExemptionRecord[]>();
  for (const record of options.exemptions ?? []) {
    const unit = unitName(plan, record.unit);
    if (unit === null) continue;
    const key = `${record.task}|${unit}`;
    exemptionsOf.set(key, [...(exemptionsOf.get(key) ?? []), record]);
  }

  const rows: StatusRow[] = [];
  for (const task of plan.tasks) {
    const milestones = task.milestones
      .map((milestone) => {
        const when = effectiveDue(milestone, plan);
        return { milestone, due: when.due, moved: when.moved, applicable: when.applicable };
      })
      .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
    const matches = (m: { milestone: Milestone; due: string }, due: string) => m.due === due || m.milestone.due === due;

    for (const assignee of directory.expand(task.units, task.no)) {
      if (only !== null && assignee.unit !== only) continue;
      const key = `${task.no}|${assignee.unit}`;
      const exempt = milestones.map((m) =>
        (exemptionsOf.get(key) ?? []).some((e) => e.due === undefined || matches(m, e.due)),
      );
      const counted: Array<Counted | undefined> = milestones.map(() => undefined);
      const records = [...(confirmationsOf.get(key) ?? [])].sort((a, b) => a.at - b.at || a.order - b.order);
      for (const { record, at } of records) {
        // Records are taken in time order, so the first one to reach a milestone is the earliest.
        const index =
          record.due !== undefined
            ? milestones.findIndex((m, i) => matches(m, record.due as string) && counted[i] === undefined)
            : milestones.length === 1
              ? counted[0] === undefined ? 0 : -1
              : milestones.findIndex((m, i) => counted[i] === undefined && !exempt[i] && m.applicable);
        if (index >= 0) counted[index] = { at, evidence: [...(record.evidence ?? [])] };
      }

      milestones.forEach((m, i) => {
        const confirmation = counted[i];
        const row: StatusRow = {
          task: task.no,
          taskName: task.name,
          unit: assignee.unit,
          role: assignee.role,
          milestone: m.milestone,
          due: m.due,
          status: m.applicable ? decide(m.due, asOf, confirmation?.at, exempt[i] === true, horizon, calendar) : 'not_applicable',
          workingDaysLeft: calendar.workingDaysBetween(asOf.date, m.due),
        };
        if (m.moved) row.moved = true;
        if (confirmation) {
          row.confirmedAt = shanghaiIso(confirmation.at);
          row.evidence = confirmation.evidence;
        }
        rows.push(row);
      });
    }
  }
  return rows;
}

/**
 * The status of every (expanded assignee, milestone) pair of a plan as of a moment, in plan task order,
 * then directory order of units, then due date.
 *
 * - Assignees come from `directoryOf(plan).expand(task.units, task.no)`: groups (各乡镇, 县直各有关部门 …) are expanded, the task's own mappings first,
 *   each unit appears once per task with its strongest role.
 * - Records name units by any alias (resolved through the plan's directory). Records whose unit does not
 *   resolve, whose unit is not assigned to the task, whose task does not exist or whose `due` matches no
 *   milestone of the task are ignored here (validate records against the plan before relying on them).
 * - A confirmation dated after `asOf` is ignored. For each milestone the earliest confirmation counts.
 * - A confirmation without `due` applies to the task's only milestone. When the task has several, the
 *   unit's confirmations are taken in time order and each one without `due` goes to the earliest (by due
 *   date) milestone that is not yet confirmed nor exempt; it is ignored when none is left.
 * - An exemption without `due` covers every milestone of the task; with `due`, that milestone only.
 *   Exemption beats confirmation.
 * - A yearly-recurring milestone (每年3月底前) yields one row: its occurrence in the plan year (e.g.
 *   2022-03-31 for the 2022 plan, whatever year its `due` is written with), even after that date has
 *   passed; the next year's occurrence belongs to the next year's plan. A record's `due` may name either
 *   that plan-year date or the date written on the milestone.
 * - With the plan's issue date (`plan.issued`, 印发日期), a milestone due before it is never overdue: a
 *   yearly one moves to its next occurrence (`moved: true`), a one-off one is `not_applicable`.
 *
 * Throws a {@link ZwgkError} when called wrongly: `invalid_plan`, `invalid_date` (a malformed `asOf` or
 * confirmation time; records are expected to be parsed with `RecordsSchema` first), `invalid_number` (a
 * negative or fractional `dueSoonDays`), `invalid_option` / `unknown_option` (see {@link StatusOptions}).
 *
 * @example
 * const rows = planStatuses(plan, {
 *   asOf: '2022-11-21',
 *   confirmations: [{ task: 4, unit: '司法局', at: '2022-11-20T10:00:00+08:00' }],
 * });
 * rows.filter((r) => r.status === 'overdue');
 */
export function planStatuses(plan: Plan, options: StatusOptions): StatusRow[] {
  const horizon = checkStatusInputs(plan, options, 'planStatuses');
  return rowsFor(plan, options, horizon, null, 'planStatuses');
}

function byDueThenTask(a: StatusRow, b: StatusRow): number {
  return a.due < b.due ? -1 : a.due > b.due ? 1 : a.task - b.task;
}

function split(unit: string, asOf: string, rows: readonly StatusRow[]): UnitDue {
  const out = { unit, asOf, overdue: [], due_soon: [], ongoing: [], upcoming: [], done: [], exempt: [], not_applicable: [] } as Omit<UnitDue, 'dueSoon'> as UnitDue;
  Object.defineProperty(out, 'dueSoon', { get: () => out.due_soon, enumerable: false });
  for (const row of [...rows].sort(byDueThenTask)) {
    if (row.status === 'overdue') out.overdue.push(row);
    else if (row.status === 'due_soon') out.due_soon.push(row);
    else if (row.status === 'upcoming') (row.milestone.ongoing ? out.ongoing : out.upcoming).push(row);
    else if (row.status === 'exempt') out.exempt.push(row);
    else if (row.status === 'not_applicable') out.not_applicable.push(row);
    else out.done.push(row);
  }
  return out;
}

/**
 * What one unit has to do as of a moment: overdue milestones, milestones due within `dueSoonDays` working
 * days (default 10), open year-round work, later milestones, done and exempt ones — each row in exactly
 * one list, sorted by due date then task number. Statuses follow {@link planStatuses}.
 *
 * The unit may be written by any alias. An unknown name is an expected failure, not an exception: the
 * result is `{ success: false, error: { message, suggestions } }` with the closest directory names, as
 * `Directory.resolve` gives them. A known unit with no assignment gets empty lists.
 *
 * @example
 * const r = dueForUnit(plan, '郭道镇', { asOf: new Date('2022-11-21T09:00:00+08:00') });
 * if (r.success) {
 *   for (const row of r.data.overdue) console.log(`任务${row.task} ${row.taskName} 逾期（${row.due}）`);
 * } else {
 *   console.log(r.error.message); // e.g. 'unknown unit "郭道"; did you mean 郭道镇?'
 * }
 */
export function dueForUnit(plan: Plan, unit: string, options: StatusOptions): Result<UnitDue, UnknownUnit> {
  const horizon = checkStatusInputs(plan, options, 'dueForUnit');
  if (typeof unit !== 'string') throw new ZwgkError('invalid_option', 'dueForUnit (unit)', `expected a unit name, received ${typeof unit}`);
  const resolved = directoryOf(plan).resolve(unit);
  if (!resolved.success) return resolved;
  const name = resolved.data.name;
  const rows = rowsFor(plan, options, horizon, name, 'dueForUnit');
  return { success: true, data: split(name, asOfOf(options.asOf, 'dueForUnit (asOf)').date, rows) };
}

/**
 * {@link dueForUnit} for every unit that has at least one assignment in the plan, in directory order
 * (townships, the development zone, then departments, as the directory lists them). Used by
 * `zwgk deadlines` and the bot's weekly digests.
 *
 * @example
 * for (const unit of unitsDigest(plan, { asOf: '2022-11-21' })) {
 *   console.log(unit.unit, unit.overdue.length, unit.due_soon.length);
 * }
 */
export function unitsDigest(plan: Plan, options: StatusOptions): UnitDue[] {
  const horizon = checkStatusInputs(plan, options, 'unitsDigest');
  const asOf = asOfOf(options.asOf, 'unitsDigest (asOf)').date;
  const byUnit = new Map<string, StatusRow[]>();
  for (const row of rowsFor(plan, options, horizon, null, 'unitsDigest')) {
    const list = byUnit.get(row.unit);
    if (list) list.push(row);
    else byUnit.set(row.unit, [row]);
  }
  return directoryOf(plan)
    .units.filter((u) => byUnit.has(u.name))
    .map((u) => split(u.name, asOf, byUnit.get(u.name) ?? []));
}
