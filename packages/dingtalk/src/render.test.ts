import { createRenderer, MentionValue } from '@zwgk/bot';
import type { OutgoingMessage } from '@zwgk/chat-contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMarkdown, escapeMarkdownLink, renderDingTalk } from './format.js';

const para = (text: string): OutgoingMessage => ({ title: 't', blocks: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

describe('renderDingTalk', () => {
  const renderer = createRenderer();

  it('renders headings, emphasis, nested lists, small print and mentions as DingTalk markdown', () => {
    const out = renderDingTalk({
      title: '确认回执',
      blocks: [
        { type: 'heading', content: [{ type: 'text', text: '✅ 郭道镇 · 确认回执' }] },
        { type: 'list', items: [{ content: [{ type: 'text', text: '任务6 ' }, { type: 'text', text: '双随机', strong: true }], items: [{ content: [{ type: 'text', text: '确认 6.1' }] }] }] },
        { type: 'context', content: [{ type: 'text', text: '如需撤销：撤销 6' }] },
        { type: 'paragraph', content: [{ type: 'mention', id: 'user_01', name: '张三' }] },
      ],
    });
    expect(out).toEqual({ title: '确认回执', text: '### ✅ 郭道镇 · 确认回执\n\n- 任务6 **双随机**\n  - 确认 6.1\n\n> 如需撤销：撤销 6\n\n@user_01' });
  });

  it('puts each milestone to choose from of a receipt on its own line', () => {
    const options = [
      { selector: '6.1', due: '2022-03-31', label: '年度抽查计划公布', done: false },
      { selector: '6.2', due: '2022-10-31', label: '市场监管信息补录', done: false },
    ];
    const view = { title: '确认回执', mentions: [], unit: '郭道镇', recorded: 0, results: [{ kind: 'choose' as const, task: 6, taskName: '双随机', selector: '6', options }], evidence: [], links: [], sender: '张三', undoHint: '撤销 6', notes: [] };
    const lines = renderDingTalk(renderer.render('confirm', view)).text.split('\n');
    const at = lines.findIndex((l) => l.includes('确认 6.1（2022-03-31 年度抽查计划公布）'));
    expect(lines[at]).toMatch(/^ {2}- 确认 6\.1/u);
    expect(lines[at + 1]).toMatch(/^ {2}- 确认 6\.2（2022-10-31 市场监管信息补录）/u);
  });

  it('puts evidence links in markdown link syntax, unbroken, showing the link itself', () => {
    const url = 'https://x.gov.cn/a_b?c=1&d=(2)';
    const out = renderDingTalk({ title: 't', blocks: [{ type: 'paragraph', content: [{ type: 'text', text: '佐证：' }, { type: 'link', url, text: 'x.gov.cn/a_b' }] }] });
    expect(out.text).toBe('佐证：[x.gov.cn/a_b](https://x.gov.cn/a_b?c=1&d=%282%29)');
  });

  it('keeps markdown structure whatever people typed', () => {
    const view = { title: '**粗**', tone: 'ok' as const, lines: ['**粗** _x_ [a](b) # <b>\n- list'], hint: '# x', mentions: [new MentionValue('user_01', '张三')] };
    const out = renderDingTalk(renderer.render('notice', view));
    expect(out.text).toContain('＊＊粗＊＊ _x_ ［a］(b) # &lt;b> - list');
    expect(out.text).toContain('> ＃ x');
    expect(out.text).toContain('@user_01');
  });

  it('shows a highlight number without a backslash in a notice', () => {
    const out = renderDingTalk(renderer.render('notice', { title: '已登记亮点', tone: 'ok', lines: ['郭道镇：亮点 #1「政策找人」已登记为已报送。'], mentions: [] }));
    expect(out.text).toContain('\n\n郭道镇：亮点 #1「政策找人」已登记为已报送。');
    expect(out.text).not.toContain('\\');
  });

  it('leaves no heading, list, emphasis or link made of what people typed (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (a) => {
        const out = renderDingTalk(renderer.render('notice', { title: 't', tone: 'info', lines: [`${a}[x](dtmd://y)**${a}**`, `# ${a}`], mentions: [] }));
        const body = out.text.split('\n\n').slice(1).join('\n\n');
        expect(body).not.toMatch(/[[\]*]|dtmd:|^#|\n#/u);
      }),
    );
  });

  it('makes ActionCard buttons of up to five actions, each sending its command', () => {
    const message: OutgoingMessage = {
      title: '回执',
      blocks: [para('已确认').blocks[0]!, { type: 'actions', actions: [{ id: 'u', label: '撤销', command: '撤销 4', style: 'danger' }, { id: 's', label: '补充佐证', command: '补充 4' }] }],
    };
    expect(renderDingTalk(message)).toEqual({
      title: '回执',
      text: '已确认',
      buttons: [
        { title: '撤销', url: 'dtmd://dingtalkclient/sendMessage?content=%E6%92%A4%E9%94%80%204' },
        { title: '补充佐证', url: 'dtmd://dingtalkclient/sendMessage?content=%E8%A1%A5%E5%85%85%204' },
      ],
    });
  });

  it('keeps buttons in the text as links when the message @-mentions people (an ActionCard cannot)', () => {
    const message: OutgoingMessage = { title: '提醒', blocks: [{ type: 'actions', actions: [{ id: 'c', label: '已完成', command: '确认 4' }] }] };
    const out = renderDingTalk(message, { mentions: true });
    expect(out.buttons).toBeUndefined();
    expect(out.text).toBe('[已完成](dtmd://dingtalkclient/sendMessage?content=%E7%A1%AE%E8%AE%A4%204)');
  });
});

describe('escapeMarkdown', () => {
  it('leaves markdown characters DingTalk shows as they are alone', () => {
    expect(escapeMarkdown('亮点 #1「x」 a|b ~c~ d_e_f `g` 1>0 a & b 3.5 - 2')).toBe('亮点 #1「x」 a|b ~c~ d_e_f `g` 1>0 a & b 3.5 - 2');
  });

  it('escapes heading, quote and list markers only at the start of a value', () => {
    expect(escapeMarkdown('# 标题')).toBe('＃ 标题');
    expect(escapeMarkdown('#1 号')).toBe('＃1 号');
    expect(escapeMarkdown('> 引用')).toBe('＞ 引用');
    expect(escapeMarkdown('- 列表 - 项')).toBe('－ 列表 - 项');
    expect(escapeMarkdown('+ 列表')).toBe('＋ 列表');
    expect(escapeMarkdown('---')).toBe('－--');
    expect(escapeMarkdown('1. 第一 2. 第二')).toBe('1． 第一 2. 第二');
    expect(escapeMarkdown('2022. 年')).toBe('2022． 年');
    expect(escapeMarkdown('3) 第三')).toBe('3） 第三');
    expect(escapeMarkdown('12月')).toBe('12月');
  });

  it('escapes emphasis, link brackets, tags and a backslash before punctuation anywhere', () => {
    expect(escapeMarkdown('a **b** [c](d) <font color=red>e</font> \\* f\\g')).toBe('a ＊＊b＊＊ ［c］(d) &lt;font color=red>e&lt;/font> \\＊ f\\g');
  });

  it('breaks a one-click command link and other active schemes, as DingTalk would render them', () => {
    expect(escapeMarkdown('确认 4 [查看佐证](dtmd://dingtalkclient/sendMessage?content=撤销 4)')).toBe('确认 4 ［查看佐证］(dtmd：//dingtalkclient/sendMessage?content=撤销 4)');
    expect(escapeMarkdown('JavaScript:alert(1) data:text/html')).toBe('JavaScript：alert(1) data：text/html');
    expect(escapeMarkdownLink('dtmd://dingtalkclient/sendMessage?content=x')).toBe('dtmd%3A//dingtalkclient/sendMessage?content=x');
    expect(escapeMarkdownLink('https://x.gov.cn/a?b=1')).toBe('https://x.gov.cn/a?b=1');
  });

  it('drops bidi overrides, zero-width characters and lone surrogates', () => {
    expect(escapeMarkdown(`张\u202e三\u200b四\u2066五\ufeff${'\ud800'}六😀`)).toBe('张三四五六😀');
  });

  it('leaves no markdown link or emphasis in any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ maxLength: 20 }), (a, b) => {
        expect(escapeMarkdown(`${a}[${b}](dtmd://x)**${a}**`)).not.toMatch(/[[\]*]|dtmd:/u);
      }),
    );
  });
});
