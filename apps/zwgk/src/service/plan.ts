import { classifyGroup, createDirectory, isZonePhrase, withStatutoryMilestones, type Plan, type Unit } from '@zwgk/sdk';
import { getPlan } from '@zwgk/sdk/qinyuan';
import type { Config, UnitEdit } from '../config.js';

type Outcome = { success: true; data: Plan } | { success: false; error: string };

/** A mapping member: a directory unit, or a class phrase (县直各部门, 各乡镇) standing for its class. */
function isClassPhrase(name: string): boolean {
  const kind = classifyGroup(name);
  return kind === 'townships' || kind === 'departments' || isZonePhrase(name);
}

/** Applies the office's unit edits in order; each finds its unit through the directory as edited so far. */
export function applyUnitEdits(units: readonly Unit[], edits: readonly UnitEdit[], county: string, problems: string[]): Unit[] {
  const out: Unit[] = units.map((u) => ({ ...u, aliases: [...u.aliases] }));
  edits.forEach((edit, i) => {
    const where = `units[${i}]`;
    const lookup = edit.formerly ?? edit.name;
    let found: Unit | undefined;
    try {
      const r = createDirectory(out, {}, { county }).resolve(lookup);
      found = r.success ? out.find((u) => u.name === r.data.name) : undefined;
    } catch (error) {
      problems.push(`  - ${where}: ${(error as Error).message}`);
      return;
    }
    const { formerly, name, ...fields } = edit;
    if (!found) {
      if (formerly !== undefined) {
        problems.push(`  - ${where}.formerly: no unit "${formerly}" to rename`);
        return;
      }
      if (fields.kind === undefined) {
        problems.push(`  - ${where}: "${name}" is a new unit, so it needs a kind (${['township', 'zone', 'department', 'enterprise', 'institution'].join(', ')})`);
        return;
      }
      out.push({ ...fields, name, kind: fields.kind, aliases: fields.aliases ?? [] });
      return;
    }
    const previous = found.name;
    Object.assign(found, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));
    if (name !== previous) {
      // The old name stays an alias, so records and mappings written with it still resolve.
      found.name = name;
      found.aliases = [...new Set([previous, ...found.aliases])].filter((a) => a !== name);
    }
  });
  return out;
}

/**
 * The plan named by the configuration with the county office's setup applied: directory edits, group
 * mappings (unit names resolved to the directory's), per-task mappings, the issue date and the statutory
 * milestones switched on. Unknown units, tasks or phrases are configuration errors, each named.
 */
export function planFor(config: Config): Outcome {
  const base = getPlan(config.plan);
  const problems: string[] = [];
  const units = config.units.length ? applyUnitEdits(base.units, config.units, base.county, problems) : base.units;
  let directory: ReturnType<typeof createDirectory>;
  try {
    directory = createDirectory(units, {}, { county: base.county });
  } catch (error) {
    problems.push(`  - units: ${(error as Error).message}`);
    return { success: false, error: `invalid configuration:\n${problems.join('\n')}` };
  }
  const member = (name: string, path: string): string[] => {
    if (isClassPhrase(name)) return [name];
    const r = directory.resolve(name);
    if (r.success) return [r.data.name];
    problems.push(`  - ${path}: ${r.error.message}`);
    return [];
  };

  const groups: Record<string, string[]> = { ...base.groups };
  for (const [phrase, names] of Object.entries(config.groups)) {
    groups[phrase] = names.flatMap((name, i) => member(name, `groups.${phrase}[${i}]`));
  }
  const assignments: Record<string, Record<string, string[]>> = Object.fromEntries(
    Object.entries(base.assignments ?? {}).map(([task, map]) => [task, { ...map }]),
  );
  for (const [taskKey, map] of Object.entries(config.assignments)) {
    const task = base.tasks.find((t) => String(t.no) === taskKey);
    if (!task) {
      problems.push(`  - assignments.${taskKey}: the plan has no task ${taskKey}`);
      continue;
    }
    for (const [phrase, names] of Object.entries(map)) {
      if (!task.units.some((a) => a.unit === phrase)) {
        problems.push(`  - assignments.${taskKey}.${phrase}: task ${taskKey} has no phrase "${phrase}"; it names ${task.units.map((a) => a.unit).join('、')}`);
        continue;
      }
      assignments[taskKey] = { ...assignments[taskKey], [phrase]: names.flatMap((name, i) => member(name, `assignments.${taskKey}.${phrase}[${i}]`)) };
    }
  }
  if (config.statutory.annualReport && !base.tasks.some((t) => t.no === config.statutory.task)) {
    problems.push(`  - statutory.task: the plan has no task ${config.statutory.task}`);
  }
  if (problems.length) return { success: false, error: `invalid configuration:\n${problems.join('\n')}` };

  const issued = config.issued ?? base.issued;
  const plan: Plan = { ...base, units, groups, assignments, ...(issued === undefined ? {} : { issued }) };
  return { success: true, data: withStatutoryMilestones(plan, { annualReport: config.statutory.annualReport ? config.statutory.task : false }) };
}
