import { z } from 'zod';
import { IsoDateSchema } from '../model/schemas.js';
import { instantProblem } from '../time/instant.js';

/** An ISO 8601 instant with an offset or `Z`, e.g. `2022-11-20T10:00:00+08:00`. A bare date means 00:00 Shanghai. */
export const InstantSchema = z.string().superRefine((text, ctx) => {
  const problem = instantProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** A unit's confirmation that it completed a task's milestone. */
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
  exemptions: z.array(ExemptionSchema).default([]),
});
export type Records = z.infer<typeof RecordsSchema>;
export type RecordsInput = z.input<typeof RecordsSchema>;
