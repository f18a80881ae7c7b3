import ExcelJS from 'exceljs';
import type { CountySummary } from '@zwgk/bot';
import { htmlDocument } from './html.js';
import { esc, GRADE_COLOR } from './svg.js';
import { addSheet } from './xlsx.js';

/** The formats of the roll-up across counties. */
export const ROLLUP_FORMATS = ['md', 'html', 'xlsx'] as const;
/** One of {@link ROLLUP_FORMATS}. */
export type RollupFormat = (typeof ROLLUP_FORMATS)[number];

/** Columns of the roll-up, in order (one row per county). */
export const ROLLUP_HEADERS = ['县（区）', '租户', '年度', '已完成', '应完成', '完成率', '逾期项数', '单位数', '平均得分', '等次', '优秀', '良好', '合格', '不合格'] as const;

function row(c: CountySummary): Array<string | number> {
  return [c.county, c.tenant, c.year, c.done, c.total, `${c.percent}%`, c.overdue, c.units, c.average, c.grade, c.grades.优秀, c.grades.良好, c.grades.合格, c.grades.不合格];
}

function titleOf(lines: readonly CountySummary[]): string {
  return `各县政务公开工作汇总${lines.some((l) => l.estimate) ? '（预估）' : ''}`;
}

function meta(asOf: string, lines: readonly CountySummary[]): string {
  const overdue = lines.reduce((n, l) => n + l.overdue, 0);
  return `截至 ${asOf} · ${lines.length} 个县 · 逾期未完成 ${overdue} 项次 · 得分为各单位最终得分的平均值，等次按各县考核细则`;
}

/**
 * The roll-up across counties as a chat summary, a printable page or a workbook: one row per county with
 * its progress (done of due, overdue) and its units' assessment (mean score, grade, units per grade).
 */
export async function renderRollup(lines: readonly CountySummary[], asOf: string, format: RollupFormat): Promise<string | Uint8Array> {
  const title = titleOf(lines);
  if (format === 'md') {
    const cells = (values: ReadonlyArray<string | number>) => `| ${values.map((v) => String(v).replace(/\|/g, '\\|')).join(' | ')} |`;
    return [
      `# ${title}`,
      '',
      meta(asOf, lines),
      '',
      cells(ROLLUP_HEADERS),
      cells(ROLLUP_HEADERS.map(() => '---')),
      ...lines.map((l) => cells(row(l).map((v, i) => (i === 8 ? (v as number).toFixed(1) : v)))),
      '',
    ].join('\n');
  }
  if (format === 'html') {
    const body = lines
      .map((l) => {
        const cells = row(l).map((v, i) => (i === 8 ? (v as number).toFixed(1) : String(v)));
        return `<tr>${cells.map((v, i) => (i === 0 ? `<td class="name">${esc(v)}</td>` : i === 9 ? `<td class="g-${esc(v)}" style="color:${GRADE_COLOR[l.grade]}">${esc(v)}</td>` : `<td>${esc(v)}</td>`)).join('')}</tr>`;
      })
      .join('\n');
    return htmlDocument(
      title,
      `<p class="meta">${esc(meta(asOf, lines))}</p>
<section class="table"><table><thead><tr>${ROLLUP_HEADERS.map((h, i) => `<th${i === 0 ? ' class="name"' : ''}>${esc(h)}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody></table></section>
`,
    );
  }
  const wb = new ExcelJS.Workbook();
  wb.creator = 'zwgk';
  const columns = ROLLUP_HEADERS.map((header, i) => ({ header, ...(i === 8 ? { numFmt: '0.0' } : {}) }));
  addSheet(wb, '各县汇总', columns, lines.map(row), [title, meta(asOf, lines)]);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
