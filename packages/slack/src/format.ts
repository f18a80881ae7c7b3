import { cleanText, cleanUrl, type Action, type Block, type Inline, type ListItem, type OutgoingMessage } from '@zwgk/chat-contract';

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

/** A message already rendered for Slack: fallback text and Block Kit blocks. */
export interface SlackMessage {
  text: string;
  blocks: unknown[];
}

/**
 * Escapes text for Slack `mrkdwn` and `plain_text`: drops control characters, bidi overrides, zero-width
 * characters and lone surrogates, joins lines, and writes Slack's control characters `& < >` as entities, so
 * text people typed cannot make a mention, link or channel alert.
 *
 * @example
 * escapeSlack('a <@U1> & b'); // 'a &lt;@U1&gt; &amp; b'
 */
export function escapeSlack(value: string): string {
  return cleanText(value).replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;');
}

/** A link for Slack's `<url|text>` syntax: escaped, and `|` encoded so it cannot end the URL early. */
export function escapeSlackLink(url: string): string {
  return escapeSlack(cleanUrl(url).replace(/\|/gu, '%7C'));
}

const MAX_HEADER = 150;
const MAX_BUTTON_TEXT = 75;
const MAX_BUTTON_VALUE = 2_000;
const MAX_ACTION_ID = 255;
const MAX_ELEMENTS = 25;
const MAX_FIELDS = 10;

function mrkdwn(content: readonly Inline[]): string {
  return content
    .map((s) => {
      switch (s.type) {
        case 'text': {
          const text = escapeSlack(s.text);
          // Slack bold needs the asterisks against non-space characters.
          const m = /^(\s*)(.*?)(\s*)$/su.exec(text);
          return s.strong && m && m[2] !== '' ? `${m[1]}*${m[2]}*${m[3]}` : text;
        }
        case 'link':
          return `<${escapeSlackLink(s.url)}|${escapeSlack(s.text || s.url).replace(/\|/gu, '｜')}>`;
        case 'mention':
          return `<@${s.id.replace(/[<>|&"\\\s]/gu, '')}>`;
        default:
          return '\n';
      }
    })
    .join('');
}

function plain(content: readonly Inline[]): string {
  return content.map((s) => (s.type === 'text' ? cleanText(s.text) : s.type === 'link' ? cleanText(s.text || s.url) : s.type === 'mention' ? `@${cleanText(s.name)}` : ' ')).join('');
}

const clip = (text: string, max: number) => ([...text].length > max ? `${[...text].slice(0, max - 1).join('')}…` : text);

function listLines(items: readonly ListItem[], depth: number): string[] {
  return items.flatMap((item) => [`${'    '.repeat(depth)}${depth === 0 ? '•' : '◦'} ${mrkdwn(item.content)}`, ...listLines(item.items ?? [], depth + 1)]);
}

function button(a: Action): Record<string, unknown> {
  const b: Record<string, unknown> = {
    type: 'button',
    text: { type: 'plain_text', text: clip(cleanText(a.label), MAX_BUTTON_TEXT), emoji: true },
    action_id: clip(a.id, MAX_ACTION_ID),
    value: clip(a.command, MAX_BUTTON_VALUE),
  };
  if (a.style) b.style = a.style;
  return b;
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

function blocksOf(block: Block): unknown[] {
  switch (block.type) {
    case 'heading':
      return [{ type: 'header', text: { type: 'plain_text', text: clip(plain(block.content), MAX_HEADER), emoji: true } }];
    case 'paragraph':
      return [section(mrkdwn(block.content))];
    case 'context':
      return [{ type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn(block.content) }] }];
    case 'list':
      return [section(listLines(block.items, 0).join('\n'))];
    case 'fields': {
      const out: unknown[] = [];
      for (let i = 0; i < block.fields.length; i += MAX_FIELDS) {
        out.push({ type: 'section', fields: block.fields.slice(i, i + MAX_FIELDS).map((f) => ({ type: 'mrkdwn', text: `*${escapeSlack(f.label)}*\n${mrkdwn(f.value)}` })) });
      }
      return out;
    }
    case 'table':
      return [section([`*${block.header.map(escapeSlack).join(' | ')}*`, ...block.rows.map((row) => row.map(mrkdwn).join(' | '))].join('\n'))];
    case 'divider':
      return [{ type: 'divider' }];
    case 'actions': {
      const out: unknown[] = [];
      for (let i = 0; i < block.actions.length; i += MAX_ELEMENTS) out.push({ type: 'actions', elements: block.actions.slice(i, i + MAX_ELEMENTS).map(button) });
      return out;
    }
  }
}

/**
 * Renders an engine message as Block Kit: headings as `header` blocks, paragraphs and lists as `mrkdwn`
 * sections (`•` items), small print as `context`, buttons as `actions` elements whose `action_id` is the
 * action's id and `value` its command; the first heading (or else the title) is the fallback text. Text is escaped with
 * {@link escapeSlack}, mentions are `<@id>`, links `<url|text>`.
 *
 * @example
 * renderSlack({ title: '回执', blocks: [{ type: 'actions', actions: [{ id: 'undo-4', label: '撤销', command: '撤销 4' }] }] });
 * // → { text: '回执', blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'undo-4', value: '撤销 4', … }] }] }
 */
export function renderSlack(message: OutgoingMessage): SlackMessage {
  // The notification shows the fallback text: the visible heading says more than the title (it names the unit).
  const heading = message.blocks.find((b) => b.type === 'heading');
  const text = (heading ? plain(heading.content).trim() : '') || cleanText(message.title).trim() || ' ';
  return { text, blocks: message.blocks.flatMap(blocksOf) };
}

/**
 * Turns a message into `chat.postMessage` bodies: an engine message is rendered ({@link renderSlack}); a
 * section longer than {@link MAX_SECTION_TEXT} characters is cut into several at line breaks, and the blocks
 * are split into messages of at most {@link MAX_BLOCKS} blocks.
 *
 * @example
 * toSlackPosts({ text: '回执', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '已确认' } }] });
 * // → [{ text: '回执', blocks: [{ type: 'section', … }] }]
 */
export function toSlackPosts(input: OutgoingMessage | SlackMessage): SlackPost[] {
  const message = 'title' in input && !('text' in input) ? renderSlack(input) : (input as SlackMessage);
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
