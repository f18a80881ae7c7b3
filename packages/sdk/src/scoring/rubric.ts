import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UnitKindSchema, type Result } from '../model/schemas.js';
import { describeIssues, typeName, valueAt } from './issues.js';

const taskNo = z.number().int().positive();
const points = z.number().nonnegative();
const credit = z.number().min(0).max(1);

/** A unit group ranked on its own: which unit kinds belong to it, and its Chinese label. */
const RubricGroupSchema = z.strictObject({
  label: z.string().min(1),
  kinds: z.array(UnitKindSchema).min(1),
});

/**
 * The assessment rubric (docs/assessment.md) as data. Every field is required here; {@link parseRubric} and
 * {@link resolveRubric} fill what a county office leaves out from {@link defaultRubric}.
 * Unknown fields are rejected so that a misspelt key is reported instead of silently ignored.
 */
export const RubricSchema = z
  .strictObject({
    /** Which task numbers play special parts (rules 1, 4, 5, 6). */
    tasks: z.strictObject({
      /** Tasks not scored by their milestones (default 31 and 32: scored by the bonus and briefing rules). */
      excluded: z.array(taskNo),
      /** The leader-briefing task (default 32). */
      briefing: taskNo,
      /** The 亮点工程 highlight task (default 31). */
      highlight: taskNo,
      /** The 回头看 carry-over task (default 33). */
      carryover: taskNo,
    }),
    /** Task weights (rule 1): `default` for every task, `tasks` overrides by task number (as a key). */
    weights: z.strictObject({
      default: points,
      tasks: z.record(z.string().regex(/^[1-9]\d*$/, 'expected a task number as the key'), points),
    }),
    /** Role factors (rule 1), multiplied with the task weight. */
    roleFactors: z.strictObject({ lead: points, responsible: points, cooperating: points }),
    /** Credit per milestone (rule 2), between 0 and 1. */
    credits: z.strictObject({ onTime: credit, late: credit, overdue: credit }),
    /** Completion points when every counted milestone is on time (rule 3). */
    completion: z.strictObject({ max: z.number().positive() }),
    /** Leader-briefing points (rule 4), given when the unit has at least `minBriefings` in the plan year. */
    briefing: z.strictObject({ points, minBriefings: z.number().int().positive() }),
    /** Highlight bonus (rule 5): points per entry by status (not cumulative) and the cap. */
    bonus: z.strictObject({ submitted: points, selected: points, cap: points }),
    /** Carry-over deductions (rule 6): points per unresolved item and their cap. Manual deductions are uncapped. */
    carryover: z.strictObject({ each: points, cap: points }),
    /** Lowest final of each grade (rule 8); below 合格 is 不合格. */
    grades: z.strictObject({ 优秀: points, 良好: points, 合格: points }),
    /**
     * The ranking groups (rule 8), by id, and the unit kinds in each: by default 乡镇组 (`township`),
     * 部门组 (`department`) and 公共企事业单位组 (`public`). A unit's own `rankingGroup` overrides its kind's.
     */
    groups: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/, 'expected a group id in lower-case letters, e.g. township'), RubricGroupSchema),
    /**
     * Units flagged `vertical` (垂直管理): `own-group` ranks them in a group of their own (`label`, id
     * `vertical`), `left-out` scores them without a rank, `with-kind` ranks them with their kind. Units flagged
     * `assessor` are scored and never ranked, whatever this says.
     */
    vertical: z.strictObject({ mode: z.enum(['own-group', 'left-out', 'with-kind']), label: z.string().min(1) }),
    /**
     * Law-derived milestones the office switched on: `annualReport` adds the previous year's
     * 政府信息公开工作年度报告, due 1月31日 (政府信息公开条例 §49), to task `task` (default off, task 30).
     */
    statutory: z.strictObject({ annualReport: z.boolean(), task: taskNo }),
    /**
     * The office's review (复核) of confirmations: with `required`, only confirmations it accepted (通过)
     * count, at the time of the first submission that was later accepted (default false: every confirmation
     * counts at its own time, as before reviews existed). A stated completion date counts only once accepted,
     * either way.
     */
    review: z.strictObject({ required: z.boolean() }),
  })
  .superRefine((r, ctx) => {
    const g = r.grades;
    if (g.优秀 < g.良好) ctx.addIssue({ code: 'custom', path: ['grades', '优秀'], message: `must be at least 良好 (${g.良好}), received ${g.优秀}` });
    if (g.良好 < g.合格) ctx.addIssue({ code: 'custom', path: ['grades', '良好'], message: `must be at least 合格 (${g.合格}), received ${g.良好}` });
    for (const kind of UnitKindSchema.options) {
      const inGroups = Object.keys(r.groups).filter((id) => r.groups[id]!.kinds.includes(kind));
      if (inGroups.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['groups'],
          message: `unit kind "${kind}" must belong to exactly one group, found in ${inGroups.length ? inGroups.join(' and ') : 'none'}`,
        });
      }
    }
  });

type DeepReadonly<T> = T extends readonly (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** A complete, validated rubric (read-only: rubrics are shared, e.g. {@link defaultRubric}). */
export type Rubric = DeepReadonly<z.output<typeof RubricSchema>>;
/** A rubric as a county office writes it: any subset of {@link Rubric}, merged over {@link defaultRubric}. */
export type RubricInput = DeepPartial<z.input<typeof RubricSchema>>;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * The default rubric of docs/assessment.md: tasks 31 and 32 excluded from milestone scoring; weight 1 per task;
 * lead 1, responsible 1, cooperating 0.5; on time 1, late 0.5, overdue 0; completion out of 90;
 * briefing 10 points for at least one briefing; bonus +1 submitted, +3 selected, cap 10; carry-over −2
 * each, cap 10; grades 优秀 ≥ 90, 良好 ≥ 70, 合格 ≥ 60; 乡镇组 = townships + zone, 部门组 = departments,
 * 公共企事业单位组 = enterprises + institutions; vertically managed units (flagged `vertical`) in a 垂管单位组
 * of their own; the statutory annual-report milestone off; review (复核) not required. Frozen.
 */
export const defaultRubric = /* @__PURE__ */ deepFreeze({
  tasks: { excluded: [31, 32], briefing: 32, highlight: 31, carryover: 33 },
  weights: { default: 1, tasks: {} },
  roleFactors: { lead: 1, responsible: 1, cooperating: 0.5 },
  credits: { onTime: 1, late: 0.5, overdue: 0 },
  completion: { max: 90 },
  briefing: { points: 10, minBriefings: 1 },
  bonus: { submitted: 1, selected: 3, cap: 10 },
  carryover: { each: 2, cap: 10 },
  grades: { 优秀: 90, 良好: 70, 合格: 60 },
  groups: {
    township: { label: '乡镇组', kinds: ['township', 'zone'] },
    department: { label: '部门组', kinds: ['department'] },
    public: { label: '公共企事业单位组', kinds: ['enterprise', 'institution'] },
  },
  vertical: { mode: 'own-group', label: '垂管单位组' },
  statutory: { annualReport: false, task: 30 },
  review: { required: false },
} as const satisfies Rubric);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Objects merge key by key; arrays, numbers and strings (and null) replace the default. */
function mergeOver(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeOver(base[k], v);
  return out;
}

/**
 * Validates a rubric given as an object, merging it over `base` (default {@link defaultRubric}):
 * objects merge field by field, arrays and values replace, so `{ roleFactors: { cooperating: 0.6 } }`
 * changes only that factor and `{ tasks: { excluded: [31] } }` replaces the whole list.
 * The error names each bad field and what was expected, one per line.
 *
 * @example
 * resolveRubric({ weights: { tasks: { 4: 2 } } }); // { success: true, data: { …, weights: { default: 1, tasks: { '4': 2 } } } }
 * resolveRubric({ roleFactors: { cooperating: 'half' } });
 * // { success: false, error: 'roleFactors.cooperating: expected a number, received string' }
 */
export function resolveRubric(input: unknown, base: Rubric = defaultRubric): Result<Rubric, string> {
  if (input === null || input === undefined) return { success: true, data: base };
  if (!isPlainObject(input)) return { success: false, error: `rubric: expected an object (a mapping of fields), received ${typeName(input)}` };
  const merged = mergeOver(base, input);
  const parsed = RubricSchema.safeParse(merged);
  if (parsed.success) return { success: true, data: deepFreeze(parsed.data) };
  const known = (path: readonly PropertyKey[]) => {
    const at = valueAt(base, path);
    return isPlainObject(at) ? Object.keys(at) : [];
  };
  const lines = describeIssues(parsed.error.issues, merged, known).map((m) => `${m.path || 'rubric'}: ${m.text}`);
  return { success: false, error: lines.join('\n') };
}

/**
 * Reads a rubric from JSON or YAML text and merges it over {@link defaultRubric} (see {@link resolveRubric}
 * for how a partial rubric merges). An empty YAML document is the default rubric.
 *
 * @example
 * parseRubric('roleFactors:\n  cooperating: 0.6\n', 'yaml'); // { success: true, data: { …, roleFactors: { lead: 1, responsible: 1, cooperating: 0.6 } } }
 * parseRubric('{"bonus": {"cap": "ten"}}', 'json'); // { success: false, error: 'bonus.cap: expected a number, received string' }
 */
export function parseRubric(text: string, format: 'json' | 'yaml'): Result<Rubric, string> {
  let value: unknown;
  try {
    value = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { success: false, error: `rubric is not valid ${format === 'json' ? 'JSON' : 'YAML'}: ${why}` };
  }
  if (format === 'json' && value === null) return { success: false, error: 'rubric: expected an object (a mapping of fields), received null' };
  return resolveRubric(value);
}
