import ExcelJS from 'exceljs';
import { score } from '@zwgk/sdk';
import { describe, expect, it } from 'vitest';
import { tinyPlan, tinyRecords } from './fixtures.js';
import { HEADER_ROW, renderXlsx, shanghaiTime } from './xlsx.js';

const plan = tinyPlan();
const assessment = score(plan, tinyRecords(), { asOf: '2022-12-31' });

async function readBack(a = assessment, context = {}): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await renderXlsx(a, plan, context)) as unknown as ArrayBuffer);
  return wb;
}

/** Row n counted from the header row (1 = the header), below the title rows. */
function rowValues(ws: ExcelJS.Worksheet, n: number): unknown[] {
  return (ws.getRow(n + HEADER_ROW - 1).values as unknown[]).slice(1);
}

/** Rows after the header. */
function dataRows(ws: ExcelJS.Worksheet): unknown[][] {
  return Array.from({ length: ws.rowCount - HEADER_ROW }, (_, i) => rowValues(ws, i + 2));
}

describe('renderXlsx', () => {
  it('writes the five sheets in order', async () => {
    const wb = await readBack();
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['总表', '明细', '加减分', '逾期', '规则']);
  });

  it('freezes, filters and styles every header row below the title rows', async () => {
    const wb = await readBack();
    for (const ws of wb.worksheets) {
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: HEADER_ROW });
      expect(ws.autoFilter).toBeTruthy();
      expect(ws.getRow(HEADER_ROW).font?.bold).toBe(true);
    }
  });

  it('titles every sheet and names the office and the assessment date under the title', async () => {
    const wb = await readBack(assessment, { office: { name: '测试县人民政府办公室' } });
    const ws = wb.getWorksheet('总表')!;
    expect(ws.getCell('A1').value).toBe('测试县2022年政务公开工作考核（总表）');
    expect(ws.getCell('A2').value).toBe('测试县人民政府办公室 · 评估日 2022-12-31');
    expect(ws.getCell('A1').isMerged).toBe(true);
  });

  it('titles a mid-year workbook 预估 and says what is left out', async () => {
    const ws = (await readBack(score(plan, tinyRecords(), { asOf: '2022-07-15' }))).getWorksheet('逾期')!;
    expect(ws.getCell('A1').value).toBe('测试县2022年政务公开工作考核（预估）（逾期）');
    expect(ws.getCell('A2').value).toContain('尚未到期的任务节点不计入');
  });

  it('prints every sheet on A4 landscape, fitted to the width, with the title and header rows on every page', async () => {
    for (const ws of (await readBack()).worksheets) {
      expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `1:${HEADER_ROW}` });
    }
  });

  it('fills 总表 with the hand-computed scores, formatted 0.0', async () => {
    const ws = (await readBack()).getWorksheet('总表')!;
    expect(rowValues(ws, 1)).toEqual(['单位', '组别', '完成情况得分', '听取汇报', '加分', '扣分', '总分', '等次', '组内排名']);
    expect(rowValues(ws, 2)).toEqual(['郭道镇', '乡镇组', 90, 10, 3, 0, 103, '优秀', 1]);
    expect(rowValues(ws, 6)).toEqual(['县公安局', '部门组', 54, 0, 0, 3, 51, '不合格', 2]);
    expect(ws.rowCount).toBe(HEADER_ROW + 6);
    expect(ws.getCell(`G${HEADER_ROW + 1}`).numFmt).toBe('0.0');
    expect(ws.getCell(`C${HEADER_ROW + 5}`).numFmt).toBe('0.0');
    // Chinese names take two width units a character
    expect(ws.getColumn(1).width).toBeGreaterThanOrEqual(18);
  });

  it('explains each milestone in 明细 with Chinese status labels, Shanghai times and evidence', async () => {
    const ws = (await readBack()).getWorksheet('明细')!;
    expect(rowValues(ws, 1)).toEqual(['单位', '任务序号', '任务名称', '截止日期', '角色', '权重', '状态', '得分', '确认时间', '佐证材料']);
    const rows = dataRows(ws);
    // 3 + 3 + 3 townships and zone (task 1 twice, task 10), 3 + 3 + 2 departments
    expect(rows).toHaveLength(17);
    const find = (unit: string, task: number, due: string) => rows.find((r) => r[0] === unit && r[1] === task && r[3] === due);
    expect(find('郭道镇', 1, '2022-06-30')).toEqual(['郭道镇', 1, '政策发布', '2022-06-30', '负责', 1, '按时完成', 1, '2022-06-30 23:30', 'https://example.gov.cn/a?x=1&y=2']);
    expect(find('沁河镇', 1, '2022-06-30')?.slice(6, 9)).toEqual(['逾期完成', 0.5, '2022-07-02 09:00']);
    expect(find('沁河镇', 10, '2022-12-31')?.slice(6, 8)).toEqual(['逾期未完成', 0]);
    expect(find('沁源经济技术开发区', 1, '2022-12-31')?.slice(6)).toEqual(['豁免']);
    expect(find('县公安局', 4, '2022-11-30')?.slice(4, 8)).toEqual(['配合', 0.5, '按时完成', 0.5]);
    expect(find('县司法局', 4, '2022-11-30')?.slice(4, 7)).toEqual(['牵头', 1, '逾期完成']);
  });

  it('lists briefings, highlights, carry-over and deductions in 加减分', async () => {
    const ws = (await readBack()).getWorksheet('加减分')!;
    const rows = dataRows(ws);
    expect(rows).toContainEqual(['郭道镇', '亮点工程', '“一站式”政策问答库', '入选', 3]);
    expect(rows).toContainEqual(['沁河镇', '遗留问题', '2021年政府信息公开年报未按期发布', '未整改', -2]);
    expect(rows).toContainEqual(['沁河镇', '遗留问题', '依申请公开答复超期', '已整改', 0]);
    expect(rows).toContainEqual(['县公安局', '其他扣分', '政务公开专栏信息更新不及时，被市级通报', '县政府办扣分', -3]);
    expect(rows).toContainEqual(['县财政局', '听取汇报', '2021-12-20 上年度，不计', '不在考核年度，不计']);
  });

  it('lists the overdue milestones with role, milestone, days overdue as of the assessment date and the liaison', async () => {
    const ws = (await readBack(assessment, { liaisons: { 县财政局: ['王五', '赵六'] } })).getWorksheet('逾期')!;
    expect(rowValues(ws, 1)).toEqual(['单位', '组别', '角色', '任务序号', '任务名称', '节点', '截止日期', '逾期天数', '联络员']);
    expect(rowValues(ws, 2)).toEqual(['县财政局', '部门组', '负责', 1, '政策发布', '2022-06-30', '2022-06-30', 184, '王五、赵六']);
    // no liaison known: the cell stays empty
    expect(dataRows(ws).find((r) => r[0] === '沁河镇')?.length).toBe(8);
    expect(ws.rowCount).toBe(HEADER_ROW + 4);
  });

  it('states the rubric in Chinese words in 规则', async () => {
    const ws = (await readBack()).getWorksheet('规则')!;
    const text = dataRows(ws).map((r) => r.join('：')).join('\n');
    expect(text).toContain('评估日：2022-12-31');
    expect(text).toContain('牵头 1，负责 1，配合 0.5');
    expect(text).toContain('优秀 ≥ 90，良好 ≥ 70，合格 ≥ 60');
    expect(text).toContain('加分上限 10 分');
  });
});

describe('shanghaiTime', () => {
  it('shows an instant in Shanghai time and keeps a bare date', () => {
    expect(shanghaiTime('2022-06-30T15:30:00Z')).toBe('2022-06-30 23:30');
    // Without an offset the time is already Shanghai's, whatever the server's zone.
    expect(shanghaiTime('2022-11-30T23:30:00')).toBe('2022-11-30 23:30');
    expect(shanghaiTime('2022-06-30')).toBe('2022-06-30');
  });
});
