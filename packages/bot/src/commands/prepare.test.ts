import { describe, expect, it } from 'vitest';
import { cleanNote, normalizeText, prepare, simplifyChar } from './prepare.js';

describe('normalizeText', () => {
  it('folds traditional characters clerks type', () => {
    expect(normalizeText('確認 第十七項 已辦結')).toBe('确认 第十七项 已办结');
    expect(normalizeText('撤銷 4')).toBe('撤销 4');
    expect(simplifyChar('匯')).toBe('汇');
    expect(simplifyChar('确')).toBe('确');
  });

  it('drops zero-width and bidi control characters', () => {
    expect(normalizeText('确\u200e认\u202a 4\u2066\u00ad')).toBe('确认 4');
  });
});

describe('prepare', () => {
  it('reads folded text while giving back the traditional characters as typed', () => {
    const p = prepare('確認 4 已經公開');
    expect(p.text).toBe('确认 4 已经公开');
    expect(p.typedFrom(p.text.indexOf('已'))).toBe('已經公開');
  });
});

describe('cleanNote', () => {
  it('drops the brackets and labels links leave behind', () => {
    expect(cleanNote('已在网站发布（见）。')).toBe('已在网站发布。');
    expect(cleanNote('链接： ，已公开')).toBe('已公开');
    expect(cleanNote(' ，、 ')).toBeUndefined();
  });
});
