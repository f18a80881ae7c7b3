import { describe, expect, it } from 'vitest';
import { ImportCache } from './cache.js';
import { joinUnitLines, LineShapes } from './shape.js';

const shapes = () => new LineShapes(new ImportCache(2022));

describe('LineShapes', () => {
  it('reads date phrases as deadlines', () => {
    const s = shapes();
    for (const line of ['全年', '11 月底前', '年底前', '长期推进', '每季度', '2021年8月前']) expect(s.of(line).shape).toBe('deadline');
  });

  it('reads unit names, group phrases and role words as units, strong when unmistakable', () => {
    const s = shapes();
    expect(s.of('县政府办牵头，')).toMatchObject({ shape: 'units', strong: true, lead: true });
    expect(s.of('各乡镇配合')).toMatchObject({ shape: 'units', strong: true, lead: false });
    expect(s.of('县直各有关部门')).toMatchObject({ shape: 'units', strong: true });
    expect(s.of('县财政局、县审计局、')).toMatchObject({ shape: 'units', strong: true });
    expect(s.of('县政府办')).toMatchObject({ shape: 'units', strong: false, lead: false });
    expect(s.of('沁源经济技术开发区')).toMatchObject({ shape: 'units' });
  });

  it('accepts a list broken inside its last name', () => {
    expect(shapes().of('县政府办、行政审批局、开发区，县直各有关').shape).toBe('units');
  });

  it('reads role words on their own as the tail of a responsibility cell', () => {
    const s = shapes();
    expect(s.of('牵头').shape).toBe('role');
    expect(s.of('配合落实').shape).toBe('role');
  });

  it('reads finished or long lines as sentences and short fragments as text', () => {
    const s = shapes();
    expect(s.of('应确保在政府网站首发。')).toMatchObject({ shape: 'sentence', closed: true });
    expect(s.of('发挥政府网站作为政务公开第一平台作用，行政机关主动公开的各类文件')).toMatchObject({ shape: 'sentence', closed: false });
    expect(s.of('做好解读')).toMatchObject({ shape: 'text', closed: false, clause: false });
    expect(s.of('及时发布政策文件，')).toMatchObject({ shape: 'text', clause: true });
  });

  it('does not take a content fragment ending in 区, 站 or 部 for a unit', () => {
    const s = shapes();
    expect(s.of('在政府网站').shape).toBe('text');
    expect(s.of('开设政策解读专区').shape).toBe('text');
    expect(s.of('落实到全部').shape).toBe('text');
  });

  it('keeps the line as written for diagnostics and cleaned for columns', () => {
    expect(shapes().of('\t县政府办牵头， \n')).toMatchObject({ text: '县政府办牵头', shown: '县政府办牵头，' });
  });
});

describe('joinUnitLines', () => {
  it('separates two whole unit names that a wrapped list put on two lines', () => {
    expect(joinUnitLines('县政府办\n县司法局配合')).toBe('县政府办、县司法局配合');
    expect(joinUnitLines('郭道镇\n沁河镇')).toBe('郭道镇、沁河镇');
  });

  it('joins a name broken across lines, and a role word carried to the next line, without a separator', () => {
    expect(joinUnitLines('县直各有关\n部门')).toBe('县直各有关\n部门');
    expect(joinUnitLines('县人社局\n牵头，开发区\n配合')).toBe('县人社局\n牵头，开发区\n配合');
    expect(joinUnitLines('沁源经济技术开发区\n管委会')).toBe('沁源经济技术开发区\n管委会');
    expect(joinUnitLines('县财政局、\n县审计局')).toBe('县财政局、\n县审计局');
  });

  it('leaves one-line text alone', () => {
    expect(joinUnitLines('县政府办、各乡镇')).toBe('县政府办、各乡镇');
  });
});
