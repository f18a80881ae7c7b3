import { describe, expect, it } from 'vitest';
import { readDeadline } from './deadline.js';

const now = new Date('2022-11-21T02:00:00Z'); // 2022-11-21 10:00 Shanghai

describe('readDeadline', () => {
  it('reads the ways clerks write a deadline at the end of an item', () => {
    const cases: Array<[string, string]> = [
      ['栏目未更新 12月15日前', '2022-12-15'],
      ['栏目未更新 2022-12-15', '2022-12-15'],
      ['栏目未更新，期限12月15日', '2022-12-15'],
      ['栏目未更新 限期 十二月十五日前完成', '2022-12-15'],
      ['栏目未更新 12月底前', '2022-12-31'],
      ['栏目未更新 年底前整改到位', '2022-12-31'],
      ['栏目未更新 两周内', '2022-12-05'],
      ['栏目未更新 15天内', '2022-12-06'],
      ['栏目未更新 一个月内', '2022-12-21'],
      ['栏目未更新 3月1日前', '2023-03-01'],
    ];
    for (const [text, due] of cases) expect([text, readDeadline(text, now)?.deadline]).toEqual([text, { due }]);
    expect(readDeadline('网站栏目更新不及时 两周内', now)?.before).toBe('网站栏目更新不及时');
    expect(readDeadline('栏目未更新，期限12月15日', now)?.before).toBe('栏目未更新');
  });

  it('leaves working days to the caller’s calendar', () => {
    expect(readDeadline('栏目未更新 10个工作日内', now)?.deadline).toEqual({ workingDays: 10 });
  });

  it('finds no deadline when the text does not end with one, and keeps numbers inside the item', () => {
    expect(readDeadline('栏目未更新', now)).toBeNull();
    expect(readDeadline('12月15日前发现栏目未更新', now)).toBeNull();
    expect(readDeadline('3个栏目超过2个月未更新 12月15日前', now)).toEqual({ deadline: { due: '2022-12-15' }, before: '3个栏目超过2个月未更新' });
  });
});
