import ExcelJS from 'exceljs';
import { RecordsSchema, score } from '@zwgk/sdk';
import { describe, expect, it } from 'vitest';
import { deductionRows, openRectifications } from './context.js';
import { tinyPlan, tinyRecordsInput } from './fixtures.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { tongbaoData } from './tongbao.js';
import { renderXlsx } from './xlsx.js';

const plan = tinyPlan();
const records = RecordsSchema.parse({
  ...tinyRecordsInput(),
  rectifications: [
    { unit: '郭道镇', item: '政务新媒体账号长期未更新', due: '2022-10-31', state: 'open' },
    { unit: '县司法局', item: '执法公示栏目缺少决定书', due: '2022-12-20', state: 'rectified', rectifiedOn: '2022-12-10' },
    { unit: '沁河镇', item: '专栏已补齐', due: '2022-12-20', state: 'verified', verifiedOn: '2022-12-10' },
  ],
});
const assessment = score(plan, records, { asOf: '2022-12-31' });

describe('reports on 整改 and 扣分', () => {
  it('collect the open rectification items by due date, with the points the late ones cost, and every deduction', () => {
    expect(openRectifications(assessment)).toEqual([
      { unit: '郭道镇', item: '政务新媒体账号长期未更新', due: '2022-10-31', state: '待整改', overdue: true, points: 2 },
      { unit: '县司法局', item: '执法公示栏目缺少决定书', due: '2022-12-20', state: '已整改（待复查）', overdue: true, points: 2 },
    ]);
    expect(deductionRows(assessment)).toEqual([{ unit: '县公安局', points: 3, reason: '政务公开专栏信息更新不及时，被市级通报' }]);
  });

  it('list them in the Markdown summary and the HTML report', () => {
    const md = renderMarkdown(assessment, plan);
    expect(md).toContain('#### 整改未销号（2 项）\n\n- 郭道镇：政务新媒体账号长期未更新（期限 2022-10-31，待整改，已超期）');
    expect(md).toContain('#### 扣分（1 项）\n\n- 县公安局 −3：');
    const html = renderHtml(assessment, plan);
    expect(html).toContain('<h2>整改未销号事项</h2>');
    expect(html).toContain('<td class="name">政务新媒体账号长期未更新</td><td>2022-10-31</td><td class="name">待整改（已超期）</td><td>−2.0</td>');
    expect(html).toContain('<td class="name">县公安局</td><td class="name">政务公开专栏信息更新不及时，被市级通报</td><td>−3.0</td>');
    expect(html).not.toContain('专栏已补齐');
  });

  it('give the 通报 the open items with their due dates and the deductions with their reasons', () => {
    const data = tongbaoData(assessment, plan);
    expect(data.rectifications).toContainEqual({ unit: '郭道镇', item: '政务新媒体账号长期未更新', due: '2022-10-31', dueCn: '2022年10月31日', overdue: true });
    expect(data.deductions).toEqual([{ unit: '县公安局', points: 3, reason: '政务公开专栏信息更新不及时，被市级通报' }]);
  });

  it('put each 整改 item in the 加减分 sheet of the workbook', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderXlsx(assessment, plan)) as never);
    const rows: string[] = [];
    wb.getWorksheet('加减分')!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).join('|')));
    expect(rows).toContain('郭道镇|整改|政务新媒体账号长期未更新（期限 2022-10-31）|待整改，逾期|-2');
    expect(rows).toContain('沁河镇|整改|专栏已补齐（期限 2022-12-20）|复查通过|0');
  });
});
