import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { actionsOf, renderPlainText, type OutgoingMessage } from '@zwgk/chat-contract';
import { createRenderer } from './render.js';
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
export function sample(nasty = '普通文字'): { [N in TemplateName]: TemplateViews[N] } {
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

/** The only commands the built-in templates' buttons stand for: made of the engine's task selectors. */
const ENGINE_COMMAND = /^(确认|撤销|补充|任务详情) [\d.、]+( 确定)?$/u;

describe('createRenderer', () => {
  const renderer = createRenderer();
  const plain = (message: OutgoingMessage) => renderPlainText(message);
  const text = <N extends TemplateName>(name: N, view: TemplateViews[N]) => plain(renderer.render(name, view));

  it('words each parser question from its code and data', () => {
    const ask = (code: string, data: Record<string, unknown>, candidates = [{ no: 4, name: '行政处罚信息公开' }]) =>
      text('question', { title: '请再说明一下', mentions: [], code, data, candidates });
    expect(ask('range', { text: '4–9', count: 6, command: '确认 4、5、6、7、8、9' })).toContain('请发：确认 4、5、6、7、8、9');
    expect(ask('did_you_mean', { command: '确认 22' })).toContain('没看懂，你是不是想说：确认 22？');
    expect(ask('not_done', { text: '还没完成', command: '确认 4' })).toContain('“还没完成”说的是还没做完，本条未记录。确实已完成后，请发：确认 4');
    expect(ask('not_understood', { command: '确认 4' })).toContain('没看懂。要确认任务请发：确认 4；全部命令请发：帮助');
    expect(ask('unknown_numbers', { word: '确认', did: '记录', numbers: '第99项', count: 34, max: 34, valid: '4', command: '确认 4' })).toContain(
      '没有第99项任务（共34项，编号 1–34）。本条没有记录任何一项（任务4 也没有记录）。请改正后重发：确认 4',
    );
    expect(ask('name_ambiguous', { token: '信息', word: '确认', example: 4, more: 3 })).toContain('“信息”对应多项任务：4 行政处罚信息公开 等另3项。请写任务编号，例如：确认 4');
  });

  it('builds every template into a titled message with blocks', () => {
    const views = sample();
    for (const name of TEMPLATE_NAMES) {
      const out = renderer.render(name, views[name] as never);
      expect(out.title.length, name).toBeGreaterThan(0);
      expect(out.blocks.length, name).toBeGreaterThan(0);
    }
  });

  it('shows every fact of a confirmation receipt', () => {
    const out = text('confirm', sample().confirm);
    for (const fact of ['任务4 普通文字（11月底前，截止 2022-11-30）已确认：逾期完成，晚 2 天', '已于 2022-11-01 09:00 确认（按时）', '任务13 双减：本单位已豁免', '任务24 政府公报：不是本单位承担的任务', '确认 6.1（2022-03-31 抽查计划）', '没有这个节点，可选：', '确认 6.2（2022-10-31 录入）：已确认', '撤销 4', '任务32 请用汇报登记']) {
      expect(out).toContain(fact);
    }
  });

  it('marks emphasis, headings and small print as blocks, not characters', () => {
    const out = renderer.render('confirm', sample().confirm);
    expect(out.blocks[0]?.type).toBe('heading');
    expect(JSON.stringify(out.blocks)).toContain('{"type":"text","text":"逾期完成","strong":true}');
    expect(out.blocks.some((b) => b.type === 'context')).toBe(true);
    expect(JSON.stringify(out)).not.toContain('**');
  });

  it('tells a late confirmation (status done_late) from an on-time one', () => {
    const view = sample()['status-unit'];
    view.done = [row({ selector: '4', status: 'done_late' }), row({ selector: '9', status: 'done' })];
    expect(text('status-unit', view)).toContain('4（逾期完成）、9');
  });

  it('puts each milestone to choose from in its own nested list item', () => {
    const options = [
      { selector: '6.1', due: '2022-03-31', label: '年度抽查计划公布', done: false },
      { selector: '6.2', due: '2022-10-31', label: '市场监管信息补录', done: false },
    ];
    const view = { ...sample().confirm, recorded: 0, results: [{ kind: 'choose' as const, task: 6, taskName: '双随机', selector: '6', options }] };
    const list = renderer.render('confirm', view).blocks.find((b) => b.type === 'list');
    expect(list?.type === 'list' && list.items[0]?.items?.map((i) => plain({ title: '', blocks: [{ type: 'paragraph', content: i.content }] }))).toEqual([
      '确认 6.1（2022-03-31 年度抽查计划公布）',
      '确认 6.2（2022-10-31 市场监管信息补录）',
    ]);
  });

  it('shows the review counts line in 进度, the county overview and a 补充 receipt only when given', () => {
    const line = '复核：待复核 1 项，通过 2 项，退回 0 项';
    const views = sample();
    for (const name of ['status-unit', 'digest-admin'] as const) {
      expect(text(name, { ...views[name], reviewLine: line })).toContain(line);
      expect(text(name, views[name])).not.toContain('复核：');
    }
    const note = '任务4 已重新提交复核（此前退回原因：链接打不开）';
    expect(text('supplement', { ...views.supplement, notes: [note] })).toContain(note);
  });

  it('says how many more units are overdue than the county overview lists', () => {
    const view = { ...sample()['digest-admin'], laggards: [{ unit: '郭道镇', overdue: 3 }], laggardCount: 14, laggardsHidden: 13 };
    expect(text('digest-admin', view)).toContain('等 14 个单位（另有 13 个未列出');
    expect(text('digest-admin', { ...view, laggardCount: 1, laggardsHidden: 0 })).not.toContain('未列出');
  });

  it('marks scores before the year’s end as an estimate, with the year-end best', () => {
    const { detail, ...overview } = sample().scores;
    const note = '截至 11-21 的预估：未到期的任务不计入完成情况，年终考核计入全部任务';
    expect(text('scores', overview)).toContain(note);
    expect(text('scores', overview)).toContain('考核 单位名');
    expect(text('scores', { ...overview, detail })).toContain(note);
    expect(text('scores', { ...overview, detail })).toContain('年终最高可得 97.5 分');
    const { estimateAsOf: _, ...final } = overview;
    expect(text('scores', final)).not.toContain('预估');
  });

  it('says overdue in 天 and what is left in 个工作日 wherever a row is shown', () => {
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
      const out = text(name, view as never);
      expect(out, name).toContain('逾期 235 天');
      expect(out, name).toContain('还剩 4 个工作日');
    }
    const admin = text('digest-admin', views['digest-admin']);
    expect(admin).toContain('逾期 2 项');
    expect(admin).toContain('即将到期 1 项');
  });

  it('makes mention spans of the people a message mentions', () => {
    expect(JSON.stringify(renderer.render('nudge', sample().nudge).blocks)).toContain('{"type":"mention","id":"user_01","name":"张三"}');
  });

  it('makes evidence a link span with the link as given', () => {
    const url = 'https://x.gov.cn/a_b?c=1&d=(2)';
    const out = renderer.render('confirm', { ...sample().confirm, evidence: [url], links: [{ url, text: 'x.gov.cn/a_b' }] });
    expect(JSON.stringify(out.blocks)).toContain(JSON.stringify({ type: 'link', url, text: 'x.gov.cn/a_b' }));
    expect(plain(out)).toContain(`佐证：${url}`);
    expect(JSON.stringify(out)).not.toContain('链接1');
  });

  it('keeps what people typed as literal text: no heading, list, emphasis, link or button comes of it', () => {
    const nasty = '**粗** _x_ [a](https://b) # <b>\n- list [[撤销|撤销 4]] \ue0000\ue001';
    const views = sample(nasty);
    for (const name of TEMPLATE_NAMES) {
      const out = renderer.render(name, views[name] as never);
      const spans = JSON.stringify(out.blocks);
      expect(spans, name).not.toContain('"url":"https://b"');
      for (const action of actionsOf(out)) expect(action.command, name).toMatch(ENGINE_COMMAND);
    }
    const notice = renderer.render('notice', views.notice);
    expect(notice.blocks[1]).toEqual({ type: 'paragraph', content: [{ type: 'text', text: '**粗** _x_ [a](https://b) # <b>\n- list [[撤销|撤销 4]] 0' }] });
  });

  it('keeps any text people typed literal in every template (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (nasty) => {
        const views = sample(nasty);
        for (const name of TEMPLATE_NAMES) {
          const out = renderer.render(name, views[name] as never);
          for (const action of actionsOf(out)) expect(action.command).toMatch(ENGINE_COMMAND);
          expect(JSON.stringify(out)).not.toMatch(/[\ue000\ue001]/u);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('offers 「已完成」 per open item of a digest, 「撤销」 and 「补充佐证」 on a receipt, 「查看任务」 on a 催办', () => {
    const views = sample();
    expect(actionsOf(renderer.render('digest-unit', views['digest-unit'])).map((a) => [a.id, a.label, a.command])).toEqual([
      ['digest-unit:确认 4', '任务4 已完成', '确认 4'],
      ['digest-unit:确认 4#2', '任务4 已完成', '确认 4'],
    ]);
    expect(actionsOf(renderer.render('confirm', { ...views.confirm, selectors: '4、9', undoHint: '撤销 4、9' })).map((a) => [a.label, a.command, a.style])).toEqual([
      ['撤销', '撤销 4、9', 'danger'],
      ['补充佐证', '补充 4、9', undefined],
    ]);
    expect(actionsOf(renderer.render('confirm', { ...views.confirm, recorded: 0 }))).toEqual([]);
    expect(actionsOf(renderer.render('nudge', views.nudge)).map((a) => a.command)).toEqual(['任务详情 4']);
    expect(actionsOf(renderer.render('digest-unit', { ...views['digest-unit'], overdue: [], dueSoon: [], clear: true }))).toEqual([]);
  });

  it('makes buttons of [[文字|命令]] lines, their command filled from the view', () => {
    dir = mkdtempSync(join(tmpdir(), 'zwgk-tpl-'));
    writeFileSync(join(dir, 'notice.hbs'), '{{title}}\n\n[[已完成|确认 {{hint}}|primary]] [[撤销|撤销 {{hint}}|danger]]\n[[已完成|确认 {{hint}}]]');
    const out = createRenderer({ templatesDir: dir }).render('notice', { title: '回执', tone: 'ok', lines: [], hint: '4', mentions: [] });
    expect(actionsOf(out)).toEqual([
      { id: 'notice:确认 4', label: '已完成', command: '确认 4', style: 'primary' },
      { id: 'notice:撤销 4', label: '撤销', command: '撤销 4', style: 'danger' },
      { id: 'notice:确认 4#2', label: '已完成', command: '确认 4' },
    ]);
  });

  it('makes a table of | rows, the first its header', () => {
    dir = mkdtempSync(join(tmpdir(), 'zwgk-tpl-'));
    writeFileSync(join(dir, 'notice.hbs'), '| 单位 | 得分 |\n|---|---|\n{{#each lines}}| {{this}} | 90 |\n{{/each}}');
    const out = createRenderer({ templatesDir: dir }).render('notice', { title: 't', tone: 'ok', lines: ['郭道镇', '**x** | y'], mentions: [] });
    expect(out.blocks).toEqual([
      {
        type: 'table',
        header: ['单位', '得分'],
        rows: [
          [[{ type: 'text', text: '郭道镇' }], [{ type: 'text', text: '90' }]],
          [[{ type: 'text', text: '**x** | y' }], [{ type: 'text', text: '90' }]],
        ],
      },
    ]);
  });

  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  describe('overrides', () => {
    it('replaces a template from a directory and keeps the others', () => {
      dir = mkdtempSync(join(tmpdir(), 'zwgk-tpl-'));
      writeFileSync(join(dir, 'notice.hbs'), '自定义：{{title}}{{> sign}}');
      writeFileSync(join(dir, '_sign.hbs'), '——县政府办');
      const custom = createRenderer({ templatesDir: dir });
      expect(plain(custom.render('notice', { title: '已绑定', tone: 'ok', lines: [], mentions: [] }))).toBe('自定义：已绑定——县政府办');
      expect(plain(custom.render('help', sample().help))).toContain('确认 4');
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
      writeFileSync(join(dir, 'help.hbs'), '{{#if admin}}未闭合');
      expect(() => createRenderer({ templatesDir: dir })).toThrow(/help\.hbs/);
    });

    it('refuses a directory of per-style templates from before, saying where they go now', () => {
      dir = mkdtempSync(join(tmpdir(), 'zwgk-tpl-'));
      mkdirSync(join(dir, 'markdown'));
      writeFileSync(join(dir, 'markdown', 'help.hbs'), '帮助');
      expect(() => createRenderer({ templatesDir: dir })).toThrow(/markdown.*one set for every platform/);
    });
  });

  it('throws for a catalogue key it does not have', () => {
    expect(() => renderer.text('no.such.key')).toThrow(/no text "no\.such\.key"/);
  });
});

describe('the text catalogue', () => {
  it('has every key the engine’s code asks for', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => {
        const p = join(dir, f);
        return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
      });
    const src = join(__dirname, '..');
    const used = new Set<string>();
    for (const file of files(src)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\b(?:t|texts)\(\s*'([\w.]+)'/gu)) used.add(m[1]!);
      for (const m of readFileSync(file, 'utf8').matchAll(/\b(?:adminOnly|unitForRecords)\(ctx, '(\w+)'\)/gu)) used.add(`what.${m[1]}`);
    }
    expect(used.size).toBeGreaterThan(40);
    const keys = new Set(createRenderer().textKeys);
    expect([...used].filter((k) => !keys.has(k))).toEqual([]);
  });
});
