import { RecordsSchema, shanghaiDate, type Plan, type Records } from '@zwgk/sdk';
import { claimedDates } from './store/amendments.js';
import type { StoredEvidenceCheck, Store } from './store/store.js';
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
 * evidence, note, a stated completion date, the latest finished check of each link and the office's review — a
 * confirmation returned and submitted again is written as its first submission, returned, and its latest, with its
 * current review), briefings, highlights (submitted or selected), carry-over items, rectification items (整改, with
 * the days they were reported and verified), deductions not withdrawn and exemptions in force.
 *
 * @example
 * const records = await exportRecords(store, plan, { asOf: '2022-12-31' });
 * const assessment = score(plan, records, { asOf: '2022-12-31' });
 */
export async function exportRecords(store: Store, plan: Plan, options: ExportOptions = {}): Promise<Records> {
  const year = options.year ?? plan.year;
  const [confirmations, briefings, highlights, carryover, deductions, exemptions, rectifications] = await Promise.all([
    store.confirmations.list({ year }),
    store.briefings.list({ year }),
    store.highlights.list({ year }),
    store.carryover.list({ year }),
    store.deductions.list({ year }),
    store.exemptions.list({ year }),
    store.rectifications.list({ year }),
  ]);
  const checks = await store.evidenceChecks.latest(confirmations.filter((c) => c.evidence.length > 0).map((c) => c.id));
  const claimed = await claimedDates(store, { year });
  const reviews = await store.reviews.statuses(confirmations);
  // The store keeps a yearly milestone's date in the plan year; records name milestones as the plan writes them.
  const written = (task: number, due: string): string => milestoneChoices(plan, task).find((m) => m.due === due)?.writtenDue ?? due;
  return RecordsSchema.parse({
    year,
    ...(options.asOf === undefined ? {} : { asOf: options.asOf }),
    confirmations: confirmations.flatMap((c) => {
      const entry = {
        task: c.task,
        unit: c.unit,
        due: written(c.task, c.due),
        at: shanghaiIsoTime(c.at),
        evidence: c.evidence,
        ...(c.note === null ? {} : { note: c.note }),
        ...(claimed.has(c.id) ? { claimedDate: claimed.get(c.id) } : {}),
        ...evidenceChecksOf(checks.get(c.id)),
      };
      const r = reviews.get(c.id);
      if (!r) return [entry];
      const review = {
        state: r.state,
        ...(r.reason === null ? {} : { reason: r.reason }),
        ...(r.reviewer === null ? {} : { reviewer: r.reviewer }),
        ...(r.decidedAt === null ? {} : { at: shanghaiIsoTime(r.decidedAt) }),
      };
      const latest = r.submissions.at(-1)!;
      const first = r.returns[0];
      if (r.submissions.length === 1 || !first) return [{ ...entry, review }];
      // Returned and submitted again: the first submission (returned) and the latest one, at its own time.
      // Submissions in between were returned too and change no score, so they are left out.
      return [
        { ...entry, review: { state: 'returned', reason: first.reason, ...(first.reviewer ? { reviewer: first.reviewer } : {}), at: shanghaiIsoTime(first.at) } },
        { ...entry, at: shanghaiIsoTime(latest), review },
      ];
    }),
    briefings: briefings.map((b) => ({ unit: b.unit, date: b.date, ...(b.note === null ? {} : { note: b.note }) })),
    highlights: highlights.map((h) => ({ unit: h.unit, title: h.title, status: h.status })),
    carryover: carryover.map((c) => ({ unit: c.unit, item: c.item, resolved: c.resolved })),
    deductions: deductions.map((d) => ({ unit: d.unit, points: d.points, reason: d.reason })),
    rectifications: rectifications.map((r) => ({
      unit: r.unit,
      item: r.item,
      due: r.due,
      state: r.state,
      ...(r.rectifiedAt === null ? {} : { rectifiedOn: shanghaiDate(new Date(r.rectifiedAt)) }),
      ...(r.verifiedAt === null ? {} : { verifiedOn: shanghaiDate(new Date(r.verifiedAt)) }),
    })),
    exemptions: exemptions.map((e) => ({ task: e.task, unit: e.unit, reason: e.reason, ...(e.due === null ? {} : { due: written(e.task, e.due) }) })),
  });
}

function evidenceChecksOf(list: StoredEvidenceCheck[] | undefined): { evidenceChecks?: Records['confirmations'][number]['evidenceChecks'] } {
  const done = (list ?? []).filter((c) => c.state === 'done' && c.result !== null);
  if (done.length === 0) return {};
  return {
    evidenceChecks: done.map((c) => ({
      url: c.url,
      result: c.result!,
      ...(c.httpStatus === null ? {} : { status: c.httpStatus }),
      ...(c.title === null ? {} : { title: c.title }),
      ...(c.checkedAt === null ? {} : { checkedAt: c.checkedAt }),
    })),
  };
}
