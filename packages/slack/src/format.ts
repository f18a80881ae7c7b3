import type { RenderedMessage } from '@zwgk/bot';

/** The body fields of one `chat.postMessage` / `chat.update` call. */
export interface SlackPost {
  /** Fallback text (notifications, clients without blocks). */
  text: string;
  blocks?: unknown[];
}

/** Slack accepts at most 50 blocks in a message. */
export const MAX_BLOCKS = 50;
const MAX_TEXT = 3_000;

/**
 * Turns a rendered message into `chat.postMessage` bodies. Block Kit messages keep their blocks (split into
 * messages of at most {@link MAX_BLOCKS} blocks); markdown and text messages are sent as a single `mrkdwn`
 * section (`**bold**` and `### headings` become `*bold*`) with the text as fallback.
 *
 * @example
 * toSlackPosts({ style: 'blockkit', text: '回执', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '已确认' } }] });
 * // → [{ text: '回执', blocks: [{ type: 'section', … }] }]
 */
export function toSlackPosts(message: RenderedMessage): SlackPost[] {
  if (message.style === 'blockkit') {
    const blocks = Array.isArray(message.blocks) ? message.blocks : [];
    if (blocks.length === 0) return [{ text: message.text }];
    const posts: SlackPost[] = [];
    for (let i = 0; i < blocks.length; i += MAX_BLOCKS) {
      const part = Math.floor(i / MAX_BLOCKS) + 1;
      const parts = Math.ceil(blocks.length / MAX_BLOCKS);
      posts.push({ text: parts > 1 ? `${message.text}（${part}/${parts}）` : message.text, blocks: blocks.slice(i, i + MAX_BLOCKS) });
    }
    return posts;
  }
  const body = message.style === 'markdown' ? message.text.replace(/\*\*([^*\n]+)\*\*/gu, '*$1*').replace(/^#{1,6} +(.+)$/gmu, '*$1*') : message.text;
  const head = message.title && !body.includes(message.title) ? `*${message.title}*\n` : '';
  const full = `${head}${body}`;
  const chunks: string[] = [];
  for (let i = 0; i < full.length; i += MAX_TEXT) chunks.push(full.slice(i, i + MAX_TEXT));
  return [{ text: message.title || body.slice(0, 150), blocks: chunks.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } })) }];
}
