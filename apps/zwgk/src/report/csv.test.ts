import { resolveRubric, score } from '@zwgk/sdk';
import { describe, expect, it } from 'vitest';
import { BOM, csvField, renderCsv } from './csv.js';
import { tinyPlan, tinyRecords } from './fixtures.js';

/** A small RFC 4180 reader, written for the test, independent of the renderer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field || row.length) throw new Error('last line not terminated by CRLF');
  return rows;
}

describe('csvField', () => {
  it('leaves plain Chinese text alone', () => {
    expect(csvField('县司法局')).toBe('县司法局');
  });

  it('quotes commas, quotes, line breaks and edge spaces, doubling quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('他说"好"')).toBe('"他说""好"""');
    expect(csvField('一\n二')).toBe('"一\n二"');
    expect(csvField(' 前导空格')).toBe('" 前导空格"');
  });
});

describe('renderCsv', () => {
  const assessment = score(tinyPlan(), tinyRecords(), { asOf: '2022-12-31' });

  it('starts with a UTF-8 byte order mark and ends lines with CRLF', () => {
    const text = renderCsv(assessment);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(BOM).toBe('\uFEFF');
    expect(Buffer.from(text, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(text.split('\r\n')).toHaveLength(assessment.units.length + 2);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
  });

  it('writes the 总表 columns with one-decimal scores', () => {
    const rows = parseCsv(renderCsv(assessment).slice(1));
    expect(rows[0]).toEqual(['单位', '组别', '完成情况得分', '听取汇报', '加分', '扣分', '总分', '等次', '组内排名']);
    expect(rows.slice(1)).toEqual([
      ['郭道镇', '乡镇组', '90.0', '10.0', '3.0', '0.0', '103.0', '优秀', '1'],
      ['沁源经济技术开发区', '乡镇组', '90.0', '10.0', '0.0', '0.0', '100.0', '优秀', '2'],
      ['沁河镇', '乡镇组', '45.0', '0.0', '0.0', '2.0', '43.0', '不合格', '3'],
      ['县司法局', '部门组', '75.0', '10.0', '1.0', '0.0', '86.0', '良好', '1'],
      ['县公安局', '部门组', '54.0', '0.0', '0.0', '3.0', '51.0', '不合格', '2'],
      ['县财政局', '部门组', '0.0', '0.0', '0.0', '0.0', '0.0', '不合格', '3'],
    ]);
  });

  it('quotes a field that holds a comma or a quote', () => {
    const rubric = resolveRubric({ groups: { township: { label: '乡镇组,含"开发区"' } } });
    if (!rubric.success) throw new Error(rubric.error);
    const text = renderCsv(score(tinyPlan(), tinyRecords(), { asOf: '2022-12-31', rubric: rubric.data }));
    expect(text).toContain('\r\n郭道镇,"乡镇组,含""开发区""",90.0,');
    expect(parseCsv(text.slice(1))[1]?.[1]).toBe('乡镇组,含"开发区"');
  });
});
