import type { RenderedMessage } from '@zwgk/chat-contract';

/** The body fields of one `chat.postMessage` / `chat.update` call. */
export interface SlackPost {
  /** Fallback text (notifications, clients without blocks). */
  text: string;
  blocks?: unknown[];
}

/** Slack accepts at most 50 blocks in a message. */
export const MAX_BLOCKS = 50;
/** Slack refuses a section whose text is longer than 3 000 characters (`invalid_blocks`). */
export const MAX_SECTION_TEXT = 3_000;
const MAX_TEXT = MAX_SECTION_TEXT;

/** Cuts text into pieces of at most `max` characters, at line breaks where it can. */
function cutText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const at = rest.lastIndexOf('\n', max);
    const cut = at > 0 ? at : max;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(at > 0 ? cut + 1 : cut);
  }
  pieces.push(rest);
  return pieces;
}

/** A section whose text is too long for Slack becomes several sections, cut at line breaks. */
function splitSection(block: unknown): unknown[] {
  const b = block as { type?: unknown; text?: { type?: unknown; text?: unknown } } | null;
  if (b?.type !== 'section' || typeof b.text?.text !== 'string' || b.text.text.length <= MAX_SECTION_TEXT) return [block];
  const { text, ...rest } = b as { text: { text: string } } & Record<string, unknown>;
  return cutText(text.text, MAX_SECTION_TEXT).map((piece) => ({ ...rest, text: { ...text, text: piece } }));
}

/**
 * Turns a rendered message into `chat.postMessage` bodies. Block Kit messages keep their blocks (a section
 * longer than {@link MAX_SECTION_TEXT} characters cut into several at line breaks; split into messages of at most
 * {@link MAX_BLOCKS} blocks); markdown and text messages are sent as a single `mrkdwn`
 * section (`**bold**` and `### headings` become `*bold*`) with the text as fallback.
 *
 * @example
 * toSlackPosts({ style: 'blockkit', text: '回执', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '已确认' } }] });
 * // → [{ text: '回执', blocks: [{ type: 'section', … }] }]
 */
export function toSlackPosts(message: RenderedMessage): SlackPost[] {
  if (message.style === 'blockkit') {
    const blocks = (Array.isArray(message.blocks) ? message.blocks : []).flatMap(splitSection);
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
  const sections = cutText(full, MAX_TEXT).map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
  return toSlackPosts({ style: 'blockkit', text: message.title || body.slice(0, 150), blocks: sections });
}
