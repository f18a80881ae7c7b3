import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractLinks, normalizeText, parseCommand, prepare, withoutLinks, type ParseResult } from './parse.js';

const tasks = [
  { no: 1, name: '政策发布' },
  { no: 2, name: '政策解读' },
  { no: 4, name: '行政处罚信息公开' },
  { no: 6, name: '“双随机、一公开”监管信息公开' },
  { no: 9, name: '行政许可事项公开' },
  { no: 12, name: '公共企事业单位信息公开' },
  { no: 13, name: '“双减”信息公开' },
  { no: 22, name: '优化政务公开平台建设' },
  { no: 24, name: '政府公报' },
  { no: 32, name: '组织保障' },
];
const now = new Date('2022-11-21T09:30:00+08:00');
const parse = (text: string): ParseResult => parseCommand(text, { tasks, now, year: 2022 });

describe('parseCommand', () => {
  describe('confirm', () => {
    it('reads one task number', () => {
      expect(parse('确认 4')).toEqual({ kind: 'confirm', items: [{ task: 4 }], evidence: [] });
    });

    it('accepts full-width digits, punctuation and spaces', () => {
      expect(parse('＠政务公开助手　确认　４，９')).toEqual({ kind: 'confirm', items: [{ task: 4 }, { task: 9 }], evidence: [] });
    });

    it.each([
      ['确认 4、9、22', [4, 9, 22]],
      ['确认 4,9', [4, 9]],
      ['确认 4 9', [4, 9]],
      ['确认4、9和22', [4, 9, 22]],
      ['确认 第4项、第9项', [4, 9]],
      ['确认 4号', [4]],
      ['确认 任务4', [4]],
      ['确认 第四项', [4]],
      ['确认 任务十二', [12]],
      ['确认 二十二号', [22]],
      ['confirm 4/9', [4, 9]],
      ['DONE #4', [4]],
    ])('reads the tasks of %s', (text, expected) => {
      const r = parse(text);
      expect(r.kind).toBe('confirm');
      if (r.kind === 'confirm') expect(r.items.map((i) => i.task)).toEqual(expected);
    });

    it('reads a milestone selector written task.index', () => {
      expect(parse('确认 6.2')).toMatchObject({ kind: 'confirm', items: [{ task: 6, milestone: 2 }] });
      expect(parse('确认 6．2、4')).toMatchObject({ kind: 'confirm', items: [{ task: 6, milestone: 2 }, { task: 4 }] });
    });

    it('reads a milestone selector written as a date, in the plan year', () => {
      expect(parse('确认 6 3月31日')).toMatchObject({ items: [{ task: 6, due: '2022-03-31' }] });
      expect(parse('确认 6 2022-10-31')).toMatchObject({ items: [{ task: 6, due: '2022-10-31' }] });
      expect(parse('确认 6 10月底')).toMatchObject({ items: [{ task: 6, due: '2022-10-31' }] });
      expect(parse('确认 6 3/31')).toMatchObject({ items: [{ task: 6, due: '2022-03-31' }] });
    });

    it('reads a date that is none of the task’s milestones as part of the note', () => {
      const withMilestones = [
        { no: 10, name: '重大建设项目信息公开', milestones: ['2022-12-31'] },
        { no: 6, name: '双随机', milestones: ['2022-03-31', '2022-10-31'] },
      ];
      const p = (text: string) => parseCommand(text, { tasks: withMilestones, now, year: 2022 });
      expect(p('确认 10 11月1日已公示')).toEqual({ kind: 'confirm', items: [{ task: 10 }], evidence: [], note: '11月1日已公示', claimedDate: '2022-11-01' });
      expect(p('确认 6 10月30日已补录')).toEqual({ kind: 'confirm', items: [{ task: 6 }], evidence: [], note: '10月30日已补录', claimedDate: '2022-10-30' });
      expect(p('确认 6 3月31日')).toEqual({ kind: 'confirm', items: [{ task: 6, due: '2022-03-31' }], evidence: [] });
      expect(p('确认 10、6 3月31日 已公布')).toEqual({ kind: 'confirm', items: [{ task: 10 }, { task: 6, due: '2022-03-31' }], evidence: [], note: '已公布' });
      expect(p('确认 6.2 10月31日已补录')).toEqual({ kind: 'confirm', items: [{ task: 6, milestone: 2 }], evidence: [], note: '10月31日已补录', claimedDate: '2022-10-31' });
    });

    it('questions a selector date that does not exist', () => {
      expect(parse('确认 6 2月30日')).toMatchObject({ kind: 'ambiguous', command: 'confirm' });
    });

    it('does not take 今天 in a note for a milestone date', () => {
      expect(parse('确认 4 今天已发布')).toEqual({ kind: 'confirm', items: [{ task: 4 }], evidence: [], note: '今天已发布', claimedDate: '2022-11-21' });
    });

    it('collects links anywhere as evidence and keeps the note without the brackets they leave', () => {
      expect(parse('确认 https://a.gov.cn/x?id=1 4，已在网站发布（见http://b.cn/y）。')).toEqual({
        kind: 'confirm',
        items: [{ task: 4 }],
        evidence: ['https://a.gov.cn/x?id=1', 'http://b.cn/y'],
        note: '已在网站发布。',
      });
    });

    it('keeps the note as typed, full-width punctuation and all', () => {
      expect(parse('确认４　已公开，见网站；共３篇！')).toEqual({ kind: 'confirm', items: [{ task: 4 }], evidence: [], note: '已公开，见网站；共３篇！' });
      expect(parse('确认 4，（补）已公开')).toMatchObject({ note: '（补）已公开' });
    });

    it('takes a number followed by other words for the note, not for a task', () => {
      expect(parse('确认 4 10篇已公开')).toEqual({ kind: 'confirm', items: [{ task: 4 }], evidence: [], note: '10篇已公开' });
      expect(parse('确认4已完成')).toEqual({ kind: 'confirm', items: [{ task: 4 }], evidence: [], note: '已完成' });
    });

    it('copes with line breaks and extra spaces', () => {
      expect(parse('  确认\n\n 4 \n 已公开 ')).toEqual({ kind: 'confirm', items: [{ task: 4 }], evidence: [], note: '已公开' });
    });

    it('finds a task by a unique part of its name', () => {
      expect(parse('确认 行政处罚')).toEqual({ kind: 'confirm', items: [{ task: 4 }], evidence: [] });
      expect(parse('确认 双减 已公开')).toEqual({ kind: 'confirm', items: [{ task: 13 }], evidence: [], note: '已公开' });
      expect(parse('确认 行政处罚、政府公报')).toMatchObject({ items: [{ task: 4 }, { task: 24 }] });
      expect(parse('确认行政处罚信息公开已完成')).toEqual({ kind: 'confirm', items: [{ task: 4 }], evidence: [], note: '已完成' });
    });

    it('does not take a spaced word of the note for another task name', () => {
      expect(parse('确认 行政处罚 公报已发')).toEqual({ kind: 'confirm', items: [{ task: 4 }], evidence: [], note: '公报已发' });
    });

    it('asks back, listing the candidates, when a name fits several tasks', () => {
      const r = parse('确认 信息公开');
      expect(r.kind).toBe('ambiguous');
      if (r.kind !== 'ambiguous') return;
      expect(r.candidates?.map((c) => c.no)).toEqual([4, 6, 12, 13]);
      expect(r).toMatchObject({ code: 'name_ambiguous', data: { token: '信息公开', word: '确认' } });
    });

    it('asks back when a name fits no task', () => {
      expect(parse('确认 植树造林')).toMatchObject({ kind: 'ambiguous', command: 'confirm' });
    });

    it('asks back for a task number the plan does not have', () => {
      const r = parse('确认 99');
      expect(r).toMatchObject({ kind: 'ambiguous', command: 'confirm' });
      expect(r).toMatchObject({ code: 'unknown_numbers', data: { invalid: [99] } });
    });

    it('gives the range for task number 0 as for any number the plan does not have', () => {
      const r = parse('确认 0');
      expect(r).toMatchObject({ kind: 'ambiguous', command: 'confirm' });
      expect(r).toMatchObject({ code: 'unknown_numbers', data: { invalid: [0], count: 10, max: 32 } });
    });

    it('carries out none of a list with a wrong number, and says so with the corrected command', () => {
      const r = parse('确认 4、99、22、０ 已公开');
      expect(r).toMatchObject({ kind: 'ambiguous', command: 'confirm' });
      if (r.kind !== 'ambiguous') return;
      expect(r).toMatchObject({ code: 'unknown_numbers', data: { invalid: [99, 0], valid: '4、22', command: '确认 4、22 已公开' } });
      expect(parse('撤销 4、99')).toMatchObject({ code: 'unknown_numbers', data: { command: '撤销 4' } });
    });

    it('uses the command’s own word in the examples of its questions', () => {
      expect(parse('撤销 撤销')).toMatchObject({ kind: 'ambiguous', data: { word: '撤销', example: 4 } });
      expect(parse('催办 植树造林')).toMatchObject({ kind: 'ambiguous', code: 'name_missing', data: { word: '催办', example: 4 } });
    });

    it('asks which task when none is given', () => {
      expect(parse('确认')).toMatchObject({ kind: 'ambiguous', command: 'confirm' });
      expect(parse('@助手 confirm')).toMatchObject({ kind: 'ambiguous', command: 'confirm' });
    });

    it('does not take an English word that merely starts like a command', () => {
      expect(parse('confirmed 4')).toEqual({ kind: 'unknown' });
    });
  });

  describe('other commands', () => {
    it('reads undo with and without a task', () => {
      expect(parse('撤销')).toEqual({ kind: 'undo', items: [] });
      expect(parse('撤销 4')).toEqual({ kind: 'undo', items: [{ task: 4 }] });
      expect(parse('undo 6.2')).toEqual({ kind: 'undo', items: [{ task: 6, milestone: 2 }] });
      expect(parse('撤销确认 4')).toEqual({ kind: 'undo', items: [{ task: 4 }] });
    });

    it('reads digest and status with optional targets', () => {
      expect(parse('本周')).toEqual({ kind: 'digest' });
      expect(parse('digest 郭道镇')).toEqual({ kind: 'digest', target: '郭道镇' });
      expect(parse('进度')).toEqual({ kind: 'status' });
      expect(parse('进度 第4项')).toEqual({ kind: 'status', task: 4 });
      expect(parse('status 郭道镇')).toEqual({ kind: 'status', target: '郭道镇' });
    });

    it('reads a briefing date in several ways', () => {
      expect(parse('汇报 2022-06-10 主要负责人听取汇报')).toEqual({ kind: 'briefing', date: '2022-06-10', note: '主要负责人听取汇报' });
      expect(parse('汇报 2022年6月10日')).toEqual({ kind: 'briefing', date: '2022-06-10' });
      expect(parse('汇报 6月10日')).toEqual({ kind: 'briefing', date: '2022-06-10' });
      expect(parse('汇报 今天')).toEqual({ kind: 'briefing', date: '2022-11-21' });
      expect(parse('汇报 昨天 专题会')).toEqual({ kind: 'briefing', date: '2022-11-20', note: '专题会' });
    });

    it('keeps a briefing note, a highlight title and an exemption reason as typed', () => {
      expect(parse('汇报 2022-06-10 镇长主持召开政务公开专题会，听取工作汇报')).toEqual({ kind: 'briefing', date: '2022-06-10', note: '镇长主持召开政务公开专题会，听取工作汇报' });
      expect(parse('亮点 “政策找人”精准推送（试点）：３个村 https://x.cn/p')).toEqual({ kind: 'highlight', title: '“政策找人”精准推送（试点）：３个村', evidence: ['https://x.cn/p'] });
      expect(parse('豁免 13 郭道镇 辖区内无中小学，不承担此项')).toMatchObject({ reason: '辖区内无中小学，不承担此项' });
    });

    it('asks for a briefing date when it is missing or not a date', () => {
      expect(parse('汇报')).toMatchObject({ kind: 'ambiguous', command: 'briefing' });
      expect(parse('汇报 2022-02-30')).toMatchObject({ kind: 'ambiguous', command: 'briefing' });
    });

    it('reads a highlight title and its links', () => {
      expect(parse('亮点 “政策找人”精准推送 https://x.cn/p')).toEqual({
        kind: 'highlight',
        title: '“政策找人”精准推送',
        evidence: ['https://x.cn/p'],
      });
      expect(parse('亮点')).toMatchObject({ kind: 'ambiguous', command: 'highlight' });
    });

    it('reads bind, unbind and the admin group', () => {
      expect(parse('绑定 郭道镇')).toEqual({ kind: 'bind', target: '郭道镇', admin: false });
      expect(parse('绑定 管理群')).toEqual({ kind: 'bind', target: '管理群', admin: true });
      expect(parse('bind admin')).toEqual({ kind: 'bind', target: 'admin', admin: true });
      expect(parse('绑定')).toEqual({ kind: 'bind', target: null, admin: false });
      expect(parse('解绑')).toEqual({ kind: 'unbind' });
    });

    it('reads liaison add, remove and list', () => {
      expect(parse('联络员 @张三 @李四')).toEqual({ kind: 'liaison', action: 'add', names: ['张三', '李四'] });
      expect(parse('联络员 移除 @张三')).toEqual({ kind: 'liaison', action: 'remove', names: ['张三'] });
      expect(parse('联络员')).toEqual({ kind: 'liaison', action: 'list', names: [] });
    });

    it('reads nudge, exempt and select', () => {
      expect(parse('催办 4、9')).toEqual({ kind: 'nudge', tasks: [4, 9] });
      expect(parse('催办 行政处罚')).toEqual({ kind: 'nudge', tasks: [4] });
      expect(parse('豁免 13 郭道镇 辖区内无中小学')).toEqual({
        kind: 'exempt',
        items: [{ task: 13 }],
        unit: '郭道镇',
        units: ['郭道镇'],
        reason: '辖区内无中小学',
      });
      expect(parse('豁免 13 郭道镇、沁河镇、法中乡 辖区内无中小学')).toMatchObject({ units: ['郭道镇', '沁河镇', '法中乡'], reason: '辖区内无中小学' });
      expect(parse('豁免 13 郭道镇，辖区内无中小学')).toMatchObject({ units: ['郭道镇'], reason: '辖区内无中小学' });
      expect(parse('豁免 6.2 郭道镇 无此职能')).toMatchObject({ items: [{ task: 6, milestone: 2 }] });
      expect(parse('豁免 13 郭道镇')).toMatchObject({ kind: 'ambiguous', command: 'exempt' });
      expect(parse('入选 3')).toEqual({ kind: 'select', highlight: 3 });
      expect(parse('入选 #12号')).toEqual({ kind: 'select', highlight: 12 });
      expect(parse('入选')).toMatchObject({ kind: 'ambiguous', command: 'select' });
    });

    it('reads scores, export and help', () => {
      expect(parse('考核')).toEqual({ kind: 'scores' });
      expect(parse('scores 郭道镇')).toEqual({ kind: 'scores', target: '郭道镇' });
      expect(parse('导出')).toEqual({ kind: 'export' });
      expect(parse('帮助')).toEqual({ kind: 'help' });
      expect(parse('help confirm')).toEqual({ kind: 'help', topic: 'confirm' });
    });

    it('returns unknown for chat that is no command', () => {
      for (const text of ['你好', '你好 4', '3天后完成', '收到，谢谢', '2022年']) expect(parse(text)).toEqual({ kind: 'unknown' });
    });

    it('reads an empty mention as help', () => {
      for (const text of ['', '   ', '@张三']) expect(parse(text)).toEqual({ kind: 'help' });
    });

    it.each([
      ['确定 22', '确认 22'],
      ['确人 10', '确认 10'],
      ['#10', '确认 10'],
      ['第4项', '确认 第4项'],
      ['请确认 4', '确认 4'],
      ['confrim 4', '确认 4'],
      ['撤消 4', '撤销 4'],
      ['进渡 4', '进度 4'],
      ['确度 4', '确认 4'],
    ])('asks back, acting on nothing, when %s is a slip of a command', (text, meant) => {
      const r = parse(text);
      expect(r).toEqual({ kind: 'ambiguous', command: expect.any(String), code: 'did_you_mean', data: { command: meant } });
    });
  });

  describe('properties', () => {
    it('never throws on random text and returns a known kind', () => {
      const kinds = new Set(['confirm', 'undo', 'digest', 'status', 'briefing', 'highlight', 'help', 'bind', 'unbind', 'liaison', 'nudge', 'exempt', 'select', 'scores', 'export', 'ambiguous', 'unknown']);
      const word = fc.constantFrom('确认', '撤销', '进度', '汇报', '亮点', '豁免', '催办', '入选', '绑定', '联络员', 'confirm', '', '@bot ');
      fc.assert(
        fc.property(word, fc.string({ unit: 'grapheme', maxLength: 40 }), (w, tail) => {
          const r = parse(w + tail);
          expect(kinds.has(r.kind)).toBe(true);
        }),
        { numRuns: 2000 },
      );
    });

    it('only ever names tasks the plan has', () => {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 5 }), fc.constantFrom('、', ',', ' ', '，', '和'), (nums, sep) => {
          const r = parse(`确认 ${nums.join(sep)}`);
          if (r.kind === 'confirm') for (const item of r.items) expect(tasks.some((t) => t.no === item.task)).toBe(true);
        }),
      );
    });

    it('reads full-width digits as their half-width twins', () => {
      const toFullWidth = (s: string) => s.replace(/[0-9,]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
      fc.assert(
        fc.property(fc.uniqueArray(fc.constantFrom(...tasks.map((t) => t.no)), { minLength: 1, maxLength: 4 }), (nums) => {
          const text = `确认 ${nums.join(',')}`;
          expect(parse(toFullWidth(text))).toEqual(parse(text));
          expect(parse(text)).toEqual({ kind: 'confirm', items: nums.map((task) => ({ task })), evidence: [] });
        }),
      );
    });
  });
});

describe('parseCommand: a confirmation whose own words say the work is not done', () => {
  const parse = (text: string) => parseCommand(text, { tasks: [{ no: 4, name: '行政处罚信息公开' }, { no: 21, name: '规范依申请公开答复工作' }], now: new Date('2022-11-21T09:30:00+08:00'), year: 2022 });

  it('records nothing and gives the command to send once the work is done', () => {
    for (const text of ['确认 4 还没完成', '确认 第4项下周完成', '确认4号任务正在推进', '已完成第4项初稿', '已完成第四项大部分工作', '完成4号任务还需要几天']) {
      expect(parse(text), text).toMatchObject({ kind: 'ambiguous', command: 'confirm', code: 'not_done', data: { command: '确认 4' } });
    }
  });

  it('records a note that only describes the work', () => {
    expect(parse('确认 21 依申请公开答复规范')).toMatchObject({ kind: 'confirm', items: [{ task: 21 }] });
    expect(parse('确认 4 11月30日前已完成公示')).toMatchObject({ kind: 'confirm', items: [{ task: 4 }] });
  });

  it('answers 确认一下第4项截止时间 as the question it is', () => {
    expect(parse('确认一下第4项截止时间')).toEqual({ kind: 'detail', task: 4 });
  });
});

describe('parseCommand: deductions and 整改', () => {
  it('reads 扣分 with the unit and the points in either order, points written several ways, and the reason as typed', () => {
    expect(parse('扣分 郭道镇 2 网站检查发现3条错链')).toEqual({ kind: 'deduct', unit: '郭道镇', points: 2, reason: '网站检查发现3条错链' });
    expect(parse('扣分 郭道镇 1.5分 政务新媒体停更')).toEqual({ kind: 'deduct', unit: '郭道镇', points: 1.5, reason: '政务新媒体停更' });
    expect(parse('扣分：２分 县司法局，依申请公开超期')).toEqual({ kind: 'deduct', unit: '县司法局', points: 2, reason: '依申请公开超期' });
    expect(parse('扣分 郭道镇扣两分 栏目空白')).toMatchObject({ kind: 'deduct', unit: '郭道镇', points: 2 });
    expect(parse('扣分 郭道镇 一点五分 栏目空白')).toMatchObject({ kind: 'deduct', points: 1.5 });
  });

  it('asks back when the unit, the points or the reason is missing, or the points are out of range', () => {
    expect(parse('扣分')).toMatchObject({ kind: 'ambiguous', command: 'deduct', code: 'deduct_usage' });
    expect(parse('扣分 郭道镇 网站错链')).toMatchObject({ kind: 'ambiguous', code: 'deduct_points' });
    expect(parse('扣分 郭道镇 2')).toMatchObject({ kind: 'ambiguous', code: 'deduct_usage' });
    expect(parse('扣分 郭道镇 500 原因')).toMatchObject({ kind: 'ambiguous', code: 'deduct_points', data: { text: '500' } });
  });

  it('reads 整改 单位 事项 期限, asks for the deadline when there is none, and lists with 整改 alone', () => {
    expect(parse('整改 郭道镇 政府信息公开专栏未按月更新 12月15日前')).toEqual({ kind: 'rectify', item: { unit: '郭道镇', text: '政府信息公开专栏未按月更新', due: '2022-12-15' } });
    expect(parse('整改 沁河镇 政策解读缺失 两周内')).toEqual({ kind: 'rectify', item: { unit: '沁河镇', text: '政策解读缺失', due: '2022-12-05' } });
    expect(parse('整改 沁河镇 政策解读缺失 10个工作日内')).toEqual({ kind: 'rectify', item: { unit: '沁河镇', text: '政策解读缺失', workingDays: 10 } });
    expect(parse('整改 沁河镇 政策解读缺失')).toMatchObject({ kind: 'ambiguous', code: 'rectify_due', data: { text: '沁河镇' } });
    expect(parse('整改 沁河镇')).toMatchObject({ kind: 'ambiguous', code: 'rectify_usage' });
    expect(parse('整改')).toEqual({ kind: 'rectify' });
  });

  it('reads 已整改 N [说明], 复查通过 with several numbers and 复查不通过 N 原因, and does not take 已整改 3 for a report of task 3', () => {
    expect(parse('已整改 3 专栏已更新')).toEqual({ kind: 'rectified', id: 3, note: '专栏已更新' });
    expect(parse('整改完成 #3')).toEqual({ kind: 'rectified', id: 3 });
    expect(parse('已整改')).toEqual({ kind: 'rectified' });
    expect(parse('复查通过 3、4 5')).toEqual({ kind: 'verify', ids: [3, 4, 5] });
    expect(parse('复查通过')).toMatchObject({ kind: 'ambiguous', code: 'verify_which' });
    expect(parse('复查不通过 3 专栏仍未更新')).toEqual({ kind: 'reopen', id: 3, reason: '专栏仍未更新' });
    expect(parse('复查不通过 3')).toMatchObject({ kind: 'ambiguous', code: 'reopen_usage' });
    expect(parse('撤销扣分 7')).toEqual({ kind: 'undeduct', id: 7 });
  });

  it('reads 核查链接 with an optional unit and task', () => {
    expect(parse('核查链接')).toEqual({ kind: 'recheck' });
    expect(parse('核查链接 郭道镇')).toEqual({ kind: 'recheck', target: '郭道镇' });
    expect(parse('核查链接 第4项')).toEqual({ kind: 'recheck', task: 4 });
    expect(parse('核查链接 郭道镇 4')).toEqual({ kind: 'recheck', target: '郭道镇', task: 4 });
  });
});

describe('prepare', () => {
  const pieces = ['确认', '4', '４', '，', ',', '。', '（', '）', '(', ')', '：', '；', '！', ' ', '　', '\n', '@助手 ', '/', '已公开', 'https://x.cn/a', 'ｈｔｔｐｓ://y.cn/b', '、', '-', 'Ａ', 'b', '\u200b', '【', '】', '.'];
  const message = fc.array(fc.constantFrom(...pieces), { maxLength: 16 }).map((parts) => parts.join(''));

  it('reads the same folded text as normalizeText(withoutLinks(…)) (property)', () => {
    fc.assert(
      fc.property(message, (text) => {
        // Zero-width characters are dropped before links are taken out (withoutLinks drops them after): no difference people see.
        const visible = text.replace(/\u200b/gu, '');
        expect(prepare(visible).text).toBe(normalizeText(withoutLinks(visible)));
      }),
      { numRuns: 500 },
    );
  });

  it('gives back typed text that folds to the folded suffix (property)', () => {
    const fold = (s: string) => s.normalize('NFKC').replace(/^[\s,、;:：。.!！\-—–~]+/u, '').replace(/\s+/gu, ' ').trim();
    fc.assert(
      fc.property(message, fc.nat(), (text, n) => {
        const p = prepare(text);
        const at = p.text.length === 0 ? 0 : n % p.text.length;
        expect(fold(p.typedFrom(at))).toBe(fold(p.text.slice(at)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('normalizeText', () => {
  it('folds widths, zero-width characters, whitespace and leading mentions', () => {
    expect(normalizeText('@助手\u200b　确认\r\n４ ')).toBe('确认 4');
  });
});

describe('extractLinks', () => {
  it('finds links without trailing punctuation, each once', () => {
    expect(extractLinks('见 https://x.cn/a. 和 https://x.cn/a，还有ｈｔｔｐｓ://y.cn/b）')).toEqual(['https://x.cn/a', 'https://y.cn/b']);
  });
});
