import { checkAssignments, directoryOf, type Plan, type WorkingCalendar } from '@zwgk/sdk';
import type { DigestAdminView, DigestUnitView, MentionValue } from '../templates/views.js';
import { assignedUnits, leadSummaries, progressOf, unitSections, type Snapshot } from '../views/build.js';

/** The weekly digest of one unit (also what 本周 shows). */
export function unitDigestView(unit: string, snap: Snapshot, calendar: WorkingCalendar, horizonDays: number, mentions: MentionValue[], title: string): DigestUnitView {
  const s = unitSections(unit, snap);
  return {
    title,
    mentions,
    unit,
    week: calendar.weekKey(snap.today),
    asOf: snap.today,
    horizonDays,
    overdue: s.overdue,
    dueSoon: s.dueSoon,
    ongoing: s.ongoing,
    progress: s.progress,
    leads: leadSummaries(unit, snap),
    clear: s.overdue.length === 0 && s.dueSoon.length === 0,
    rectifications: snap.rectifications
      .filter((r) => r.unit === unit)
      .map((r) => ({
        id: r.id,
        item: r.item,
        due: r.due,
        open: r.state === 'open',
        overdue: r.due < snap.today,
      })),
  };
}

const unassignedByPlan = new WeakMap<Plan, Array<{ task: number; taskName: string }>>();

/** Tasks of the plan that reach no unit (computed once per plan object). */
function unassignedTasks(plan: Plan): Array<{ task: number; taskName: string }> {
  let list = unassignedByPlan.get(plan);
  if (!list) {
    list = checkAssignments(plan).unassigned.map((task) => ({ task, taskName: plan.tasks.find((t) => t.no === task)?.name ?? '' }));
    unassignedByPlan.set(plan, list);
  }
  return list;
}

/** Units with overdue milestones the county overview names; the rest are counted. */
const LAGGARDS_SHOWN = 10;

/** The county overview for the admin group (weekly, and 本周 / 进度 in the admin group). */
export function adminDigestView(snap: Snapshot, calendar: WorkingCalendar, horizonDays: number, boundUnits: ReadonlySet<string>, title: string): DigestAdminView {
  const kinds = new Map(directoryOf(snap.plan).units.map((u) => [u.name, u.kind]));
  const units = assignedUnits(snap).map((unit) => {
    const rows = snap.byUnit.get(unit) ?? [];
    const p = progressOf(rows);
    return {
      unit,
      kind: kinds.get(unit) ?? 'department',
      overdue: p.overdue,
      dueSoon: rows.filter((r) => r.status === 'due_soon').length,
      done: p.done,
      total: p.total,
      percent: p.percent,
      bound: boundUnits.has(unit),
    };
  });
  const all = progressOf(snap.rows);
  const lagging = units.filter((u) => u.overdue > 0).sort((a, b) => b.overdue - a.overdue);
  const shown = lagging.slice(0, LAGGARDS_SHOWN);
  return {
    title,
    mentions: [],
    week: calendar.weekKey(snap.today),
    asOf: snap.today,
    horizonDays,
    units,
    totals: { ...all, dueSoon: snap.rows.filter((r) => r.status === 'due_soon').length, units: units.length },
    unbound: units.filter((u) => !u.bound).map((u) => u.unit),
    laggards: shown.map((u) => ({ unit: u.unit, overdue: u.overdue })),
    laggardCount: lagging.length,
    laggardsHidden: lagging.length - shown.length,
    unassigned: unassignedTasks(snap.plan),
    rectifications: {
      open: snap.rectifications.length,
      overdue: snap.rectifications.filter((r) => r.due < snap.today).length,
      awaitingReview: snap.rectifications.filter((r) => r.state === 'rectified').length,
    },
    flaggedLinks: snap.flaggedLinks,
  };
}
