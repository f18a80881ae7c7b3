import { describe, expect, it } from 'vitest';
import { parsePlanTable } from './parse-plan-table.js';
import { dropPinyinGlosses, toSimplified } from './simplified.js';

describe('toSimplified', () => {
  it('reads traditional text as simplified and counts what changed', () => {
    expect(toSimplified('責任單位：縣財政局牽頭，各鄉鎮配合')).toEqual({ text: '责任单位：县财政局牵头，各乡镇配合', converted: 8 });
  });

  it('leaves simplified text and a stray variant character as written', () => {
    expect(toSimplified('责任单位：县财政局牵头')).toEqual({ text: '责任单位：县财政局牵头', converted: 0 });
    expect(toSimplified('县财政局牵頭')).toEqual({ text: '县财政局牵頭', converted: 0 });
  });
});

describe('dropPinyinGlosses', () => {
  it('drops pinyin with a tone mark after a character, in ASCII or full-width brackets', () => {
    expect(dropPinyinGlosses('各縣市區(qū)政府，各鄉(xiāng)鎮（zhèn）政府')).toEqual({ text: '各縣市區政府，各鄉鎮政府', dropped: 3 });
  });

  it('keeps bracketed Latin text without tone marks and brackets after other characters', () => {
    expect(dropPinyinGlosses('推进PPP项目(ppp)公开，县财政局(牵头)')).toEqual({ text: '推进PPP项目(ppp)公开，县财政局(牵头)', dropped: 0 });
    expect(dropPinyinGlosses('1.(ā)')).toEqual({ text: '1.(ā)', dropped: 0 });
  });
});

describe('parsePlanTable on traditional text', () => {
  it('imports a table served in traditional characters as its simplified original and says so', () => {
    const text = ['序號\t任務名稱\t任務內容\t責任單位\t時間節點', '1\t政策解讀\t做好政策解讀工作。\t縣財政局牽頭，縣稅務局配合\t長期推進'].join('\n');
    const result = parsePlanTable(text, { year: 2022, county: '某县', units: [] });
    if (!result.success) throw new Error(result.error);
    const task = result.data.tasks[0]!;
    expect(task.name).toBe('政策解读');
    expect(task.units.map((u) => `${u.unit}:${u.role}`)).toEqual(['县财政局:lead', '县税务局:cooperating']);
    expect(task.milestones).toMatchObject([{ due: '2022-12-31', ongoing: true }]);
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ severity: 'info', message: expect.stringContaining('traditional characters') }));
  });

  it('reads the pinyin glosses of a mirror out of unit names and says how many were dropped', () => {
    const text = ['序號\t任務名稱\t任務內容\t責任單位\t時間節點', '1\t目錄編制\t編制公開事項目錄。\t各鄉(xiāng)鎮(zhèn)政府、街道辦事處\t2020年11月底'].join('\n');
    const result = parsePlanTable(text, { year: 2020, county: '某市', units: [] });
    if (!result.success) throw new Error(result.error);
    expect(result.data.tasks[0]!.units.map((u) => u.unit)).toEqual(['各乡镇政府', '街道办事处']);
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ severity: 'info', message: expect.stringContaining('2 pinyin glosses') }));
  });
});
