import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { OUTPUT_STYLES, createRenderer, escapeFor, escapeLink } from './render.js';
import { MentionValue, TEMPLATE_NAMES, type RowView, type ScoresView, type TemplateName, type TemplateViews } from './views.js';

const row = (over: Partial<RowView> = {}): RowView => ({
  task: 4,
  taskName: '行政处罚信息公开',
  unit: '郭道镇',
  role: '负责',
  due: '2022-11-30',
  label: '11月底前',
  selector: '4',
  status: 'overdue',
  statusText: '已逾期',
  workingDaysLeft: -3,
  daysText: '逾期 3 天',
  ongoing: false,
  ...over,
});
const liaison = new MentionValue('user_01', '张三');
const progress = { done: 3, total: 10, percent: 30, overdue: 1 };

/** One view per template, filling every optional branch. */
function sample(nasty = '普通文字'): { [N in TemplateName]: TemplateViews[N] } {
  const r = row({ taskName: nasty });
  return {
    help: { title: '帮助', mentions: [], admin: true, adminGroup: false, unit: nasty },
    question: { title: '请再说明', mentions: [], question: nasty, candidates: [{ no: 4, name: '行政处罚信息公开' }] },
    notice: { title: nasty, tone: 'ok', lines: [nasty, '第二行'], hint: nasty, mentions: [liaison] },
    confirm: {
      title: '确认回执',
      mentions: [],
      unit: '郭道镇',
      results: [
        { kind: 'recorded', task: 4, taskName: nasty, selector: '4', due: '2022-11-30', label: '11月底前', onTime: false, daysLate: 2, at: '2022-12-02 10:00' },
        { kind: 'already', task: 9, taskName: '行政许可', selector: '9', due: '2022-12-31', label: '全年', onTime: true, at: '2022-11-01 09:00' },
        { kind: 'exempt', task: 13, taskName: '双减', selector: '13' },
        { kind: 'not_assigned', task: 24, taskName: '政府公报', selector: '24' },
        { kind: 'choose', task: 6, taskName: '双随机', selector: '6', options: [{ selector: '6.1', due: '2022-03-31', label: '抽查计划', done: false }] },
        { kind: 'no_milestone', task: 6, taskName: '双随机', selector: '6', options: [{ selector: '6.2', due: '2022-10-31', label: '录入', done: true }] },
      ],
      recorded: 1,
      evidence: ['https://x.gov.cn/a?b=1&c=2'],
      links: [{ url: 'https://x.gov.cn/a?b=1&c=2', text: 'x.gov.cn/a' }],
      note: nasty,
      sender: nasty,
      undoHint: '撤销 4',
      notes: ['任务32 请用汇报登记'],
    },
    undo: {
      title: '撤销回执',
      mentions: [],
      unit: '郭道镇',
      undone: [{ task: 4, taskName: nasty, selector: '4', due: '2022-11-30', label: 'x', at: '2022-11-20 10:00' }],
      nothing: [{ task: 9, taskName: '行政许可' }],
      choices: [{ selector: '22', task: 22, taskName: nasty, at: '2022-11-20 10:00', sender: nasty, onTime: true }],
      costly: [{ selector: '6.2', taskName: nasty, at: '2022-10-20 10:00', due: '2022-10-31', before: '91.0', after: '88.6' }],
      refused: [{ selector: '1', taskName: nasty, sender: nasty }],
    },
    supplement: {
      title: '已补充',
      mentions: [],
      unit: '郭道镇',
      results: [
        { kind: 'added', task: 4, selector: '4', taskName: nasty, added: 2, noted: true, at: '2022-11-20 10:00', onTime: true },
        { kind: 'unchanged', task: 22, selector: '22', taskName: nasty, added: 0, noted: false, at: '2022-11-20 10:00', onTime: false },
        { kind: 'unconfirmed', task: 9, selector: '9', taskName: nasty, added: 0, noted: false },
      ],
      links: [{ url: 'https://x.gov.cn/a?b=1&c=2', text: 'x.gov.cn/a' }],
      empty: false,
      selectors: '4',
      sender: nasty,
    },
    'task-detail': {
      title: '任务4',
      mentions: [],
      task: 4,
      taskName: nasty,
      content: nasty,
      responsibility: nasty,
      milestones: [{ selector: '4', due: '2022-11-30', label: nasty }],
      unit: '郭道镇',
      role: 'lead',
      rows: [{ due: '2022-11-30', status: 'overdue' }],
    },
    'open-units': { title: '任务4 未完成单位', mentions: [], task: 4, taskName: nasty, units: [{ unit: nasty, overdue: true }, { unit: '沁河镇', overdue: false }] },
    'digest-unit': {
      title: '郭道镇 政务公开本周提醒',
      mentions: [liaison],
      unit: '郭道镇',
      week: '2022-W48',
      asOf: '2022-11-28',
      horizonDays: 10,
      overdue: [r],
      dueSoon: [row({ status: 'due_soon', statusText: '即将到期', daysText: '还剩 3 个工作日' })],
      ongoing: [row({ status: 'upcoming', ongoing: true, selector: '1', taskName: '政策发布' })],
      progress,
      leads: [{ task: 4, taskName: nasty, done: 1, total: 3, overdueUnits: ['沁河镇', nasty] }],
      clear: false,
      rectifications: [{ id: 3, item: nasty, due: '2022-12-15', open: true, overdue: false }],
    },
    'digest-admin': {
      title: '政务公开周报',
      mentions: [],
      week: '2022-W48',
      asOf: '2022-11-28',
      horizonDays: 10,
      units: [{ unit: nasty, kind: 'township', overdue: 2, dueSoon: 1, done: 3, total: 10, percent: 30, bound: false }],
      totals: { ...progress, dueSoon: 1, units: 1 },
      unbound: [nasty],
      laggards: [{ unit: nasty, overdue: 2 }],
      laggardCount: 1,
      laggardsHidden: 0,
      unassigned: [{ task: 12, taskName: nasty }],
      rectifications: { open: 2, overdue: 1, awaitingReview: 1 },
      flaggedLinks: 3,
    },
    'status-unit': {
      title: '郭道镇 进度',
      mentions: [],
      unit: '郭道镇',
      asOf: '2022-11-28',
      progress,
      overdue: [r],
      dueSoon: [r],
      ongoing: [r],
      upcoming: [r],
      done: [row({ status: 'done_late' })],
      exempt: [r],
      leads: [{ task: 4, taskName: nasty, done: 1, total: 3, overdueUnits: ['沁河镇'] }],
    },
    'status-task': { title: '任务4', mentions: [], task: 4, taskName: nasty, asOf: '2022-11-28', scope: 'all', leadUnits: ['县司法局'], rows: [r, row({ status: 'done', confirmedAt: '2022-11-20 10:00' })], progress },
    nudge: { title: '催办', mentions: [liaison], unit: '郭道镇', task: 4, taskName: nasty, rows: [r], from: '县政府办' },
    scores: {
      title: '考核得分',
      mentions: [],
      asOf: '2022-11-21',
      estimateAsOf: '11-21',
      groups: [
        {
          name: '乡镇组',
          units: [
            { rank: 1, placeText: '第1名', unit: nasty, final: '95.0', grade: '优秀', completion: '90.0', briefing: '10.0', bonus: '0.0', deductions: '5.0' },
            { rank: null, placeText: '考核单位，不参与排名', unit: '县政府办', final: '99.0', grade: '优秀', completion: '90.0', briefing: '10.0', bonus: '0.0', deductions: '1.0' },
          ],
        },
      ],
      detail: {
        unit: nasty,
        final: '95.0',
        grade: '优秀',
        rank: 1,
        placeText: '组内第 1 名',
        completion: '90.0',
        briefing: '10.0',
        bonus: '0.0',
        deductions: '5.0',
        overdue: [{ task: 4, due: '2022-11-30' }],
        late: [{ task: 9, due: '2022-06-30' }],
        best: { final: '97.5', grade: '优秀' },
      },
    },
  };
}

describe('createRenderer', () => {
  const renderer = createRenderer();

  it('words each parser question from its code and data, the same in every style', () => {
    const ask = (code: string, data: Record<string, unknown>, candidates = [{ no: 4, name: '行政处罚信息公开' }]) =>
      OUTPUT_STYLES.map((style) => {
        const out = renderer.render(style, 'question', { title: '请再说明一下', mentions: [], code, data, candidates });
        return out.style === 'blockkit' ? JSON.stringify(out.blocks) : out.text;
      });
    for (const text of ask('range', { text: '4–9', count: 6, command: '确认 4、5、6、7、8、9' })) expect(text).toContain('请发：确认 4、5、6、7、8、9');
    for (const text of ask('did_you_mean', { command: '确认 22' })) expect(text).toContain('没看懂，你是不是想说：确认 22？');
    for (const text of ask('not_understood', { command: '确认 4' })) expect(text).toContain('没看懂。要确认任务请发：确认 4；全部命令请发：帮助');
    for (const text of ask('unknown_numbers', { word: '确认', did: '记录', numbers: '第99项', count: 34, max: 34, valid: '4', command: '确认 4' })) {
      expect(text).toContain('没有第99项任务（共34项，编号 1–34）。本条没有记录任何一项（任务4 也没有记录）。请改正后重发：确认 4');
    }
    for (const text of ask('name_ambiguous', { token: '信息', word: '确认', example: 4, more: 3 })) expect(text).toContain('“信息”对应多项任务：4 行政处罚信息公开 等另3项。请写任务编号，例如：确认 4');
  });

  it('renders every template in every style, Block Kit as JSON blocks', () => {
    const views = sample();
    for (const style of OUTPUT_STYLES) {
      for (const name of TEMPLATE_NAMES) {
        const out = renderer.render(style, name, views[name] as never);
        expect(out.style).toBe(style);
        if (out.style === 'blockkit') expect(out.blocks.length).toBeGreaterThan(0);
        else expect(out.text.length).toBeGreaterThan(0);
      }
    }
  });

  it.each(OUTPUT_STYLES)('shows every fact of a confirmation receipt in %s', (style) => {
    const out = JSON.stringify(renderer.render(style, 'confirm', sample().confirm)).replace(/\*/gu, '');
    for (const fact of ['任务4 普通文字（11月底前，截止 2022-11-30）已确认：逾期完成，晚 2 天', '已于 2022-11-01 09:00 确认（按时）', '任务13 双减：本单位已豁免', '任务24 政府公报：不是本单位承担的任务', '确认 6.1（2022-03-31 抽查计划）', '没有这个节点，可选：', '确认 6.2（2022-10-31 录入）：已确认', '撤销 4', '任务32 请用汇报登记']) {
      expect(out).toContain(fact);
    }
  });

  it.each(OUTPUT_STYLES)('tells a late confirmation (status done_late) from an on-time one in %s', (style) => {
    const view = sample()['status-unit'];
    view.done = [row({ selector: '4', status: 'done_late' }), row({ selector: '9', status: 'done' })];
    expect(JSON.stringify(renderer.render(style, 'status-unit', view))).toContain('4（逾期完成）、9');
  });

  it.each(OUTPUT_STYLES)('puts each milestone to choose from on its own line in %s', (style) => {
    const options = [
      { selector: '6.1', due: '2022-03-31', label: '年度抽查计划公布', done: false },
      { selector: '6.2', due: '2022-10-31', label: '市场监管信息补录', done: false },
    ];
    const view = { ...sample().confirm, recorded: 0, results: [{ kind: 'choose' as const, task: 6, taskName: '双随机', selector: '6', options }] };
    const out = renderer.render(style, 'confirm', view);
    const lines = (out.style === 'blockkit' ? JSON.parse(JSON.stringify(out.blocks))[0].text.text as string : out.text).split('\n');
    const line61 = lines.findIndex((l) => l.includes('确认 6.1（2022-03-31 年度抽查计划公布）'));
    const line62 = lines.findIndex((l) => l.includes('确认 6.2（2022-10-31 市场监管信息补录）'));
    expect(line61).toBeGreaterThan(0);
    expect(line62).toBe(line61 + 1);
    expect(lines[line61]).not.toContain('6.2');
    if (style === 'markdown') expect(lines[line61]).toMatch(/^ {2}- 确认 6\.1/u);
  });

  it.each(OUTPUT_STYLES)('shows the review counts line in 进度, the county overview and a 补充 receipt only when given, in %s', (style) => {
    const line = '复核：待复核 1 项，通过 2 项，退回 0 项';
    const views = sample();
    for (const name of ['status-unit', 'digest-admin'] as const) {
      expect(JSON.stringify(renderer.render(style, name, { ...views[name], reviewLine: line }))).toContain(line);
      expect(JSON.stringify(renderer.render(style, name, views[name]))).not.toContain('复核：');
    }
    const note = '任务4 已重新提交复核（此前退回原因：链接打不开）';
    expect(JSON.stringify(renderer.render(style, 'supplement', { ...views.supplement, notes: [note] }))).toContain(note);
  });

  it.each(OUTPUT_STYLES)('says how many more units are overdue than the county overview lists in %s', (style) => {
    const view = { ...sample()['digest-admin'], laggards: [{ unit: '郭道镇', overdue: 3 }], laggardCount: 14, laggardsHidden: 13 };
    expect(JSON.stringify(renderer.render(style, 'digest-admin', view))).toContain('等 14 个单位（另有 13 个未列出');
    const all = { ...view, laggardCount: 1, laggardsHidden: 0 };
    expect(JSON.stringify(renderer.render(style, 'digest-admin', all))).not.toContain('未列出');
  });

  it.each(OUTPUT_STYLES)('marks scores before the year’s end as an estimate, with the year-end best, in %s', (style) => {
    const { detail, ...overview } = sample().scores;
    const text = (view: ScoresView) => JSON.stringify(renderer.render(style, 'scores', view));
    const note = '截至 11-21 的预估：未到期的任务不计入完成情况，年终考核计入全部任务';
    expect(text(overview)).toContain(note);
    expect(text(overview)).toContain('考核 单位名');
    expect(text({ ...overview, detail })).toContain(note);
    expect(text({ ...overview, detail })).toContain('年终最高可得');
    expect(text({ ...overview, detail })).toContain('97.5 分');
    const { estimateAsOf: _, ...final } = overview;
    expect(text(final)).not.toContain('预估');
  });

  it.each(OUTPUT_STYLES)('says overdue in 天 and what is left in 个工作日 wherever a row is shown in %s', (style) => {
    const overdue = row({ daysText: '逾期 235 天' });
    const soon = row({ status: 'due_soon', statusText: '即将到期', daysText: '还剩 4 个工作日', selector: '22', task: 22 });
    const views = sample();
    const shown: Array<[TemplateName, object]> = [
      ['digest-unit', { ...views['digest-unit'], overdue: [overdue], dueSoon: [soon] }],
      ['status-unit', { ...views['status-unit'], overdue: [overdue], dueSoon: [soon] }],
      ['status-task', { ...views['status-task'], rows: [overdue, soon] }],
      ['nudge', { ...views.nudge, rows: [overdue, soon] }],
    ];
    for (const [name, view] of shown) {
      const text = JSON.stringify(renderer.render(style, name, view as never));
      expect(text, name).toContain('逾期 235 天');
      expect(text, name).toContain('还剩 4 个工作日');
    }
    const admin = JSON.stringify(renderer.render(style, 'digest-admin', views['digest-admin']));
    expect(admin).toContain('逾期 2 项');
    expect(admin).toContain('即将到期 1 项');
  });

  it('renders mentions in each platform’s markup', () => {
    const text = (style: 'markdown' | 'blockkit' | 'text') => JSON.stringify(renderer.render(style, 'nudge', sample().nudge));
    expect(text('markdown')).toContain('@user_01');
    expect(text('blockkit')).toContain('<@user_01>');
    expect(text('text')).toContain('@张三');
  });

  it('puts evidence links in each platform’s link syntax, unbroken, showing the link itself', () => {
    const url = 'https://x.gov.cn/a_b?c=1&d=(2)';
    const view = { ...sample().confirm, evidence: [url], links: [{ url, text: 'x.gov.cn/a_b' }] };
    expect(JSON.stringify(renderer.render('markdown', 'confirm', view))).toContain('佐证：[x.gov.cn/a_b](https://x.gov.cn/a_b?c=1&d=%282%29)');
    expect(JSON.stringify(renderer.render('blockkit', 'confirm', view))).toContain('佐证：<https://x.gov.cn/a_b?c=1&amp;d=(2)|x.gov.cn/a_b>');
    expect(JSON.stringify(renderer.render('text', 'confirm', view))).toContain('佐证：https://x.gov.cn/a_b?c=1&d=(2)');
    for (const style of OUTPUT_STYLES) expect(JSON.stringify(renderer.render(style, 'confirm', view))).not.toContain('链接1');
  });

  it('keeps markdown structure whatever people typed', () => {
    const out = renderer.render('markdown', 'notice', sample('**粗** _x_ [a](b) # <b>\n- list').notice);
    expect(out.style === 'markdown' && out.text).toContain('＊＊粗＊＊ _x_ ［a］(b) # &lt;b> - list');
  });

  it('shows a highlight number without a backslash in a markdown notice', () => {
    const out = renderer.render('markdown', 'notice', { title: '已登记亮点', tone: 'ok', lines: ['郭道镇：亮点 #1「政策找人」已登记为已报送。'], mentions: [] });
    expect(out.style === 'markdown' && out.text).toContain('\n\n郭道镇：亮点 #1「政策找人」已登记为已报送。');
    expect(out.style === 'markdown' && out.text).not.toContain('\\');
  });

  it('keeps Block Kit valid JSON for any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (nasty) => {
        const views = sample(nasty);
        for (const name of TEMPLATE_NAMES) {
          const out = renderer.render('blockkit', name, views[name] as never);
          expect(Array.isArray(out.style === 'blockkit' ? out.blocks : null)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('drops control characters from plain text', () => {
    const out = renderer.render('text', 'notice', sample('a\u001b[31mred\u0007').notice);
    expect(out.style === 'text' && out.text).not.toMatch(/[\u0000-\u0008\u001b]/u);
  });

  describe('overrides', () => {
    let dir: string | undefined;
    afterEach(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('replaces a template from a directory and keeps the others', () => {
      dir = mkdtempSync(join(tmpdir(), 'zwgk-tpl-'));
      mkdirSync(join(dir, 'text'));
      writeFileSync(join(dir, 'text', 'notice.hbs'), '自定义：{{title}}{{> sign}}');
      writeFileSync(join(dir, 'text', '_sign.hbs'), '——县政府办');
      const custom = createRenderer({ templatesDir: dir });
      const out = custom.render('text', 'notice', { title: '已绑定', tone: 'ok', lines: [], mentions: [] });
      expect(out.style === 'text' && out.text).toBe('自定义：已绑定——县政府办');
      const help = custom.render('text', 'help', sample().help);
      expect(help.style === 'text' && help.text).toContain('确认 4');
    });

    it('takes catalogue texts from texts.json, keeping the built-in ones it does not name', () => {
      dir = mkdtempSync(join(tmpdir(), 'zwgk-tpl-'));
      writeFileSync(join(dir, 'texts.json'), JSON.stringify({ 'error.title': '系统忙，本条没有记下' }));
      const custom = createRenderer({ templatesDir: dir });
      expect(custom.text('error.title')).toBe('系统忙，本条没有记下');
      expect(custom.text('oversize.hint', { max: 2000 })).toBe('一条消息请不超过 2000 个字；内容多时请分几条发送。');
      expect(renderer.text('error.title')).toBe('处理出错，本条未记录');
    });

    it('names an unknown or malformed catalogue text', () => {
      dir = mkdtempSync(join(tmpdir(), 'zwgk-tpl-'));
      writeFileSync(join(dir, 'texts.json'), JSON.stringify({ 'eror.title': 'x' }));
      expect(() => createRenderer({ templatesDir: dir })).toThrow(/unknown text "eror\.title"/);
      writeFileSync(join(dir, 'texts.json'), JSON.stringify({ 'error.title': 3 }));
      expect(() => createRenderer({ templatesDir: dir })).toThrow(/"error\.title" must be a string/);
      writeFileSync(join(dir, 'texts.json'), '{');
      expect(() => createRenderer({ templatesDir: dir })).toThrow(/texts\.json/);
    });

    it('names the file of a template that does not compile', () => {
      dir = mkdtempSync(join(tmpdir(), 'zwgk-tpl-'));
      mkdirSync(join(dir, 'markdown'));
      writeFileSync(join(dir, 'markdown', 'help.hbs'), '{{#if admin}}未闭合');
      expect(() => createRenderer({ templatesDir: dir })).toThrow(/markdown\/help\.hbs/);
    });
  });
});

describe('escapeFor', () => {
  it('leaves markdown characters DingTalk shows as they are alone', () => {
    expect(escapeFor('markdown', '亮点 #1「x」 a|b ~c~ d_e_f `g` 1>0 a & b 3.5 - 2')).toBe('亮点 #1「x」 a|b ~c~ d_e_f `g` 1>0 a & b 3.5 - 2');
  });

  it('escapes heading, quote and list markers only at the start of a value', () => {
    expect(escapeFor('markdown', '# 标题')).toBe('＃ 标题');
    expect(escapeFor('markdown', '#1 号')).toBe('＃1 号');
    expect(escapeFor('markdown', '> 引用')).toBe('＞ 引用');
    expect(escapeFor('markdown', '- 列表 - 项')).toBe('－ 列表 - 项');
    expect(escapeFor('markdown', '+ 列表')).toBe('＋ 列表');
    expect(escapeFor('markdown', '---')).toBe('－--');
    expect(escapeFor('markdown', '1. 第一 2. 第二')).toBe('1． 第一 2. 第二');
    expect(escapeFor('markdown', '2022. 年')).toBe('2022． 年');
    expect(escapeFor('markdown', '3) 第三')).toBe('3） 第三');
    expect(escapeFor('markdown', '12月')).toBe('12月');
  });

  it('escapes emphasis, link brackets, tags and a backslash before punctuation anywhere', () => {
    expect(escapeFor('markdown', 'a **b** [c](d) <font color=red>e</font> \\* f\\g')).toBe('a ＊＊b＊＊ ［c］(d) &lt;font color=red>e&lt;/font> \\＊ f\\g');
  });

  it('breaks a one-click command link and other active schemes, as DingTalk would render them', () => {
    expect(escapeFor('markdown', '确认 4 [查看佐证](dtmd://dingtalkclient/sendMessage?content=撤销 4)')).toBe('确认 4 ［查看佐证］(dtmd：//dingtalkclient/sendMessage?content=撤销 4)');
    expect(escapeFor('markdown', 'JavaScript:alert(1) data:text/html')).toBe('JavaScript：alert(1) data：text/html');
    expect(escapeLink('markdown', 'dtmd://dingtalkclient/sendMessage?content=x')).toBe('dtmd%3A//dingtalkclient/sendMessage?content=x');
    expect(escapeLink('markdown', 'https://x.gov.cn/a?b=1')).toBe('https://x.gov.cn/a?b=1');
  });

  it('drops bidi overrides, zero-width characters and lone surrogates in every style', () => {
    const sneaky = `张\u202e三\u200b四\u2066五\ufeff${'\ud800'}六😀`;
    for (const style of OUTPUT_STYLES) expect(escapeFor(style, sneaky)).toBe('张三四五六😀');
  });

  it('leaves no markdown link or emphasis in any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ maxLength: 20 }), (a, b) => {
        const out = escapeFor('markdown', `${a}[${b}](dtmd://x)**${a}**`);
        expect(out).not.toMatch(/[[\]*]|dtmd:/u);
      }),
    );
  });

  it('escapes Slack control characters and JSON string syntax for Block Kit', () => {
    expect(escapeFor('blockkit', 'a "b" <c> & \\')).toBe('a \\"b\\" &lt;c&gt; &amp; \\\\');
  });
});
