/**
 * The office's review (复核) of confirmations, shared by the chat commands (复核 / 通过 / 退回) and the CLI
 * (`zwgk review`): the queue, decisions on a selection, and resubmission of a returned confirmation.
 */
import type { EvidenceCheckResult, Plan } from '@zwgk/sdk';
import type { ChangeContext } from './store/db.js';
import type { StoredEvidenceCheck } from './store/repositories/evidence-checks.js';
import type { ReviewState, ReviewStatus } from './store/repositories/reviews.js';
import type { StoredConfirmation, Store } from './store/store.js';
import { milestoneChoices } from './views/build.js';

/**
 * One link's evidence check as the review queue shows it: the latest background check of the link (scheme,
 * allow-listed host, HTTP status and page title), or `pending` while it waits for the checker.
 */
export interface EvidenceCheckSummary {
  url: string;
  /** True when the link passed every check. */
  ok: boolean;
  /** The check's result; `pending` while the checker has not run yet. */
  result: EvidenceCheckResult | 'pending';
  /** What the check found, in words (e.g. `200 · 行政处罚信息公开`, `404`, `不在允许的网站内`). */
  summary: string;
}

/** A confirmation as the office reviews it. */
export interface ReviewItem {
  /** The confirmation's id: the queue number (`通过 #12`). */
  id: number;
  unit: string;
  task: number;
  taskName: string;
  /** The milestone's due date. */
  due: string;
  /** How the milestone is written in commands (`4`, `6.2`). */
  selector: string;
  state: ReviewState;
  /** When the latest submission was made (ISO): the confirmation's time, or its latest resubmission after a return. */
  submittedAt: string;
  /** When it was first submitted (the confirmation's time, ISO). */
  firstSubmittedAt: string;
  /** The reason of the latest return: while `returned`, or for a resubmission waiting again. */
  lastReturnReason: string | null;
  /** Who decided last and when, when anyone did. */
  reviewer: string | null;
  decidedAt: string | null;
  evidence: string[];
  note: string | null;
  sender: string;
  /** The evidence checks of its links, when they were run (absent: not checked). */
  evidenceChecks?: EvidenceCheckSummary[];
}

/** Options of {@link reviewItems}. */
export interface ReviewItemsOptions {
  /**
   * Words for a link's check in {@link EvidenceCheckSummary.summary}. Default: the HTTP status, the page
   * title and the result code, joined by ` · ` (the chat handler passes the text catalogue's words).
   */
  describeCheck?: (check: StoredEvidenceCheck) => string;
}

function defaultDescription(check: StoredEvidenceCheck): string {
  return [check.httpStatus === null ? undefined : String(check.httpStatus), check.title ?? undefined, check.result ?? 'pending'].filter((p) => p !== undefined && p !== '').join(' · ');
}

/** Which confirmations {@link reviewItems} lists. */
export interface ReviewFilter {
  /** Plan year (default `plan.year`). */
  year?: number;
  unit?: string;
  task?: number;
  /** Only these states (default every state). */
  states?: readonly ReviewState[];
}

function itemOf(plan: Plan, c: StoredConfirmation, status: ReviewStatus): ReviewItem {
  const choice = milestoneChoices(plan, c.task).find((m) => m.due === c.due);
  const lastReturn = status.returns.at(-1);
  return {
    id: c.id,
    unit: c.unit,
    task: c.task,
    // A task the plan lacks has no name: the selector beside it already says which task it is.
    taskName: plan.tasks.find((t) => t.no === c.task)?.name ?? '',
    due: c.due,
    selector: choice?.selector ?? String(c.task),
    state: status.state,
    submittedAt: status.submissions.at(-1) ?? c.at,
    firstSubmittedAt: c.at,
    lastReturnReason: lastReturn && status.submissions.length > 1 ? lastReturn.reason : status.reason,
    reviewer: status.reviewer,
    decidedAt: status.decidedAt,
    evidence: c.evidence,
    note: c.note,
    sender: c.senderName,
  };
}

/**
 * The confirmations in force (not withdrawn) with their review state, oldest latest submission first —
 * with `states: ['pending']`, the review queue (待复核) in the order the office should work through it.
 *
 * @example
 * const queue = await reviewItems(store, plan, { states: ['pending'] });
 * for (const i of queue) console.log(`#${i.id}`, i.unit, `任务${i.selector}`, i.evidence.join(' '));
 */
export async function reviewItems(store: Store, plan: Plan, filter: ReviewFilter = {}, options: ReviewItemsOptions = {}): Promise<ReviewItem[]> {
  const year = filter.year ?? plan.year;
  const confirmations = await store.confirmations.list({ year, ...(filter.unit === undefined ? {} : { unit: filter.unit }), ...(filter.task === undefined ? {} : { task: filter.task }) });
  const statuses = await store.reviews.statuses(confirmations);
  const items = confirmations.map((c) => itemOf(plan, c, statuses.get(c.id)!));
  const wanted = filter.states;
  const listed = items
    .filter((i) => wanted === undefined || wanted.includes(i.state))
    .sort((a, b) => (a.submittedAt < b.submittedAt ? -1 : a.submittedAt > b.submittedAt ? 1 : a.id - b.id));
  const describe = options.describeCheck ?? defaultDescription;
  const checks = await store.evidenceChecks.latest(listed.filter((i) => i.evidence.length > 0).map((i) => i.id));
  for (const item of listed) {
    const list = checks.get(item.id);
    if (!list?.length) continue;
    item.evidenceChecks = list.map((c) => ({ url: c.url, ok: c.result === 'ok', result: c.state === 'pending' || c.result === null ? 'pending' : c.result, summary: describe(c) }));
  }
  return listed;
}

/** Review state counts of a plan year (optionally one unit's), over the confirmations in force. */
export async function reviewCounts(store: Store, plan: Plan, filter: { year?: number; unit?: string } = {}): Promise<Record<ReviewState, number>> {
  const counts: Record<ReviewState, number> = { pending: 0, accepted: 0, returned: 0 };
  for (const i of await reviewItems(store, plan, filter)) counts[i.state]++;
  return counts;
}

/** Which confirmations a decision is about: queue numbers, or tasks of units (units already resolved to directory names). */
export interface ReviewSelection {
  /** Queue numbers (confirmation ids). */
  ids?: readonly number[];
  /** Tasks, each optionally narrowed to one milestone (its due date). */
  tasks?: ReadonlyArray<{ task: number; due?: string }>;
  /** Directory names of units. */
  units?: readonly string[];
  /** Every unit waiting for review on `tasks` (or every waiting confirmation of `units`). */
  all?: boolean;
}

/** What {@link decideReviews} did. */
export interface ReviewDecisionResult {
  /** Confirmations whose state changed, with the state before. */
  changed: Array<{ item: ReviewItem; from: ReviewState }>;
  /** Confirmations already in the state asked for: nothing written. */
  unchanged: ReviewItem[];
  /** Queue numbers that name no confirmation in force. */
  unknownIds: number[];
  /** (unit, task) pairs named that have no confirmation in force (or none waiting, with `all`). */
  missing: Array<{ unit?: string; task?: number }>;
}

/**
 * Accepts (通过) or returns (退回, with its reason) the selected confirmations, each with its review row and
 * audit entry, in one transaction. Naming units and tasks selects their confirmations in any state (the
 * office may change its mind); `all` selects only those waiting for review.
 *
 * @example
 * await decideReviews(store, plan, { tasks: [{ task: 4 }], units: ['郭道镇'] }, { decision: 'returned', reason: '链接打不开' }, ctx);
 */
export async function decideReviews(
  store: Store,
  plan: Plan,
  selection: ReviewSelection,
  decision: { decision: 'accepted' | 'returned'; reason?: string | null },
  ctx: ChangeContext,
): Promise<ReviewDecisionResult> {
  if (decision.decision === 'returned' && !decision.reason?.trim()) throw new Error('decideReviews: a return needs its reason');
  return store.transaction(async (tx) => {
    const all = await reviewItems(tx, plan);
    const result: ReviewDecisionResult = { changed: [], unchanged: [], unknownIds: [], missing: [] };
    const picked: ReviewItem[] = [];
    const take = (i: ReviewItem) => {
      if (!picked.includes(i)) picked.push(i);
    };
    const matchesTask = (i: ReviewItem, t: { task: number; due?: string }) => i.task === t.task && (t.due === undefined || i.due === t.due);
    const tasks = selection.tasks ?? [];
    const units = selection.units ?? [];
    if (selection.ids?.length) {
      for (const id of selection.ids) {
        const i = all.find((x) => x.id === id);
        if (i) take(i);
        else result.unknownIds.push(id);
      }
    } else if (selection.all && tasks.length > 0) {
      for (const t of tasks) {
        const found = all.filter((i) => i.state === 'pending' && matchesTask(i, t) && (units.length === 0 || units.includes(i.unit)));
        if (found.length === 0) result.missing.push({ task: t.task });
        found.forEach(take);
      }
    } else if (selection.all) {
      for (const unit of units) {
        const found = all.filter((i) => i.state === 'pending' && i.unit === unit);
        if (found.length === 0) result.missing.push({ unit });
        found.forEach(take);
      }
    } else {
      for (const unit of units) {
        for (const t of tasks) {
          const found = all.filter((i) => i.unit === unit && matchesTask(i, t));
          if (found.length === 0) result.missing.push({ unit, task: t.task });
          found.forEach(take);
        }
      }
    }
    for (const item of picked) {
      if (item.state === decision.decision) {
        result.unchanged.push(item);
        continue;
      }
      await tx.reviews.record({ id: item.id, year: plan.year, unit: item.unit, task: item.task, due: item.due }, decision.decision, decision.reason ?? null, ctx);
      result.changed.push({ item: { ...item, state: decision.decision, lastReturnReason: decision.decision === 'returned' ? decision.reason!.trim() : item.lastReturnReason }, from: item.state });
    }
    return result;
  });
}

/**
 * Puts a returned confirmation back in the review queue (the unit's next 确认 or 补充 of it). Returns the
 * reason it had been returned for, or null when it was not returned (nothing written).
 */
export async function resubmitIfReturned(store: Store, confirmation: StoredConfirmation, ctx: ChangeContext): Promise<string | null> {
  const status = (await store.reviews.statuses([confirmation])).get(confirmation.id);
  if (status?.state !== 'returned') return null;
  await store.reviews.record(confirmation, 'resubmitted', null, ctx);
  return status.reason ?? '';
}
