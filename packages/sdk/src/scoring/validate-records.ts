import type { z } from 'zod';
import { directoryOf } from '../directory/directory.js';
import { checkPlan } from '../model/check.js';
import type { Plan, Result, Task } from '../model/schemas.js';
import {
  BriefingSchema,
  CarryoverSchema,
  ConfirmationSchema,
  DeductionSchema,
  ExemptionSchema,
  HighlightSchema,
  RecordsSchema,
  RectificationSchema,
  type Records,
} from '../records/schema.js';
import { instantMs } from '../time/instant.js';
import { closest, describeIssues, typeName } from './issues.js';

/** What kind of problem a {@link RecordsError} reports. */
export type RecordsErrorCode =
  | 'invalid'
  | 'unknown_field'
  | 'year_mismatch'
  | 'unknown_unit'
  | 'unknown_task'
  | 'unknown_milestone'
  | 'missing_due'
  | 'not_assigned'
  | 'bad_date'
  | 'duplicate';

/** One problem in assessment records, with its position. */
export interface RecordsError {
  code: RecordsErrorCode;
  /** Where, e.g. `confirmations[3].at`; empty for the records as a whole. */
  path: string;
  /** The full message, position first, e.g. `confirmations[3].at: expected a time such as 2022-11-20T10:00:00+08:00`. */
  message: string;
  /** For an unknown unit: the closest directory names. */
  suggestions?: string[];
}

const SECTIONS = ['confirmations', 'briefings', 'highlights', 'carryover', 'deductions', 'rectifications', 'exemptions'] as const;
type Section = (typeof SECTIONS)[number];
const KNOWN_FIELDS = ['year', 'asOf', ...SECTIONS];

const ENTRY_SCHEMAS: Record<Section, z.ZodType> = {
  confirmations: ConfirmationSchema,
  briefings: BriefingSchema,
  highlights: HighlightSchema,
  carryover: CarryoverSchema,
  deductions: DeductionSchema,
  rectifications: RectificationSchema,
  exemptions: ExemptionSchema,
};

/** Each task's expanded assignees, per plan object (plans are treated as immutable, as by directoryOf). */
const assignedByPlan = new WeakMap<Plan, Map<number, Set<string>> & { tasks: Plan['tasks'] }>();

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Checks assessment records (docs/assessment.md) against a plan and returns them with every unit name replaced by
 * its canonical directory name and every confirmation's `due` filled in.
 *
 * Every problem is reported at once, each with its position: shape errors (wrong type, missing field,
 * malformed time), a records year other than the plan's, unknown units (with the closest directory
 * names), unknown task numbers, a `due` that is not one of the task's milestones (listing them), a
 * missing `due` on a task with several milestones, a confirmation or exemption for a unit not assigned
 * to the task, impossible dates such as 2022-02-30, and duplicates (naming both positions).
 *
 * Duplicates: two identical confirmations (same task, unit, milestone and time), identical briefings
 * (unit, date and note) or identical manual deductions (unit, points and reason); the same highlight
 * title or carry-over item twice for a unit (whatever its status, since each entry counts once); the
 * same exemption twice. Two confirmations of one milestone at different times are not duplicates: the
 * earliest counts. A top-level field that looks like a misspelt section (`confirmation`) is an error;
 * other extra fields (an export's metadata) are ignored.
 *
 * The records are user input, so their problems come back as `{ success: false, error }`; only a `plan`
 * that is not a plan (a programmer error) throws a {@link ZwgkError} (`invalid_plan`).
 *
 * @example
 * const r = validateRecords(plan, JSON.parse(text));
 * if (!r.success) for (const e of r.error) console.error(e.message);
 * // confirmations[0].unit: unknown unit "郭到镇"; did you mean 郭道镇?
 */
export function validateRecords(plan: Plan, input: unknown): Result<Records, RecordsError[]> {
  checkPlan(plan, 'validateRecords (plan)');
  if (!isPlainObject(input)) {
    return {
      success: false,
      error: [{ code: 'invalid', path: '', message: `records: expected an object with year, confirmations, briefings …, received ${typeName(input)}` }],
    };
  }
  const errors: RecordsError[] = [];
  const fail = (code: RecordsErrorCode, path: string, text: string, suggestions?: string[]) => {
    errors.push({ code, path, message: `${path || 'records'}: ${text}`, ...(suggestions ? { suggestions } : {}) });
  };

  for (const key of Object.keys(input)) {
    if (KNOWN_FIELDS.includes(key)) continue;
    const near = closest(key, KNOWN_FIELDS);
    if (near) fail('unknown_field', key, `unknown field; did you mean ${near}?`);
  }

  const parsed = RecordsSchema.safeParse(input);
  if (!parsed.success) {
    for (const m of describeIssues(parsed.error.issues, input)) {
      fail(/(?:\.at|\.date|\.due|\.verifiedOn|\.rectifiedOn|^asOf)$/.test(m.path) ? 'bad_date' : 'invalid', m.path, m.text);
    }
  }

  if (typeof input.year === 'number' && Number.isInteger(input.year) && input.year !== plan.year) {
    fail('year_mismatch', 'year', `the records are for ${input.year} but the plan is for ${plan.year}`);
  }

  const dir = directoryOf(plan);
  const tasks = new Map(plan.tasks.map((t) => [t.no, t]));
  const taskRange = describeTaskNumbers(plan);
  let assigned = assignedByPlan.get(plan);
  if (!assigned || assigned.tasks !== plan.tasks) {
    assigned = Object.assign(new Map<number, Set<string>>(), { tasks: plan.tasks });
    assignedByPlan.set(plan, assigned);
  }
  const assignedTo = (task: Task) => {
    let set = assigned!.get(task.no);
    if (!set) {
      set = new Set(dir.expand(task.units, task.no).map((a) => a.unit));
      assigned!.set(task.no, set);
    }
    return set;
  };
  const resolved = new Map<string, ReturnType<typeof dir.resolve>>();
  const canonical = (name: string): string | undefined => {
    const r = resolved.get(name);
    return r?.success ? r.data.name : undefined;
  };
  const resolveUnit = (name: string, path: string): string | null => {
    let r = resolved.get(name);
    if (!r) {
      r = dir.resolve(name);
      resolved.set(name, r);
    }
    if (r.success) return r.data.name;
    fail('unknown_unit', path, r.error.message, r.error.suggestions);
    return null;
  };
  const lookUpTask = (no: number, path: string): Task | null => {
    const task = tasks.get(no);
    if (!task) fail('unknown_task', path, `the plan has no task ${no} (${taskRange})`);
    return task ?? null;
  };
  const duesOf = new Map<number, string[]>();
  const checkDue = (task: Task, due: string | undefined, path: string, required: boolean): string | null => {
    let dues = duesOf.get(task.no);
    if (!dues) {
      dues = task.milestones.map((m) => m.due);
      duesOf.set(task.no, dues);
    }
    if (dues.length === 0) {
      fail('unknown_milestone', path, `task ${task.no} has no milestones`);
      return null;
    }
    if (due === undefined) {
      if (dues.length === 1) return dues[0]!;
      if (required) fail('missing_due', `${path}.due`, `task ${task.no} has ${dues.length} milestones (due ${dues.join(', ')}); say which one with "due"`);
      return null;
    }
    if (!dues.includes(due)) {
      fail('unknown_milestone', `${path}.due`, `task ${task.no} has no milestone due ${due}; its due dates are ${dues.join(', ')}`);
      return null;
    }
    return due;
  };
  const checkAssigned = (task: Task, unit: string, path: string) => {
    if (assignedTo(task).has(unit)) return true;
    const who = task.responsibility.trim() ? `; responsible: ${task.responsibility.trim()}` : '';
    fail('not_assigned', `${path}.unit`, `${unit} is not assigned to task ${task.no} (${task.name})${who}`);
    return false;
  };
  const firstSeen = new Map<string, string>();
  const checkDuplicate = (key: string, path: string, what: string) => {
    const earlier = firstSeen.get(key);
    if (earlier) fail('duplicate', path, `duplicates ${earlier} (${what}); each entry counts once, remove one of them`);
    else firstSeen.set(key, path);
  };

  // the entries that are well-formed, for the checks against the plan; when the records as a whole
  // are malformed, each entry is parsed on its own so that every problem is still reported at once
  const entries = <T>(section: Section): Array<[T, string, number]> => {
    if (parsed.success) return (parsed.data[section] as T[]).map((e, i) => [e, `${section}[${i}]`, i]);
    const list = input[section];
    if (!Array.isArray(list)) return [];
    const out: Array<[T, string, number]> = [];
    list.forEach((raw, i) => {
      const r = ENTRY_SCHEMAS[section].safeParse(raw);
      if (r.success) out.push([r.data as T, `${section}[${i}]`, i]);
    });
    return out;
  };

  // Confirmations are most of any records file, so each is first checked without building a position or
  // a key string; only one that fails a check goes through the reporting path. Duplicates: the same
  // milestone of the same unit at the same instant. Most milestones are confirmed once, so an instant is
  // read (again: the schema read it already) only when its milestone has another confirmation to compare with.
  const unitOrder = new Map(dir.units.map((u, i) => [u.name, i]));
  const slotBase = new Map<number, number>();
  let width = 0;
  for (const t of plan.tasks) {
    slotBase.set(t.no, width);
    width += t.milestones.length;
  }
  const confirmationDue: Array<string | undefined> = [];
  // slot → 1 + input position of its first confirmation; later ones of the same slot are kept in `more`
  const firstOf = new Int32Array(unitOrder.size * width);
  const more = new Map<number, Array<{ at: string; index: number; ms?: number }>>();
  // well-formed confirmations and their positions in the input
  const wellFormed = parsed.success ? null : entries<z.infer<typeof ConfirmationSchema>>('confirmations');
  const confirmationCount = parsed.success ? parsed.data.confirmations.length : wellFormed!.length;
  for (let k = 0; k < confirmationCount; k++) {
    const c = parsed.success ? parsed.data.confirmations[k]! : wellFormed![k]![0];
    const i = parsed.success ? k : wellFormed![k]![2];
    const known = resolved.get(c.unit);
    const task = tasks.get(c.task);
    let unit: string | null = known?.success ? known.data.name : null;
    let due: string | null = null;
    if (unit !== null && task) {
      let dues = duesOf.get(task.no);
      if (!dues) {
        dues = task.milestones.map((m) => m.due);
        duesOf.set(task.no, dues);
      }
      const wanted = c.due ?? (dues.length === 1 ? dues[0] : undefined);
      if (wanted !== undefined && dues.includes(wanted) && assignedTo(task).has(unit)) due = wanted;
    }
    if (due === null) {
      const path = `confirmations[${i}]`;
      unit = resolveUnit(c.unit, `${path}.unit`);
      const slow = lookUpTask(c.task, `${path}.task`);
      if (!slow) continue;
      due = checkDue(slow, c.due, path, true);
      if (unit) checkAssigned(slow, unit, path);
      if (!unit || !due) continue;
    }
    confirmationDue[i] = due;
    const slot = unitOrder.get(unit!)! * width + slotBase.get(c.task)! + duesOf.get(c.task)!.indexOf(due);
    if (firstOf[slot] === 0) {
      firstOf[slot] = i + 1;
      continue;
    }
    let seen = more.get(slot);
    if (!seen) {
      const first = firstOf[slot]! - 1;
      const at = parsed.success ? parsed.data.confirmations[first]!.at : wellFormed!.find(([, , j]) => j === first)![0].at;
      seen = [{ at, index: first }];
      more.set(slot, seen);
    }
    const ms = instantMs(c.at);
    const same = seen.find((s) => s.at === c.at || (s.ms ??= instantMs(s.at)) === ms);
    if (same) {
      fail('duplicate', `confirmations[${i}]`, `duplicates confirmations[${same.index}] (task ${c.task}, ${unit}, due ${due}, at ${c.at}); each entry counts once, remove one of them`);
    } else seen.push({ at: c.at, index: i, ms });
  }
  for (const [e, path] of entries<z.infer<typeof ExemptionSchema>>('exemptions')) {
    const unit = resolveUnit(e.unit, `${path}.unit`);
    const task = lookUpTask(e.task, `${path}.task`);
    if (!task) continue;
    const due = e.due === undefined ? undefined : checkDue(task, e.due, path, false);
    if (unit) checkAssigned(task, unit, path);
    if (unit && due !== null) {
      checkDuplicate(`e|${e.task}|${unit}|${due ?? '*'}`, path, `task ${e.task}, ${unit}${due ? `, due ${due}` : ''}`);
    }
  }
  for (const [b, path] of entries<z.infer<typeof BriefingSchema>>('briefings')) {
    const unit = resolveUnit(b.unit, `${path}.unit`);
    if (unit) checkDuplicate(`b|${unit}|${b.date}|${b.note ?? ''}`, path, `${unit}, ${b.date}`);
  }
  for (const [h, path] of entries<z.infer<typeof HighlightSchema>>('highlights')) {
    const unit = resolveUnit(h.unit, `${path}.unit`);
    if (unit) checkDuplicate(`h|${unit}|${h.title.trim()}`, path, `${unit}, "${h.title}"`);
  }
  for (const [c, path] of entries<z.infer<typeof CarryoverSchema>>('carryover')) {
    const unit = resolveUnit(c.unit, `${path}.unit`);
    if (unit) checkDuplicate(`o|${unit}|${c.item.trim()}`, path, `${unit}, "${c.item}"`);
  }
  for (const [d, path] of entries<z.infer<typeof DeductionSchema>>('deductions')) {
    const unit = resolveUnit(d.unit, `${path}.unit`);
    if (unit) checkDuplicate(`d|${unit}|${d.points}|${d.reason.trim()}`, path, `${unit}, ${d.points} points, "${d.reason}"`);
  }
  for (const [r, path] of entries<z.infer<typeof RectificationSchema>>('rectifications')) {
    const unit = resolveUnit(r.unit, `${path}.unit`);
    if (unit) checkDuplicate(`r|${unit}|${r.item.trim()}|${r.due}`, path, `${unit}, "${r.item}", due ${r.due}`);
  }

  if (errors.length > 0 || !parsed.success) {
    return { success: false, error: sortByPosition(errors) };
  }

  const name = (unit: string) => canonical(unit) ?? unit;
  // zod's output is a fresh copy of the input (objects and arrays), so it is completed in place: the
  // caller's input is never modified, and no second copy of every record is made.
  const data = parsed.data;
  data.confirmations.forEach((c, i) => {
    c.unit = name(c.unit);
    const due = confirmationDue[i];
    if (due !== undefined) c.due = due;
  });
  for (const list of [data.briefings, data.highlights, data.carryover, data.deductions, data.rectifications, data.exemptions]) {
    for (const entry of list) entry.unit = name(entry.unit);
  }
  return { success: true, data };
}

function describeTaskNumbers(plan: Plan): string {
  const nos = plan.tasks.map((t) => t.no).sort((a, b) => a - b);
  if (nos.length === 0) return 'the plan has no tasks';
  const contiguous = nos.every((n, i) => i === 0 || n === nos[i - 1]! + 1);
  return contiguous ? `tasks are numbered ${nos[0]}–${nos[nos.length - 1]}` : `tasks are ${nos.join(', ')}`;
}

const SECTION_ORDER = new Map<string, number>([['', -1], ...KNOWN_FIELDS.map((k, i) => [k, i] as [string, number])]);

/** Reading order: by section as written in docs/assessment.md, then by entry index, then field. */
function sortByPosition(errors: RecordsError[]): RecordsError[] {
  const key = (path: string) => {
    const m = /^([^[.]*)(?:\[(\d+)\])?/.exec(path)!;
    return [SECTION_ORDER.get(m[1]!) ?? KNOWN_FIELDS.length, m[2] === undefined ? -1 : Number(m[2])] as const;
  };
  return errors
    .map((e, i) => ({ e, i, k: key(e.path) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.i - b.i)
    .map((x) => x.e);
}
