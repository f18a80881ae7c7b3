import type { Assessment, Plan, UnitScore } from '@zwgk/sdk';
import { isEstimate, reportTitle, reviewNote, deductionRows, openRectifications } from './context.js';
import { fixed1, GRADES, gradeCounts, groupLabel, groupsOf, rankText, unitsOf } from './labels.js';

/** Limits of the Markdown summary, so that it stays readable in a chat window. */
export interface MarkdownOptions {
  /** Units listed at the top and at the bottom of each group (default 3; more when units tie at the cut-off). */
  topBottom?: number;
  /** Overdue (task, deadline) lines listed before "…另有 N 项" (default 8). */
  overdueLines?: number;
  /** Units named on one overdue line before "等 N 个单位" (default 5). */
  unitsPerLine?: number;
}

function shortName(name: string, max = 16): string {
  const chars = [...name];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : name;
}

function unitLine(u: UnitScore): string {
  return u.rank === null ? `${u.unit} ${fixed1(u.final)}（${u.grade}，${rankText(u)}）` : `第${u.rank}名 ${u.unit} ${fixed1(u.final)}（${u.grade}）`;
}

/**
 * A concise summary to post in the county's admin group chat (DingTalk markdown: headings, bold and
 * short lists, no tables): grade counts, the top and bottom units of 乡镇组 and 部门组, and the overdue
 * milestones grouped by task, truncated with "…另有 N 项" when long.
 *
 * @example
 * const text = renderMarkdown(score(plan, records, { asOf: '2022-12-31' }), plan);
 */
export function renderMarkdown(assessment: Assessment, plan: Plan, options: MarkdownOptions = {}): string {
  const n = options.topBottom ?? 3;
  const maxLines = options.overdueLines ?? 8;
  const perLine = options.unitsPerLine ?? 5;
  const out: string[] = [];
  out.push(`### ${reportTitle(assessment, plan)}`);
  const note = assessment.projectedFrom ? `（预测：${assessment.projectedFrom} 起未完成事项全部按期确认）` : isEstimate(assessment) ? '（预估：尚未到期的任务节点不计入）' : '';
  const review = reviewNote(assessment);
  out.push(`截至 ${assessment.asOf}，共 ${assessment.units.length} 个单位${note}${review ? `（${review}）` : ''}`);
  const counts = gradeCounts(assessment);
  out.push(`**等次**：${GRADES.map((g) => `${g} ${counts[g]} 个`).join(' · ')}`);

  for (const group of groupsOf(assessment)) {
    const all = unitsOf(assessment, group);
    const units = all.filter((u) => u.rank !== null);
    const unranked = all.filter((u) => u.rank === null);
    out.push(`#### ${groupLabel(assessment.rubric, group)}（${all.length} 个单位）`);
    const list = (us: UnitScore[]) => us.map((u) => `- ${unitLine(u)}`).join('\n');
    // a tie at the cut-off is shown whole rather than split
    const top = units.filter((u) => u.rank! <= n);
    const cut = units[units.length - n]?.rank ?? 1;
    const bottom = units.filter((u) => u.rank! >= cut);
    if (top.length + bottom.length >= units.length) {
      if (units.length) out.push(list(units));
    } else {
      out.push(`**排名靠前**\n\n${list(top)}`);
      out.push(`**排名靠后**\n\n${list(bottom)}`);
    }
    if (unranked.length) out.push(`**不参与排名**\n\n${list(unranked)}`);
  }

  const overdue = assessment.overdue;
  if (overdue.length === 0) {
    out.push('#### 逾期未完成\n\n无');
  } else {
    const names = new Map(plan.tasks.map((t) => [t.no, t.name]));
    const lines = new Map<string, { task: number; due: string; units: string[] }>();
    for (const o of overdue) {
      const key = `${o.task}|${o.due}`;
      let line = lines.get(key);
      if (!line) lines.set(key, (line = { task: o.task, due: o.due, units: [] }));
      line.units.push(o.unit);
    }
    const all = [...lines.values()];
    const units = new Set(overdue.map((o) => o.unit)).size;
    const shown = all.length > maxLines ? all.slice(0, maxLines - 1) : all;
    const body = shown.map((l) => {
      const named = l.units.slice(0, perLine).join('、');
      const more = l.units.length > perLine ? ` 等 ${l.units.length} 个单位` : '';
      return `- 任务${l.task} ${shortName(names.get(l.task) ?? '')}（${l.due.slice(5)} 截止）：${named}${more}`;
    });
    if (shown.length < all.length) body.push(`- …另有 ${all.length - shown.length} 项，详见完整报告`);
    out.push(`#### 逾期未完成（${overdue.length} 项次，涉及 ${units} 个单位）\n\n${body.join('\n')}`);
  }
  const open = openRectifications(assessment);
  if (open.length) {
    const body = open.slice(0, maxLines).map((r) => `- ${r.unit}：${shortName(r.item, 24)}（期限 ${r.due}，${r.state}${r.overdue ? '，已超期' : ''}）`);
    if (open.length > maxLines) body.push(`- …另有 ${open.length - maxLines} 项，详见完整报告`);
    out.push(`#### 整改未销号（${open.length} 项）\n\n${body.join('\n')}`);
  }
  const deductions = deductionRows(assessment);
  if (deductions.length) {
    const body = deductions.slice(0, maxLines).map((d) => `- ${d.unit} −${d.points}：${shortName(d.reason, 24)}`);
    if (deductions.length > maxLines) body.push(`- …另有 ${deductions.length - maxLines} 项，详见完整报告`);
    out.push(`#### 扣分（${deductions.length} 项）\n\n${body.join('\n')}`);
  }
  return `${out.join('\n\n')}\n`;
}
