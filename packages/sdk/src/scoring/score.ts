import { directoryOf, type Assignee } from '../directory/directory.js';
import { ZwgkError, checkOptionNames } from '../errors.js';
import { checkOptionsObject, checkPlan } from '../model/check.js';
import { IsoDateSchema, type Plan, type Role, type Task, type Unit, type UnitKind } from '../model/schemas.js';
import { milestoneDue, withStatutoryMilestones, type MilestoneDue } from '../model/plan-dates.js';
import type { Records, ReviewState } from '../records/schema.js';
import { shanghaiDate } from '../time/shanghai.js';
import { instantDate, instantMs } from '../time/instant.js';
import { typeName } from './issues.js';
import { RubricSchema, defaultRubric, type Rubric } from './rubric.js';

/** A grade band of rule 8 of the assessment rubric (docs/assessment.md). */
export type Grade = '优秀' | '良好' | '合格' | '不合格';

/**
 * A ranking group id of the rubric: by default `township` (乡镇组: townships and the zone), `department`
 * (部门组), `public` (公共企事业单位组) and `vertical` (垂管单位组, units flagged vertically managed).
 */
export type ScoreGroup = string;

/**
 * How one milestone of one unit was scored:
 * - `on_time`: confirmed on or before its due date (Shanghai calendar date);
 * - `late`: confirmed after it;
 * - `overdue`: due as of the assessment date and not confirmed (credit 0);
 * - `not_due`: due after the assessment date, dropped from the sum (even when already confirmed);
 * - `exempt`: exempted by the county office, dropped from the sum;
 * - `not_applicable`: a one-off milestone due before the plan's issue date (印发日期), dropped from the sum.
 */
export type MilestoneScoreStatus = 'on_time' | 'late' | 'overdue' | 'not_due' | 'exempt' | 'not_applicable';

/** One (task milestone, unit) pair of the completion score. */
export interface MilestoneScore {
  task: number;
  taskName: string;
  due: string;
  /** The unit's strongest role on the task. */
  role: Role;
  /** Task weight × role factor. */
  weight: number;
  status: MilestoneScoreStatus;
  /** The credit counted (1, 0.5, 0 by default), or `null` when the milestone is dropped (`not_due`, `exempt`). */
  credit: number | null;
  /** The earliest counted confirmation, as written in the records. */
  confirmedAt?: string;
  /** Evidence links of every counted confirmation of the milestone, without repeats. */
  evidence: string[];
  /** In a {@link whatIf} projection: true when the confirmation is assumed, not recorded. */
  projected?: true;
  /**
   * The office's review (复核) of the milestone's latest submission as of the assessment date, when its
   * records carry reviews or the rubric requires them (a submission without one is `pending`). Under
   * `review.required` a milestone whose submissions are all `pending` or `returned` is scored as unconfirmed.
   */
  review?: ReviewState;
}

/** How many milestones wait for the office's review (待复核) or were returned (退回), by their latest submission. */
export interface ReviewCounts {
  pending: number;
  returned: number;
}

/** A leader briefing and whether it counted (only briefings in the plan year, on or before the assessment date). */
export interface BriefingScore {
  date: string;
  note?: string;
  status: 'counted' | 'outside_year' | 'after_as_of';
}

/** A 亮点工程 entry and its points (before the cap). */
export interface HighlightScore {
  title: string;
  status: 'submitted' | 'selected';
  points: number;
}

/** A carry-over item and the points it takes off (before the cap); resolved items take off nothing. */
export interface CarryoverScore {
  item: string;
  resolved: boolean;
  points: number;
}

/**
 * A rectification item (整改) and the points it takes off (before the carry-over cap, shared with
 * {@link CarryoverScore}): `rubric.carryover.each` when it was not verified (复查通过) by its due date and
 * that date has come; otherwise 0. `overdue` says it costs points.
 */
export interface RectificationScore {
  item: string;
  due: string;
  state: 'open' | 'rectified' | 'verified';
  overdue: boolean;
  points: number;
}

/** A manual deduction by the county office. */
export interface DeductionScore {
  points: number;
  reason: string;
}

/** One unit's assessment. Numbers are rounded to one decimal; `final` is computed before rounding. */
export interface UnitScore {
  unit: string;
  kind: UnitKind;
  group: ScoreGroup;
  /** Rule 3: out of 90 by default. */
  completion: number;
  /** Rule 4: 10 or 0 by default. */
  briefing: number;
  /** Rule 5, after the cap. */
  bonus: number;
  /** Rule 6: carry-over (after its cap) plus manual deductions. */
  deductions: number;
  /** Rule 7: max(0, completion + briefing − deductions) + bonus. */
  final: number;
  grade: Grade;
  /**
   * Rank within the group; equal finals share a rank (1, 2, 2, 4). `null` for a unit that is not ranked:
   * the assessor (flag `assessor`), or a vertically managed unit when the rubric leaves them out.
   */
  rank: number | null;
  /** Why the unit has no rank, when it has none. */
  unranked?: 'assessor' | 'vertical';
  /** The unit's milestones waiting for review or returned (see {@link MilestoneScore.review}); zeros without reviews. */
  reviews: ReviewCounts;
  detail: {
    milestones: MilestoneScore[];
    briefings: BriefingScore[];
    highlights: HighlightScore[];
    carryover: CarryoverScore[];
    /** Rectification items (整改); their points count with the carry-over items under one cap. */
    rectifications: RectificationScore[];
    deductions: DeductionScore[];
    /** The bonus before its cap. */
    bonusUncapped: number;
    /** The carry-over deduction (carry-over and rectification items) after its cap. */
    carryoverPoints: number;
  };
}

/** A milestone a unit has not confirmed although it is past due. */
export interface OverdueItem {
  task: number;
  unit: string;
  due: string;
}

/** The assessment of every directory unit of a plan as of a date. */
export interface Assessment {
  year: number;
  /** The assessment date, `YYYY-MM-DD` Asia/Shanghai. */
  asOf: string;
  rubric: Rubric;
  /**
   * Every directory unit that is not retired, by group (in the rubric's group order, 垂管单位组 last), then
   * by rank (unranked units after the ranked), then in directory order.
   */
  units: UnitScore[];
  /** Unconfirmed past-due milestones, sorted by due date, then task, then unit directory order. */
  overdue: OverdueItem[];
  /** Set on a {@link whatIf} projection: the date from which open milestones are assumed confirmed. */
  projectedFrom?: string;
  /**
   * Every unit's {@link UnitScore.reviews} added up. Under `rubric.review.required` these milestones are
   * scored as unconfirmed until accepted: a report should say how many there are.
   */
  reviews: ReviewCounts;
}

/** Options of {@link score} and {@link whatIf}. */
export interface ScoreOptions {
  /** The assessment date: `YYYY-MM-DD` (Asia/Shanghai) or an instant (its Shanghai date is used). */
  asOf: string | Date;
  /** The rubric (default {@link defaultRubric}). */
  rubric?: Rubric;
}

function withRubricMilestones(plan: Plan, rubric: Rubric): Plan {
  return rubric.statutory.annualReport ? withStatutoryMilestones(plan, { annualReport: rubric.statutory.task }) : plan;
}

/**
 * Scores every directory unit of a plan as of a date with the rubric of docs/assessment.md.
 *
 * Expects records checked by {@link validateRecords} (canonical unit names, `due` filled in); names it
 * cannot resolve, unknown tasks and confirmations without a milestone are skipped, not guessed.
 * Credit is decided by Shanghai calendar date: confirmed on the due date at 23:30 Shanghai is on time.
 * Records dated after `asOf` (confirmations after its end of day, briefings after it) are ignored; the
 * earliest remaining confirmation of a milestone counts.
 *
 * Reviews (复核): with `rubric.review.required`, only confirmations whose `review.state` is `accepted`
 * (decided on or before `asOf`) count, so the time that counts is that of the first submission that was
 * later accepted; a returned confirmation submitted again counts at the new submission's time. Without it
 * every confirmation counts, whatever its review. Either way a stated completion date (`claimedDate`)
 * replaces the message date only for an accepted confirmation, and only when it is earlier. A milestone due after `asOf` is dropped even
 * when already confirmed (it counts, on time, once due). Grades and ranks use the final rounded to one
 * decimal, so what is shown is what is graded.
 *
 * Rectification items (整改, `records.rectifications`) follow rule 6 as carry-over items: one due on or
 * before `asOf` that was not verified (复查通过) by its due date costs `rubric.carryover.each`, within the
 * same cap as the carry-over items; a verification dated after `asOf` is not known yet.
 *
 * The per-milestone detail (`detail.milestones` of each unit) and `overdue` are built when first read,
 * from the records passed: leave the records unchanged until then (or read them at once).
 *
 * @throws ZwgkError when called wrongly — a programmer error, so check input first: `invalid_plan` (not a
 *   plan), `invalid_records` (records not checked by {@link validateRecords}: a section missing or not a
 *   list, another year than the plan's), `invalid_date` (`asOf` not a real date), `invalid_option` (a
 *   malformed rubric), `unknown_option` (an option other than `asOf` and `rubric`).
 * @example
 * const checked = validateRecords(plan, JSON.parse(text));
 * if (checked.success) {
 *   const assessment = score(plan, checked.data, { asOf: '2022-12-31' });
 *   for (const u of assessment.units) console.log(u.rank, u.unit, u.final, u.grade);
 * }
 */
export function score(plan: Plan, records: Records, options: ScoreOptions): Assessment {
  const rubric = checkInputs(plan, records, options, 'score');
  const asOf = toDate(options.asOf, 'score');
  return assess(withRubricMilestones(plan, rubric), records, rubric, { dueBy: asOf, cutoff: asOf });
}

/**
 * The year-end projection if every open milestone were confirmed from `asOf` on: records after `asOf`
 * are ignored, every unconfirmed, non-exempt milestone of the plan year counts as confirmed on `asOf` —
 * on time when due on or after `asOf`, late (0.5 by default) when already past due, since that is the
 * best it can still get — and the assessment date is 12-31 of the plan year (or `asOf`, when later).
 * Briefings, highlights, carry-over and deductions stay as recorded. `overdue` lists the milestones
 * already past due as of `asOf` (the ones projected late); projected milestones carry `projected: true`.
 *
 * @example
 * const best = whatIf(plan, records, { asOf: '2022-11-21' });
 * best.units.find((u) => u.unit === '郭道镇')?.final; // the most 郭道镇 can still reach
 */
export function whatIf(plan: Plan, records: Records, options: ScoreOptions): Assessment {
  const rubric = checkInputs(plan, records, options, 'whatIf');
  const asOf = toDate(options.asOf, 'whatIf');
  const yearEnd = `${plan.year}-12-31`;
  return assess(withRubricMilestones(plan, rubric), records, rubric, {
    dueBy: asOf > yearEnd ? asOf : yearEnd,
    cutoff: asOf,
    projectOn: asOf,
  });
}

function toDate(asOf: string | Date, where: string): string {
  if (asOf instanceof Date) {
    if (Number.isNaN(asOf.getTime())) throw new ZwgkError('invalid_date', `${where} (asOf)`, 'expected a date written YYYY-MM-DD, received an invalid Date');
    return shanghaiDate(asOf);
  }
  if (!IsoDateSchema.safeParse(asOf).success) {
    throw new ZwgkError('invalid_date', `${where} (asOf)`, `expected a date written YYYY-MM-DD, received ${asOf === undefined ? 'nothing' : JSON.stringify(asOf)}`);
  }
  return asOf;
}

const RECORD_SECTIONS = ['confirmations', 'briefings', 'highlights', 'carryover', 'deductions', 'exemptions'] as const;
const checkedRubrics = new WeakSet<object>();

/** The boundary of score and whatIf: the plan, the records' shape, the option names and the rubric. */
function checkInputs(plan: Plan, records: Records, options: ScoreOptions, where: string): Rubric {
  checkPlan(plan, `${where} (plan)`);
  const bad = (problem: string) =>
    new ZwgkError('invalid_records', `${where} (records)`, `${problem} — check records with validateRecords(plan, input) first`);
  if (records === null || typeof records !== 'object' || Array.isArray(records)) throw bad(`expected records { year, confirmations, … }, received ${typeName(records)}`);
  for (const section of RECORD_SECTIONS) {
    if (!Array.isArray(records[section])) throw bad(`records.${section}: expected a list, received ${typeName(records[section])}`);
  }
  // Records built before rectifications existed leave the section out.
  if (records.rectifications !== undefined && !Array.isArray(records.rectifications)) {
    throw bad(`records.rectifications: expected a list, received ${typeName(records.rectifications)}`);
  }
  if (records.year !== plan.year) throw bad(`records.year: the records are for ${typeName(records.year) === 'number' ? records.year : typeName(records.year)} but the plan is for ${plan.year}`);
  checkOptionsObject(options, where, '{ asOf, rubric? }');
  checkOptionNames(options, ['asOf', 'rubric'], where);
  const rubric = options.rubric ?? defaultRubric;
  if (!checkedRubrics.has(rubric)) {
    const r = RubricSchema.safeParse(rubric);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new ZwgkError('invalid_option', `${where} (rubric)`, `rubric.${issue.path.join('.')}: ${issue.message} — build a rubric with resolveRubric or parseRubric`);
    }
    checkedRubrics.add(rubric);
  }
  return rubric;
}

interface Window {
  /** Milestones due on or before this date count. */
  dueBy: string;
  /** Records dated after this date are ignored. */
  cutoff: string;
  /** Projection: open milestones count as confirmed on this date. */
  projectOn?: string;
}

interface Acc {
  unit: string;
  kind: UnitKind;
  order: number;
  possible: number;
  earned: number;
  briefings: BriefingScore[];
  briefingsCounted: number;
  highlights: Map<string, HighlightScore>;
  carryover: CarryoverScore[];
  rectifications: RectificationScore[];
  deductions: DeductionScore[];
}

function round1(x: number): number {
  const r = x * 10;
  // near a half, float noise (0.35 × 10 = 3.4999999999999996) decides; toPrecision absorbs it
  if (Math.abs(r - Math.floor(r) - 0.5) < 1e-6) return Math.round(Number(r.toPrecision(12))) / 10;
  return Math.round(r) / 10;
}

function gradeOf(final: number, rubric: Rubric): Grade {
  if (final >= rubric.grades.优秀) return '优秀';
  if (final >= rubric.grades.良好) return '良好';
  if (final >= rubric.grades.合格) return '合格';
  return '不合格';
}

/** What scoring needs from a plan, computed once per plan object (plans are treated as immutable, as by directoryOf). */
interface PlanIndex {
  tasks: readonly Task[];
  /** Task number → index in `tasks`. */
  taskIndex: Map<number, number>;
  /** Index of each task's first milestone in a unit's row of milestone slots. */
  offsets: number[];
  /** Milestone slots per unit (every milestone of every task). */
  width: number;
  /** Each task's assignees, expanded through the directory (per-task mappings included). */
  assignees: Assignee[][];
  /** Each task's assignees as directory positions (the order of `directoryOf(plan).units`), -1 when unknown. */
  assigneeOrders: Int32Array[];
  /** Each task's milestones' due dates as they count (the plan's issue date applied). */
  dues: MilestoneDue[][];
}

const planIndexes = new WeakMap<Plan, PlanIndex>();

function indexPlan(plan: Plan): PlanIndex {
  const cached = planIndexes.get(plan);
  if (cached && cached.tasks === plan.tasks) return cached;
  const dir = directoryOf(plan);
  const offsets: number[] = [];
  let width = 0;
  for (const task of plan.tasks) {
    offsets.push(width);
    width += task.milestones.length;
  }
  const index: PlanIndex = {
    tasks: plan.tasks,
    taskIndex: new Map(plan.tasks.map((t, i) => [t.no, i])),
    offsets,
    width,
    assignees: [],
    assigneeOrders: [],
    dues: plan.tasks.map((t) => t.milestones.map((m) => milestoneDue(plan, m))),
  };
  const orderOf = new Map(dir.units.map((u, i) => [u.name, i]));
  index.assignees = plan.tasks.map((t) => dir.expand(t.units, t.no));
  index.assigneeOrders = index.assignees.map((list) => Int32Array.from(list, (a) => orderOf.get(a.unit) ?? -1));
  planIndexes.set(plan, index);
  return index;
}

const REVIEW_STATES: readonly ReviewState[] = ['pending', 'accepted', 'returned'];

/** Whether instant `a` is before `b`; two times written alike on the Shanghai clock compare as text, without parsing. */
function isEarlier(a: string, b: string): boolean {
  if (a.length === b.length && a.endsWith('+08:00') && b.endsWith('+08:00')) return a < b;
  return instantMs(a) < instantMs(b);
}

function milestoneAt(task: Task, due: string | undefined): number {
  if (due === undefined) return task.milestones.length === 1 ? 0 : -1;
  const ms = task.milestones;
  for (let i = 0; i < ms.length; i++) if (ms[i]!.due === due) return i;
  return -1;
}

function assess(plan: Plan, records: Records, rubric: Rubric, window: Window): Assessment {
  const dir = directoryOf(plan);
  const { dueBy, cutoff, projectOn } = window;

  // Every directory unit has an accumulator (positions match the plan index); retired ones are left out at the end.
  const dirUnits: readonly Unit[] = dir.units;
  const accs: Acc[] = dirUnits.map((u, order) => ({
    unit: u.name,
    kind: u.kind,
    order,
    possible: 0,
    earned: 0,
    briefings: [],
    briefingsCounted: 0,
    highlights: new Map(),
    carryover: [],
    rectifications: [],
    deductions: [],
  }));
  const accByName = new Map(accs.map((a) => [a.unit, a]));
  const resolved = new Map<string, Acc | undefined>();
  const accOf = (name: string): Acc | undefined => {
    const direct = accByName.get(name);
    if (direct) return direct;
    if (!resolved.has(name)) {
      const r = dir.resolve(name);
      resolved.set(name, r.success ? accByName.get(r.data.name) : undefined);
    }
    return resolved.get(name);
  };
  const { taskIndex, offsets, width, assignees, assigneeOrders, dues } = indexPlan(plan);
  const tasks = plan.tasks;

  // slot (unit order × width + task offset + milestone index) → the earliest confirmation on or before the
  // cutoff: its position in the records and its Shanghai date. No object per confirmation: a slot confirmed
  // more than once (rare) also lists every position, in records order, for its evidence.
  const slots = accs.length * width;
  const firstAt = new Int32Array(slots).fill(-1);
  const dateAt: Array<string | undefined> = new Array(slots);
  const everyAt = new Map<number, number[]>();
  const confirmations = records.confirmations;
  const reviewRequired = rubric.review.required;
  // slot → the review state of its latest submission as of the cutoff (REVIEW_STATES index, -1: no review read)
  // and that submission's position in the records; set for slots whose records carry reviews, or all under review.required.
  const reviewOf = new Int8Array(slots).fill(-1);
  const reviewAt = new Int32Array(slots);
  let reviewsSeen = false;
  for (let i = 0; i < confirmations.length; i++) {
    const c = confirmations[i]!;
    const acc = accOf(c.unit);
    const t = taskIndex.get(c.task);
    if (!acc || t === undefined) continue;
    const mi = milestoneAt(tasks[t]!, c.due);
    if (mi < 0) continue;
    let date = instantDate(c.at);
    if (date > cutoff) continue;
    const slot = acc.order * width + offsets[t]! + mi;
    const review = c.review;
    if (review !== undefined || reviewRequired) {
      // A decision taken after the assessment date is not yet taken as of that date.
      const state: ReviewState = review === undefined || review.state === 'pending' || (review.at !== undefined && instantDate(review.at) > cutoff) ? 'pending' : review.state;
      // Most milestones have one submission: instants are read only to order several.
      if (reviewOf[slot] === -1 || !isEarlier(c.at, confirmations[reviewAt[slot]!]!.at)) {
        reviewOf[slot] = REVIEW_STATES.indexOf(state);
        reviewAt[slot] = i;
        reviewsSeen = true;
      }
      if (reviewRequired && state !== 'accepted') continue;
      if (state === 'accepted' && c.claimedDate !== undefined && c.claimedDate < date) date = c.claimedDate;
    }
    const seen = firstAt[slot]!;
    if (seen < 0) {
      firstAt[slot] = i;
      dateAt[slot] = date;
      continue;
    }
    let all = everyAt.get(slot);
    if (!all) everyAt.set(slot, (all = [seen]));
    all.push(i);
    const seenDate = dateAt[slot]!;
    if (date < seenDate || (date === seenDate && instantMs(c.at) < instantMs(confirmations[seen]!.at))) {
      firstAt[slot] = i;
      dateAt[slot] = date;
    }
  }
  /** Evidence links of every counted confirmation of a slot, without repeats, in records order. */
  const evidenceOf = (slot: number): string[] => {
    const all = everyAt.get(slot);
    if (!all) return confirmations[firstAt[slot]!]!.evidence.slice();
    const out = confirmations[all[0]!]!.evidence.slice();
    for (const i of all.slice(1)) for (const link of confirmations[i]!.evidence) if (!out.includes(link)) out.push(link);
    return out;
  };

  // same slots: exempt milestones
  const exempt = new Uint8Array(accs.length * width);
  for (const e of records.exemptions) {
    const acc = accOf(e.unit);
    const t = taskIndex.get(e.task);
    if (!acc || t === undefined) continue;
    const base = acc.order * width + offsets[t]!;
    const task = tasks[t]!;
    if (e.due === undefined) exempt.fill(1, base, base + task.milestones.length);
    else {
      const mi = milestoneAt(task, e.due);
      if (mi >= 0) exempt[base + mi] = 1;
    }
  }

  const excluded = new Set(rubric.tasks.excluded);
  const { onTime, late, overdue: overdueCredit } = rubric.credits;
  // The numbers only: no object per (unit, milestone) pair here; the detail is built when it is read.
  for (let t = 0; t < tasks.length; t++) {
    const task = tasks[t]!;
    if (excluded.has(task.no)) continue;
    const taskWeight = rubric.weights.tasks[String(task.no)] ?? rubric.weights.default;
    const milestones = task.milestones;
    const list = assignees[t]!;
    const orders = assigneeOrders[t]!;
    for (let a = 0; a < list.length; a++) {
      const order = orders[a]!;
      if (order < 0) continue;
      const acc = accs[order]!;
      const weight = taskWeight * rubric.roleFactors[list[a]!.role];
      const base = order * width + offsets[t]!;
      const taskDues = dues[t]!;
      for (let mi = 0; mi < milestones.length; mi++) {
        if (exempt[base + mi] === 1) continue;
        const when = taskDues[mi]!;
        const due = when.due;
        if (!when.applicable || due > dueBy) continue;
        const date = dateAt[base + mi];
        let credit: number;
        if (date !== undefined) credit = date <= due ? onTime : late;
        else if (projectOn !== undefined) {
          credit = projectOn <= due ? onTime : late;
        } else {
          credit = overdueCredit;
        }
        acc.possible += weight;
        acc.earned += weight * credit;
      }
    }
  }

  /** One unit's per-milestone detail, in task order then milestone order, as the numbers above were made. */
  const milestoneDetail = (acc: Acc): MilestoneScore[] => {
    const out: MilestoneScore[] = [];
    for (let t = 0; t < tasks.length; t++) {
      const task = tasks[t]!;
      if (excluded.has(task.no)) continue;
      const a = assigneeOrders[t]!.indexOf(acc.order);
      if (a < 0) continue;
      const role = assignees[t]![a]!.role;
      const weight = (rubric.weights.tasks[String(task.no)] ?? rubric.weights.default) * rubric.roleFactors[role];
      const base = acc.order * width + offsets[t]!;
      for (let mi = 0; mi < task.milestones.length; mi++) {
        const when = dues[t]![mi]!;
        const due = when.due;
        const slot = base + mi;
        const date = dateAt[slot];
        const m: MilestoneScore = {
          task: task.no,
          taskName: task.name,
          due,
          role,
          weight,
          status: 'not_due',
          credit: null,
          evidence: date !== undefined ? evidenceOf(slot) : [],
        };
        if (date !== undefined) m.confirmedAt = confirmations[firstAt[slot]!]!.at;
        if (reviewOf[slot]! >= 0) m.review = REVIEW_STATES[reviewOf[slot]!]!;
        if (!when.applicable) {
          m.status = 'not_applicable';
        } else if (exempt[base + mi] === 1) {
          m.status = 'exempt';
        } else if (due <= dueBy) {
          if (date !== undefined) {
            const onTimeNow = date <= due;
            m.status = onTimeNow ? 'on_time' : 'late';
            m.credit = onTimeNow ? onTime : late;
          } else if (projectOn !== undefined) {
            const onTimeNow = projectOn <= due;
            m.status = onTimeNow ? 'on_time' : 'late';
            m.credit = onTimeNow ? onTime : late;
            m.projected = true;
          } else {
            m.status = 'overdue';
            m.credit = overdueCredit;
          }
        }
        out.push(m);
      }
    }
    return out;
  };

  const yearPrefix = `${plan.year}-`;
  for (const b of records.briefings) {
    const acc = accOf(b.unit);
    if (!acc) continue;
    const status = !b.date.startsWith(yearPrefix) ? 'outside_year' : b.date > cutoff ? 'after_as_of' : 'counted';
    if (status === 'counted') acc.briefingsCounted++;
    acc.briefings.push(b.note === undefined ? { date: b.date, status } : { date: b.date, note: b.note, status });
  }
  for (const h of records.highlights) {
    const acc = accOf(h.unit);
    if (!acc) continue;
    const title = h.title.trim();
    const seen = acc.highlights.get(title);
    // one entry counts once, at its best status: submitted then selected is +3, not +4
    if (seen && (seen.status === 'selected' || h.status === 'submitted')) continue;
    acc.highlights.set(title, { title: h.title, status: h.status, points: rubric.bonus[h.status] });
  }
  for (const c of records.carryover) {
    const acc = accOf(c.unit);
    if (acc) acc.carryover.push({ item: c.item, resolved: c.resolved, points: c.resolved ? 0 : rubric.carryover.each });
  }
  for (const r of records.rectifications ?? []) {
    const acc = accOf(r.unit);
    if (!acc) continue;
    // Verified in time: 复查通过 on or before the due date, and known by the assessment date.
    const verifiedOn = r.state === 'verified' ? (r.verifiedOn ?? r.due) : undefined;
    const inTime = verifiedOn !== undefined && verifiedOn <= r.due && verifiedOn <= cutoff;
    // A projection assumes an item not yet due is verified in time.
    const projected = projectOn !== undefined && r.due >= projectOn;
    const overdue = r.due <= dueBy && !inTime && !projected;
    acc.rectifications.push({ item: r.item, due: r.due, state: r.state, overdue, points: overdue ? rubric.carryover.each : 0 });
  }
  for (const d of records.deductions) {
    const acc = accOf(d.unit);
    if (acc) acc.deductions.push({ points: d.points, reason: d.reason });
  }

  const groupOf = new Map<UnitKind, ScoreGroup>();
  const groupIds = Object.keys(rubric.groups);
  for (const id of groupIds) for (const kind of rubric.groups[id]!.kinds) groupOf.set(kind, id);
  const vertical = rubric.vertical.mode;
  const placeOf = (u: Unit): { group: ScoreGroup; unranked?: 'assessor' | 'vertical' } => {
    const own = u.rankingGroup ?? groupOf.get(u.kind) ?? 'department';
    if (u.assessor) return { group: own, unranked: 'assessor' };
    if (u.vertical && u.rankingGroup === undefined) {
      if (vertical === 'own-group') return { group: 'vertical' };
      if (vertical === 'left-out') return { group: own, unranked: 'vertical' };
    }
    return { group: own };
  };

  const reviewCounts: ReviewCounts[] = accs.map(() => ({ pending: 0, returned: 0 }));
  const reviewTotal: ReviewCounts = { pending: 0, returned: 0 };
  if (reviewsSeen) {
    for (let slot = 0; slot < slots; slot++) {
      const state = REVIEW_STATES[reviewOf[slot]!];
      if (state !== 'pending' && state !== 'returned') continue;
      reviewCounts[Math.floor(slot / width)]![state]++;
      reviewTotal[state]++;
    }
  }

  const scored: Array<UnitScore & { order: number }> = accs.filter((acc) => dirUnits[acc.order]!.retired !== true).map((acc) => {
    const completion = acc.possible > 0 ? (rubric.completion.max * acc.earned) / acc.possible : rubric.completion.max;
    const briefing = acc.briefingsCounted >= rubric.briefing.minBriefings ? rubric.briefing.points : 0;
    const highlights = [...acc.highlights.values()];
    const bonusUncapped = highlights.reduce((s, h) => s + h.points, 0);
    const bonus = Math.min(bonusUncapped, rubric.bonus.cap);
    const carryoverPoints = Math.min(
      acc.carryover.reduce((s, c) => s + c.points, 0) + acc.rectifications.reduce((s, r) => s + r.points, 0),
      rubric.carryover.cap,
    );
    const deductions = carryoverPoints + acc.deductions.reduce((s, d) => s + d.points, 0);
    const final = round1(Math.max(0, completion + briefing - deductions) + bonus);
    const place = placeOf(dirUnits[acc.order]!);
    return {
      unit: acc.unit,
      kind: acc.kind,
      group: place.group,
      ...(place.unranked ? { unranked: place.unranked } : {}),
      reviews: reviewCounts[acc.order]!,
      completion: round1(completion),
      briefing: round1(briefing),
      bonus: round1(bonus),
      deductions: round1(deductions),
      final,
      grade: gradeOf(final, rubric),
      rank: 0,
      detail: {
        // Built on first read and then kept: most callers only need the numbers.
        get milestones(): MilestoneScore[] {
          const value = milestoneDetail(acc);
          Object.defineProperty(this, 'milestones', { value, writable: true, enumerable: true, configurable: true });
          return value;
        },
        briefings: acc.briefings,
        highlights,
        carryover: acc.carryover,
        rectifications: acc.rectifications,
        deductions: acc.deductions,
        bonusUncapped: round1(bonusUncapped),
        carryoverPoints: round1(carryoverPoints),
      },
      order: acc.order,
    };
  });

  const units: UnitScore[] = [];
  const order = [...groupIds];
  for (const u of scored) if (!order.includes(u.group)) order.push(u.group);
  for (const id of order) {
    const group = scored.filter((u) => u.group === id);
    const ranked = group.filter((u) => u.unranked === undefined).sort((a, b) => b.final - a.final || a.order - b.order);
    ranked.forEach((u, i) => {
      const prev = ranked[i - 1];
      u.rank = prev && prev.final === u.final ? prev.rank : i + 1;
    });
    const unranked = group.filter((u) => u.unranked !== undefined).sort((a, b) => a.order - b.order);
    for (const u of unranked) u.rank = null;
    for (const u of [...ranked, ...unranked]) {
      const { order: _order, ...out } = u;
      units.push(out);
    }
  }

  /** Unconfirmed milestones past due as of the cutoff (the ones projected late in a projection). */
  const overdueItems = (): OverdueItem[] => {
    const found: Array<OverdueItem & { order: number }> = [];
    for (let t = 0; t < tasks.length; t++) {
      const task = tasks[t]!;
      if (excluded.has(task.no)) continue;
      const orders = assigneeOrders[t]!;
      for (let a = 0; a < orders.length; a++) {
        const order = orders[a]!;
        if (order < 0) continue;
        const base = order * width + offsets[t]!;
        for (let mi = 0; mi < task.milestones.length; mi++) {
          const when = dues[t]![mi]!;
          const due = when.due;
          if (!when.applicable || exempt[base + mi] === 1 || dateAt[base + mi] !== undefined || due > dueBy) continue;
          if (projectOn === undefined || projectOn > due) found.push({ task: task.no, unit: accs[order]!.unit, due, order });
        }
      }
    }
    found.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.task - b.task || a.order - b.order));
    return found.map(({ task, unit, due }) => ({ task, unit, due }));
  };
  const assessment: Assessment = {
    year: plan.year,
    asOf: dueBy,
    rubric,
    units,
    reviews: reviewTotal,
    // Built on first read and then kept, like each unit's milestone detail.
    get overdue(): OverdueItem[] {
      const value = overdueItems();
      Object.defineProperty(this, 'overdue', { value, writable: true, enumerable: true, configurable: true });
      return value;
    },
  };
  if (projectOn !== undefined) assessment.projectedFrom = projectOn;
  return assessment;
}
