import { describe, expect, it } from 'vitest';
import { parseCommand, type ParseResult } from './parse.js';

const tasks = [
  { no: 3, name: '政策解读' },
  { no: 4, name: '行政处罚信息公开' },
  { no: 5, name: '权责清单' },
  { no: 6, name: '“双随机、一公开”监管信息公开', milestones: ['2022-10-31', '2022-03-31'] },
  { no: 7, name: '重大建设项目' },
  { no: 22, name: '优化政务公开平台建设' },
];
const now = new Date('2022-11-21T09:30:00+08:00');
const parse = (text: string): ParseResult => parseCommand(text, { tasks, now, year: 2022 });
const accept = (items: number[], units: string[], all = false) => ({ kind: 'accept', items: items.map((task) => ({ task })), ids: [], units, all });

describe('parseCommand: review (复核)', () => {
  it.each([
    ['复核', { kind: 'review' }],
    ['@政务公开助手 复核', { kind: 'review' }],
    ['待复核', { kind: 'review' }],
    ['review', { kind: 'review' }],
    ['复核 郭道镇', { kind: 'review', target: '郭道镇' }],
    ['复核 4', { kind: 'review', task: 4 }],
  ])('reads %s as the queue', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it.each([
    ['通过 4 郭道镇', accept([4], ['郭道镇'])],
    ['通过4郭道镇', accept([4], ['郭道镇'])],
    ['通过 第4项 郭道镇', accept([4], ['郭道镇'])],
    ['通过 3 5 7 郭道镇', accept([3, 5, 7], ['郭道镇'])],
    ['通过 3、5、7 郭道镇', accept([3, 5, 7], ['郭道镇'])],
    ['通过 ３，５ 郭道镇、沁河镇', accept([3, 5], ['郭道镇', '沁河镇'])],
    ['通过 4 郭道镇 沁河镇', accept([4], ['郭道镇', '沁河镇'])],
    ['通过 4 全部', accept([4], [], true)],
    ['复核通过 4 所有', accept([4], [], true)],
    ['通过 郭道镇 全部', accept([], ['郭道镇'], true)],
    ['accept 4 郭道镇', accept([4], ['郭道镇'])],
  ])('reads %s', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it('reads a milestone and queue numbers', () => {
    expect(parse('通过 6.2 县公安局')).toEqual({ kind: 'accept', items: [{ task: 6, milestone: 2 }], ids: [], units: ['县公安局'], all: false });
    expect(parse('通过 #12 #15')).toEqual({ kind: 'accept', items: [], ids: [12, 15], units: [], all: false });
    expect(parse('通过 ＃12、#15')).toEqual({ kind: 'accept', items: [], ids: [12, 15], units: [], all: false });
    expect(parse('退回 #12 链接打不开')).toEqual({ kind: 'return', items: [], ids: [12], units: [], all: false, reason: '链接打不开' });
  });

  it('reads the units and the reason of 退回, units joined by 、 and the reason after a space', () => {
    expect(parse('退回 4 郭道镇 佐证链接打不开')).toEqual({ kind: 'return', items: [{ task: 4 }], ids: [], units: ['郭道镇'], all: false, reason: '佐证链接打不开' });
    expect(parse('退回 4 5 郭道镇、沁河镇：缺少公开网址')).toEqual({ kind: 'return', items: [{ task: 4 }, { task: 5 }], ids: [], units: ['郭道镇', '沁河镇'], all: false, reason: '缺少公开网址' });
    expect(parse('驳回 4 全部 未按要求公开')).toEqual({ kind: 'return', items: [{ task: 4 }], ids: [], units: [], all: true, reason: '未按要求公开' });
    expect(parse('退回 4 郭道镇')).toEqual({ kind: 'return', items: [{ task: 4 }], ids: [], units: ['郭道镇'], all: false });
  });

  it('asks about task numbers the plan does not have', () => {
    expect(parse('通过 99 郭道镇')).toMatchObject({ kind: 'ambiguous', command: 'accept', code: 'unknown_numbers' });
  });

  it('leaves a sentence that starts with 通过 or 退回 to the natural reading', () => {
    expect(parse('通过网站公开了第22项')).toMatchObject({ kind: 'confirm', items: [{ task: 22 }], natural: true });
    expect(parse('退回的材料已经重新上传')).not.toMatchObject({ kind: 'return' });
  });
});
