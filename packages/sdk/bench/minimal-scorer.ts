// The baseline of the scoring benchmark: the default rubric (docs/assessment.md) computed as plainly as it
// can be — finals only, no per-milestone detail, no validation. Written independently of src/scoring so
// that bench/ratios.ts can compare the SDK against the cost of the rubric itself (and check that both
// agree on every final).
import { directoryOf, type Plan, type Records } from '../src/index.js';

const CREDIT = { onTime: 1, late: 0.5 };
const FACTOR = { lead: 1, responsible: 1, cooperating: 0.5 } as const;
const EXCLUDED = new Set([31, 32]);

function shanghaiDay(at: string): string {
  if (at.length === 10 || at.endsWith('+08:00')) return at.slice(0, 10);
  return new Date(new Date(at).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

interface Layout {
  unitIndex: Map<string, number>;
  taskIndex: Map<number, number>;
  /** first milestone slot of each task within a unit's row */
  offsets: number[];
  width: number;
  /** per task: [unit index, role factor] pairs */
  assignees: Array<Array<[number, number]>>;
}

// Like the SDK, the plan's shape is worked out once per plan object; only the records vary per call.
const layouts = new WeakMap<Plan, Layout>();

function layoutOf(plan: Plan): Layout {
  let layout = layouts.get(plan);
  if (!layout) {
    const unitIndex = new Map(plan.units.map((u, i) => [u.name, i]));
    const offsets: number[] = [];
    let width = 0;
    for (const t of plan.tasks) {
      offsets.push(width);
      width += t.milestones.length;
    }
    const directory = directoryOf(plan);
    layout = {
      unitIndex,
      taskIndex: new Map(plan.tasks.map((t, i) => [t.no, i])),
      offsets,
      width,
      assignees: plan.tasks.map((t) => directory.expand(t.units, t.no).map((a) => [unitIndex.get(a.unit)!, FACTOR[a.role]] as [number, number])),
    };
    layouts.set(plan, layout);
  }
  return layout;
}

/** unit name → final, as of a date (records already checked: canonical names, `due` filled in). */
export function minimalScore(plan: Plan, records: Records, asOf: string): Map<string, number> {
  const { unitIndex, taskIndex, offsets, width, assignees } = layoutOf(plan);
  const units = plan.units.length;
  const slot = (unit: string, task: number, due: string | undefined): number => {
    const u = unitIndex.get(unit);
    const t = taskIndex.get(task);
    if (u === undefined || t === undefined) return -1;
    const ms = plan.tasks[t]!.milestones;
    const mi = due === undefined ? (ms.length === 1 ? 0 : -1) : ms.findIndex((m) => m.due === due);
    return mi < 0 ? -1 : u * width + offsets[t]! + mi;
  };

  // earliest confirmation day per (unit, milestone) slot
  const earliest: Array<string | undefined> = new Array(units * width);
  for (const c of records.confirmations) {
    const day = shanghaiDay(c.at);
    if (day > asOf) continue;
    const s = slot(c.unit, c.task, c.due);
    if (s < 0) continue;
    const seen = earliest[s];
    if (seen === undefined || day < seen) earliest[s] = day;
  }
  const exempt = new Uint8Array(units * width);
  for (const e of records.exemptions) {
    const u = unitIndex.get(e.unit);
    const t = taskIndex.get(e.task);
    if (u === undefined || t === undefined) continue;
    const base = u * width + offsets[t]!;
    if (e.due === undefined) exempt.fill(1, base, base + plan.tasks[t]!.milestones.length);
    else {
      const s = slot(e.unit, e.task, e.due);
      if (s >= 0) exempt[s] = 1;
    }
  }

  const possible = new Float64Array(units);
  const earned = new Float64Array(units);
  plan.tasks.forEach((task, t) => {
    if (EXCLUDED.has(task.no)) return;
    for (const [u, weight] of assignees[t]!) {
      const base = u * width + offsets[t]!;
      task.milestones.forEach((m, mi) => {
        if (m.due > asOf || exempt[base + mi] === 1) return;
        const day = earliest[base + mi];
        possible[u] = possible[u]! + weight;
        earned[u] = earned[u]! + weight * (day === undefined ? 0 : day <= m.due ? CREDIT.onTime : CREDIT.late);
      });
    }
  });

  const briefed = new Uint8Array(units);
  for (const b of records.briefings) {
    const u = unitIndex.get(b.unit);
    if (u !== undefined && b.date.startsWith(`${plan.year}-`) && b.date <= asOf) briefed[u] = 1;
  }
  const best = new Map<string, number>();
  for (const h of records.highlights) {
    const key = `${h.unit}|${h.title.trim()}`;
    best.set(key, Math.max(best.get(key) ?? 0, h.status === 'selected' ? 3 : 1));
  }
  const bonus = new Float64Array(units);
  for (const [key, points] of best) {
    const u = unitIndex.get(key.slice(0, key.indexOf('|')))!;
    bonus[u] = bonus[u]! + points;
  }
  const carry = new Float64Array(units);
  for (const c of records.carryover) {
    const u = unitIndex.get(c.unit)!;
    if (!c.resolved) carry[u] = carry[u]! + 2;
  }
  const manual = new Float64Array(units);
  for (const d of records.deductions) {
    const u = unitIndex.get(d.unit)!;
    manual[u] = manual[u]! + d.points;
  }

  const finals = new Map<string, number>();
  plan.units.forEach(({ name }, u) => {
    const completion = possible[u]! > 0 ? (90 * earned[u]!) / possible[u]! : 90;
    const deductions = Math.min(carry[u]!, 10) + manual[u]!;
    const final = Math.max(0, completion + (briefed[u] ? 10 : 0) - deductions) + Math.min(bonus[u]!, 10);
    finals.set(name, Math.round(final * 10) / 10);
  });
  return finals;
}
