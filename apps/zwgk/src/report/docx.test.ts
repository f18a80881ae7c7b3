import JSZip from 'jszip';
import { score } from '@zwgk/sdk';
import { describe, expect, it } from 'vitest';
import { renderDocx, TongbaoTemplateError } from './docx.js';
import { tinyPlan, tinyRecords } from './fixtures.js';
import { DEFAULT_TONGBAO_TEMPLATE, fillTongbao, tongbaoData } from './tongbao.js';

const plan = tinyPlan();
const yearEnd = score(plan, tinyRecords(), { asOf: '2022-12-31' });
const midYear = score(plan, tinyRecords(), { asOf: '2022-07-15' });
const office = { name: '测试县人民政府办公室', shortName: '县政府办' };

async function documentXml(body: Uint8Array): Promise<string> {
  const zip = await JSZip.loadAsync(body);
  return zip.file('word/document.xml')!.async('string');
}

/** The visible text of document.xml, one paragraph a line. */
function text(xml: string): string[] {
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) => [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''));
}

describe('tongbaoData', () => {
  it('counts the due milestones, the 优秀 units, the overdue units and tasks, and the open 整改 items', () => {
    const d = tongbaoData(yearEnd, plan, { office, issued: '2023-01-05' });
    // 17 milestones in the detail, one exempt: 10 on time, 2 late, 4 overdue
    expect(d.milestones).toEqual({ due: 16, done: 12, onTime: 10, late: 2, overdue: 4 });
    expect(d.completionRate).toBe('75.0%');
    expect(d.excellent).toEqual(['郭道镇', '沁源经济技术开发区']);
    expect(d.overdueUnits[0]).toMatchObject({ unit: '县财政局', count: 2, maxDays: 184 });
    expect(d.overdueTasks).toContainEqual(expect.objectContaining({ task: 1, due: '2022-12-31', units: '县公安局、县财政局', unitCount: 2 }));
    expect(d.rectifications).toEqual([{ unit: '沁河镇', item: '2021年政府信息公开年报未按期发布' }]);
    expect(d).toMatchObject({ estimate: false, issuedCn: '2023年1月5日', asOfCn: '2022年12月31日', office });
  });

  it('marks a mid-year assessment as an estimate and uses the full name when there is no short one', () => {
    const d = tongbaoData(midYear, plan, { office: { name: '测试县人民政府办公室' } });
    expect(d.estimate).toBe(true);
    expect(d.title).toBe('测试县2022年政务公开工作考核（预估）');
    expect(d.office.shortName).toBe('测试县人民政府办公室');
    expect(d.issued).toBe('2022-07-15');
  });
});

describe('fillTongbao', () => {
  it('fills the built-in template with headings, the 主送 line and a title on two lines', async () => {
    const filled = await fillTongbao(DEFAULT_TONGBAO_TEMPLATE, tongbaoData(yearEnd, plan, { office }));
    expect(filled.success).toBe(true);
    if (!filled.success) return;
    expect(filled.data.title).toEqual(['关于测试县2022年政务公开工作', '考核情况的通报']);
    expect(filled.data.to).toBe('各乡镇人民政府，县直各有关单位：');
    expect(filled.data.paragraphs.filter((p) => p.kind === 'h1').map((p) => p.text)).toEqual([
      '一、总体情况',
      '二、优秀单位',
      '三、逾期未完成情况',
      '四、整改情况',
      '五、下一步工作要求',
    ]);
    const body = filled.data.paragraphs.map((p) => p.text).join('\n');
    expect(body).toContain('郭道镇、沁源经济技术开发区共2个单位等次为优秀，予以通报表扬。');
    expect(body).toContain('县财政局（2项次）、县公安局（1项次）、沁河镇（1项次）。');
    // a milestone label that only repeats its date is left out
    expect(body).toContain('任务10“全年公开”（2022年12月31日截止）：沁河镇。');
    expect(body).toContain('沁河镇：2021年政府信息公开年报未按期发布。');
  });

  it('says plainly that nothing is overdue and no 整改 is open when that is so', async () => {
    const d = { ...tongbaoData(yearEnd, plan), overdueTasks: [], overdueUnits: [], rectifications: [] };
    const filled = await fillTongbao(DEFAULT_TONGBAO_TEMPLATE, d);
    const body = filled.success ? filled.data.paragraphs.map((p) => p.text) : [];
    expect(body).toContain('截至2022年12月31日，没有逾期未完成的任务节点。');
    expect(body).toContain('目前没有尚未完成的整改事项。');
  });

  it('takes a county’s own template', async () => {
    const own = '标题：{{county}}考核结果\n主送：各单位：\n---\n# 一、结果\n共{{unitCount}}个单位，{{#each excellent}}{{this}} {{/each}}\n';
    const filled = await fillTongbao(own, tongbaoData(yearEnd, plan));
    expect(filled).toEqual({
      success: true,
      data: {
        title: ['测试县考核结果'],
        to: '各单位：',
        paragraphs: [
          { kind: 'h1', text: '一、结果' },
          { kind: 'body', text: '共6个单位，郭道镇 沁源经济技术开发区' },
        ],
      },
    });
  });

  it('refuses a template without its header line or one that does not compile', async () => {
    const d = tongbaoData(yearEnd, plan);
    expect(await fillTongbao('标题：x\n正文', d)).toEqual({ success: false, error: expect.stringContaining('"---"') });
    expect(await fillTongbao('标题：{{#if}}\n---\n', d)).toEqual({ success: false, error: expect.stringContaining('does not compile') });
  });
});

describe('renderDocx', () => {
  it('writes an A4 page with the margins of a 公文 and the office template’s font names', async () => {
    const xml = await documentXml(await renderDocx(yearEnd, plan, { office, issued: '2023-01-05' }));
    expect(xml).toMatch(/<w:pgSz w:w="1190\d" w:h="1684\d"/);
    expect(xml).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1985" w:left="1588"/);
    for (const font of ['方正小标宋简体', '仿宋_GB2312', '黑体', '楷体_GB2312']) expect(xml).toContain(`w:eastAsia="${font}"`);
  });

  it('puts the title first, then 主送, the body and the 落款 with the office and the date', async () => {
    const lines = text(await documentXml(await renderDocx(yearEnd, plan, { office, issued: '2023-01-05' }))).filter(Boolean);
    expect(lines.slice(0, 3)).toEqual(['关于测试县2022年政务公开工作', '考核情况的通报', '各乡镇人民政府，县直各有关单位：']);
    expect(lines.slice(-2)).toEqual(['测试县人民政府办公室', '2023年1月5日']);
    expect(lines).toContain('一、总体情况');
  });

  it('titles a mid-year 通报 考核预估 and does not praise estimated grades', async () => {
    const lines = text(await documentXml(await renderDocx(midYear, plan, { office, issued: '2022-07-16' }))).join('\n');
    expect(lines).toContain('考核预估情况的通报');
    expect(lines).toContain('尚未到期的任务节点不计入本次预估');
    expect(lines).not.toContain('予以通报表扬');
  });

  it('throws a TongbaoTemplateError for a broken template', async () => {
    await expect(renderDocx(yearEnd, plan, { template: 'no header' })).rejects.toBeInstanceOf(TongbaoTemplateError);
  });
});
