import { z } from 'zod';
import { IsoDateSchema } from '../model/schemas.js';
import { instantProblem } from '../time/instant.js';

/** An ISO 8601 instant with an offset or `Z`, e.g. `2022-11-20T10:00:00+08:00`. A bare date means 00:00 Shanghai. */
export const InstantSchema = z.string().superRefine((text, ctx) => {
  const problem = instantProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/**
 * The outcome of checking one evidence link: `ok` (reachable, status 2xx), `not_checked` (no allow-list
 * configured, so nothing was fetched), or a problem — `bad_scheme` (not http/https), `host_not_allowed`
 * (outside the county's sites; never fetched), `http_error` (status 4xx/5xx), `timeout`, `unreachable`,
 * `redirect_not_allowed` (redirected off the allow-list), `too_many_redirects`.
 */
export const EvidenceCheckResultSchema = z.enum([
  'ok',
  'not_checked',
  'bad_scheme',
  'host_not_allowed',
  'http_error',
  'timeout',
  'unreachable',
  'redirect_not_allowed',
  'too_many_redirects',
]);
export type EvidenceCheckResult = z.infer<typeof EvidenceCheckResultSchema>;

/** One evidence link's check: the link, its result, the HTTP status and page title when fetched, and when. */
export const EvidenceCheckSchema = z.object({
  url: z.string().min(1),
  result: EvidenceCheckResultSchema,
  status: z.number().int().optional(),
  title: z.string().optional(),
  checkedAt: InstantSchema.optional(),
});
export type EvidenceCheck = z.infer<typeof EvidenceCheckSchema>;

/**
 * The county office's review (复核) of a confirmation: `pending` (待复核, not reviewed yet), `accepted` (通过) or
 * `returned` (退回, with the reason). Only a rubric with `review.required` makes scoring wait for `accepted`;
 * a stated completion date (`claimedDate`) counts only once accepted, whatever the rubric.
 */
export const ReviewStateSchema = z.enum(['pending', 'accepted', 'returned']);
export type ReviewState = z.infer<typeof ReviewStateSchema>;

/** A confirmation's review: its state, and for a decision the reason (退回), the reviewer and when. */
export const ReviewSchema = z.object({
  state: ReviewStateSchema,
  /** Why it was returned (退回 原因). */
  reason: z.string().optional(),
  /** Who decided (通过 / 退回). */
  reviewer: z.string().optional(),
  /** When it was decided; a decision after the assessment date is not yet made as of that date. */
  at: InstantSchema.optional(),
});
export type Review = z.infer<typeof ReviewSchema>;

/**
 * A unit's confirmation that it completed a task's milestone. A confirmation returned by the office and
 * submitted again is two entries: the returned one (its first time) and the new submission (its own time).
 */
export const ConfirmationSchema = z.object({
  task: z.number().int().positive(),
  unit: z.string().min(1),
  /** Which milestone, by due date; may be omitted when the task has one milestone. */
  due: IsoDateSchema.optional(),
  at: InstantSchema,
  evidence: z.array(z.string()).default([]),
  note: z.string().optional(),
  /** The completion date the liaison stated (`11月18日已完成`); scoring uses `at` unless the office accepts it. */
  claimedDate: IsoDateSchema.optional(),
  /** What the bot's background check found at each evidence link (informational: scoring does not read it). */
  evidenceChecks: z.array(EvidenceCheckSchema).optional(),
  /** The office's review; none is the same as `pending` (old records files have none). */
  review: ReviewSchema.optional(),
});
export type Confirmation = z.infer<typeof ConfirmationSchema>;

/** A leader briefing (task 32): the unit's principal heard a report on openness work. */
export const BriefingSchema = z.object({
  unit: z.string().min(1),
  date: IsoDateSchema,
  note: z.string().optional(),
});
export type Briefing = z.infer<typeof BriefingSchema>;

/** A 亮点工程 entry (task 31): submitted to the provincial selection, or selected (入选). */
export const HighlightSchema = z.object({
  unit: z.string().min(1),
  title: z.string().min(1),
  status: z.enum(['submitted', 'selected']),
});
export type Highlight = z.infer<typeof HighlightSchema>;

/** An item carried over from last year's 回头看 (task 33). */
export const CarryoverSchema = z.object({
  unit: z.string().min(1),
  item: z.string().min(1),
  resolved: z.boolean(),
});
export type Carryover = z.infer<typeof CarryoverSchema>;

/**
 * A rectification item (整改) the county office set a unit, with its due date and state: `open` (待整改),
 * `rectified` (已整改, reported by the unit, awaiting 复查) or `verified` (复查通过, on `verifiedOn`).
 * An item not verified by its due date counts as an unresolved carry-over item (rule 6).
 */
export const RectificationSchema = z.object({
  unit: z.string().min(1),
  item: z.string().min(1),
  due: IsoDateSchema,
  state: z.enum(['open', 'rectified', 'verified']),
  /** The day the unit reported it rectified (已整改). */
  rectifiedOn: IsoDateSchema.optional(),
  /** The day the office's 复查 passed; without it a `verified` item counts as verified in time. */
  verifiedOn: IsoDateSchema.optional(),
});
export type Rectification = z.infer<typeof RectificationSchema>;

/** Points the county office takes off a unit, with its reason. */
export const DeductionSchema = z.object({
  unit: z.string().min(1),
  points: z.number().nonnegative(),
  reason: z.string().min(1),
});
export type Deduction = z.infer<typeof DeductionSchema>;

/** A task (or one milestone of it) that does not apply to a unit. */
export const ExemptionSchema = z.object({
  task: z.number().int().positive(),
  unit: z.string().min(1),
  /** Only this milestone; all of the task's milestones when omitted. */
  due: IsoDateSchema.optional(),
  reason: z.string().min(1),
});
export type Exemption = z.infer<typeof ExemptionSchema>;

/** Everything the assessment reads (docs/assessment.md): the bot's database exports this shape, and `--records FILE` takes it. */
export const RecordsSchema = z.object({
  year: z.number().int(),
  asOf: IsoDateSchema.optional(),
  confirmations: z.array(ConfirmationSchema).default([]),
  briefings: z.array(BriefingSchema).default([]),
  highlights: z.array(HighlightSchema).default([]),
  carryover: z.array(CarryoverSchema).default([]),
  deductions: z.array(DeductionSchema).default([]),
  rectifications: z.array(RectificationSchema).default([]),
  exemptions: z.array(ExemptionSchema).default([]),
});
export type Records = z.infer<typeof RecordsSchema>;
export type RecordsInput = z.input<typeof RecordsSchema>;
