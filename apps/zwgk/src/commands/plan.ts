import { resolve } from 'node:path';
import { directoryOf, milestoneDue, parsePlanTable, tableDirectory, type Diagnostic, type Plan, type RowConfidence, type RowReport } from '@zwgk/sdk';
import { qinyuan2022, qinyuanUnits } from '@zwgk/sdk/qinyuan';
import { parseCommandArgs, parseIntOption } from '../args.js';
import { UsageError, type CliIo, type Command } from '../io.js';
import { displayWidth, renderFittedTable } from '../table.js';
import { readTableFile } from './plan-files.js';
import { configuredPlan } from './shared.js';

const usage = `Usage:
  zwgk plan [--json]                     the configured plan (沁源县 2022 with the office's setup)
  zwgk plan check [--json]               tasks whose phrases reach no unit or a whole class; exits 1
                                         while a task has no assignee
  zwgk plan assign TASK PHRASE UNIT…     what a phrase of one task stands for (units, or 县直各部门)
  zwgk plan assign TASK PHRASE --clear   back to the plan's own mapping for it
  zwgk plan assign --default PHRASE UNIT…  what a phrase stands for in every task without its own mapping
  zwgk plan issued [DATE | --clear]      the plan's issue date (印发日期): earlier milestones are never overdue
  zwgk plan exempt TASK UNIT… --reason R [--due DATE]
                                         exempt several units from a task at once (bot database, audit log)
  zwgk plan import FILE [--year N] [--county NAME] [--json] [--strict]
                                         read another office's task table: text (from a page,
                                         PDF or Word), | rows, CSV, .xlsx or .docx
  zwgk plan import FILE --tenant ID [--county NAME] [--year N]
                                         …and make it tenant ID's plan (a county of a shared
                                         deployment): creates the tenant, or replaces its plan
  zwgk plan --tenant ID                  a tenant's plan (also check and exempt)

assign and issued edit the config file (zwgk.config.json, or ZWGK_CONFIG) and refuse a change it would
reject; UNIT lists may be separate words or joined with 、.

Options:
  --json          print the plan as JSON (the shape other tools rely on)
  --strict        fail (exit 1) when any row was not read with confidence
  --year N        plan year (default: the first 20xx年 in the file)
  --county NAME   county name (default: the first …县 in the file)

For 沁源县 the bundled unit directory is used; for another county or a department, the units its
table names (各乡镇 then expands only to the townships the table names itself, 各科室 to its 科室).`;

/** The JSON contract of `zwgk plan --json`: groups as written in `units`, directory units in `assignees`. */
export function planToJson(plan: Plan) {
  const directory = directoryOf(plan);
  return {
    county: plan.county,
    year: plan.year,
    issued: plan.issued ?? null,
    units: plan.units.map((u) => ({
      name: u.name,
      kind: u.kind,
      aliases: [...u.aliases],
      ...(u.rankingGroup === undefined ? {} : { rankingGroup: u.rankingGroup }),
      ...(u.groups?.length ? { groups: [...u.groups] } : {}),
      ...(u.sectors?.length ? { sectors: [...u.sectors] } : {}),
      ...(u.assessor ? { assessor: true } : {}),
      ...(u.vertical ? { vertical: true } : {}),
      ...(u.retired ? { retired: true } : {}),
    })),
    tasks: plan.tasks.map((task) => ({
      no: task.no,
      name: task.name,
      content: task.content,
      responsibility: task.responsibility,
      deadline: task.deadline,
      units: task.units.map((a) => ({ unit: a.unit, role: a.role, group: a.group })),
      assignees: directory.expand(task.units, task.no),
      milestones: task.milestones.map((m) => ({ due: m.due, label: m.label, recurrence: m.recurrence, source: m.source })),
    })),
  };
}

const ROLE_MARK = { lead: '牵头', responsible: '', cooperating: '配合' } as const;

/** The plan as a table that fits `width` terminal columns (wrapping, never truncating); any width when undefined. */
function planTable(plan: Plan, width?: number): string {
  const rows = plan.tasks.map((task) => [
    String(task.no),
    task.name,
    task.units.map((a) => (ROLE_MARK[a.role] ? `${a.unit}(${ROLE_MARK[a.role]})` : a.unit)).join('、'),
    task.milestones
      .map((m) => ({ m, when: milestoneDue(plan, m) }))
      .sort((a, b) => a.when.due.localeCompare(b.when.due))
      .map(({ m, when }) => {
        if (when.moved) return `${when.due}（每年，顺延）`;
        if (!when.applicable) return `${m.due}（早于印发日期，不适用）`;
        return m.source === 'law' ? `${m.due}（法定，每年）` : m.recurrence === 'yearly' ? `${m.due}（每年）` : m.due;
      })
      .join(' '),
  ]);
  // A deadline is never split across lines: its column is at least as wide as the widest one.
  const deadline = Math.max(...rows.flatMap((r) => r[3]!.split(' ').map(displayWidth)));
  return `${plan.title || `${plan.county}${plan.year}年政务公开工作要点`}（${plan.tasks.length} 项任务）\n\n${renderFittedTable(
    ['序号', '任务名称', '责任单位', '时间节点'],
    rows,
    { width, minWidths: [4, 8, 12, deadline] },
  )}`;
}

function guessYear(text: string): number | undefined {
  const m = /(20\d{2})\s*年/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** The county in a title such as 沁源县2022年… or 2023年某县政务公开…; the year is never part of it. */
function guessCounty(text: string): string | undefined {
  const head = text.slice(0, 400).replace(/20\d{2}\s*年(?:度)?/g, ' ');
  const m = /([\u4e00-\u9fa5]{1,8}?[县区市旗])\s*(?:政务公开|政府|人民政府|[\u4e00-\u9fa5]{0,6}任务)/.exec(head);
  return m?.[1];
}

async function importPlan(file: string, values: { year?: string; county?: string; json?: boolean; strict?: boolean }, io: CliIo) {
  const read = await readTableFile(resolve(io.cwd ?? process.cwd(), file));
  if (!read.success) throw new UsageError(`cannot read ${file}: ${read.error}`);
  const text = read.text;
  if (!text.trim()) throw new UsageError(`${file} is empty`);
  const year = parseIntOption(values.year, '--year') ?? guessYear(text);
  if (year === undefined) throw new UsageError(`no plan year found in ${file}; pass --year N`);
  const county = values.county ?? guessCounty(text);
  if (!county) throw new UsageError(`no county name found in ${file}; pass --county NAME`);
  // Qinyuan's directory only fits Qinyuan: another county's units come from what its table names.
  const own = county === qinyuan2022.county;
  const result = parsePlanTable(text, own ? { year, county, units: qinyuanUnits } : { year, county, units: [] });
  if (!result.success) throw new UsageError(`${file}: ${result.error}`);
  // A department's own list names its 科室: 各科室 then expands to them.
  const plan = own ? result.data : { ...result.data, ...tableDirectory(result.data) };
  const diagnostics = result.diagnostics.map((d: Diagnostic) => ({ line: d.line, message: d.message }));
  const rows = result.rows.map((r: RowReport) => ({ task: r.task, line: r.line, confidence: r.confidence }));
  const low = result.rows.filter((r: RowReport) => r.confidence === 'low');
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ ...planToJson(plan), diagnostics, rows }, null, 2)}\n`);
  } else {
    io.stdout.write(planTable(plan, io.columns));
    if (diagnostics.length) {
      io.stdout.write(`\n${diagnostics.length} diagnostics:\n${diagnostics.map((d) => `  line ${d.line}: ${d.message}`).join('\n')}\n`);
    }
    const count = (c: RowConfidence) => result.rows.filter((r: RowReport) => r.confidence === c).length;
    io.stdout.write(`\nrows: ${count('high')} read as written, ${count('medium')} with cells inferred or inherited, ${count('low')} with something unread\n`);
  }
  if (values.strict && low.length) {
    const list = low.map((r: RowReport) => `  task ${r.task} (line ${r.line}): ${r.unread.join('; ')}`).join('\n');
    io.stderr.write(`--strict: ${low.length} row${low.length > 1 ? 's' : ''} not read with confidence:\n${list}\n`);
    return 1;
  }
  if (io.tenant !== undefined) return (await import('./tenant.js')).saveTenantPlan(io.tenant, plan, io, values.json === true);
  return 0;
}

export const planCommand: Command = {
  name: 'plan',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        json: { type: 'boolean' },
        year: { type: 'string' },
        county: { type: 'string' },
        strict: { type: 'boolean' },
        clear: { type: 'boolean' },
        default: { type: 'boolean' },
        reason: { type: 'string' },
        due: { type: 'string' },
      },
      usage,
    );
    const sub = positionals[0];
    if ((sub === 'assign' || sub === 'issued') && io.tenant !== undefined) {
      throw new UsageError(`plan ${sub} edits the configuration of the default county; a tenant's plan is replaced with zwgk plan import FILE --tenant ${io.tenant}`);
    }
    if (sub === 'assign' || sub === 'check' || sub === 'issued' || sub === 'exempt') {
      const setup = await import('./plan-setup.js');
      const rest = positionals.slice(1);
      if (sub === 'assign') return setup.runAssign(rest, values, io, usage);
      if (sub === 'check') return setup.runCheck(values, io);
      if (sub === 'issued') return setup.runIssued(rest, values, io, usage);
      return setup.runExempt(rest, values, io, usage);
    }
    if (values.clear || values.default || values.reason || values.due) throw new UsageError(`--clear, --default, --reason and --due belong to assign, issued and exempt\n\n${usage}`);
    if (positionals[0] === 'import') {
      const file = positionals[1];
      if (!file || positionals.length > 2) throw new UsageError(`plan import takes one FILE\n\n${usage}`);
      return importPlan(file, values, io);
    }
    if (positionals.length) throw new UsageError(`unexpected "${positionals.join(' ')}"\n\n${usage}`);
    if (values.year || values.county || values.strict) throw new UsageError('--year, --county and --strict only apply to `plan import`');
    const plan = await configuredPlan(io);
    io.stdout.write(values.json ? `${JSON.stringify(planToJson(plan), null, 2)}\n` : planTable(plan, io.columns));
    return 0;
  },
};
