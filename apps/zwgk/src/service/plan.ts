import { directoryOf, type Plan } from '@zwgk/sdk';
import { getPlan } from '@zwgk/sdk/qinyuan';
import type { Config } from '../config.js';

/**
 * The plan named by the configuration, with the county office's mapping of unspecified groups applied
 * (unit names resolved to the directory's). Unknown units in the mapping are configuration errors.
 */
export function planFor(config: Config): { success: true; data: Plan } | { success: false; error: string } {
  const plan = getPlan(config.plan);
  if (!Object.keys(config.groups).length) return { success: true, data: plan };
  const directory = directoryOf(plan);
  const groups: Record<string, string[]> = { ...plan.groups };
  const problems: string[] = [];
  for (const [phrase, names] of Object.entries(config.groups)) {
    groups[phrase] = names.flatMap((name, i) => {
      const r = directory.resolve(name);
      if (r.success) return [r.data.name];
      problems.push(`  - groups.${phrase}[${i}]: ${r.error.message}`);
      return [];
    });
  }
  if (problems.length) return { success: false, error: `invalid configuration:\n${problems.join('\n')}` };
  return { success: true, data: { ...plan, groups } };
}
