import { cleanText, cleanUrl, type Block, type Inline, type ListItem, type Mention, type OutgoingMessage } from '@zwgk/chat-contract';

/** A link button of a DingTalk ActionCard. */
export interface DingTalkButton {
  title: string;
  /** `https://…`, or a {@link sendMessageLink} that makes the tapper's client send a message. */
  url: string;
}

/**
 * A message rendered for DingTalk: markdown (or plain text), optionally with ActionCard buttons — a
 * markdown message with `buttons` goes out as an ActionCard (`sampleActionCard` with one button,
 * `sampleActionCard2`…`5` with two to five). {@link renderDingTalk} makes one of an engine message.
 */
export interface DingTalkMessage {
  /** `markdown` (default) or `text` (`sampleText`, no markup). */
  format?: 'markdown' | 'text';
  /** Notification title (DingTalk shows it in the conversation list). */
  title: string;
  text: string;
  buttons?: readonly DingTalkButton[];
}

/** One DingTalk message of a (possibly split) outgoing message, before serialisation. */
export interface DingTalkPart {
  kind: 'markdown' | 'text' | 'actionCard';
  title: string;
  text: string;
  buttons: DingTalkButton[];
  /** Staff ids to @-mention (session webhooks only). */
  atUserIds: string[];
}

/** Where a message goes: the session webhook (supports @-mentions) or the robot OpenAPI (does not). */
export type Channel = 'webhook' | 'openapi';

/** Robot OpenAPI message: `msgKey` and its parameters as a JSON string. */
export interface OpenApiMessage {
  msgKey: string;
  msgParam: string;
}

const MAX_BUTTONS = 5;
const MAX_TITLE_CHARS = 64;
// Room kept for the part number DingTalk shows after the title and the text ("（12/12）").
const NUMBER_ROOM = 40;

/**
 * A link that, tapped in DingTalk, makes the client send `text` into the current chat — ActionCard
 * buttons that "type" a command (`确认 4`) for the person.
 *
 * @example
 * { title: '确认完成', url: sendMessageLink('@政务公开助手 确认 4') }
 */
export function sendMessageLink(text: string): string {
  return `dtmd://dingtalkclient/sendMessage?content=${encodeURIComponent(text)}`;
}

/** UTF-8 bytes `s` takes inside a JSON string (escapes included, quotes excluded). */
export function jsonBytes(s: string): number {
  return Buffer.byteLength(JSON.stringify(s), 'utf8') - 2;
}

function cutLongLine(line: string, limit: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const ch of line) {
    if (current !== '' && jsonBytes(current + ch) > limit) {
      pieces.push(current);
      current = '';
    }
    current += ch;
  }
  if (current !== '') pieces.push(current);
  return pieces;
}

function trimBlankLines(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && (lines[start] ?? '').trim() === '') start++;
  while (end > start && (lines[end - 1] ?? '').trim() === '') end--;
  return lines.slice(start, end);
}

/**
 * Splits markdown into parts of at most `maxBytes` (UTF-8 bytes inside a JSON string), at line
 * boundaries — preferring a blank line when one falls in the second half of a part — and numbers the parts
 * with a last line `（1/3）`. A text that fits is returned as is. Only a single line longer than a whole part
 * is cut inside (at a character boundary).
 *
 * @example
 * splitMarkdown(longDigest, 14_000); // ['…\n\n（1/2）', '…\n\n（2/2）']
 */
export function splitMarkdown(text: string, maxBytes: number): string[] {
  if (jsonBytes(text) <= maxBytes) return [text];
  const footer = (i: number, n: number) => `\n\n（${i}/${n}）`;
  const limit = maxBytes - jsonBytes(footer(9999, 9999));
  if (limit < 16) throw new RangeError(`splitMarkdown: maxBytes ${maxBytes} leaves no room for text`);
  const lines = text.split('\n').flatMap((line) => (jsonBytes(line) > limit ? cutLongLine(line, limit) : [line]));
  const parts: string[][] = [];
  let current: string[] = [];
  let size = 0;
  const cost = (line: string, first: boolean) => jsonBytes(line) + (first ? 0 : 2);
  for (const line of lines) {
    if (current.length > 0 && size + cost(line, false) > limit) {
      // Prefer a paragraph break in the second half of the part, carrying the rest over.
      let cut = current.length;
      let prefix = 0;
      let best = -1;
      for (let i = 0; i < current.length; i++) {
        if (i > 0 && (current[i] ?? '').trim() === '' && prefix >= limit / 2) best = i;
        prefix += cost(current[i] ?? '', i === 0);
      }
      if (best > 0) cut = best;
      parts.push(current.slice(0, cut));
      current = current.slice(cut + (best > 0 ? 1 : 0));
      size = current.reduce((sum, l, i) => sum + cost(l, i === 0), 0);
    }
    size += cost(line, current.length === 0);
    current.push(line);
  }
  if (current.length > 0) parts.push(current);
  const kept = parts.map(trimBlankLines).filter((p) => p.length > 0);
  if (kept.length === 0) return [text.trim()];
  return kept.map((p, i) => p.join('\n') + footer(i + 1, kept.length));
}

function titleOf(message: DingTalkMessage): string {
  const explicit = typeof message.title === 'string' ? message.title.trim() : '';
  const source =
    explicit ||
    (message.text
      .split('\n')
      .map((l) => l.replace(/^[#>*\-\s]+/u, '').replace(/[*_`]/gu, '').trim())
      .find((l) => l !== '') ??
      '');
  const chars = [...(source || '消息')];
  return chars.length > MAX_TITLE_CHARS ? `${chars.slice(0, MAX_TITLE_CHARS - 1).join('')}…` : chars.join('');
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');

/** `@staffId` → `@name`: the OpenAPI cannot @-mention, so ids would show as digits. */
export function mentionNames(text: string, mentions: readonly Mention[]): string {
  let out = text;
  for (const m of mentions) {
    if (!m.id) continue;
    out = out.replace(new RegExp(`@${escapeRegExp(m.id)}(?![\\w-])`, 'gu'), `@${m.name || m.id}`);
  }
  return out;
}

/** Appends `@staffId` for every mention the text does not name yet (DingTalk highlights an @ only when the text has it). */
function withMentionText(text: string, mentions: readonly Mention[]): string {
  const missing = mentions.filter((m) => m.id && !new RegExp(`@${escapeRegExp(m.id)}(?![\\w-])`, 'u').test(text));
  return missing.length === 0 ? text : `${text}\n\n${missing.map((m) => `@${m.id}`).join(' ')}`;
}

/**
 * Turns a DingTalk message into the DingTalk messages to send, in order: markdown (or an ActionCard when
 * it has buttons, or text for the `text` format), split into numbered parts under `maxBytes`.
 * Through a webhook the last part @-mentions `mentions` (`atUserIds`, with `@staffId` in the text); through
 * the OpenAPI, which cannot @-mention, `@staffId` becomes `@name`.
 */
export function planMessage(message: DingTalkMessage, options: { channel: Channel; mentions?: readonly Mention[]; maxBytes: number }): DingTalkPart[] {
  const mentions = (options.mentions ?? []).filter((m) => typeof m.id === 'string' && m.id !== '');
  const markdown = message.format !== 'text';
  const buttons = (markdown ? (message.buttons ?? []) : []).slice(0, MAX_BUTTONS).map((b) => ({ title: b.title, url: b.url }));
  const kind: DingTalkPart['kind'] = markdown ? (buttons.length > 0 ? 'actionCard' : 'markdown') : 'text';
  const title = titleOf(message);
  let text = message.text;
  const at = options.channel === 'webhook' && kind !== 'actionCard' ? mentions : [];
  text = at.length > 0 ? withMentionText(text, at) : mentionNames(text, mentions);
  // Everything but the text, serialised, bounds the room left for it.
  const overhead =
    jsonBytes(title) +
    buttons.reduce((sum, b) => sum + jsonBytes(b.title) + jsonBytes(b.url) + 40, 0) +
    at.reduce((sum, m) => sum + jsonBytes(m.id) + 4, 0) +
    NUMBER_ROOM +
    120;
  const pieces = splitMarkdown(text, options.maxBytes - overhead);
  return pieces.map((piece, i) => {
    const last = i === pieces.length - 1;
    const partTitle = pieces.length > 1 ? `${title}（${i + 1}/${pieces.length}）` : title;
    const ids = at.filter((m) => new RegExp(`@${escapeRegExp(m.id)}(?![\\w-])`, 'u').test(piece)).map((m) => m.id);
    return {
      kind: last ? kind : kind === 'actionCard' ? 'markdown' : kind,
      title: partTitle,
      text: piece,
      buttons: last ? buttons : [],
      atUserIds: ids,
    };
  });
}

/** The robot OpenAPI form of a part: `sampleMarkdown`, `sampleText`, `sampleActionCard`, `sampleActionCard2`…`5`. */
export function toOpenApiMessage(part: DingTalkPart): OpenApiMessage {
  switch (part.kind) {
    case 'text':
      return { msgKey: 'sampleText', msgParam: JSON.stringify({ content: part.text }) };
    case 'markdown':
      return { msgKey: 'sampleMarkdown', msgParam: JSON.stringify({ title: part.title, text: part.text }) };
    case 'actionCard': {
      const [first] = part.buttons;
      if (part.buttons.length === 1 && first) {
        return { msgKey: 'sampleActionCard', msgParam: JSON.stringify({ title: part.title, text: part.text, singleTitle: first.title, singleURL: first.url }) };
      }
      const param: Record<string, string> = { title: part.title, text: part.text };
      part.buttons.forEach((b, i) => {
        param[`actionTitle${i + 1}`] = b.title;
        param[`actionURL${i + 1}`] = b.url;
      });
      return { msgKey: `sampleActionCard${part.buttons.length}`, msgParam: JSON.stringify(param) };
    }
  }
}

/** The session-webhook body of a part (`markdown`, `text` or `actionCard`, with `at.atUserIds`). */
export function toWebhookBody(part: DingTalkPart): Record<string, unknown> {
  const at = { atUserIds: part.atUserIds, isAtAll: false };
  switch (part.kind) {
    case 'text':
      return { msgtype: 'text', text: { content: part.text }, at };
    case 'markdown':
      return { msgtype: 'markdown', markdown: { title: part.title, text: part.text }, at };
    case 'actionCard': {
      const [first] = part.buttons;
      const card =
        part.buttons.length === 1 && first
          ? { title: part.title, text: part.text, singleTitle: first.title, singleURL: first.url }
          : { title: part.title, text: part.text, btnOrientation: '0', btns: part.buttons.map((b) => ({ title: b.title, actionURL: b.url })) };
      return { msgtype: 'actionCard', actionCard: card };
    }
  }
}

// ---- rendering the engine's neutral messages as DingTalk markdown ------------------------------------------

/** What makes a line a heading, quote or list item: markup only at the start of a line, where a value may stand. */
const LINE_START_MARKUP = /^(\s*)(?:(#|>|[-+](?=\s|-))|(\d+)\.(?=\s|$)|(\d+)\)(?=\s|$))/u;
/** Full-width look-alikes: DingTalk's renderer ignores backslash escapes, so markup characters people type are replaced, not escaped. */
const LOOKALIKE: Record<string, string> = { '#': '＃', '>': '＞', '-': '－', '+': '＋', '*': '＊', '[': '［', ']': '］' };
/** Link schemes that act inside the client (`dtmd:` sends a message as whoever clicks) or run code. */
const ACTIVE_SCHEME = /\b(dtmd|javascript|vbscript|data)\s*:/giu;

/**
 * Escapes text for DingTalk markdown, so text people typed cannot change the message's structure. Drops
 * control characters, bidi overrides, zero-width characters and lone surrogates, and joins lines; DingTalk's
 * renderer ignores backslash escapes, so what it would render is replaced with full-width look-alikes —
 * emphasis `*` and link brackets `[` `]` anywhere, heading, quote and list markers (`#`, `>`, `-`, `+`, `1.`)
 * at the start of the value — `<` before a tag name is written `&lt;`, and the `dtmd:`, `javascript:`,
 * `vbscript:` and `data:` schemes are broken (`dtmd：`); characters DingTalk shows as they are (`#` mid-line,
 * `_`, `|`, `~`, backquotes) are left alone.
 *
 * @example
 * escapeMarkdown('**粗** [a](dtmd://x)'); // '＊＊粗＊＊ ［a］(dtmd：//x)'
 */
export function escapeMarkdown(value: string): string {
  return cleanText(value)
    .replace(/[*[\]]/gu, (c) => LOOKALIKE[c] ?? c)
    .replace(/<(?=[a-z/!?])/giu, '&lt;')
    .replace(ACTIVE_SCHEME, (_m, scheme: string) => `${scheme}：`)
    .replace(LINE_START_MARKUP, (_m, space: string, mark: string | undefined, dotted: string | undefined, parened: string | undefined) =>
      mark !== undefined ? `${space}${LOOKALIKE[mark] ?? mark}` : dotted !== undefined ? `${space}${dotted}．` : `${space}${parened ?? ''}）`,
    );
}

/**
 * A link made safe for markdown link syntax: percent-encodes what would end the `(…)`, and a link that is
 * not `http:`, `https:` or `mailto:` gets its colon encoded, so it cannot act (`dtmd%3A//…`).
 *
 * @example
 * escapeMarkdownLink('dtmd://dingtalkclient/sendMessage?content=x'); // 'dtmd%3A//dingtalkclient/sendMessage?content=x'
 */
export function escapeMarkdownLink(url: string): string {
  const clean = cleanUrl(url);
  const inert = /^(https?|mailto):/iu.test(clean) ? clean : clean.replace(/:/gu, '%3A');
  return inert.replace(/[\s()<>\\"']/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function inlineMarkdown(content: readonly Inline[], indent = ''): string {
  return content
    .map((s) => {
      switch (s.type) {
        case 'text': {
          const text = escapeMarkdown(s.text);
          return s.strong && text.trim() !== '' ? `**${text}**` : text;
        }
        case 'link':
          return `[${escapeMarkdown(s.text || s.url)}](${escapeMarkdownLink(s.url)})`;
        case 'mention':
          return `@${s.id.replace(/[\s()[\]]/gu, '')}`;
        default:
          return `\n${indent}`;
      }
    })
    .join('');
}

function listMarkdown(items: readonly ListItem[], depth: number): string[] {
  const indent = '  '.repeat(depth);
  return items.flatMap((item) => [`${indent}- ${inlineMarkdown(item.content, `${indent}  `)}`, ...listMarkdown(item.items ?? [], depth + 1)]);
}

/** Options of {@link renderDingTalk}. */
export interface RenderDingTalkOptions {
  /**
   * Buttons as ActionCard buttons (default true) when a message has one to five and mentions nobody (an
   * ActionCard cannot @-mention); otherwise, and when false, as links in the text. Each button is a
   * {@link sendMessageLink} that makes the tapper's client send its command.
   */
  actionCard?: boolean;
  /** Whether the message @-mentions people (then buttons stay in the text, keeping the @). */
  mentions?: boolean;
}

function blockMarkdown(block: Block): string {
  switch (block.type) {
    case 'heading':
      return `### ${inlineMarkdown(block.content)}`;
    case 'paragraph':
      return inlineMarkdown(block.content);
    case 'context':
      return `> ${inlineMarkdown(block.content, '> ')}`;
    case 'list':
      return listMarkdown(block.items, 0).join('\n');
    case 'fields':
      return block.fields.map((f) => `**${escapeMarkdown(f.label)}**：${inlineMarkdown(f.value)}`).join('\n\n');
    case 'table':
      // DingTalk markdown has no tables: a row is a list item, its cells joined.
      return [`**${block.header.map(escapeMarkdown).join('｜')}**`, ...block.rows.map((row) => `- ${row.map((cell) => inlineMarkdown(cell)).join('｜')}`)].join('\n');
    case 'divider':
      return '---';
    case 'actions':
      return block.actions.map((a) => `[${escapeMarkdown(a.label)}](${sendMessageLink(cleanText(a.command))})`).join('　');
  }
}

/**
 * Renders an engine message as DingTalk markdown: headings `###`, lists, quotes for small print, `**` for
 * emphasis, `@staffId` for mentions; every text escaped with {@link escapeMarkdown} and every link with
 * {@link escapeMarkdownLink}. Buttons become ActionCard buttons or links (see {@link RenderDingTalkOptions}).
 *
 * @example
 * renderDingTalk({ title: '已绑定', blocks: [{ type: 'heading', content: [{ type: 'text', text: '✅ 已绑定' }] }] });
 * // → { title: '已绑定', text: '### ✅ 已绑定' }
 */
export function renderDingTalk(message: OutgoingMessage, options: RenderDingTalkOptions = {}): DingTalkMessage {
  const actions = message.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []));
  const asCard = options.actionCard !== false && !options.mentions && actions.length > 0 && actions.length <= MAX_BUTTONS;
  const blocks = asCard ? message.blocks.filter((b) => b.type !== 'actions') : message.blocks;
  const text = blocks.map(blockMarkdown).filter((t) => t !== '').join('\n\n');
  const title = cleanText(message.title).trim();
  if (!asCard) return { title, text };
  return { title, text, buttons: actions.map((a) => ({ title: cleanText(a.label), url: sendMessageLink(cleanText(a.command)) })) };
}
