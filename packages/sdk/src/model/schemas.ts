import { z } from 'zod';

/** A calendar date written `YYYY-MM-DD` (Asia/Shanghai). */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date written YYYY-MM-DD')
  .refine((value) => {
    const [y, m, d] = value.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }, 'not a real calendar date');

/**
 * What kind of body a unit is: townships and the development zone form the 乡镇组, departments the 部门组;
 * `enterprise` (企业, e.g. a water company) and `institution` (公共事业单位, e.g. a hospital) are the
 * 公共企事业单位 a county office may add to its directory (ranked in their own group by default).
 */
export const UnitKindSchema = z.enum(['township', 'zone', 'department', 'enterprise', 'institution']);
export type UnitKind = z.infer<typeof UnitKindSchema>;

/** One unit of the county: a township (乡镇), the development zone (开发区) or a county department (县直部门). */
export const UnitSchema = z.object({
  /** Canonical name, e.g. `县行政审批局`. */
  name: z.string().min(1),
  kind: UnitKindSchema,
  /** Other names people write for it: short names, full names, old names. */
  aliases: z.array(z.string().min(1)).default([]),
  /** Ranking group id of the rubric (`township`, `department` …); default: the group of its kind. */
  rankingGroup: z.string().min(1).optional(),
  /**
   * Group phrases this unit belongs to (e.g. `归口管理的公共企事业单位`): a task's phrase expands to its
   * members, on top of what the plan's `groups` mapping lists. Default none.
   */
  groups: z.array(z.string().min(1)).optional(),
  /** Sectors the unit is in charge of (教育, 供水 …): the sector→department table `checkAssignments` suggests from. */
  sectors: z.array(z.string().min(1)).optional(),
  /** The assessing office (县政府办): scored like any unit, never ranked among the assessed. */
  assessor: z.boolean().optional(),
  /** Vertically managed (垂直管理, e.g. 县税务局): ranked in a group of its own or left out, as the rubric says. */
  vertical: z.boolean().optional(),
  /** Retired (撤并): its name still resolves, so old records read, but no task expands to it and it is not scored. */
  retired: z.boolean().optional(),
});
export type Unit = z.infer<typeof UnitSchema>;

/**
 * How a unit takes part in a task:
 * - `lead` (牵头): leads the task and sees every unit's progress on it;
 * - `responsible` (负责, 落实, or simply listed): carries it out;
 * - `cooperating` (配合, 协办): supports the lead.
 */
export const RoleSchema = z.enum(['lead', 'responsible', 'cooperating']);
export type Role = z.infer<typeof RoleSchema>;

/**
 * A unit or group named in a task's responsibility text, as written.
 * `group: true` marks a phrase such as 各乡镇 or 相关部门 that stands for several units;
 * {@link expandAssignments} turns groups into directory units.
 */
export const AssignmentSchema = z.object({
  unit: z.string().min(1),
  role: RoleSchema,
  group: z.boolean().default(false),
});
export type Assignment = z.infer<typeof AssignmentSchema>;

/** `null` for a one-off deadline, `yearly` for one that comes back every year (每年3月底前). */
export const RecurrenceSchema = z.enum(['yearly']).nullable();
export type Recurrence = z.infer<typeof RecurrenceSchema>;

/** A dated checkpoint of a task. */
export const MilestoneSchema = z.object({
  /** Due date, `YYYY-MM-DD`, inclusive. */
  due: IsoDateSchema,
  /** Short human label, e.g. `全年` or `年度抽查计划公布`. */
  label: z.string().min(1),
  recurrence: RecurrenceSchema.default(null),
  /**
   * Where the date came from: the deadline column, a sentence of the task's content, or the law (`law`: a
   * statutory deadline the office switched on, see `withStatutoryMilestones`).
   */
  source: z.enum(['deadline', 'content', 'law']).default('deadline'),
  /** True for 全年 / 长期推进 / 持续推进: the work goes on all year and is due at its end. */
  ongoing: z.boolean().default(false),
});
export type Milestone = z.infer<typeof MilestoneSchema>;

/** One numbered row of the plan. */
export const TaskSchema = z.object({
  no: z.number().int().positive(),
  name: z.string().min(1),
  content: z.string(),
  /** The responsibility column, cleaned of extraction artifacts. */
  responsibility: z.string(),
  /** The deadline column, cleaned of extraction artifacts. */
  deadline: z.string(),
  units: z.array(AssignmentSchema),
  milestones: z.array(MilestoneSchema),
});
export type Task = z.infer<typeof TaskSchema>;

/** A county's yearly openness work plan. */
export const PlanSchema = z
  .object({
    county: z.string().min(1),
    year: z.number().int().min(2000).max(2100),
    title: z.string(),
    tasks: z.array(TaskSchema),
    units: z.array(UnitSchema),
    /**
     * Unspecified groups (相关部门, 有关部门 …) mapped to units by the county office.
     * A group left out expands to no extra units.
     */
    groups: z.record(z.string(), z.array(z.string())).default({}),
    /**
     * Per-task mappings: task number (as a key) → group phrase → units (or class phrases such as 县直各部门)
     * it stands for in that task. Overrides `groups` and narrows class phrases (县直有关部门) for that task.
     */
    assignments: z.record(z.string().regex(/^[1-9]\d*$/, 'expected a task number as the key'), z.record(z.string(), z.array(z.string()))).optional(),
    /**
     * The plan's issue date (印发日期), `YYYY-MM-DD`. A milestone due before it is never overdue: a yearly one
     * moves to its next occurrence, a one-off one is not applicable that year. Default: none.
     */
    issued: IsoDateSchema.optional(),
  })
  .superRefine((plan, ctx) => {
    const seen = new Set<number>();
    plan.tasks.forEach((task, index) => {
      if (seen.has(task.no)) {
        ctx.addIssue({ code: 'custom', path: ['tasks', index, 'no'], message: `task number ${task.no} appears twice` });
      }
      seen.add(task.no);
    });
    const names = new Set<string>();
    plan.units.forEach((unit, index) => {
      if (names.has(unit.name)) {
        ctx.addIssue({ code: 'custom', path: ['units', index, 'name'], message: `unit ${unit.name} appears twice` });
      }
      names.add(unit.name);
    });
  });
export type Plan = z.infer<typeof PlanSchema>;
/** A plan as written before defaults are applied (what {@link PlanSchema} accepts). */
export type PlanInput = z.input<typeof PlanSchema>;

/** A note the importer leaves about a line it could not read with certainty. */
export const DiagnosticSchema = z.object({
  /** 1-based line of the input text. */
  line: z.number().int().nonnegative(),
  severity: z.enum(['error', 'warning', 'info']).default('warning'),
  message: z.string(),
  /** Task number the note concerns, when known. */
  task: z.number().int().optional(),
});
export type Diagnostic = z.infer<typeof DiagnosticSchema>;

/**
 * The status of one (assignment, milestone) pair as of a date; `not_applicable` is a one-off milestone due
 * before the plan's issue date (印发日期), which nobody could have met.
 */
export const StatusSchema = z.enum(['upcoming', 'due_soon', 'overdue', 'done', 'done_late', 'exempt', 'not_applicable']);
export type Status = z.infer<typeof StatusSchema>;

/** The outcome of an operation that fails for expected reasons (bad input), never by throwing. */
export type Result<T, E = string> = { success: true; data: T } | { success: false; error: E };
