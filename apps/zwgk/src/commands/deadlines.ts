import { dueForUnit, shanghaiDate, unitsDigest, type StatusRow, type UnitDue } from '@zwgk/sdk';
import { parseCommandArgs, parseDateOption, parseIntOption } from '../args.js';
import { daysBetween, weekdayOf } from '../dates.js';
import { AppConfigSchema } from '../config.js';
import { UsageError, type Command } from '../io.js';
import { configOrExit, configuredPlan } from './shared.js';

const usage = `Usage: zwgk deadlines [--as-of YYYY-MM-DD] [--unit NAME] [--horizon N] [--json]

What is overdue and what is due soon, per unit, for the bundled plan.

Options:
  --as-of DATE   the day to look from (default: today, Asia/Shanghai)
  --unit NAME    one unit only; short names and aliases work (行政审批局, 开发区)
  --horizon N    "due soon" means within N working days, 1–60 (default digest.horizonDays, ${AppConfigSchema.parse({}).digest.horizonDays})
  --json         print the lists as JSON`;

/** Overdue time in calendar days (as the bot's digests say it); what is still ahead, in working days. */
function describe(row: StatusRow, kind: 'overdue' | 'dueSoon', asOf: string): string {
  const when =
    kind === 'overdue'
      ? `已逾期 ${daysBetween(row.due, asOf)} 天`
      : row.due === asOf
        ? '今天到期'
        : `还有 ${row.workingDaysLeft} 个工作日`;
  const role = row.role === 'lead' ? '（牵头）' : row.role === 'cooperating' ? '（配合）' : '';
  return `任务${row.task} ${row.taskName}${role} — ${row.milestone.label}，${row.due}，${when}`;
}

function renderUnit(unit: UnitDue): string {
  const lines = [unit.unit];
  for (const row of unit.overdue) lines.push(`  逾期  ${describe(row, 'overdue', unit.asOf)}`);
  for (const row of unit.due_soon) lines.push(`  临近  ${describe(row, 'dueSoon', unit.asOf)}`);
  if (unit.ongoing.length) lines.push(`  全年  ${unit.ongoing.length} 项全年任务进行中`);
  return lines.join('\n');
}

function toJson(unit: UnitDue) {
  const row = (r: StatusRow) => ({
    task: r.task,
    name: r.taskName,
    role: r.role,
    due: r.due,
    label: r.milestone.label,
    status: r.status,
    workingDaysLeft: r.workingDaysLeft,
  });
  return { unit: unit.unit, overdue: unit.overdue.map(row), dueSoon: unit.due_soon.map(row), ongoing: unit.ongoing.length };
}

export const deadlinesCommand: Command = {
  name: 'deadlines',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      { 'as-of': { type: 'string' }, unit: { type: 'string' }, horizon: { type: 'string' }, json: { type: 'boolean' } },
      usage,
    );
    if (positionals.length) throw new UsageError(`unexpected "${positionals.join(' ')}"\n\n${usage}`);
    const asOf = parseDateOption(values['as-of'], '--as-of') ?? shanghaiDate(new Date());
    const horizon = parseIntOption(values.horizon, '--horizon', { min: 1, max: 60 });
    const { config } = await configOrExit(io);
    const horizonDays = horizon ?? config.digest.horizonDays;
    const plan = await configuredPlan(io);

    let units: UnitDue[];
    if (values.unit !== undefined) {
      const one = dueForUnit(plan, values.unit, { asOf, dueSoonDays: horizonDays });
      if (!one.success) throw new UsageError(one.error.message);
      units = [one.data];
    } else {
      units = unitsDigest(plan, { asOf, dueSoonDays: horizonDays });
    }

    if (values.json) {
      io.stdout.write(`${JSON.stringify({ asOf, horizonDays, units: units.map(toJson) }, null, 2)}\n`);
      return 0;
    }
    const busy = units.filter((u) => u.overdue.length || u.due_soon.length);
    const quiet = units.length - busy.length;
    const out = [`${plan.county}${plan.year}年政务公开工作要点 · 截至 ${asOf}（${weekdayOf(asOf)}），${horizonDays} 个工作日内到期及已逾期事项`, ''];
    if (!asOf.startsWith(String(plan.year))) {
      out.splice(1, 0, `注意：${asOf} 不在计划年度 ${plan.year} 年内${asOf < `${plan.year}` ? '，还没有任何事项到期' : '，全年事项都已到期'}。用 --as-of ${plan.year}-MM-DD 查看年度内某一天。`);
    }
    for (const unit of busy) out.push(renderUnit(unit), '');
    if (values.unit !== undefined && !busy.length) out.push(`${units[0]?.unit ?? values.unit}：本期没有逾期或临近到期的事项。`, '');
    else if (quiet) out.push(`${busy.length ? '其余 ' : ''}${quiet} 个单位本期没有逾期或临近到期的事项。`, '');
    io.stdout.write(out.join('\n'));
    return 0;
  },
};
