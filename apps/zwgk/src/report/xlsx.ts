import ExcelJS from 'exceljs';
import type { Assessment, Plan } from '@zwgk/sdk';
import { groupLabel, ROLE_LABEL, round1, STATUS_LABEL, SUMMARY_HEADERS, summaryRow } from './labels.js';
import { describeRubric } from './rubric-text.js';
import { estimateNote, footerText, reviewNote, overdueRows, reportTitle, type ReportContext } from './context.js';
import { displayWidth } from '../table.js';

/** The sheets of the workbook, in order. */
export const SHEETS = ['总表', '明细', '加减分', '逾期', '规则'] as const;

/** Headers of the 明细 sheet (one row per unit × milestone). */
export const DETAIL_HEADERS = ['单位', '任务序号', '任务名称', '截止日期', '角色', '权重', '状态', '得分', '确认时间', '佐证材料'] as const;
/** Headers of the 加减分 sheet (briefings, highlights, carry-over items and manual deductions). */
export const ADJUST_HEADERS = ['单位', '项目', '内容', '情况', '分值'] as const;
/** Headers of the 逾期 sheet. */
export const OVERDUE_HEADERS = ['单位', '组别', '角色', '任务序号', '任务名称', '节点', '截止日期', '逾期天数', '联络员'] as const;
/** Headers of the 规则 sheet. */
export const RULE_HEADERS = ['项目', '规则'] as const;

type Cell = string | number | null;
type Column = { header: string; numFmt?: string; wrap?: boolean; max?: number };

/** Rows above each sheet's header: the title and a line with the assessment date (and 预估 / the office). */
export const TITLE_ROWS = 2;
/** The header row of every sheet (1-based), below {@link TITLE_ROWS}. */
export const HEADER_ROW = TITLE_ROWS + 1;

/** Adds a sheet in the reports' layout: title rows, frozen header, A4 landscape printing, column widths fitted to the rows. */
export function addSheet(wb: ExcelJS.Workbook, name: string, columns: Column[], rows: Cell[][], titles: [string, string]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: HEADER_ROW }],
    // printed for the county leadership: A4 landscape, as wide as the page, the title and header on every page
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `1:${HEADER_ROW}`,
      horizontalCentered: true,
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: `&L${titles[1].replace(/&/g, '&&')}&R第 &P 页，共 &N 页` },
  });
  ws.columns = columns.map((c) => {
    const longest = Math.max(
      displayWidth(c.header),
      ...rows.map((r) => {
        const v = r[columns.indexOf(c)];
        if (v === null || v === undefined) return 0;
        const text = typeof v === 'number' && c.numFmt ? v.toFixed(1) : String(v);
        return Math.max(...text.split('\n').map(displayWidth));
      }),
    );
    return { width: Math.min(c.max ?? 40, longest + 2), style: c.numFmt ? { numFmt: c.numFmt } : {} };
  });
  ws.addRow([titles[0]]);
  ws.addRow([titles[1]]);
  ws.mergeCells(1, 1, 1, columns.length);
  ws.mergeCells(2, 1, 2, columns.length);
  ws.getRow(1).font = { bold: true, size: 16 };
  ws.getRow(1).height = 26;
  ws.getRow(1).alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(2).alignment = { horizontal: 'center' };
  ws.addRow(columns.map((c) => c.header));
  for (const r of rows) ws.addRow(r);
  const header = ws.getRow(HEADER_ROW);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center' };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
  });
  columns.forEach((c, i) => {
    if (c.wrap) ws.getColumn(i + 1).alignment = { wrapText: true, vertical: 'top' };
  });
  ws.autoFilter = { from: { row: HEADER_ROW, column: 1 }, to: { row: HEADER_ROW, column: columns.length } };
  return ws;
}

const SHANGHAI = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A recorded confirmation time shown in Shanghai time (`2022-11-20 10:00`); a bare date stays a date. */
export function shanghaiTime(at: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(at)) return at;
  // A time written without an offset is Shanghai wall-clock time (as the SDK reads records), never the server's zone.
  const text = at.replace(' ', 'T');
  const d = new Date(/(?:Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}+08:00`);
  if (Number.isNaN(d.getTime())) return at;
  const p = Object.fromEntries(SHANGHAI.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}


/**
 * The assessment as an Excel workbook: 总表 (per unit), 明细 (per unit × milestone, with status,
 * confirmation time and evidence; 得分 = 权重 × 节点得分), 加减分 (briefings, highlights, carry-over,
 * manual deductions), 逾期 (overdue milestones) and 规则 (the rubric used, in words). Chinese headers,
 * frozen header rows, widths fitted to the content, scores formatted `0.0`, an autofilter on each header.
 *
 * @example
 * await writeFile('考核.xlsx', await renderXlsx(score(plan, records, { asOf: '2022-12-31' }), plan));
 */
export async function renderXlsx(assessment: Assessment, plan: Plan, context: ReportContext = {}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'zwgk';
  // a fixed date keeps the file reproducible for the same assessment
  wb.created = new Date(`${assessment.asOf}T00:00:00+08:00`);
  wb.modified = wb.created;
  const rubric = assessment.rubric;
  const score = '0.0';
  const title = reportTitle(assessment, plan);
  const sub = [footerText(assessment, context), estimateNote(assessment), reviewNote(assessment)].filter(Boolean).join(' · ');
  const titles = (sheet: string): [string, string] => [`${title}（${sheet}）`, sub];

  addSheet(
    wb,
    '总表',
    SUMMARY_HEADERS.map((header, i) => ({ header, ...(i >= 2 && i <= 6 ? { numFmt: score } : {}) })),
    assessment.units.map((u) => summaryRow(assessment, u)),
    titles('总表'),
  );

  const detail: Cell[][] = [];
  for (const u of assessment.units) {
    for (const m of u.detail.milestones) {
      detail.push([
        u.unit,
        m.task,
        m.taskName,
        m.due,
        ROLE_LABEL[m.role],
        m.weight,
        STATUS_LABEL[m.status] + (m.projected ? '（预测）' : ''),
        m.credit === null ? null : Math.round(m.weight * m.credit * 100) / 100,
        m.confirmedAt ? shanghaiTime(m.confirmedAt) : null,
        m.evidence.length ? m.evidence.join('\n') : null,
      ]);
    }
  }
  addSheet(
    wb,
    '明细',
    DETAIL_HEADERS.map((header) => ({
      header,
      ...(header === '权重' || header === '得分' ? { numFmt: '0.0#' } : {}),
      ...(header === '任务名称' ? { max: 36, wrap: true } : {}),
      ...(header === '佐证材料' ? { max: 50, wrap: true } : {}),
    })),
    detail,
    titles('明细'),
  );

  const adjust: Cell[][] = [];
  for (const u of assessment.units) {
    for (const b of u.detail.briefings) {
      const status = b.status === 'counted' ? '计入' : b.status === 'outside_year' ? '不在考核年度，不计' : '晚于评估日，不计';
      adjust.push([u.unit, '听取汇报', `${b.date}${b.note ? ` ${b.note}` : ''}`, status, null]);
    }
    if (u.detail.briefings.length || u.briefing) adjust.push([u.unit, '听取汇报得分', null, null, round1(u.briefing)]);
    for (const h of u.detail.highlights) adjust.push([u.unit, '亮点工程', h.title, h.status === 'selected' ? '入选' : '已报送', h.points]);
    if (u.detail.bonusUncapped > u.bonus) adjust.push([u.unit, '亮点工程', `加分上限 ${rubric.bonus.cap} 分`, `合计 ${u.detail.bonusUncapped}，按上限计`, round1(u.bonus)]);
    for (const c of u.detail.carryover) adjust.push([u.unit, '遗留问题', c.item, c.resolved ? '已整改' : '未整改', c.points ? -c.points : 0]);
    for (const r of u.detail.rectifications ?? []) {
      const state = r.state === 'verified' ? '复查通过' : r.state === 'rectified' ? '已整改（待复查）' : '待整改';
      adjust.push([u.unit, '整改', `${r.item}（期限 ${r.due}）`, `${state}${r.overdue ? '，逾期' : ''}`, r.points ? -r.points : 0]);
    }
    const carried = u.detail.carryover.reduce((s, c) => s + c.points, 0) + (u.detail.rectifications ?? []).reduce((s, r) => s + r.points, 0);
    if (carried > u.detail.carryoverPoints) adjust.push([u.unit, '遗留问题', `扣分上限 ${rubric.carryover.cap} 分`, `合计 ${carried}，按上限计`, -u.detail.carryoverPoints]);
    for (const d of u.detail.deductions) adjust.push([u.unit, '其他扣分', d.reason, '县政府办扣分', -d.points]);
  }
  addSheet(
    wb,
    '加减分',
    ADJUST_HEADERS.map((header) => ({ header, ...(header === '分值' ? { numFmt: '+0.0;-0.0;0.0' } : {}), ...(header === '内容' ? { max: 40, wrap: true } : {}) })),
    adjust,
    titles('加减分'),
  );

  const groups = new Map(assessment.units.map((u) => [u.unit, groupLabel(rubric, u.group)]));
  addSheet(
    wb,
    '逾期',
    OVERDUE_HEADERS.map((header) => ({ header, ...(header === '任务名称' || header === '节点' ? { max: 36, wrap: true } : {}) })),
    overdueRows(assessment, plan, context).map((o) => [o.unit, groups.get(o.unit) ?? '', ROLE_LABEL[o.role], o.task, o.taskName, o.milestone, o.due, o.daysOverdue, o.liaison || null]),
    titles('逾期'),
  );

  addSheet(
    wb,
    '规则',
    RULE_HEADERS.map((header) => ({ header, ...(header === '规则' ? { max: 80, wrap: true } : {}) })),
    [
      ['考核对象', `${plan.county}${plan.year}年政务公开工作要点（${plan.tasks.length} 项任务）`],
      ['评估日', assessment.asOf + (assessment.projectedFrom ? `（预测：自 ${assessment.projectedFrom} 起未完成事项全部确认）` : '')],
      ...describeRubric(rubric),
      ['明细表“得分”', '权重 × 节点得分；未到期和豁免的节点为空，不计入'],
    ],
    titles('规则'),
  );

  return new Uint8Array(await wb.xlsx.writeBuffer());
}
