import type { Assessment, Plan } from '@zwgk/sdk';
import { estimateNote, footerText, reviewNote, overdueRows, reportTitle, type ReportContext, deductionRows, openRectifications } from './context.js';
import { fixed1, GRADES, ROLE_LABEL, gradeCounts, groupLabel, groupsOf, rankText, unitsOf } from './labels.js';
import { describeRubric } from './rubric-text.js';
import { distributionChart, esc, GRADE_COLOR, heatMap, taskRateChart, taskRates } from './svg.js';

/** The font stack of every report page: CJK-capable fonts first, all of them local (no web fonts). */
export const FONT_STACK = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

/** The stylesheet of every HTML report page (the assessment and the roll-up across counties). */
const CSS = `
*{box-sizing:border-box}
body{font-family:${FONT_STACK};color:#222;margin:0;background:#fff;font-size:14px;line-height:1.5}
main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:28px 0 8px;padding-bottom:4px;border-bottom:2px solid #c0392b}
h3{font-size:15px;margin:12px 0 6px}
.meta{color:#555;margin:0 0 12px}
.grades{display:flex;gap:10px;flex-wrap:wrap;margin:8px 0}
.grade{border-radius:6px;padding:6px 12px;color:#fff;font-weight:bold}
.grade b{font-size:18px;margin-left:6px}
.charts{display:flex;flex-wrap:wrap;gap:16px}
.charts figure{margin:0;flex:1 1 440px}
figure{margin:0}
figcaption{font-size:12px;color:#555;margin-top:4px}
svg.chart{max-width:100%;height:auto;display:block;font-family:${FONT_STACK}}
.legend{font-size:12px;color:#555}
.legend i{display:inline-block;width:12px;height:12px;border-radius:2px;margin:0 4px -1px 10px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:right}
th{background:#f2f2f2}
td.name,th.name{text-align:left}
tr.group th{background:#fbe9e7;text-align:left}
td.g-优秀{color:#1a9850;font-weight:bold}
td.g-不合格{color:#d73027;font-weight:bold}
td.days{white-space:nowrap;color:#d73027}
.rules{font-size:13px}
.rules dt{font-weight:bold;float:left;clear:left;width:9em}
.rules dd{margin:0 0 4px 9.5em}
footer{margin-top:28px;color:#777;font-size:12px}
@page{size:A4;margin:12mm}
@media print{
  main{max-width:none;padding:0}
  body{font-size:12px}
  h2{break-after:avoid}
  section,figure,table{break-inside:avoid}
  section.table,section.overdue-list,table.overdue{break-inside:auto}
  tr{break-inside:avoid}
  thead{display:table-header-group}
  .charts figure{flex:1 1 45%}
  .grade{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  svg{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
`;

function unitTable(assessment: Assessment): string {
  const rows: string[] = [];
  for (const group of groupsOf(assessment)) {
    const units = unitsOf(assessment, group);
    if (units.length === 0) continue;
    rows.push(`<tr class="group"><th colspan="8">${esc(groupLabel(assessment.rubric, group))}（${units.length} 个单位）</th></tr>`);
    for (const u of units) {
      rows.push(
        `<tr class="unit-row"><td>${esc(rankText(u))}</td><td class="name">${esc(u.unit)}</td><td>${fixed1(u.completion)}</td><td>${fixed1(u.briefing)}</td><td>${fixed1(u.bonus)}</td><td>${u.deductions ? `−${fixed1(u.deductions)}` : '0.0'}</td><td><b>${fixed1(u.final)}</b></td><td class="name g-${esc(u.grade)}">${esc(u.grade)}</td></tr>`,
      );
    }
  }
  return `<table><thead><tr><th>组内排名</th><th class="name">单位</th><th>完成情况</th><th>听取汇报</th><th>加分</th><th>扣分</th><th>总分</th><th class="name">等次</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function rectificationList(assessment: Assessment): string {
  const rows = openRectifications(assessment);
  if (rows.length === 0) return '<p>没有未销号的整改事项。</p>';
  const body = rows
    .map((r) => `<tr><td class="name">${esc(r.unit)}</td><td class="name">${esc(r.item)}</td><td>${esc(r.due)}</td><td class="name">${esc(r.state)}${r.overdue ? '（已超期）' : ''}</td><td>${r.points ? `−${fixed1(r.points)}` : '0.0'}</td></tr>`)
    .join('');
  return `<table class="rectifications"><thead><tr><th class="name">单位</th><th class="name">整改事项</th><th>期限</th><th class="name">状态</th><th>扣分</th></tr></thead><tbody>${body}</tbody></table>`;
}

function deductionList(assessment: Assessment): string {
  const rows = deductionRows(assessment);
  if (rows.length === 0) return '<p>没有县政府办记录的扣分。</p>';
  const body = rows.map((d) => `<tr><td class="name">${esc(d.unit)}</td><td class="name">${esc(d.reason)}</td><td>−${fixed1(d.points)}</td></tr>`).join('');
  return `<table class="deductions"><thead><tr><th class="name">单位</th><th class="name">原因</th><th>扣分</th></tr></thead><tbody>${body}</tbody></table>`;
}

function overdueList(assessment: Assessment, plan: Plan, context: ReportContext): string {
  const rows = overdueRows(assessment, plan, context);
  if (rows.length === 0) return '<p>截至评估日，没有逾期未完成的事项。</p>';
  const body = rows
    .map(
      (r) =>
        `<tr><td class="name">${esc(r.unit)}</td><td class="name">${ROLE_LABEL[r.role]}</td><td class="name">任务${r.task} ${esc(r.taskName)}</td><td class="name">${esc(r.milestone)}</td><td>${esc(r.due)}</td><td class="days">${r.daysOverdue === 0 ? '当日截止' : `${r.daysOverdue} 天`}</td><td class="name">${esc(r.liaison)}</td></tr>`,
    )
    .join('');
  return `<table class="overdue"><thead><tr><th class="name">单位</th><th class="name">角色</th><th class="name">任务</th><th class="name">节点</th><th>截止日期</th><th>逾期天数</th><th class="name">联络员</th></tr></thead><tbody>${body}</tbody></table>`;
}

/**
 * A self-contained report page: the document head (no scripts, no outside resources: a restrictive CSP),
 * the report styles, and `main` (HTML, already escaped) under the page's title.
 */
export function htmlDocument(title: string, main: string): string {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${esc(title)}</h1>
${main}</main>
</body>
</html>
`;
}

/**
 * The printable assessment report: one self-contained HTML file (inline CSS and SVG, no scripts, fonts,
 * images or any other request) with grade counts, the score distribution of each group, the completion
 * rate of every task, the overdue heat map (units × tasks), the per-unit table, the overdue list (unit,
 * role, task, milestone, due date, days overdue, liaison) and the rubric used; the footer names the
 * issuing office (`context.office`). A mid-year assessment is titled 预估. Every text taken from the plan or the records is escaped.
 *
 * @example
 * await writeFile('考核.html', renderHtml(score(plan, records, { asOf: '2022-12-31' }), plan));
 */
export function renderHtml(assessment: Assessment, plan: Plan, context: ReportContext = {}): string {
  const title = reportTitle(assessment, plan);
  const estimate = estimateNote(assessment);
  const review = reviewNote(assessment);
  const counts = gradeCounts(assessment);
  const rates = taskRates(assessment, plan);
  const grades = GRADES.map((g) => `<span class="grade" style="background:${GRADE_COLOR[g]}">${g}<b>${counts[g]}</b></span>`).join('');
  const dist = groupsOf(assessment).filter((g) => unitsOf(assessment, g).length > 0)
    .map((g) => `<figure><h3>${esc(groupLabel(assessment.rubric, g))}（${unitsOf(assessment, g).length} 个单位）</h3>${distributionChart(assessment, g)}<figcaption>按总分排序，颜色为等次，虚线为等次分数线</figcaption></figure>`)
    .join('');
  const projected = assessment.projectedFrom ? `；预测：自 ${esc(assessment.projectedFrom)} 起未完成事项全部确认` : '';
  return htmlDocument(
    title,
    `<p class="meta">评估日 ${esc(assessment.asOf)} · ${assessment.units.length} 个单位 · 逾期未完成 ${assessment.overdue.length} 项次${projected}${estimate ? `；${esc(estimate)}` : ''}${review ? `；${esc(review)}` : ''}</p>
<div class="grades">${grades}</div>
<section class="dist"><h2>得分分布</h2><div class="charts">${dist}</div></section>
<section class="rates"><h2>各任务完成率</h2><figure>${taskRateChart(rates)}<figcaption class="legend"><i style="background:#1a9850"></i>按时完成<i style="background:#f0b429"></i>逾期完成<i style="background:#66a3d2"></i>任务${assessment.rubric.tasks.briefing}为已听取汇报的单位比例，任务${assessment.rubric.tasks.highlight}为报送亮点工程的单位比例；“—”为尚未到期，“×”为没有计分的责任单位</figcaption></figure></section>
<section class="heat"><h2>逾期热力图</h2><figure>${heatMap(assessment, plan)}<figcaption>每行一个单位（按组内排名），每列一项任务；颜色为该单位在该任务上最差的节点状态，空白为未分配该任务</figcaption></figure></section>
<section class="table"><h2>各单位得分</h2>${unitTable(assessment)}</section>
<section class="overdue-list"><h2>逾期未完成清单</h2>${overdueList(assessment, plan, context)}</section>
<section class="rectifications"><h2>整改未销号事项</h2>${rectificationList(assessment)}</section>
<section class="deductions"><h2>扣分</h2>${deductionList(assessment)}</section>
<section class="rules"><h2>评分规则</h2><dl>${describeRubric(assessment.rubric)
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`)
    .join('')}</dl></section>
<footer>${esc(footerText(assessment, context))}</footer>
`,
  );
}
