import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand } from './parse.js';

const tasks = Array.from({ length: 34 }, (_, i) => ({ no: i + 1, name: i + 1 === 4 ? '行政处罚信息公开' : i + 1 === 13 ? '“双减”信息公开' : `任务名称${i + 1}号` }));
const now = new Date('2022-11-21T09:30:00+08:00');
const parse = (text: string) => parseCommand(text, { tasks, now, year: 2022 });

describe('natural reports', () => {
  it('record a task named by number with a completion phrase in either order', () => {
    expect(parse('第5项已办结')).toMatchObject({ kind: 'confirm', items: [{ task: 5 }], natural: true });
    expect(parse('十七 确认')).toMatchObject({ kind: 'confirm', items: [{ task: 17 }] });
    expect(parse('已办结第22项任务')).toMatchObject({ kind: 'confirm', items: [{ task: 22 }] });
  });

  it('answer a task named only in part with the exact command, recording nothing', () => {
    expect(parse('处罚信息已经弄完了')).toEqual({ kind: 'ambiguous', command: 'confirm', code: 'did_you_mean', data: { command: '确认 4' } });
  });

  it('ask rather than record a whole digest quoted back', () => {
    const r = parse('【已逾期 2 项】 · 任务4 行政处罚（截止 2022-11-30，逾期 3 天） · 任务9 许可（截止 2022-11-30，逾期 3 天） 已完成');
    expect(r).toEqual({ kind: 'ambiguous', command: 'confirm', code: 'did_you_mean', data: { command: '确认 4、9' } });
  });

  it('never record a negation, a plan, a request or a question (property)', () => {
    const no = fc.integer({ min: 1, max: 34 });
    const ref = fc.constantFrom('第%项', '%号任务', '任务%', '%项', '%');
    const not = fc.constantFrom('还没完成', '已完成80%', '基本完成', '已完成的单位请注意', '完成后请回复', '尚未公开', '下周完成', '准备公开', '没弄完', '完成不了', '要在月底前完成', '11月30日前完成', '完成了吗', '完成了没有', '是否已完成？', '预计月底前完成', '正在办理');
    fc.assert(
      fc.property(no, ref, not, fc.constantFrom('', '我们', '郭道镇'), (n, r, tail, who) => {
        const result = parse(`${who}${r.replace('%', String(n))}${tail}`);
        expect(result.kind).not.toBe('confirm');
      }),
      { numRuns: 400 },
    );
    for (const text of ['请各乡镇尽快完成第4项', '请各单位于11月30日前完成第22项']) expect(parse(text).kind).not.toBe('confirm');
  });

  it('never record a bare verb that follows other words, which is how plans are said (property)', () => {
    // Words between the task and a verb without 已 or 了 (周末加班完成, 回头弄完, 今晚公开) make a plan, whatever they are.
    const between = fc.array(fc.constantFrom(...'周末加班节后回头晚点努力尽量下午上午明早今晚之后再星期三中旬月中等我回单位'), { minLength: 2, maxLength: 6 }).map((cs) => cs.join(''));
    const verb = fc.constantFrom('完成', '弄完', '公开', '办结', '上网', '做完');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 34 }), between, verb, (n, words, v) => {
        expect(parse(`第${n}项${words}${v}`).kind).not.toBe('confirm');
      }),
      { numRuns: 400 },
    );
  });

  it('record a telegraphic report and a marked one alike', () => {
    expect(parse('第4项完成')).toMatchObject({ kind: 'confirm', items: [{ task: 4 }] });
    expect(parse('第4项按期完成，请查收')).toMatchObject({ kind: 'confirm', items: [{ task: 4 }] });
    expect(parse('第22项于11月18日完成')).toMatchObject({ kind: 'confirm', items: [{ task: 22 }], claimedDate: '2022-11-18' });
    expect(parse('我们4号任务已弄完')).toMatchObject({ kind: 'confirm', items: [{ task: 4 }] });
    expect(parse('第4项回头弄完发群里').kind).toBe('unknown');
  });

  it('read work in progress, partly done or promised as no report', () => {
    for (const text of ['第4项快弄完了', '第4项已完成初稿', '第4项完成了三分之二', '第4项只公开了两条', '第4项今天能完成', '第4项12月初能完成', '第4项等领导签字后就公开', '第4项还有两篇没公开', '第4项完成有困难']) {
      expect(parse(text).kind, text).toBe('unknown');
    }
  });

  it('guess a task name typed with one slip, and never record it', () => {
    expect(parse('行政处法信息公开已完成')).toEqual({ kind: 'ambiguous', command: 'confirm', code: 'did_you_mean', data: { command: '确认 4' } });
    expect(parse('确认 行政处法')).toEqual({ kind: 'ambiguous', command: 'confirm', code: 'did_you_mean', data: { command: '确认 4' } });
  });

  it('ask back about words that probably report completion (请查收, 传到网上)', () => {
    expect(parse('第5项 附件.doc 请查收')).toEqual({ kind: 'ambiguous', command: 'confirm', code: 'did_you_mean', data: { command: '确认 5' } });
  });

  it('ask back when the sender is not sure the work is done', () => {
    for (const text of ['第4项应该已经完成了', '第4项好像已经公开了', '听说第4项已经完成了', '第4项我记得已经完成了吧']) {
      expect(parse(text), text).toEqual({ kind: 'ambiguous', command: 'confirm', code: 'did_you_mean', data: { command: '确认 4' } });
    }
    expect(parse('第4项应该完成了，第5项还在做').kind).not.toBe('confirm');
  });

  it('read DingTalk emoticons and bare acknowledgements as people mean them', () => {
    expect(parse('第4项[OK]')).toMatchObject({ kind: 'confirm', items: [{ task: 4 }] });
    expect(parse('[抱拳][抱拳]').kind).toBe('unknown');
    expect(parse('收到👌').kind).toBe('unknown');
    expect(parse('ok').kind).toBe('unknown');
  });

  it('answer a deadline or requirement question with the task, with or without a question word', () => {
    for (const text of ['第5项什么时候截止', '第5项的截止时间', '22号任务几号到期', '第4项需要在哪里公开', '请问第4项是哪个部门牵头']) {
      expect(parse(text), text).toMatchObject({ kind: 'detail' });
    }
  });

  it('only ever record tasks the message names by number (property)', () => {
    const words = fc.constantFrom('已完成', '已办结', '弄完了', 'done', '✅', '已公开', '搞定');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 34 }), words, fc.constantFrom('第%项', '%号', '任务%', '%'), (n, w, r) => {
        const result = parse(`${r.replace('%', String(n))}${w}`);
        if (result.kind === 'confirm') expect(result.items.map((i) => i.task)).toEqual([n]);
      }),
      { numRuns: 300 },
    );
  });

  it('record every number of a list that shares one marker', () => {
    expect(parse('【郭道镇】任务7、9已完成')).toMatchObject({ kind: 'confirm', items: [{ task: 7 }, { task: 9 }] });
    expect(parse('第4、5、6项均已完成')).toMatchObject({ kind: 'confirm', items: [{ task: 4 }, { task: 5 }, { task: 6 }] });
    expect(parse('3、5项已完成')).toMatchObject({ kind: 'confirm', items: [{ task: 3 }, { task: 5 }] });
    expect(parse('第4项、第5项和第7项都已完成')).toMatchObject({ kind: 'confirm', items: [{ task: 4 }, { task: 5 }, { task: 7 }] });
  });

  it('record a list in any marker style, never a number outside it (property)', () => {
    const styles = fc.constantFrom(
      (ns: number[]) => `第${ns.join('、')}项`,
      (ns: number[]) => `任务${ns.join('、')}`,
      (ns: number[]) => `${ns.join('、')}项`,
      (ns: number[]) => ns.map((n) => `第${n}项`).join('、'),
      (ns: number[]) => ns.map((n) => `${n}号`).join('，'),
    );
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 34 }), { minLength: 2, maxLength: 4 }), styles, fc.constantFrom('已完成', '均已完成', '都已公开', '已办结'), (ns, style, done) => {
        const result = parse(`${style(ns)}${done}`);
        expect(result).toMatchObject({ kind: 'confirm' });
        if (result.kind === 'confirm') expect(result.items.map((i) => i.task)).toEqual(ns);
      }),
      { numRuns: 300 },
    );
  });

  it('leave out numbers that count periods beside a list', () => {
    expect(parse('第一、二季度的第4项已完成')).toMatchObject({ kind: 'confirm', items: [{ task: 4 }] });
  });

  it('read a number closed by a full stop as the task', () => {
    expect(parse('4.已完成')).toMatchObject({ kind: 'confirm', items: [{ task: 4 }] });
  });

  it('spell out a range as a question instead of recording it', () => {
    for (const text of ['4-6已完成', '第4至6项已完成', '第4项至第6项均已完成']) {
      expect(parse(text)).toMatchObject({ kind: 'ambiguous', command: 'confirm', code: 'range', data: { count: 3 } });
    }
    expect(parse('11-15第4项已完成')).toMatchObject({ kind: 'confirm', items: [{ task: 4 }] });
  });

  it('read a milestone named in words', () => {
    expect(parse('第4项第2个节点已完成')).toMatchObject({ kind: 'confirm', items: [{ task: 4, milestone: 2 }] });
    expect(parse('第6项第二阶段已完成')).toMatchObject({ kind: 'confirm', items: [{ task: 6, milestone: 2 }] });
  });

  it('take "the last one" in an undo as the plain undo', () => {
    expect(parse('撤销上一条')).toEqual({ kind: 'undo', items: [] });
    expect(parse('撤回刚才的确认')).toEqual({ kind: 'undo', items: [] });
    expect(parse('刚才那条发错了')).toEqual({ kind: 'ambiguous', command: 'undo', code: 'did_you_mean', data: { command: '撤销' } });
  });

  it('record nothing for a report that nothing new is done', () => {
    for (const text of ['我单位本周无新增完成事项', '本周没有新增完成的任务']) expect(parse(text).kind).not.toBe('confirm');
  });

  it('read a number after a unit name and a colon, but not the minutes of a time', () => {
    expect(parse('郭道镇：4、5已完成')).toMatchObject({ kind: 'confirm', items: [{ task: 4 }, { task: 5 }], note: '郭道镇: 已完成' });
    expect(parse('10:30 第4项已完成')).toMatchObject({ kind: 'confirm', items: [{ task: 4 }] });
  });

  it('keep traditional characters and list markers out of the note', () => {
    expect(parse('第4項已完成')).toEqual({ kind: 'confirm', items: [{ task: 4 }], evidence: [], natural: true });
    expect(parse('报告：第3、5项已落实，佐证材料见附件')).toMatchObject({ kind: 'confirm', items: [{ task: 3 }, { task: 5 }], note: '已落实,佐证材料见附件' });
  });

  it('name the plan\'s range for a task number it does not have', () => {
    expect(parse('第35项已完成')).toMatchObject({ kind: 'ambiguous', command: 'confirm', code: 'unknown_numbers', data: { invalid: [35], max: 34 } });
  });

  it('take a link sent as 佐证 for a task as a supplement', () => {
    expect(parse('第4项佐证 https://x.gov.cn/a')).toMatchObject({ kind: 'supplement', items: [{ task: 4 }], evidence: ['https://x.gov.cn/a'] });
  });

  it('answer the office\'s decisions said as sentences with the exact command, deciding nothing', () => {
    const did = (command: string) => ({ kind: 'ambiguous', code: 'did_you_mean', data: { command } });
    expect(parse('郭道镇第4、5项审核通过')).toMatchObject(did('通过 4、5 郭道镇'));
    expect(parse('郭道镇第4项退回，链接打不开')).toMatchObject(did('退回 4 郭道镇 链接打不开'));
    expect(parse('县司法局第6项的佐证退回，原因是链接打不开')).toMatchObject(did('退回 6 县司法局 链接打不开'));
    expect(parse('给郭道镇扣2分，原因未按时报送')).toMatchObject(did('扣分 郭道镇 2 未按时报送'));
    expect(parse('郭道镇扣两分 未按时报送')).toMatchObject(did('扣分 郭道镇 2 未按时报送'));
    // A liaison saying how the work was published is a report, not a decision.
    expect(parse('我们第4项通过网站公开了')).toMatchObject({ kind: 'confirm', items: [{ task: 4 }] });
  });

  it('read the county view and the report said in more words', () => {
    expect(parse('考核得分')).toEqual({ kind: 'scores' });
    expect(parse('考核结果')).toEqual({ kind: 'scores' });
    expect(parse('生成考核报告')).toEqual({ kind: 'export' });
  });

  it('keep a clause report\'s note as a report\'s note', () => {
    expect(parse('第4项已完成，链接见附件；第5项还在做')).toMatchObject({ kind: 'confirm', items: [{ task: 4 }], note: '已完成,链接见附件' });
  });
});
