import { createCalendar, score, shanghaiDate, type Grade, type Plan, type Rubric, type WorkingCalendar } from '@zwgk/sdk';
import { adminDigestView } from '../digest/views.js';
import { exportRecords } from '../export.js';
import type { Store } from '../store/store.js';
import { progressOf, takeSnapshot } from '../views/build.js';
import { createRenderer, type Texts } from '../templates/render.js';

/** One county's line of a roll-up: progress as of a date and its units' assessment. */
export interface CountySummary {
  /** Tenant id (`default` for the deployment's own county). */
  tenant: string;
  county: string;
  year: number;
  /** Milestones confirmed (on time or late) of those counted (not exempt, applicable), and the share in percent. */
  done: number;
  total: number;
  percent: number;
  /** (unit, milestone) pairs overdue as of the date. */
  overdue: number;
  /** Units scored. */
  units: number;
  /** The mean of the units' final scores, one decimal. */
  average: number;
  /** The grade band of that mean under the tenant's rubric. */
  grade: Grade;
  /** How many units are in each grade band. */
  grades: Record<Grade, number>;
  /** True before the plan year has ended: the scores are an estimate. */
  estimate: boolean;
}

/** What a roll-up reads of one tenant. */
export interface RollupSource {
  tenant: string;
  plan: Plan;
  store: Store;
  rubric?: Rubric;
  horizonDays?: number;
  /** The words of the rows' statuses (the bots' catalogue); default the built-in one. */
  texts?: Texts;
}

let builtinTexts: Texts | undefined;
function textsOf(source: RollupSource): Texts {
  if (source.texts) return source.texts;
  if (!builtinTexts) {
    const renderer = createRenderer();
    builtinTexts = renderer.text.bind(renderer);
  }
  return builtinTexts;
}

/** Each grade with a zero count, best first (the SDK's grades, keys rather than wording). */
function noGrades(): Record<Grade, number> {
  return { 优秀: 0, 良好: 0, 合格: 0, 不合格: 0 };
}

/** The rubric's grade for a mean score: the best grade whose threshold it reaches, else the last. */
function gradeBand(value: number, rubric: Rubric): Grade {
  const order = Object.keys(noGrades()) as Grade[];
  for (const g of order) if (g in rubric.grades && value >= rubric.grades[g as keyof Rubric['grades']]) return g;
  return order[order.length - 1] as Grade;
}

/**
 * One county's roll-up line as of `now`: its progress (the same statuses as the county's own 进度) and its
 * units scored by the SDK's `score` under the tenant's rubric, summarised as the mean final and its grade.
 *
 * @example
 * const line = await countySummary({ tenant: 'qinyuan', plan, store }, new Date());
 * console.log(`${line.county} ${line.percent}% 逾期 ${line.overdue} ${line.average} ${line.grade}`);
 */
export async function countySummary(source: RollupSource, now: Date, calendar: WorkingCalendar = createCalendar()): Promise<CountySummary> {
  const { plan, store } = source;
  const asOf = shanghaiDate(now);
  const snap = await takeSnapshot(store, plan, now, calendar, source.horizonDays ?? 10, textsOf(source));
  const progress = progressOf(snap.rows);
  const records = await exportRecords(store, plan, { asOf });
  const assessment = score(plan, records, source.rubric === undefined ? { asOf } : { asOf, rubric: source.rubric });
  const finals = assessment.units.map((u) => u.final);
  const average = finals.length ? Math.round((finals.reduce((a, b) => a + b, 0) / finals.length) * 10) / 10 : 0;
  const grades = noGrades();
  for (const u of assessment.units) grades[u.grade]++;
  return {
    tenant: source.tenant,
    county: plan.county,
    year: plan.year,
    done: progress.done,
    total: progress.total,
    percent: progress.percent,
    overdue: progress.overdue,
    units: assessment.units.length,
    average,
    grade: gradeBand(average, assessment.rubric),
    grades,
    estimate: asOf <= `${plan.year}-12-31`,
  };
}

/** The roll-up across tenants, one line per county, in the order given. */
export async function rollupSummaries(sources: readonly RollupSource[], now: Date, calendar: WorkingCalendar = createCalendar()): Promise<CountySummary[]> {
  const out: CountySummary[] = [];
  for (const source of sources) out.push(await countySummary(source, now, calendar));
  return out;
}

/** One county's admin overview (the view of its admin group's 进度), for a roll-up group's drill-down. */
export async function countyOverviewView(source: RollupSource, now: Date, title: string, calendar: WorkingCalendar = createCalendar()) {
  const horizonDays = source.horizonDays ?? 10;
  const snap = await takeSnapshot(source.store, source.plan, now, calendar, horizonDays, textsOf(source));
  const bound = new Set((await source.store.groups.list()).flatMap((g) => (g.kind === 'unit' ? [g.unit] : [])));
  return adminDigestView(snap, calendar, horizonDays, bound, title);
}
