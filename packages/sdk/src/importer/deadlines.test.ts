import { describe, expect, it } from 'vitest';
import { findContentDeadlines, mergeMilestones, parseDeadline, readDeadline } from './deadlines.js';

const dues = (phrase: string, year = 2022) => parseDeadline(phrase, year).milestones.map((m) => m.due);

describe('parseDeadline', () => {
  it('reads a period (6月至12月, 2024年3月—6月) as due when it ends, labelled with the whole period', () => {
    expect(parseDeadline('2024年6月至12月', 2024).milestones.map((m) => [m.due, m.label])).toEqual([['2024-12-31', '2024年6月至12月']]);
    expect(dues('3月—6月', 2024)).toEqual(['2024-06-30']);
    expect(dues('2023年10月-2024年3月', 2024)).toEqual(['2024-03-31']);
    // Two dates that are not a period stay two milestones.
    expect(dues('4月、10月', 2024)).toEqual(['2024-04-30', '2024-10-31']);
  });

  it('reads 每半年 as the two half-year ends, labelled 上半年 and 下半年', () => {
    expect(parseDeadline('每半年', 2024).milestones.map((m) => [m.due, m.label])).toEqual([
      ['2024-06-30', '上半年'],
      ['2024-12-31', '下半年'],
    ]);
    expect(dues('每半年度', 2024)).toEqual(['2024-06-30', '2024-12-31']);
  });

  it('reads 每月N日前 as that day of every month, not the month ends', () => {
    const found = dues('每月10日前', 2024);
    expect(found).toHaveLength(12);
    expect(found.slice(0, 3)).toEqual(['2024-01-10', '2024-02-10', '2024-03-10']);
    // A day some months lack falls on their last day.
    expect(dues('每月31日前', 2023).slice(1, 2)).toEqual(['2023-02-28']);
    expect(dues('每月底', 2024)[1]).toBe('2024-02-29');
  });

  it('reads dates written with dots, dashes or slashes, as forms and spreadsheets write them', () => {
    expect(dues('2024.6.30', 2024)).toEqual(['2024-06-30']);
    expect(dues('2024-06-30前', 2024)).toEqual(['2024-06-30']);
    expect(dues('2024/9/15', 2024)).toEqual(['2024-09-15']);
    expect(dues('2024.6', 2024)).toEqual(['2024-06-30']);
    expect(parseDeadline('2024.2.30', 2024).diagnostics).toEqual(['"2024.2.30" is not a real date']);
  });

  it('reads 实时 like 即时, and 每周 / 每日 as work going on all year', () => {
    expect(parseDeadline('实时', 2024).milestones[0]).toMatchObject({ due: '2024-12-31', ongoing: true });
    expect(parseDeadline('每周', 2024).milestones[0]).toMatchObject({ due: '2024-12-31', ongoing: true, label: '每周' });
    expect(parseDeadline('按上级要求', 2024)).toMatchObject({ milestones: [], diagnostics: ['cannot read a date in "按上级要求"'] });
  });

  it('reads 全年 as year-round work due on 12-31', () => {
    expect(parseDeadline('全年', 2022)).toEqual({
      milestones: [{ due: '2022-12-31', label: '全年', recurrence: null, source: 'deadline', ongoing: true }],
      diagnostics: [],
    });
  });

  it('reads X月底前 and X月底 as the last day of month X, spaces and stray punctuation aside', () => {
    expect(parseDeadline('11 月底前', 2022).milestones).toEqual([
      { due: '2022-11-30', label: '11月底前', recurrence: null, source: 'deadline', ongoing: false },
    ]);
    expect(dues('9 月底')).toEqual(['2022-09-30']);
    expect(dues('、\n2月底前')).toEqual(['2022-02-28']);
    expect(dues('2月底前', 2024)).toEqual(['2024-02-29']);
    expect(dues('十一月底前')).toEqual(['2022-11-30']);
  });

  it('reads 年底前 as 12-31 and 长期推进 / 持续推进 as ongoing to year end', () => {
    expect(parseDeadline('年底前', 2021).milestones[0]).toMatchObject({ due: '2021-12-31', ongoing: false });
    expect(parseDeadline('长期推进', 2021).milestones[0]).toMatchObject({ due: '2021-12-31', ongoing: true });
    expect(parseDeadline('持续推进', 2021).milestones[0]).toMatchObject({ due: '2021-12-31', ongoing: true });
  });

  it('reads 每年X月底前 as a yearly milestone', () => {
    expect(parseDeadline('每年3月底前', 2022).milestones[0]).toMatchObject({ due: '2022-03-31', recurrence: 'yearly' });
  });

  it('reads a written year and a day: 2021年8月前 is before August, 9月5日前 is the 5th', () => {
    expect(dues('2021年8月前', 2021)).toEqual(['2021-07-31']);
    expect(dues('9月5日前', 2021)).toEqual(['2021-09-05']);
    expect(dues('2021年12月15日', 2022)).toEqual(['2021-12-15']);
  });

  it('reads 每季度 as the four quarter ends and 上半年 / 下半年 as 06-30 / 12-31', () => {
    expect(dues('每季度', 2021)).toEqual(['2021-03-31', '2021-06-30', '2021-09-30', '2021-12-31']);
    expect(parseDeadline('每季度', 2021).milestones.map((m) => m.label)).toEqual(['第一季度', '第二季度', '第三季度', '第四季度']);
    expect(dues('上半年', 2021)).toEqual(['2021-06-30']);
    expect(dues('下半年', 2021)).toEqual(['2021-12-31']);
  });

  it('reads several dates in one phrase, each labelled by what is due', () => {
    const { milestones } = parseDeadline('2021年2月完成摸底,2021年8月底前完成整改', 2021);
    expect(milestones.map((m) => [m.due, m.label])).toEqual([
      ['2021-02-28', '2021年2月完成摸底'],
      ['2021-08-31', '2021年8月底前完成整改'],
    ]);
  });

  it('labels the parts of the seed task 6 deadline and marks the yearly one', () => {
    const { milestones } = parseDeadline('2022 年度的市\n场监管信息 10 月底前补录完 成，每年 3 月底前公布', 2022);
    expect(milestones).toHaveLength(2);
    expect(milestones[0]).toMatchObject({ due: '2022-10-31', recurrence: null });
    expect(milestones[0]!.label).toContain('补录');
    expect(milestones[1]).toMatchObject({ due: '2022-03-31', recurrence: 'yearly' });
  });

  it('leaves a diagnostic and no milestone for a phrase without a date', () => {
    expect(parseDeadline('按上级要求', 2022)).toEqual({ milestones: [], diagnostics: ['cannot read a date in "按上级要求"'] });
    expect(parseDeadline('', 2022).milestones).toEqual([]);
    expect(parseDeadline('', 2022).diagnostics).toHaveLength(1);
  });

  it('refuses impossible dates instead of guessing', () => {
    expect(parseDeadline('13月底前', 2022).milestones).toEqual([]);
    expect(parseDeadline('2月30日前', 2022).milestones).toEqual([]);
    expect(parseDeadline('2月30日前', 2022).diagnostics[0]).toContain('2月30日');
  });

  it('reads nothing in an impossible plan year', () => {
    expect(parseDeadline('全年', Number.NaN).milestones).toEqual([]);
  });
});

describe('parseDeadline, days after a period ends', () => {
  it('reads 每季度结束后10日内 as ten days after each quarter end, the fourth in the next year', () => {
    expect(parseDeadline('每季度结束后10日内', 2023).milestones.map((m) => [m.due, m.label])).toEqual([
      ['2023-04-10', '第一季度结束后10日内'],
      ['2023-07-10', '第二季度结束后10日内'],
      ['2023-10-10', '第三季度结束后10日内'],
      ['2024-01-10', '第四季度结束后10日内'],
    ]);
    expect(dues('季度结束后十日内', 2023)).toEqual(['2023-04-10', '2023-07-10', '2023-10-10', '2024-01-10']);
  });

  it('counts 个工作日 by the statutory calendar, skipping holidays and working on 调休 days', () => {
    // 2023-04-23 is a Sunday worked in place of the May Day holiday; October 1–6 are the National Day holiday.
    expect(dues('每季度结束后15个工作日内', 2023)).toEqual(['2023-04-23', '2023-07-21', '2023-10-25', '2024-01-22']);
  });

  it('reads one quarter, every month, every half-year and the year the same way', () => {
    expect(dues('第三季度结束后10日内', 2023)).toEqual(['2023-10-10']);
    expect(dues('每月结束后5日内', 2023)).toHaveLength(12);
    expect(dues('每月结束后5日内', 2023).slice(0, 2)).toEqual(['2023-02-05', '2023-03-05']);
    expect(dues('每半年结束后10日内', 2023)).toEqual(['2023-07-10', '2024-01-10']);
    expect(parseDeadline('每年度结束后20日内', 2023).milestones.map((m) => [m.due, m.recurrence])).toEqual([['2024-01-20', 'yearly']]);
    expect(dues('年度结束后1个月内', 2023)).toEqual(['2024-01-31']);
  });

  it('finds the recurring wording inside content, labelled without the 于 before the date', () => {
    expect(findContentDeadlines('财政预算执行情况于每季度结束后10日内公开。', 2023).map((m) => [m.due, m.label])).toEqual([
      ['2023-04-10', '财政预算执行情况公开'],
      ['2023-07-10', '财政预算执行情况公开'],
      ['2023-10-10', '财政预算执行情况公开'],
      ['2024-01-10', '财政预算执行情况公开'],
    ]);
  });
});

describe('parseDeadline, how offices write recurring and year-round work', () => {
  it('reads 按季度 / 逐季 / 季度末 as the quarter ends and 按月 / 逐月 / 按半年 like 每月 / 每半年', () => {
    const quarters = ['2023-03-31', '2023-06-30', '2023-09-30', '2023-12-31'];
    expect(dues('按季度', 2023)).toEqual(quarters);
    expect(dues('逐季', 2023)).toEqual(quarters);
    expect(dues('季度末', 2023)).toEqual(quarters);
    expect(dues('按月', 2023)).toEqual(dues('每月', 2023));
    expect(dues('逐月', 2023)).toHaveLength(12);
    expect(dues('按半年', 2023)).toEqual(['2023-06-30', '2023-12-31']);
    // One named quarter stays one milestone.
    expect(dues('第三季度', 2023)).toEqual(['2023-09-30']);
  });

  it('reads 常年 and 动态更新 as year-round work, and still refuses words with no date', () => {
    expect(parseDeadline('常年', 2023).milestones).toMatchObject([{ due: '2023-12-31', ongoing: true }]);
    expect(parseDeadline('动态更新', 2023).milestones).toMatchObject([{ due: '2023-12-31', ongoing: true }]);
    expect(parseDeadline('季度检查', 2023).diagnostics).toEqual(['cannot read a date in "季度检查"']);
    expect(parseDeadline('适时', 2023).milestones).toEqual([]);
  });
});

describe('findContentDeadlines', () => {
  it('finds a yearly deadline and labels it from the sentence', () => {
    expect(findContentDeadlines('抽查结果都要及时公开。年度抽查计划(包含联合抽查计划)应于每年3月底前公布。', 2022)).toEqual([
      { due: '2022-03-31', label: '年度抽查计划公布', recurrence: 'yearly', source: 'content', ongoing: false },
    ]);
  });

  it('finds 11月底前 inside a sentence written with spaces', () => {
    const found = findContentDeadlines('严格落实行政执法公示制度，县司法局应于 11月底前指导督促全县各级行政执法单位录入平台。', 2022);
    expect(found.map((m) => m.due)).toEqual(['2022-11-30']);
    expect(found[0]!.label.length).toBeLessThanOrEqual(20);
  });

  it('does not take a start date (从10月起) or a bare month for a deadline', () => {
    expect(findContentDeadlines('未施行“排号公示制度”的应从10 月起统一施行。', 2022)).toEqual([]);
    expect(findContentDeadlines('今年3月召开了会议。', 2022)).toEqual([]);
  });

  it('gives one milestone for two sentences due the same day', () => {
    const found = findContentDeadlines('年底前完成预算公开。持续深化政府债务信息公开，年底前完成集中公开。', 2022);
    expect(found.map((m) => m.due)).toEqual(['2022-12-31']);
  });
});

describe('mergeMilestones', () => {
  it('merges a content deadline due the same day into the column milestone, keeping its label', () => {
    const column = readDeadline('11月底前', 2022).milestones;
    const merged = mergeMilestones(column, findContentDeadlines('县司法局应于11月底前指导督促。', 2022));
    expect(merged).toEqual([{ due: '2022-11-30', label: '11月底前', recurrence: null, source: 'deadline', ongoing: false }]);
  });

  it('lends a descriptive content label to a bare part of a several-part deadline', () => {
    const column = readDeadline('10月底前补录完成，每年3月底前公布', 2022).milestones;
    const merged = mergeMilestones(column, findContentDeadlines('年度抽查计划应于每年3月底前公布。', 2022));
    expect(merged.map((m) => [m.due, m.label, m.recurrence])).toEqual([
      ['2022-10-31', '10月底前补录完成', null],
      ['2022-03-31', '年度抽查计划公布', 'yearly'],
    ]);
  });

  it('makes a same-day column milestone yearly when the content says 每年', () => {
    const merged = mergeMilestones(readDeadline('3月底前', 2022).milestones, findContentDeadlines('名录应于每年3月底前更新。', 2022));
    expect(merged).toEqual([{ due: '2022-03-31', label: '3月底前', recurrence: 'yearly', source: 'deadline', ongoing: false }]);
  });

  it('adds content deadlines on other days after the column milestones', () => {
    const merged = mergeMilestones(readDeadline('全年', 2022).milestones, findContentDeadlines('9月底前完成清理。', 2022));
    expect(merged.map((m) => [m.due, m.source])).toEqual([
      ['2022-12-31', 'deadline'],
      ['2022-09-30', 'content'],
    ]);
  });
});

describe('parseDeadline, continuous and recurring phrases', () => {
  it('reads 及时 written as the whole deadline as ongoing work due at year end', () => {
    expect(parseDeadline('及时', 2022).milestones).toMatchObject([{ due: '2022-12-31', ongoing: true }]);
    expect(parseDeadline('及时更新', 2022).milestones).toMatchObject([{ due: '2022-12-31', ongoing: true }]);
  });

  it('labels each dated item of a several-item cell with its own words', () => {
    expect(parseDeadline('2021年2月公布预算信息，2021年8月公布上年度决算信息', 2021).milestones.map((m) => `${m.due} ${m.label}`)).toEqual([
      '2021-02-28 公布预算信息',
      '2021-08-31 公布上年度决算信息',
    ]);
  });
});
