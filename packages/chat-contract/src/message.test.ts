import { describe, expect, it } from 'vitest';
import { actionsOf, cleanText, renderPlainText, withoutActions, type OutgoingMessage } from './message.js';

const receipt: OutgoingMessage = {
  title: '确认回执',
  blocks: [
    { type: 'heading', content: [{ type: 'text', text: '✅ 郭道镇 · 确认回执' }] },
    { type: 'paragraph', content: [{ type: 'text', text: '乡镇组', strong: true }] },
    {
      type: 'list',
      items: [
        { content: [{ type: 'text', text: '任务6 有多个节点：' }], items: [{ content: [{ type: 'text', text: '确认 6.1' }] }] },
        { content: [{ type: 'text', text: '佐证：' }, { type: 'link', url: 'https://x.gov.cn/a', text: 'x.gov.cn' }] },
      ],
    },
    { type: 'context', content: [{ type: 'text', text: '如需撤销：' }, { type: 'text', text: '撤销 4', strong: true }] },
    { type: 'paragraph', content: [{ type: 'mention', id: 'u1', name: '张三' }] },
    { type: 'actions', actions: [{ id: 'undo', label: '撤销', command: '撤销 4', style: 'danger' }] },
  ],
};

describe('renderPlainText', () => {
  it('shows headings, lists, links as URLs and mentions by name, one block a line', () => {
    expect(renderPlainText(receipt)).toBe(
      ['✅ 郭道镇 · 确认回执', '', '【乡镇组】', '· 任务6 有多个节点：', '  - 确认 6.1', '· 佐证：https://x.gov.cn/a', '', '如需撤销：撤销 4', '', '@张三'].join('\n'),
    );
  });

  it('shows buttons only when asked', () => {
    expect(renderPlainText(receipt)).not.toContain('撤销：撤销 4]');
    expect(renderPlainText(receipt, { actions: true })).toContain('[撤销：撤销 4]');
  });

  it('drops control and invisible characters and joins lines in a span', () => {
    const sneaky: OutgoingMessage = { title: 't', blocks: [{ type: 'paragraph', content: [{ type: 'text', text: 'a\u001b[31m张\u202e三\n四' }] }] };
    expect(renderPlainText(sneaky)).toBe('a[31m张三 四');
    expect(cleanText(`x\u200b${'\ud800'}y`)).toBe('xy');
  });
});

describe('actionsOf', () => {
  it('lists every action and withoutActions drops them', () => {
    expect(actionsOf(receipt).map((a) => a.command)).toEqual(['撤销 4']);
    expect(actionsOf(withoutActions(receipt))).toEqual([]);
  });
});
