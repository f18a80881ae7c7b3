/**
 * The neutral message model: what the engine says, free of any platform's markup. Adapters render it
 * (DingTalk markdown / ActionCard, Slack Block Kit, plain text), each escaping text for the renderer it
 * targets. Text in the model is always literal: a `*` or `[` in a {@link TextSpan} is a character to show,
 * never markup.
 */


/** Literal text, optionally emphasised. */
export interface TextSpan {
  type: 'text';
  text: string;
  /** Shown emphasised (bold). */
  strong?: boolean;
}

/** A link: `url` is taken as given (renderers neutralise schemes that act inside a client). */
export interface LinkSpan {
  type: 'link';
  url: string;
  /** What to show; renderers that cannot show a label show the URL. */
  text: string;
}

/** An @-mention of a person. */
export interface MentionSpan {
  type: 'mention';
  id: string;
  name: string;
}

/** A line break inside a paragraph or list item. */
export interface BreakSpan {
  type: 'break';
}

/** A piece of inline content. */
export type Inline = TextSpan | LinkSpan | MentionSpan | BreakSpan;

/** One item of a {@link ListBlock}, with optional nested items. */
export interface ListItem {
  content: Inline[];
  items?: ListItem[];
}

/**
 * A button: tapping it stands for typing `command` (e.g. `确认 4`). Platforms without buttons show nothing
 * (the message's text already says which command to send).
 */
export interface Action {
  /** Unique within the message; platforms return it with a tap. */
  id: string;
  label: string;
  /** The exact text command the button stands for. */
  command: string;
  style?: 'primary' | 'danger';
}

/** A heading: starts a section of the message. */
export interface HeadingBlock {
  type: 'heading';
  content: Inline[];
}

/** A paragraph of inline content. */
export interface ParagraphBlock {
  type: 'paragraph';
  content: Inline[];
}

/** A bulleted list. */
export interface ListBlock {
  type: 'list';
  items: ListItem[];
}

/** Key-value pairs (a two-column table). */
export interface FieldsBlock {
  type: 'fields';
  fields: Array<{ label: string; value: Inline[] }>;
}

/** A table with a header row. */
export interface TableBlock {
  type: 'table';
  header: string[];
  rows: Inline[][][];
}

/** Small print: hints, how to answer. */
export interface ContextBlock {
  type: 'context';
  content: Inline[];
}

/** A horizontal rule. */
export interface DividerBlock {
  type: 'divider';
}

/** A row of buttons. */
export interface ActionsBlock {
  type: 'actions';
  actions: Action[];
}

/** A block of a message. */
export type Block = HeadingBlock | ParagraphBlock | ListBlock | FieldsBlock | TableBlock | ContextBlock | DividerBlock | ActionsBlock;

/**
 * A message as the engine emits it. `title` is the notification title (DingTalk shows it in the
 * conversation list, Slack as the fallback text); the visible heading, if any, is a block.
 *
 * @example
 * const receipt: OutgoingMessage = {
 *   title: '确认回执',
 *   blocks: [
 *     { type: 'heading', content: [{ type: 'text', text: '✅ 郭道镇 · 确认回执' }] },
 *     { type: 'list', items: [{ content: [{ type: 'text', text: '任务4 已确认：' }, { type: 'text', text: '按时完成', strong: true }] }] },
 *     { type: 'actions', actions: [{ id: 'undo-4', label: '撤销', command: '撤销 4', style: 'danger' }] },
 *   ],
 * };
 */
export interface OutgoingMessage {
  title: string;
  blocks: Block[];
}

/** Every action of a message, in order. */
export function actionsOf(message: OutgoingMessage): Action[] {
  return message.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []));
}

/** The message without its action blocks (what a platform without buttons shows). */
export function withoutActions(message: OutgoingMessage): OutgoingMessage {
  return { ...message, blocks: message.blocks.filter((b) => b.type !== 'actions') };
}

// Control characters could rewrite a terminal or break a chat client; line breaks inside a span would
// break the line it sits in.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/gu;
const LINE_BREAKS = /\r\n|\r|\n/gu;
/** Bidi overrides and isolates, directional marks, zero-width characters and lone surrogates: they can disguise what a message says. */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff]/gu;

/**
 * A span's text made safe for any renderer: drops control characters, bidi overrides, zero-width
 * characters and lone surrogates, and joins lines (a span is inline; line breaks are {@link BreakSpan}s).
 *
 * @example
 * cleanText('张\u202e三\n四'); // '张三 四'
 */
export function cleanText(value: string): string {
  return value.replace(CONTROL, '').replace(INVISIBLE, '').replace(LINE_BREAKS, ' ');
}

/** A link with control and invisible characters removed (line breaks too). */
export function cleanUrl(url: string): string {
  return url.replace(CONTROL, '').replace(INVISIBLE, '').replace(LINE_BREAKS, '');
}

/** Options of {@link renderPlainText}. */
export interface PlainTextOptions {
  /** How a mention shows (default `@name`). */
  mention?: (span: MentionSpan) => string;
  /** How a link shows (default: the URL itself). */
  link?: (span: LinkSpan) => string;
  /** Show buttons as `[label：command]` lines (default false: the text already says what to send). */
  actions?: boolean;
}

/** Inline content as plain text: emphasis dropped, links as their URL, mentions as `@name`. */
export function plainInline(content: readonly Inline[], options: PlainTextOptions = {}): string {
  return content
    .map((s) => {
      switch (s.type) {
        case 'text':
          return cleanText(s.text);
        case 'link':
          return options.link ? options.link(s) : cleanUrl(s.url);
        case 'mention':
          return options.mention ? options.mention(s) : `@${cleanText(s.name || s.id)}`;
        default:
          return '\n';
      }
    })
    .join('');
}

function plainItems(items: readonly ListItem[], depth: number, options: PlainTextOptions): string[] {
  return items.flatMap((item) => [
    `${depth === 0 ? '· ' : `${'  '.repeat(depth)}- `}${plainInline(item.content, options).replace(/\n/gu, `\n${'  '.repeat(depth + 1)}`)}`,
    ...plainItems(item.items ?? [], depth + 1, options),
  ]);
}

/**
 * Renders a message as plain text (terminal, logs, tests, platforms without markup): a paragraph that is
 * all emphasis shows as `【…】` (a label: what follows comes on the next line), list items as `· …` (nested
 * `  - …`), links as their URL, mentions as `@name`; a blank line between blocks.
 *
 * @example
 * renderPlainText({ title: 't', blocks: [{ type: 'paragraph', content: [{ type: 'text', text: '已绑定' }] }] }); // '已绑定'
 */
export function renderPlainText(message: OutgoingMessage, options: PlainTextOptions = {}): string {
  const out: string[] = [];
  let label = false;
  for (const block of message.blocks) {
    const lines: string[] = [];
    const wasLabel = label;
    label = false;
    switch (block.type) {
      case 'heading':
      case 'context':
        lines.push(plainInline(block.content, options));
        break;
      case 'paragraph': {
        const allStrong = block.content.length > 0 && block.content.every((s) => s.type === 'text' && s.strong);
        const text = plainInline(block.content, options);
        lines.push(allStrong ? `【${text}】` : text);
        label = allStrong;
        break;
      }
      case 'list':
        lines.push(...plainItems(block.items, 0, options));
        break;
      case 'fields':
        for (const f of block.fields) lines.push(`${cleanText(f.label)}：${plainInline(f.value, options)}`);
        break;
      case 'table':
        lines.push(block.header.map(cleanText).join(' | '));
        for (const row of block.rows) lines.push(row.map((cell) => plainInline(cell, options)).join(' | '));
        break;
      case 'divider':
        lines.push('———');
        break;
      case 'actions':
        if (options.actions) lines.push(block.actions.map((a) => `[${cleanText(a.label)}：${cleanText(a.command)}]`).join(' '));
        break;
    }
    if (lines.length === 0) continue;
    if (out.length > 0) out.push(wasLabel ? '\n' : '\n\n');
    out.push(lines.join('\n'));
  }
  return out.join('').replace(/[ \t]+$/gmu, '').trim();
}
