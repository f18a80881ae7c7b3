import { score, shanghaiDate, whatIf } from '@zwgk/sdk';
import type { BindCommand, ExemptCommand, ExportCommand, LiaisonCommand, NudgeCommand, ScoresCommand, SelectCommand, UnbindCommand } from '../commands/parse.js';
import { exportRecords } from '../export.js';
import type { ScoresView } from '../templates/views.js';
import { milestoneChoices, rowView } from '../views/build.js';
import { adminOnly, answer, liaisonMentions, notice, refuse, type HandlerContext, type Outbound, type Outcome } from './context.js';
import { resolveUnitName } from './records.js';

function suggestionLines(name: string, suggestions: string[], usage: string): string[] {
  return suggestions.length > 0 ? [`没有找到单位“${name}”。是否是：${suggestions.join('、')}？`, `请发送：${usage.replace('单位名', suggestions[0] ?? '单位名')}`] : [`没有找到单位“${name}”，请核对单位全称。`];
}

/** 绑定 — binds this group to a unit (or makes it the admin group); without a name, shows the binding. */
export async function handleBind(ctx: HandlerContext<BindCommand>): Promise<Outcome> {
  const { command, msg, group } = ctx;
  if (command.target === null) {
    if (!msg.isGroup) return answer(notice('info', '私聊不能绑定单位', ['请在要绑定的群里发送：绑定 单位名']));
    const line = group === null ? '本群还没有绑定单位。' : group.kind === 'admin' ? '本群是县政府办管理群。' : `本群已绑定：${group.unit}。`;
    return answer(notice('info', '本群绑定情况', [line], ctx.isAdmin ? '管理员可发送：绑定 单位名 / 绑定 管理群' : undefined));
  }
  const denied = adminOnly(ctx, 'bind');
  if (denied) return denied;
  if (!msg.isGroup) return refuse('请在要绑定的群里发送', ['私聊不能绑定单位。']);
  const where = { platform: msg.platform, conversationId: msg.conversationId, title: msg.conversationTitle ?? null };
  const change = { actor: ctx.actor, at: ctx.now };
  if (command.admin) {
    await ctx.tx.groups.bindAdmin(where, change);
    const { digestWhen } = ctx.settings;
    const line = `${digestWhen === null ? '' : `${digestWhen} 在本群发送全县概况；`}管理员可在此使用 催办、考核、导出 等命令。`;
    return { reply: notice('ok', '本群已设为管理群', [line]), wrote: true };
  }
  const r = resolveUnitName(ctx, command.target);
  if ('suggestions' in r) return refuse('未绑定', suggestionLines(command.target, r.suggestions, '绑定 单位名'));
  const { previous } = await ctx.tx.groups.bindUnit({ ...where, unit: r.unit }, change);
  const snap = await ctx.snapshot();
  const tasks = new Set((snap.byUnit.get(r.unit) ?? []).map((row) => row.task)).size;
  const lines = [`本群已绑定：${r.unit}${previous && previous !== r.unit ? `（原为 ${previous}）` : ''}。`, `${r.unit} 承担 ${tasks} 项任务${ctx.settings.digestWhen === null ? '' : `，${ctx.settings.digestWhen} 在本群发送提醒`}。`];
  return { reply: notice('ok', '绑定成功', lines, '请登记联络员：联络员 @某人'), wrote: true };
}

/** 解绑 — removes this group's binding. */
export async function handleUnbind(ctx: HandlerContext<UnbindCommand>): Promise<Outcome> {
  const denied = adminOnly(ctx, 'unbind');
  if (denied) return denied;
  const removed = await ctx.tx.groups.unbind({ platform: ctx.msg.platform, conversationId: ctx.msg.conversationId }, { actor: ctx.actor, at: ctx.now });
  if (!removed) return answer(notice('info', '本群没有绑定', []));
  return { reply: notice('ok', '已解除绑定', ['本群不再收到周提醒，也不能再确认任务。']), wrote: true };
}

/** 联络员 — lists the unit's liaisons; admins add (@某人) or remove (联络员 移除 @某人) them. */
export async function handleLiaison(ctx: HandlerContext<LiaisonCommand>): Promise<Outcome> {
  const { group, msg } = ctx;
  const mentioned = msg.mentions;
  const action = ctx.command.action === 'list' && mentioned.length > 0 ? 'add' : ctx.command.action;
  if (group?.kind !== 'unit') {
    return action === 'list'
      ? answer(notice('info', '本群还没有绑定单位', ['联络员按单位登记：请在单位群里发送 联络员。']))
      : refuse('请在单位群里登记联络员', ['联络员按单位登记，本群没有绑定单位。']);
  }
  if (action === 'list') {
    const list = await ctx.tx.liaisons.list(group.unit);
    const lines = list.length > 0 ? [`${group.unit} 联络员：${list.map((l) => l.name).join('、')}`] : [`${group.unit} 还没有登记联络员。`];
    return answer(notice('info', '联络员', lines, ctx.isAdmin ? '登记：联络员 @某人；移除：联络员 移除 @某人' : undefined));
  }
  const denied = adminOnly(ctx, 'liaison');
  if (denied) return denied;
  if (mentioned.length === 0) return answer({ template: 'question', view: { title: '请 @ 联络员', mentions: [], question: '请在命令里 @ 要登记的人，例如：联络员 @张三', candidates: [] } });
  const change = { actor: ctx.actor, at: ctx.now };
  const done: string[] = [];
  const skipped: string[] = [];
  for (const m of mentioned) {
    const ok =
      action === 'add'
        ? await ctx.tx.liaisons.add({ unit: group.unit, platform: msg.platform, userId: m.id, name: m.name }, change)
        : await ctx.tx.liaisons.remove({ unit: group.unit, platform: msg.platform, userId: m.id }, change);
    (ok ? done : skipped).push(m.name);
  }
  const verb = action === 'add' ? '登记' : '移除';
  const lines = [];
  if (done.length) lines.push(`已${verb} ${group.unit} 联络员：${done.join('、')}`);
  if (skipped.length) lines.push(action === 'add' ? `已是联络员：${skipped.join('、')}` : `不是联络员：${skipped.join('、')}`);
  return { reply: notice(done.length ? 'ok' : 'info', `联络员${verb}`, lines), wrote: done.length > 0 };
}

/** 催办 — posts a reminder to every bound group of every unit with the task still open, @-mentioning its liaisons. */
export async function handleNudge(ctx: HandlerContext<NudgeCommand>): Promise<Outcome> {
  const denied = adminOnly(ctx, 'nudge');
  if (denied) return denied;
  const snap = await ctx.snapshot();
  const outbound: Outbound[] = [];
  const lines: string[] = [];
  const nudged: Array<{ task: number; units: string[]; unbound: string[] }> = [];
  for (const task of ctx.command.tasks) {
    const open = (snap.byTask.get(task) ?? []).filter((r) => r.status === 'overdue' || r.status === 'due_soon' || r.status === 'upcoming');
    const name = ctx.settings.plan.tasks.find((t) => t.no === task)?.name ?? `任务${task}`;
    const units = [...new Set(open.map((r) => r.unit))];
    const reached: string[] = [];
    const unbound: string[] = [];
    for (const unit of units) {
      const groups = (await ctx.tx.groups.ofUnit(unit)).filter((g) => ctx.settings.adapters.has(g.platform));
      if (groups.length === 0) {
        unbound.push(unit);
        continue;
      }
      reached.push(unit);
      const rows = open.filter((r) => r.unit === unit).map((r) => rowView(r, snap));
      for (const g of groups) {
        const mentions = await liaisonMentions(ctx.tx, unit, g.platform);
        outbound.push({
          platform: g.platform,
          conversationId: g.conversationId,
          reply: { template: 'nudge', view: { title: `催办：任务${task} ${name}`, mentions, unit, task, taskName: name, rows, from: '县政府办' } },
        });
      }
    }
    nudged.push({ task, units: reached, unbound });
    if (units.length === 0) lines.push(`任务${task} ${name}：各单位均已完成或豁免，无需催办。`);
    else {
      lines.push(`任务${task} ${name}：已催办 ${reached.length} 个单位${reached.length ? `（${reached.join('、')}）` : ''}。`);
      if (unbound.length) lines.push(`未绑定群、未能催办：${unbound.join('、')}`);
    }
  }
  const sent = outbound.length > 0;
  if (sent) await ctx.tx.audit.append('nudge', { tasks: ctx.command.tasks, nudged }, { actor: ctx.actor, at: ctx.now });
  return { reply: notice(sent ? 'ok' : 'info', sent ? '已催办' : '没有发出催办', lines), wrote: sent, outbound };
}

/** 豁免 — exempts one or several units (郭道镇、沁河镇) from a task (or one milestone of it): all or none, each in the audit log. */
export async function handleExempt(ctx: HandlerContext<ExemptCommand>): Promise<Outcome> {
  const denied = adminOnly(ctx, 'exempt');
  if (denied) return denied;
  const { plan } = ctx.settings;
  const written = ctx.command.units?.length ? ctx.command.units : [ctx.command.unit];
  const units: string[] = [];
  for (const name of written) {
    const r = resolveUnitName(ctx, name);
    if ('suggestions' in r) return refuse('未豁免', [...suggestionLines(name, r.suggestions, `豁免 ${ctx.command.items[0]?.task ?? 4} 单位名 原因`), '本条未记录，请改正后重发。']);
    if (!units.includes(r.unit)) units.push(r.unit);
  }
  const snap = await ctx.snapshot();
  const lines: string[] = [];
  const problems: string[] = [];
  const granted: Array<{ unit: string; task: number; due: string | null }> = [];
  const already: string[] = [];
  for (const unit of units) {
    const inForce = await ctx.tx.exemptions.list({ year: plan.year, unit });
    for (const item of ctx.command.items) {
      const name = plan.tasks.find((t) => t.no === item.task)?.name ?? `任务${item.task}`;
      if (!(snap.byUnit.get(unit) ?? []).some((row) => row.task === item.task)) {
        problems.push(`${unit} 不承担任务${item.task} ${name}。`);
        continue;
      }
      const choices = milestoneChoices(plan, item.task);
      let due: string | null = null;
      if (item.milestone !== undefined || item.due !== undefined) {
        const choice = item.milestone !== undefined ? choices[item.milestone - 1] : choices.find((c) => c.due === item.due || c.writtenDue === item.due);
        if (!choice) {
          problems.push(`任务${item.task} 没有这个节点；可选：${choices.map((c) => `${c.selector}（${c.due}）`).join('、')}`);
          continue;
        }
        due = choice.due;
      }
      const label = `${unit} 任务${item.task} ${name}${due ? `（${due} 节点）` : ''}`;
      // An identical exemption in force (same task, unit and milestone) is a repeat: keep the first one.
      if (inForce.some((e) => e.task === item.task && (e.due ?? null) === due) || granted.some((g) => g.unit === unit && g.task === item.task && g.due === due)) {
        already.push(`${label}：此前已豁免，未重复记录。`);
        continue;
      }
      granted.push({ unit, task: item.task, due });
      // Exempting work the unit already reported done drops that milestone from its score: say so, since
      // the office may have meant another unit or task.
      const completed = (snap.byUnit.get(unit) ?? []).filter((row) => row.task === item.task && (due === null || row.due === due) && (row.status === 'done' || row.status === 'done_late'));
      const confirmedOn = completed.map((row) => row.confirmedAt?.slice(0, 10)).filter((d): d is string => d !== undefined);
      lines.push(
        completed.length > 0
          ? `${label}：已豁免。注意：该单位已于 ${[...new Set(confirmedOn)].join('、')} 确认完成此项，豁免后此项不再计入其考核（确认记录保留）。`
          : `${label}：已豁免。`,
      );
    }
  }
  if (problems.length > 0) return refuse('未豁免', [...problems, '本条未记录，请改正后重发。']);
  if (granted.length === 0) return answer(notice('info', '已豁免过', already));
  lines.push(...already);
  for (const g of granted) {
    await ctx.tx.exemptions.add({ year: plan.year, task: g.task, unit: g.unit, due: g.due, reason: ctx.command.reason }, { actor: ctx.actor, at: ctx.now });
  }
  return { reply: notice('ok', '已豁免', [...lines, `原因：${ctx.command.reason}`]), wrote: true };
}

/** 入选 — marks a highlight selected. */
export async function handleSelect(ctx: HandlerContext<SelectCommand>): Promise<Outcome> {
  const denied = adminOnly(ctx, 'select');
  if (denied) return denied;
  const id = ctx.command.highlight;
  const h = await ctx.tx.highlights.get(id);
  if (!h) return refuse(`没有编号为 ${id} 的亮点`, ['亮点编号见单位报送时的回执（亮点 #编号）。']);
  if (h.status === 'selected') return answer(notice('info', '已是入选状态', [`亮点 #${id}「${h.title}」（${h.unit}）此前已标记入选。`]));
  await ctx.tx.highlights.select(id, { actor: ctx.actor, at: ctx.now });
  return { reply: notice('ok', '已标记入选', [`亮点 #${id}「${h.title}」（${h.unit}）已入选。`]), wrote: true };
}

function milestonesWith(milestones: ReadonlyArray<{ task: number; due: string; status: string }>, status: string): Array<{ task: number; due: string }> {
  return milestones
    .filter((m) => m.status === status)
    .map((m) => ({ task: m.task, due: m.due }))
    .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.task - b.task));
}

/** Why a unit is not ranked, or its rank, as the 考核 reply says it. */
function placeText(u: { rank: number | null; unranked?: 'assessor' | 'vertical' }): string {
  if (u.rank !== null) return `第${u.rank}名`;
  return u.unranked === 'vertical' ? '垂直管理，不参与排名' : '考核单位，不参与排名';
}

function one(n: number): string {
  return n.toFixed(1);
}

/** 考核 — the county assessment as of today (default rubric unless configured), or one unit's detail. */
export async function handleScores(ctx: HandlerContext<ScoresCommand>): Promise<Outcome> {
  const denied = adminOnly(ctx, 'scores');
  if (denied) return denied;
  const { plan, rubric } = ctx.settings;
  const asOf = shanghaiDate(ctx.now);
  const records = await exportRecords(ctx.tx, plan, { asOf });
  const assessment = score(plan, records, rubric === undefined ? { asOf } : { asOf, rubric });
  const groupName = (key: string) => assessment.rubric.groups[key]?.label ?? (key === 'vertical' ? assessment.rubric.vertical.label : key);
  const groups: ScoresView['groups'] = [];
  // The assessment lists units group by group, in the rubric's order (垂管单位组 last).
  for (const key of new Set(assessment.units.map((u) => u.group))) {
    const units = assessment.units.filter((u) => u.group === key);
    groups.push({
      name: groupName(key),
      units: units.map((u) => ({ rank: u.rank, placeText: placeText(u), unit: u.unit, final: one(u.final), grade: u.grade, completion: one(u.completion), briefing: one(u.briefing), bonus: one(u.bonus), deductions: one(u.deductions) })),
    });
  }
  const view: ScoresView = { title: '考核得分', mentions: [], asOf, groups };
  // Before the year ends only milestones already due count, so a unit with nothing due yet shows full marks.
  // Milestones due on 12-31 can still be confirmed on time that day: the year is settled only after it.
  const estimate = asOf <= `${plan.year}-12-31`;
  if (estimate) {
    view.title = '考核得分（预估）';
    view.estimateAsOf = asOf.slice(5);
  }
  const target = ctx.command.target;
  if (target !== undefined) {
    const r = resolveUnitName(ctx, target);
    if ('suggestions' in r) return answer(notice('info', `没有找到单位“${target}”`, r.suggestions.length ? [`是否是：${r.suggestions.join('、')}？`] : []));
    const u = assessment.units.find((x) => x.unit === r.unit);
    if (!u) return answer(notice('info', `${r.unit} 不在考核范围`, []));
    view.title = `${u.unit} 考核得分${estimate ? '（预估）' : ''}`;
    view.detail = {
      unit: u.unit,
      final: one(u.final),
      grade: u.grade,
      rank: u.rank,
      placeText: u.rank === null ? placeText(u) : `组内第 ${u.rank} 名`,
      completion: one(u.completion),
      briefing: one(u.briefing),
      bonus: one(u.bonus),
      deductions: one(u.deductions),
      overdue: milestonesWith(u.detail.milestones, 'overdue'),
      late: milestonesWith(u.detail.milestones, 'late'),
    };
    if (estimate) {
      const best = whatIf(plan, records, rubric === undefined ? { asOf } : { asOf, rubric }).units.find((x) => x.unit === u.unit);
      if (best) view.detail.best = { final: one(best.final), grade: best.grade };
    }
  }
  return answer({ template: 'scores', view });
}

/** 导出 — the plan year's records: as a JSON file where the platform takes files, and a summary. */
export async function handleExport(ctx: HandlerContext<ExportCommand>): Promise<Outcome> {
  const denied = adminOnly(ctx, 'export');
  if (denied) return denied;
  const { plan } = ctx.settings;
  const asOf = shanghaiDate(ctx.now);
  const records = await exportRecords(ctx.tx, plan, { asOf });
  const lines = [
    `${plan.year} 年记录（截至 ${asOf}）：确认 ${records.confirmations.length} 条，汇报 ${records.briefings.length} 条，亮点 ${records.highlights.length} 条，豁免 ${records.exemptions.length} 条，扣分 ${records.deductions.length} 条，回头看 ${records.carryover.length} 条。`,
  ];
  const adapter = ctx.settings.adapters.get(ctx.msg.platform);
  const report = '考核汇总表：在服务器上运行 zwgk report --format xlsx --out 考核.xlsx（读取机器人数据库）。';
  if (!adapter?.sendFile) {
    return answer(
      notice('info', '导出', [...lines, '这个平台的机器人不能发文件，所以没有发出记录文件；在服务器上运行 zwgk export --out 记录.json 可得到同样的文件。'], report),
    );
  }
  const filename = `zwgk-records-${plan.year}-${asOf}.json`;
  const conversationId = ctx.msg.conversationId;
  const content = `${JSON.stringify(records, null, 2)}\n`;
  return {
    reply: notice('info', '导出', [...lines, `全部记录（JSON 文件 ${filename}）随后发到本群。`], report),
    wrote: false,
    after: async () => {
      await adapter.sendFile?.(conversationId, { filename, mimeType: 'application/json', content });
    },
  };
}
