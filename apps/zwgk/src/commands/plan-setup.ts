/**
 * `zwgk plan assign | check | issued | exempt`: the county office's setup of who does what and when.
 * Loaded only when one of these runs.
 */
import { openStore } from '@zwgk/bot';
import { checkAssignments, classifyGroup, directoryOf, isZonePhrase, type Plan } from '@zwgk/sdk';
import { parseDateOption } from '../args.js';
import { editConfigFile } from '../config-file.js';
import { UsageError, type CliIo } from '../io.js';
import { cliContext, cliStoreOptions, configuredPlan } from './shared.js';

/** Unit lists on the command line: separate words, or one word with 、/，/, between names. */
export function splitNames(words: readonly string[]): string[] {
  return words.flatMap((w) => w.split(/[、，,；;]+/u)).map((w) => w.trim()).filter(Boolean);
}

function taskOf(plan: Plan, word: string | undefined, usage: string) {
  const no = Number(word);
  const task = Number.isInteger(no) ? plan.tasks.find((t) => t.no === no) : undefined;
  if (!task) throw new UsageError(word === undefined ? `which task?\n\n${usage}` : `the plan has no task "${word}" (tasks 1–${plan.tasks.length})`);
  return task;
}

/** Checks names against the configured directory, so a typo is reported with suggestions before anything is written. */
function checkNames(plan: Plan, names: readonly string[]): string[] {
  const dir = directoryOf(plan);
  return names.map((name) => {
    const kind = classifyGroup(name);
    if (kind === 'townships' || kind === 'departments' || isZonePhrase(name)) return name;
    const r = dir.resolve(name);
    if (!r.success) throw new UsageError(r.error.message);
    return r.data.name;
  });
}

/** `zwgk plan assign TASK PHRASE UNIT…` / `--clear` / `--default PHRASE UNIT…`. */
export async function runAssign(positionals: string[], values: { clear?: boolean; default?: boolean }, io: CliIo, usage: string): Promise<number> {
  const plan = (await configuredPlan(io));
  if (values.default) {
    const [phrase, ...rest] = positionals;
    if (!phrase) throw new UsageError(`which phrase?\n\n${usage}`);
    const names = values.clear ? [] : checkNames(plan, splitNames(rest));
    if (!values.clear && !names.length) throw new UsageError(`which units does "${phrase}" stand for?\n\n${usage}`);
    const file = await editConfigFile(io, (raw) => {
      const groups = { ...((raw.groups as Record<string, string[]>) ?? {}) };
      if (values.clear) delete groups[phrase];
      else groups[phrase] = names;
      raw.groups = groups;
    });
    io.stdout.write(values.clear ? `已取消「${phrase}」的默认对应单位（${file}）。\n` : `「${phrase}」默认对应：${names.join('、')}（${file}）。\n`);
    return 0;
  }
  const [taskWord, phrase, ...rest] = positionals;
  const task = taskOf(plan, taskWord, usage);
  if (!phrase) {
    const phrases = task.units.filter((a) => a.group || classifyGroup(a.unit) !== null).map((a) => a.unit);
    throw new UsageError(`which phrase of task ${task.no}? ${phrases.length ? `it has ${phrases.join('、')}` : 'it has no group phrase'}\n\n${usage}`);
  }
  if (!task.units.some((a) => a.unit === phrase)) {
    throw new UsageError(`task ${task.no} has no phrase "${phrase}"; it names ${task.units.map((a) => a.unit).join('、')}`);
  }
  const names = values.clear ? [] : checkNames(plan, splitNames(rest));
  if (!values.clear && !names.length) throw new UsageError(`which units does "${phrase}" stand for in task ${task.no}?\n\n${usage}`);
  const key = String(task.no);
  const file = await editConfigFile(io, (raw) => {
    const all = { ...((raw.assignments as Record<string, Record<string, string[]>>) ?? {}) };
    const map = { ...(all[key] ?? {}) };
    if (values.clear) delete map[phrase];
    else map[phrase] = names;
    if (Object.keys(map).length) all[key] = map;
    else delete all[key];
    raw.assignments = all;
  });
  if (values.clear) {
    io.stdout.write(`任务${task.no}「${phrase}」不再使用配置文件中的对应单位（${file}）。\n`);
  } else {
    const after = directoryOf((await configuredPlan(io))).expandPhrase(phrase, task.no).map((u) => u.name);
    io.stdout.write(`任务${task.no} ${task.name}：「${phrase}」对应 ${after.length} 个单位：${after.join('、')}（${file}）。\n`);
  }
  return 0;
}

/** `zwgk plan check [--json]`: exits 1 while a task has no assignee. */
export async function runCheck(values: { json?: boolean }, io: CliIo): Promise<number> {
  const plan = (await configuredPlan(io));
  const check = checkAssignments(plan);
  const code = check.unassigned.length ? 1 : 0;
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ issued: plan.issued ?? null, unassigned: check.unassigned, problems: check.problems, tasks: check.tasks }, null, 2)}\n`);
    return code;
  }
  const departments = directoryOf(plan).ofKind('department').length;
  const out = [`${plan.county}${plan.year}年政务公开工作要点 · 责任单位检查（${plan.tasks.length} 项任务）`, ''];
  out.push(plan.issued ? `印发日期：${plan.issued}（早于此日的节点不算逾期）` : '印发日期：未设置（zwgk plan issued YYYY-MM-DD）');
  out.push('');
  for (const p of check.problems) {
    const what =
      p.problem === 'empty'
        ? `「${p.phrase}」没有对应任何单位，无人被提醒、无人计分`
        : `「${p.phrase}」对应全部 ${p.units.length} 个县直部门（共 ${departments} 个），未按本任务收窄`;
    out.push(`任务${p.task} ${p.name}：${what}。`);
    if (p.suggestions.length) out.push(`  建议：zwgk plan assign ${p.task} ${p.phrase} ${p.suggestions.join('、')}`);
    else out.push(`  请指定：zwgk plan assign ${p.task} ${p.phrase} 单位1、单位2…${p.problem === 'empty' ? `（或新增单位：zwgk units add 单位名 --kind enterprise --group ${p.phrase}）` : ''}`);
  }
  if (!check.problems.length) out.push('每个集合称谓都已对应到具体单位。');
  out.push('');
  out.push(
    check.unassigned.length
      ? `没有任何责任单位的任务：${check.unassigned.map((n) => `任务${n}`).join('、')}。这些任务无人被提醒、无人计分。`
      : '每项任务都至少有一个责任单位。',
  );
  io.stdout.write(`${out.join('\n')}\n`);
  return code;
}

/** `zwgk plan issued [DATE | --clear]`. */
export async function runIssued(positionals: string[], values: { clear?: boolean }, io: CliIo, usage: string): Promise<number> {
  if (positionals.length > 1) throw new UsageError(`plan issued takes one date\n\n${usage}`);
  const date = parseDateOption(positionals[0], 'plan issued');
  if (date === undefined && !values.clear) {
    const plan = (await configuredPlan(io));
    io.stdout.write(plan.issued ? `${plan.issued}\n` : '未设置印发日期\n');
    return 0;
  }
  const plan = (await configuredPlan(io));
  if (date !== undefined && !date.startsWith(String(plan.year)) && date.slice(0, 4) !== String(plan.year - 1)) {
    throw new UsageError(`the ${plan.year} plan cannot have been issued on ${date}`);
  }
  const file = await editConfigFile(io, (raw) => {
    if (values.clear) delete raw.issued;
    else raw.issued = date;
  });
  io.stdout.write(values.clear ? `已改回内置的印发日期（${file}）。\n` : `印发日期设为 ${date}：早于此日的节点不再算逾期（${file}）。\n`);
  return 0;
}

/** `zwgk plan exempt TASK UNIT… --reason R [--due DATE]`: several units at once, all or none, each in the audit log. */
export async function runExempt(positionals: string[], values: { reason?: string; due?: string }, io: CliIo, usage: string): Promise<number> {
  const plan = (await configuredPlan(io));
  const [taskWord, ...rest] = positionals;
  const task = taskOf(plan, taskWord, usage);
  const reason = values.reason?.trim();
  if (!reason) throw new UsageError(`--reason is required: the audit log keeps why each unit is exempt\n\n${usage}`);
  const due = parseDateOption(values.due, '--due');
  if (due !== undefined && !task.milestones.some((m) => m.due === due)) {
    throw new UsageError(`task ${task.no} has no milestone due ${due}; its due dates are ${task.milestones.map((m) => m.due).join(', ')}`);
  }
  const dir = directoryOf(plan);
  const assigned = new Set(dir.expand(task.units, task.no).map((a) => a.unit));
  const names = [...new Set(splitNames(rest).map((n) => {
    const r = dir.resolve(n);
    if (!r.success) throw new UsageError(r.error.message);
    if (!assigned.has(r.data.name)) throw new UsageError(`${r.data.name} is not assigned to task ${task.no}; nothing was recorded`);
    return r.data.name;
  }))];
  if (!names.length) throw new UsageError(`which units?\n\n${usage}`);
  const store = await openStore(await cliStoreOptions(io));
  try {
    const ctx = cliContext();
    const inForce = await store.exemptions.list({ year: plan.year });
    const fresh = names.filter((unit) => !inForce.some((e) => e.task === task.no && e.unit === unit && (e.due ?? undefined) === due));
    await store.transaction(async (tx) => {
      for (const unit of fresh) await tx.exemptions.add({ year: plan.year, task: task.no, unit, due: due ?? null, reason }, ctx);
    });
    const repeat = names.filter((n) => !fresh.includes(n));
    io.stdout.write(
      `任务${task.no} ${task.name}${due ? `（${due} 节点）` : ''}：${fresh.length ? `已豁免 ${fresh.join('、')}` : '没有新的豁免'}${repeat.length ? `；此前已豁免 ${repeat.join('、')}` : ''}。原因：${reason}\n`,
    );
  } finally {
    await store.close();
  }
  return 0;
}
