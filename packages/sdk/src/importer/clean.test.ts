import { describe, expect, it } from 'vitest';
import { cleanCell, collapseSpaces, isBlankCell, joinCellLines, normalizeInput } from './clean.js';

describe('normalizeInput', () => {
  it('folds CRLF, the ideographic space and full-width digits but keeps Chinese punctuation', () => {
    expect(normalizeInput('１１\u3000月底前，\r\n全年')).toBe('11 月底前，\n全年');
  });

  it('turns the full-width bar into a cell separator', () => {
    expect(normalizeInput('｜序号｜')).toBe('|序号|');
  });
});

describe('collapseSpaces', () => {
  it('drops spaces next to Chinese characters and inside numbers written with a unit', () => {
    expect(collapseSpaces('11 月底前')).toBe('11月底前');
    expect(collapseSpaces('权责清单和 各类告知')).toBe('权责清单和各类告知');
    expect(collapseSpaces('2022 年度的市场监管信息 10 月底前')).toBe('2022年度的市场监管信息10月底前');
  });

  it('keeps one space between Latin words', () => {
    expect(collapseSpaces('open   data  portal')).toBe('open data portal');
  });
});

describe('joinCellLines', () => {
  it('joins a Chinese word broken across lines without a space', () => {
    expect(joinCellLines('公开指南和\n年度报告规范发布工作')).toBe('公开指南和年度报告规范发布工作');
  });

  it('keeps a space between Latin words broken across lines', () => {
    expect(joinCellLines('open\ndata')).toBe('open data');
  });

  it('drops lines that hold only stray punctuation', () => {
    expect(joinCellLines('落\n、\n实')).toBe('落实');
  });
});

describe('cleanCell', () => {
  it('strips stray punctuation at both ends', () => {
    expect(cleanCell('\n、\n全年\n ')).toBe('全年');
    expect(cleanCell('。\n\n县政府办、开发区，县直各有关\n。')).toBe('县政府办、开发区，县直各有关');
    expect(cleanCell('、县政府办，')).toBe('县政府办');
  });

  it('keeps the closing full stop of content', () => {
    expect(cleanCell('加快公报数据库建设。\n', 'content')).toBe('加快公报数据库建设。');
    expect(cleanCell('加快公报数据库建设。\n')).toBe('加快公报数据库建设');
  });
});

describe('isBlankCell', () => {
  it('tells punctuation-only cells from cells with text', () => {
    expect(isBlankCell(' \n、\n。 ')).toBe(true);
    expect(isBlankCell('\n全年')).toBe(false);
  });
});
