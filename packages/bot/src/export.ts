import { RecordsSchema, type Plan, type Records } from '@zwgk/sdk';
import { claimedDates } from './store/amendments.js';
import type { Store } from './store/store.js';
import { milestoneChoices, shanghaiIsoTime } from './views/build.js';

/** Options of {@link exportRecords}. */
export interface ExportOptions {
  /** Plan year to export (default `plan.year`). */
  year?: number;
  /** Assessment date written into the records (`YYYY-MM-DD`); omitted when not given. */
  asOf?: string;
}

/**
 * The records of a plan year in the SDK's `Records` shape (docs/assessment.md), ready for `validateRecords` and
 * `score`: confirmations that were not withdrawn (time on the Shanghai clock, the milestone's due date,
 * evidence, note and a stated completion date), briefings, highlights (submitted or selected), carry-over items, deductions and
 * exemptions in force.
 *
 * @example
 * const records = await exportRecords(store, plan, { asOf: '2022-12-31' });
 * const assessment = score(plan, records, { asOf: '2022-12-31' });
 */
export async function exportRecords(store: Store, plan: Plan, options: ExportOptions = {}): Promise<Records> {
  const year = options.year ?? plan.year;
  const [confirmations, briefings, highlights, carryover, deductions, exemptions] = await Promise.all([
    store.confirmations.list({ year }),
    store.briefings.list({ year }),
    store.highlights.list({ year }),
    store.carryover.list({ year }),
    store.deductions.list({ year }),
    store.exemptions.list({ year }),
  ]);
  const claimed = await claimedDates(store, { year });
  // The store keeps a yearly milestone's date in the plan year; records name milestones as the plan writes them.
  const written = (task: number, due: string): string => milestoneChoices(plan, task).find((m) => m.due === due)?.writtenDue ?? due;
  return RecordsSchema.parse({
    year,
    ...(options.asOf === undefined ? {} : { asOf: options.asOf }),
    confirmations: confirmations.map((c) => ({
      task: c.task,
      unit: c.unit,
      due: written(c.task, c.due),
      at: shanghaiIsoTime(c.at),
      evidence: c.evidence,
      ...(c.note === null ? {} : { note: c.note }),
      ...(claimed.has(c.id) ? { claimedDate: claimed.get(c.id) } : {}),
    })),
    briefings: briefings.map((b) => ({ unit: b.unit, date: b.date, ...(b.note === null ? {} : { note: b.note }) })),
    highlights: highlights.map((h) => ({ unit: h.unit, title: h.title, status: h.status })),
    carryover: carryover.map((c) => ({ unit: c.unit, item: c.item, resolved: c.resolved })),
    deductions: deductions.map((d) => ({ unit: d.unit, points: d.points, reason: d.reason })),
    exemptions: exemptions.map((e) => ({ task: e.task, unit: e.unit, reason: e.reason, ...(e.due === null ? {} : { due: written(e.task, e.due) }) })),
  });
}
