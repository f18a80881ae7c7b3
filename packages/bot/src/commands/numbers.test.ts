import { describe, expect, it } from 'vitest';
import { chineseNumber, claimedDateIn, readDate } from './numbers.js';

const now = new Date('2022-11-21T09:30:00+08:00');

describe('chineseNumber', () => {
  it.each([
    ['四', 4],
    ['十', 10],
    ['十七', 17],
    ['二十二', 22],
    ['三十四', 34],
    ['两', 2],
    ['17', 17],
  ])('reads %s as %i', (text, n) => {
    expect(chineseNumber(text)).toBe(n);
  });

  it('gives NaN for what is no numeral up to 九十九', () => {
    for (const text of ['十十', '一二三', '百', '']) expect(chineseNumber(text)).toBeNaN();
  });
});

describe('readDate', () => {
  it.each([
    ['2022-11-18', '2022-11-18'],
    ['2022.11.18', '2022-11-18'],
    ['2022年11月18日', '2022-11-18'],
    ['11月18日', '2022-11-18'],
    ['11月18号', '2022-11-18'],
    ['十一月十八号', '2022-11-18'],
    ['11/18', '2022-11-18'],
    ['10月底', '2022-10-31'],
  ])('reads %s', (text, date) => {
    expect(readDate({ rest: text }, 2022, now)).toBe(date);
  });

  it('reads 今天 and 昨天 only when asked to, and says null for a day that does not exist', () => {
    expect(readDate({ rest: '昨天' }, 2022, now)).toBeUndefined();
    expect(readDate({ rest: '昨天' }, 2022, now, true)).toBe('2022-11-20');
    expect(readDate({ rest: '2月30日' }, 2022, now)).toBeNull();
  });
});

describe('claimedDateIn', () => {
  it.each([
    ['11月18日已完成', '2022-11-18'],
    ['11月20日前已完成公示', '2022-11-20'],
    ['已于11月15日在政府网站公开', '2022-11-15'],
    ['11.18已办结', '2022-11-18'],
    ['11月18日第22项已完成', '2022-11-18'],
    ['昨天已上网', '2022-11-20'],
  ])('finds the day the work was done in %s', (text, date) => {
    expect(claimedDateIn(text, 2022, now)).toBe(date);
  });

  it('finds none in a due date or a plan', () => {
    for (const text of ['截止 2022-11-30，逾期 3 天', '11月30日前完成', '6.2', '共 3 篇']) expect(claimedDateIn(text, 2022, now)).toBeUndefined();
  });
});

describe('claimedDateIn with relative and labelled dates', () => {
  it.each([
    ['上周五已经公开了', '2022-11-18'],
    ['本周一已公开', '2022-11-21'],
    ['已于本月18日完成', '2022-11-18'],
    ['已于18日完成', '2022-11-18'],
    ['已完成（11月18日）', '2022-11-18'],
    ['已完成，完成时间：11月18日', '2022-11-18'],
    ['已完成，公开时间2022.11.18', '2022-11-18'],
    ['11月十八日已完成', '2022-11-18'],
  ])('reads %s as %s', (text, date) => {
    expect(claimedDateIn(text, 2022, now)).toBe(date);
  });

  it('reads no claim from a day ahead or a plain weekday plan', () => {
    expect(claimedDateIn('本周五完成', 2022, now)).toBeUndefined();
    expect(claimedDateIn('4号已完成', 2022, now)).toBeUndefined();
  });
});
