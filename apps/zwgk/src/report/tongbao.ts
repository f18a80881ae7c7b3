import type { Assessment, Plan } from '@zwgk/sdk';
import { chineseDate, isEstimate, overdueRows, reportTitle, type ReportContext, deductionRows, openRectifications } from './context.js';
import { gradeCounts } from './labels.js';

/**
 * The built-in 通报 template (Handlebars). Lines before `---` are the header (`标题：`, one line each for a
 * title set on several lines, and `主送：`); after it,
 * every non-empty line is one paragraph: `# ` starts a level-1 heading (黑体), `## ` a level-2 heading
 * (楷体_GB2312), anything else is body text (仿宋_GB2312). The 落款 (office and date) is added below.
 * docs/assessment.md lists the placeholders; a copy of this text is the starting point of a county's own.
 */
export const DEFAULT_TONGBAO_TEMPLATE = `标题：关于{{county}}{{year}}年政务公开工作
标题：{{#if estimate}}考核预估{{else}}考核{{/if}}情况的通报
主送：各乡镇人民政府，县直各有关单位：
---
为推动{{county}}{{year}}年政务公开工作要点落实，{{office.shortName}}对各单位截至{{asOfCn}}的任务完成情况进行了{{#if estimate}}预估{{else}}考核{{/if}}。现将有关情况通报如下。
# 一、总体情况
截至{{asOfCn}}，纳入考核的{{unitCount}}个单位应完成任务节点{{milestones.due}}项次，已完成{{milestones.done}}项次，其中按期完成{{milestones.onTime}}项次、逾期完成{{milestones.late}}项次，完成率{{completionRate}}；逾期未完成{{milestones.overdue}}项次。{{#if estimate}}尚未到期的任务节点不计入本次预估，最终结果以年终考核为准。{{/if}}{{#if reviews.required}}完成情况只计经复核通过的确认{{#if reviews.waiting}}，待复核{{reviews.pending}}项次、退回{{reviews.returned}}项次暂未计分{{/if}}。{{/if}}
评定等次：优秀{{grades.excellent}}个，良好{{grades.good}}个，合格{{grades.pass}}个，不合格{{grades.fail}}个。
# 二、优秀单位
{{#if excellent.length}}{{excellentList}}共{{excellent.length}}个单位{{#if estimate}}预估等次为优秀，请继续保持。{{else}}等次为优秀，予以通报表扬。{{/if}}{{else}}本次{{#if estimate}}预估{{else}}考核{{/if}}没有等次为优秀的单位。{{/if}}
# 三、逾期未完成情况
{{#if overdueTasks.length}}
截至{{asOfCn}}，{{overdueUnitCount}}个单位共{{milestones.overdue}}项次任务节点逾期未完成：
## （一）逾期单位
{{#each overdueUnits}}{{unit}}（{{count}}项次）{{#unless @last}}、{{/unless}}{{/each}}。
## （二）逾期任务
{{#each overdueTasks}}
任务{{task}}“{{name}}”（{{#if milestone}}{{milestone}}，{{/if}}{{dueCn}}截止）：{{units}}。
{{/each}}
{{else}}
截至{{asOfCn}}，没有逾期未完成的任务节点。
{{/if}}
# 四、整改情况
{{#if rectifications.length}}
以下问题尚未整改到位：
{{#each rectifications}}
{{unit}}：{{item}}{{#if dueCn}}（整改期限{{dueCn}}{{#if overdue}}，已超期{{/if}}）{{/if}}。
{{/each}}
{{else}}
目前没有尚未完成的整改事项。
{{/if}}
{{#if deductions.length}}
考核中扣分的情况如下：
{{#each deductions}}
{{unit}}扣{{points}}分：{{reason}}。
{{/each}}
{{/if}}
# 五、下一步工作要求
## （一）抓紧补齐短板。
逾期未完成的单位要逐项梳理原因，明确责任人和完成时限，尽快完成并在工作群中确认，按要求报送佐证材料。
## （二）严格按期推进。
各单位要对照工作要点和时间节点，提前谋划、按期完成，避免出现新的逾期事项。
## （三）加强工作保障。
各单位要明确分管领导和联络员，及时研究解决政务公开工作中的困难和问题。
`;

/** The data a 通报 template is filled with; docs/assessment.md lists every field. */
export interface TongbaoData {
  county: string;
  year: number;
  title: string;
  estimate: boolean;
  asOf: string;
  asOfCn: string;
  issued: string;
  issuedCn: string;
  office: { name: string; shortName: string };
  unitCount: number;
  milestones: { due: number; done: number; onTime: number; late: number; overdue: number };
  completionRate: string;
  grades: { excellent: number; good: number; pass: number; fail: number };
  excellent: string[];
  excellentList: string;
  overdueUnitCount: number;
  overdueUnits: Array<{ unit: string; count: number; maxDays: number; liaison: string }>;
  overdueTasks: Array<{ task: number; name: string; milestone: string; due: string; dueCn: string; units: string; unitCount: number }>;
  /** Problems not yet rectified: carry-over items and 整改 items not 复查通过 (those with their due date). */
  rectifications: Array<{ unit: string; item: string; due?: string; dueCn?: string; overdue?: boolean }>;
  /** The county office's deductions (扣分) with their reasons. */
  deductions: Array<{ unit: string; points: number; reason: string }>;
  /** The office's review (复核): whether only accepted confirmations count, how many wait (待复核) or were returned (退回), and both together. */
  reviews: { required: boolean; pending: number; returned: number; waiting: number };
}

/** Double quotes inside a name the template quotes become single ones, as nested quotes are written in Chinese. */
function innerQuotes(name: string): string {
  return name.replace(/“/g, '‘').replace(/”/g, '’');
}

/** Everything a 通报 template can use, computed from the assessment. */
export function tongbaoData(assessment: Assessment, plan: Plan, context: ReportContext = {}): TongbaoData {
  const office = context.office ?? { name: '' };
  const issued = context.issued ?? assessment.asOf;
  const m = { due: 0, done: 0, onTime: 0, late: 0, overdue: 0 };
  for (const u of assessment.units) {
    for (const x of u.detail.milestones) {
      if (x.status === 'not_due' || x.status === 'exempt') continue;
      m.due++;
      if (x.status === 'on_time') m.onTime++;
      else if (x.status === 'late') m.late++;
      else m.overdue++;
    }
  }
  m.done = m.onTime + m.late;
  const counts = gradeCounts(assessment);
  // a unit left out of the ranking (the assessor itself once the directory flags it) is not praised in the 通报
  const excellent = assessment.units.filter((u) => u.grade === '优秀' && u.rank !== null).map((u) => u.unit);
  const rows = overdueRows(assessment, plan, context);
  const byUnit = new Map<string, { unit: string; count: number; maxDays: number; liaison: string }>();
  const byTask = new Map<string, TongbaoData['overdueTasks'][number] & { list: string[] }>();
  for (const r of rows) {
    const u = byUnit.get(r.unit) ?? { unit: r.unit, count: 0, maxDays: 0, liaison: r.liaison };
    u.count++;
    u.maxDays = Math.max(u.maxDays, r.daysOverdue);
    byUnit.set(r.unit, u);
    const key = `${r.task}|${r.due}`;
    // a label that only repeats the due date says nothing the date does not
    const milestone = /^\d{4}-\d{2}-\d{2}$/.test(r.milestone) ? '' : r.milestone;
    const t = byTask.get(key) ?? { task: r.task, name: innerQuotes(r.taskName), milestone, due: r.due, dueCn: chineseDate(r.due), units: '', unitCount: 0, list: [] };
    t.list.push(r.unit);
    byTask.set(key, t);
  }
  const rectifications: TongbaoData['rectifications'] = [
    ...assessment.units.flatMap((u) => u.detail.carryover.filter((c) => !c.resolved).map((c) => ({ unit: u.unit, item: c.item }))),
    ...openRectifications(assessment).map((r) => ({ unit: r.unit, item: r.item, due: r.due, dueCn: chineseDate(r.due), overdue: r.overdue })),
  ];
  return {
    county: plan.county,
    year: assessment.year,
    title: reportTitle(assessment, plan),
    estimate: isEstimate(assessment),
    asOf: assessment.asOf,
    asOfCn: chineseDate(assessment.asOf),
    issued,
    issuedCn: chineseDate(issued),
    office: { name: office.name, shortName: office.shortName ?? office.name },
    unitCount: assessment.units.length,
    milestones: m,
    completionRate: m.due ? `${((m.done / m.due) * 100).toFixed(1)}%` : '—',
    grades: { excellent: counts.优秀, good: counts.良好, pass: counts.合格, fail: counts.不合格 },
    excellent,
    excellentList: excellent.join('、'),
    overdueUnitCount: byUnit.size,
    // the units with most overdue items first, as the office reads them out
    overdueUnits: [...byUnit.values()].sort((a, b) => b.count - a.count || b.maxDays - a.maxDays),
    overdueTasks: [...byTask.values()].map(({ list, ...t }) => ({ ...t, units: list.join('、'), unitCount: list.length })),
    rectifications,
    deductions: deductionRows(assessment),
    reviews: { required: assessment.rubric.review.required, pending: assessment.reviews.pending, returned: assessment.reviews.returned, waiting: assessment.reviews.pending + assessment.reviews.returned },
  };
}

/** A filled-in 通报: header fields and the body's paragraphs. */
export interface TongbaoText {
  /** The title's lines (one, or as many as the template's `标题：` lines). */
  title: string[];
  to: string;
  paragraphs: Array<{ kind: 'h1' | 'h2' | 'body'; text: string }>;
}

/**
 * Fills a 通报 template (Handlebars, no HTML escaping) and splits it into header and paragraphs.
 * Returns an error for a template that does not compile or has no `---` line after its header.
 */
export async function fillTongbao(template: string, data: TongbaoData): Promise<{ success: true; data: TongbaoText } | { success: false; error: string }> {
  const { default: Handlebars } = await import('handlebars');
  let text: string;
  try {
    text = Handlebars.compile(template, { noEscape: true, strict: false })(data);
  } catch (error) {
    return { success: false, error: `the 通报 template does not compile: ${error instanceof Error ? error.message : String(error)}` };
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const sep = lines.findIndex((l) => l.trim() === '---');
  if (sep < 0) return { success: false, error: 'the 通报 template needs a line "---" between its header (标题：, 主送：) and its body' };
  const header = new Map<string, string[]>();
  for (const line of lines.slice(0, sep)) {
    const m = /^\s*([^:：]+)[:：](.*)$/.exec(line);
    const value = m?.[2]?.trim();
    if (m && value) header.set(m[1]!.trim(), [...(header.get(m[1]!.trim()) ?? []), value]);
  }
  const paragraphs: TongbaoText['paragraphs'] = [];
  for (const raw of lines.slice(sep + 1)) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('## ')) paragraphs.push({ kind: 'h2', text: line.slice(3).trim() });
    else if (line.startsWith('# ')) paragraphs.push({ kind: 'h1', text: line.slice(2).trim() });
    else paragraphs.push({ kind: 'body', text: line });
  }
  return { success: true, data: { title: header.get('标题') ?? [data.title], to: (header.get('主送') ?? []).join(''), paragraphs } };
}
