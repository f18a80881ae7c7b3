import { describe, expect, it } from 'vitest';
import { MAX_BLOCKS, MAX_SECTION_TEXT, toSlackPosts } from './format.js';

describe('toSlackPosts', () => {
  it('keeps a Block Kit message’s text and blocks as one post', () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '已确认 <@U01>' } }];
    expect(toSlackPosts({ style: 'blockkit', text: '回执', blocks })).toEqual([{ text: '回执', blocks }]);
  });

  it('splits more than 50 blocks over numbered posts', () => {
    const blocks = Array.from({ length: MAX_BLOCKS + 3 }, (_, i) => ({ type: 'section', text: { type: 'mrkdwn', text: `行 ${i}` } }));
    const posts = toSlackPosts({ style: 'blockkit', text: '县级总览', blocks });
    expect(posts.map((p) => [p.text, p.blocks?.length])).toEqual([
      ['县级总览（1/2）', 50],
      ['县级总览（2/2）', 3],
    ]);
    expect(posts.flatMap((p) => p.blocks)).toEqual(blocks);
  });

  it('sends a blockless Block Kit message as text only', () => {
    expect(toSlackPosts({ style: 'blockkit', text: '好的', blocks: [] })).toEqual([{ text: '好的' }]);
  });

  it('turns markdown into one mrkdwn section with Slack bold for bold and headings', () => {
    expect(toSlackPosts({ style: 'markdown', title: '提醒', text: '### 提醒\n**任务4** 已逾期' })).toEqual([
      { text: '提醒', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*提醒*\n*任务4* 已逾期' } }] },
    ]);
  });

  it('cuts a section longer than Slack allows into several at line breaks', () => {
    const lines = Array.from({ length: 120 }, (_, i) => `• 单位${i}：12/34（35%），逾期 2，即将到期 1`);
    const [post] = toSlackPosts({ style: 'blockkit', text: '概况', blocks: [{ type: 'section', block_id: 'units', text: { type: 'mrkdwn', text: lines.join('\n') } }] });
    const texts = (post!.blocks as { type: string; text: { type: string; text: string } }[]).map((b) => b.text.text);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.every((t) => t.length <= MAX_SECTION_TEXT)).toBe(true);
    expect(texts.join('\n')).toBe(lines.join('\n'));
    expect(post?.blocks?.every((b) => (b as { type: string }).type === 'section')).toBe(true);
  });
});
