import { directoryOf, milestoneDue, planStatuses, shanghaiDate, type Plan, type StatusRow, type WorkingCalendar } from '@zwgk/sdk';
import type { Store, StoredRectification } from '../store/store.js';
import type { Texts } from '../templates/render.js';
import type { LeadSummaryView, ProgressView, RowView } from '../templates/views.js';

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** `2022-11-20 10:00` on the Shanghai clock. */
export function shanghaiClock(at: Date | string | number): string {
  const ms = at instanceof Date ? at.getTime() : new Date(at).getTime();
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** ISO time on the Shanghai clock, `2022-11-20T10:00:00+08:00` (what records carry). */
export function shanghaiIsoTime(at: Date | string | number): string {
  const ms = at instanceof Date ? at.getTime() : new Date(at).getTime();
  return `${new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** Calendar days from `from` to `to` (`YYYY-MM-DD`), negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * A link's text for people: host and last path segment (`gdz.qinyuan.gov.cn/…/xzcf`), at most `max`
 * characters (default 40), the query left out; the host alone for a site's front page.
 *
 * @example
 * shortLink('https://www.qinyuan.gov.cn/xxgk/zfxxgk/xzcf/index.html?id=3'); // 'qinyuan.gov.cn/…/index.html'
 */
export function shortLink(url: string, max = 40): string {
  let host: string;
  let segments: string[];
  try {
    const parsed = new URL(url);
    host = parsed.hostname.replace(/^www\./u, '');
    segments = parsed.pathname.split('/').filter((s) => s !== '').map(decoded);
  } catch {
    return clip(url.replace(/^https?:\/\//iu, '') || url, max);
  }
  const last = segments.at(-1);
  if (last === undefined) return clip(host, max);
  return clip(segments.length === 1 ? `${host}/${last}` : `${host}/…/${last}`, max);
}

/** One milestone of a task as people select it: `6.2` is task 6's second milestone by due date. */
export interface MilestoneChoice {
  selector: string;
  /** 1-based position by due date. */
  index: number;
  due: string;
  /** The date written on the milestone (differs from `due` for a yearly one). */
  writtenDue: string;
  label: string;
}

/** A task's milestones in due-date order, with their selectors (`6` alone when the task has one). */
export function milestoneChoices(plan: Plan, taskNo: number): MilestoneChoice[] {
  const task = plan.tasks.find((t) => t.no === taskNo);
  if (!task) return [];
  const sorted = task.milestones
    // The date that counts: a yearly milestone due before the plan was issued moves to its next occurrence.
    .map((m) => ({ due: milestoneDue(plan, m).due, writtenDue: m.due, label: m.label }))
    .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
  return sorted.map((m, i) => ({ ...m, index: i + 1, selector: sorted.length > 1 ? `${taskNo}.${i + 1}` : String(taskNo) }));
}

/** Every status row of the plan as of a moment, from the store's records. */
export interface Snapshot {
  plan: Plan;
  now: Date;
  /** Shanghai date of `now`. */
  today: string;
  rows: StatusRow[];
  byUnit: Map<string, StatusRow[]>;
  byTask: Map<number, StatusRow[]>;
  selectors: Map<string, string>;
  /** Rectification items (整改) of the plan year not yet verified, oldest first. */
  rectifications: StoredRectification[];
  /** Evidence links whose latest check failed (the admin overview counts them). */
  flaggedLinks: number;
  /** The catalogue the rows' words (status, role, days left) come from. */
  texts: Texts;
}

/** Reads the records of the plan year and computes every (unit, milestone) status as of `now`; `texts` words its rows. */
export async function takeSnapshot(store: Store, plan: Plan, now: Date, calendar: WorkingCalendar, horizonDays: number, texts: Texts): Promise<Snapshot> {
  const confirmations = await store.confirmations.list({ year: plan.year });
  const exemptions = await store.exemptions.list({ year: plan.year });
  const rows = planStatuses(plan, {
    asOf: now,
    confirmations: confirmations.map((c) => ({ task: c.task, unit: c.unit, due: c.due, at: c.at, evidence: c.evidence })),
    exemptions: exemptions.map((e) => (e.due === null ? { task: e.task, unit: e.unit, reason: e.reason } : { task: e.task, unit: e.unit, due: e.due, reason: e.reason })),
    dueSoonDays: horizonDays,
    calendar,
  });
  const byUnit = new Map<string, StatusRow[]>();
  const byTask = new Map<number, StatusRow[]>();
  for (const row of rows) {
    byUnit.set(row.unit, [...(byUnit.get(row.unit) ?? []), row]);
    byTask.set(row.task, [...(byTask.get(row.task) ?? []), row]);
  }
  const selectors = new Map<string, string>();
  for (const task of plan.tasks) for (const m of milestoneChoices(plan, task.no)) selectors.set(`${task.no}|${m.due}`, m.selector);
  const rectifications = await store.rectifications.list({ year: plan.year, open: true });
  const flaggedLinks = (await store.evidenceChecks.flagged({ year: plan.year })).length;
  return { plan, now, today: shanghaiDate(now), rows, byUnit, byTask, selectors, rectifications, flaggedLinks, texts };
}

/** A status row as templates show it. */
export function rowView(row: StatusRow, snap: Snapshot): RowView {
  const left = row.workingDaysLeft;
  const t = snap.texts;
  let daysText: string;
  switch (row.status) {
    case 'overdue':
      daysText = t('days.overdue', { days: daysBetween(row.due, snap.today) });
      break;
    case 'due_soon':
    case 'upcoming':
      // Due on a holiday right after today leaves no working day, but it is not due today.
      daysText = row.moved ? t('days.moved', { due: row.due }) : row.due === snap.today ? t('days.dueToday') : t('days.left', { days: Math.max(0, left) });
      break;
    case 'not_applicable':
      daysText = t('days.notApplicable');
      break;
    case 'done':
      daysText = t('days.done');
      break;
    case 'done_late':
      daysText = t('days.doneLate');
      break;
    default:
      daysText = t('days.exempt');
  }
  const view: RowView = {
    task: row.task,
    taskName: row.taskName,
    unit: row.unit,
    role: t(`role.${row.role}`),
    due: row.due,
    label: row.milestone.label,
    selector: snap.selectors.get(`${row.task}|${row.due}`) ?? String(row.task),
    status: row.status,
    statusText: t(`status.${row.status}`),
    workingDaysLeft: left,
    daysText,
    ongoing: row.milestone.ongoing,
  };
  if (row.confirmedAt !== undefined) view.confirmedAt = shanghaiClock(row.confirmedAt);
  return view;
}

/** Done out of not exempt, and how many are overdue. */
export function progressOf(rows: readonly StatusRow[]): ProgressView {
  const counted = rows.filter((r) => r.status !== 'exempt' && r.status !== 'not_applicable');
  const done = counted.filter((r) => r.status === 'done' || r.status === 'done_late').length;
  const total = counted.length;
  return {
    done,
    total,
    percent: total === 0 ? 100 : Math.round((done / total) * 100),
    overdue: rows.filter((r) => r.status === 'overdue').length,
  };
}

/** Tasks the unit leads, each summarised over every unit on it. */
export function leadSummaries(unit: string, snap: Snapshot): LeadSummaryView[] {
  const led = [...new Set((snap.byUnit.get(unit) ?? []).filter((r) => r.role === 'lead').map((r) => r.task))];
  return led.map((task) => {
    const rows = snap.byTask.get(task) ?? [];
    const progress = progressOf(rows);
    return {
      task,
      taskName: rows[0]?.taskName ?? '',
      done: progress.done,
      total: progress.total,
      overdueUnits: [...new Set(rows.filter((r) => r.status === 'overdue').map((r) => r.unit))],
    };
  });
}

function byDue(a: StatusRow, b: StatusRow): number {
  return a.due < b.due ? -1 : a.due > b.due ? 1 : a.task - b.task;
}

/** A unit's rows split as digests and progress views show them; year-round work not yet due soon is `ongoing`. */
export function unitSections(unit: string, snap: Snapshot) {
  const rows = [...(snap.byUnit.get(unit) ?? [])].sort(byDue);
  const pick = (f: (r: StatusRow) => boolean) => rows.filter(f).map((r) => rowView(r, snap));
  return {
    rows,
    overdue: pick((r) => r.status === 'overdue'),
    dueSoon: pick((r) => r.status === 'due_soon'),
    ongoing: pick((r) => r.status === 'upcoming' && r.milestone.ongoing),
    upcoming: pick((r) => r.status === 'upcoming' && !r.milestone.ongoing),
    done: pick((r) => r.status === 'done' || r.status === 'done_late'),
    exempt: pick((r) => r.status === 'exempt'),
    progress: progressOf(rows),
  };
}

/** Units with at least one assignment, in directory order. */
export function assignedUnits(snap: Snapshot): string[] {
  return directoryOf(snap.plan)
    .units.map((u) => u.name)
    .filter((name) => snap.byUnit.has(name));
}
