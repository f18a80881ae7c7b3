import { dueForUnit, milestoneDue, shanghaiDate, unitsDigest, type Plan, type StatusRow, type UnitDue } from '@zwgk/sdk';
import { parseCommandArgs, parseDateOption, parseIntOption } from '../args.js';
import { daysBetween, weekdayOf } from '../dates.js';
import { AppConfigSchema } from '../config.js';
import { UsageError, type Command } from '../io.js';
import { configOrExit, configuredPlan } from './shared.js';

const usage = `Usage: zwgk deadlines [--as-of YYYY-MM-DD] [--unit NAME] [--horizon N] [--open] [--records FILE] [--json]

What is overdue, due soon and done, per unit, with what units confirmed: read from the bot's database
(or --records FILE); the numbers are the ones the bot's 进度 shows.

Options:
  --as-of DATE     the day to look from (default: today, Asia/Shanghai)
  --unit NAME      one unit only; short names and aliases work (行政审批局, 开发区)
  --horizon N      "due soon" means within N working days, 1–60 (default digest.horizonDays, ${AppConfigSchema.parse({}).digest.horizonDays})
  --open           open items only (leave out what is done, exempt or not applicable)
  --records FILE   records JSON (docs/assessment.md) instead of the bot's database
  --json           print the lists as JSON`;

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

/** Done out of everything that counts (not exempt, not inapplicable), as the bot's 进度 counts it. */
function progressOf(unit: UnitDue) {
  const done = unit.done.length;
  const total = done + unit.overdue.length + unit.due_soon.length + unit.ongoing.length + unit.upcoming.length;
  return { done, total, percent: total === 0 ? 100 : Math.round((done / total) * 100), overdue: unit.overdue.length };
}

function renderUnit(unit: UnitDue, open: boolean): string {
  const p = progressOf(unit);
  const lines = [open ? unit.unit : `${unit.unit}  已完成 ${p.done}/${p.total}（${p.percent}%），逾期 ${p.overdue} 项`];
  for (const row of unit.overdue) lines.push(`  逾期  ${describe(row, 'overdue', unit.asOf)}`);
  for (const row of unit.due_soon) lines.push(`  临近  ${describe(row, 'dueSoon', unit.asOf)}`);
  if (unit.ongoing.length) lines.push(`  全年  ${unit.ongoing.length} 项全年任务进行中`);
  if (!open && unit.exempt.length) lines.push(`  豁免  ${unit.exempt.map((r) => `任务${r.task}`).join('、')}`);
  return lines.join('\n');
}

function toJson(unit: UnitDue, open: boolean) {
  const row = (r: StatusRow) => ({
    task: r.task,
    name: r.taskName,
    role: r.role,
    due: r.due,
    label: r.milestone.label,
    status: r.status,
    workingDaysLeft: r.workingDaysLeft,
    ...(r.moved ? { moved: true } : {}),
    ...(r.confirmedAt ? { confirmedAt: r.confirmedAt } : {}),
  });
  const out = { unit: unit.unit, progress: progressOf(unit), overdue: unit.overdue.map(row), dueSoon: unit.due_soon.map(row), ongoing: unit.ongoing.length };
  if (open) return out;
  return { ...out, upcoming: unit.upcoming.map(row), done: unit.done.map(row), exempt: unit.exempt.map(row), notApplicable: unit.not_applicable.map(row) };
}

/** Milestones the plan's issue date moves or rules out this year, said once for everyone. */
function issueNotes(plan: Plan): string[] {
  if (!plan.issued) return [];
  const notes: string[] = [];
  for (const task of plan.tasks) {
    for (const m of task.milestones) {
      const when = milestoneDue(plan, m);
      if (when.moved) notes.push(`任务${task.no}「${m.label}」早于印发日期 ${plan.issued}，今年顺延至 ${when.due}，不计逾期。`);
      else if (!when.applicable) notes.push(`任务${task.no}「${m.label}」（${m.due}）早于印发日期 ${plan.issued}，今年不适用。`);
    }
  }
  return notes;
}

export const deadlinesCommand: Command = {
  name: 'deadlines',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        'as-of': { type: 'string' },
        unit: { type: 'string' },
        horizon: { type: 'string' },
        json: { type: 'boolean' },
        open: { type: 'boolean' },
        records: { type: 'string' },
      },
      usage,
    );
    if (positionals.length) throw new UsageError(`unexpected "${positionals.join(' ')}"\n\n${usage}`);
    const asOf = parseDateOption(values['as-of'], '--as-of') ?? shanghaiDate(new Date());
    const horizon = parseIntOption(values.horizon, '--horizon', { min: 1, max: 60 });
    const { config } = await configOrExit(io);
    const horizonDays = horizon ?? config.digest.horizonDays;
    const plan = await configuredPlan(io);
    const open = values.open === true;
    // The records (and, for the database, the bot's store) are loaded only now: plan-only runs stay light.
    const { records, source } = await (await import('./deadline-records.js')).recordsFor(plan, values.records, io);
    const options = { asOf, dueSoonDays: horizonDays, confirmations: records?.confirmations, exemptions: records?.exemptions };

    let units: UnitDue[];
    if (values.unit !== undefined) {
      const one = dueForUnit(plan, values.unit, options);
      if (!one.success) throw new UsageError(one.error.message);
      units = [one.data];
    } else {
      units = unitsDigest(plan, options);
    }

    if (values.json) {
      io.stdout.write(`${JSON.stringify({ asOf, horizonDays, records: source, units: units.map((u) => toJson(u, open)) }, null, 2)}\n`);
      return 0;
    }
    const busy = open ? units.filter((u) => u.overdue.length || u.due_soon.length) : units;
    const quiet = units.length - busy.length;
    const out = [`${plan.county}${plan.year}年政务公开工作要点 · 截至 ${asOf}（${weekdayOf(asOf)}），${horizonDays} 个工作日内到期及已逾期事项`];
    out.push(records ? `确认记录：${source === 'none' ? '' : source}（确认 ${records.confirmations.length} 条，豁免 ${records.exemptions.length} 条）` : '确认记录：没有找到机器人数据库，按尚无任何确认计算（或用 --records FILE）');
    out.push(...issueNotes(plan), '');
    if (!asOf.startsWith(String(plan.year))) {
      out.splice(1, 0, `注意：${asOf} 不在计划年度 ${plan.year} 年内${asOf < `${plan.year}` ? '，还没有任何事项到期' : '，全年事项都已到期'}。用 --as-of ${plan.year}-MM-DD 查看年度内某一天。`);
    }
    for (const unit of busy) out.push(renderUnit(unit, open), '');
    if (values.unit !== undefined && !busy.length) out.push(`${units[0]?.unit ?? values.unit}：本期没有逾期或临近到期的事项。`, '');
    else if (quiet) out.push(`${busy.length ? '其余 ' : ''}${quiet} 个单位本期没有逾期或临近到期的事项。`, '');
    io.stdout.write(out.join('\n'));
    return 0;
  },
};
