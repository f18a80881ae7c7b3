import { describe, expect, it } from 'vitest';
import { createRenderer, MentionValue } from '@zwgk/bot';
import fc from 'fast-check';
import { MAX_BLOCKS, MAX_SECTION_TEXT, escapeSlack, renderSlack, toSlackPosts } from './format.js';

describe('toSlackPosts', () => {
  it('keeps a Block Kit message’s text and blocks as one post', () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '已确认 <@U01>' } }];
    expect(toSlackPosts({ text: '回执', blocks })).toEqual([{ text: '回执', blocks }]);
  });

  it('splits more than 50 blocks over numbered posts', () => {
    const blocks = Array.from({ length: MAX_BLOCKS + 3 }, (_, i) => ({ type: 'section', text: { type: 'mrkdwn', text: `行 ${i}` } }));
    const posts = toSlackPosts({ text: '县级总览', blocks });
    expect(posts.map((p) => [p.text, p.blocks?.length])).toEqual([
      ['县级总览（1/2）', 50],
      ['县级总览（2/2）', 3],
    ]);
    expect(posts.flatMap((p) => p.blocks)).toEqual(blocks);
  });

  it('sends a blockless Block Kit message as text only', () => {
    expect(toSlackPosts({ text: '好的', blocks: [] })).toEqual([{ text: '好的' }]);
  });

  it('renders an engine message before posting it', () => {
    expect(toSlackPosts({ title: '提醒', blocks: [{ type: 'paragraph', content: [{ type: 'text', text: '任务4', strong: true }, { type: 'text', text: ' 已逾期' }] }] })).toEqual([
      { text: '提醒', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*任务4* 已逾期' } }] },
    ]);
  });

  it('cuts a section longer than Slack allows into several at line breaks', () => {
    const lines = Array.from({ length: 120 }, (_, i) => `• 单位${i}：12/34（35%），逾期 2，即将到期 1`);
    const [post] = toSlackPosts({ text: '概况', blocks: [{ type: 'section', block_id: 'units', text: { type: 'mrkdwn', text: lines.join('\n') } }] });
    const texts = (post!.blocks as { type: string; text: { type: string; text: string } }[]).map((b) => b.text.text);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.every((t) => t.length <= MAX_SECTION_TEXT)).toBe(true);
    expect(texts.join('\n')).toBe(lines.join('\n'));
    expect(post?.blocks?.every((b) => (b as { type: string }).type === 'section')).toBe(true);
  });
});

describe('renderSlack', () => {
  const renderer = createRenderer();

  it('makes header, mrkdwn sections with bullets, context and actions blocks', () => {
    const out = renderSlack({
      title: '回执',
      blocks: [
        { type: 'heading', content: [{ type: 'text', text: '✅ 郭道镇 · 确认回执' }] },
        { type: 'list', items: [{ content: [{ type: 'text', text: '任务6 ' }, { type: 'text', text: '双随机', strong: true }], items: [{ content: [{ type: 'text', text: '确认 6.1' }] }] }] },
        { type: 'context', content: [{ type: 'text', text: '如需撤销：撤销 6' }] },
        { type: 'actions', actions: [{ id: '撤销 6', label: '撤销', command: '撤销 6', style: 'danger' }] },
      ],
    });
    expect(out).toEqual({
      text: '✅ 郭道镇 · 确认回执',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '✅ 郭道镇 · 确认回执', emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: '• 任务6 *双随机*\n    ◦ 确认 6.1' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '如需撤销：撤销 6' }] },
        { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: '撤销', emoji: true }, action_id: '撤销 6', value: '撤销 6', style: 'danger' }] },
      ],
    });
  });

  it('renders mentions as <@id> and evidence links as <url|text>, unbroken', () => {
    const view = { title: '催办', mentions: [], unit: '郭道镇', task: 4, taskName: '行政处罚', rows: [], from: '县政府办' };
    const nudge = renderSlack(renderer.render('nudge', { ...view, mentions: [new MentionValue('U01', '张三')] }));
    expect(JSON.stringify(nudge.blocks)).toContain('<@U01>');
    const url = 'https://x.gov.cn/a_b?c=1&d=(2)';
    const out = renderSlack({ title: 't', blocks: [{ type: 'paragraph', content: [{ type: 'text', text: '佐证：' }, { type: 'link', url, text: 'x.gov.cn/a_b' }, { type: 'mention', id: 'U01', name: '张三' }] }] });
    expect(out.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: '佐证：<https://x.gov.cn/a_b?c=1&amp;d=(2)|x.gov.cn/a_b><@U01>' } }]);
  });

  it('escapes Slack control characters in what people typed', () => {
    expect(escapeSlack('a "b" <c> & <@U1>\n')).toBe('a "b" &lt;c&gt; &amp; &lt;@U1&gt; ');
  });

  it('lets no text people typed make a mention, link or button (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (nasty) => {
        const out = renderSlack(renderer.render('notice', { title: nasty, tone: 'info', lines: [nasty, `<@U1> <https://x|y> ${nasty}`], hint: nasty, mentions: [] }));
        const texts = JSON.stringify(out.blocks);
        expect(texts).not.toMatch(/<[@#!h]/u);
        expect(out.blocks.some((b) => (b as { type: string }).type === 'actions')).toBe(false);
      }),
      { numRuns: 150 },
    );
  });
});
