import type { Mention, RenderedMessage } from '@zwgk/chat-contract';

/** A link button of a DingTalk ActionCard. */
export interface DingTalkButton {
  title: string;
  /** `https://…`, or a {@link sendMessageLink} that makes the tapper's client send a message. */
  url: string;
}

/**
 * A rendered message, optionally with ActionCard buttons: a markdown message with `buttons` goes out as an
 * ActionCard (`sampleActionCard` with one button, `sampleActionCard2`…`5` with two to five).
 */
export type DingTalkMessage = RenderedMessage & { buttons?: readonly DingTalkButton[] };

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

function titleOf(message: RenderedMessage): string {
  const explicit = 'title' in message && typeof message.title === 'string' ? message.title.trim() : '';
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
 * Turns a rendered message into the DingTalk messages to send, in order: markdown (or an ActionCard when
 * it has buttons, or text for `text`/`blockkit` styles), split into numbered parts under `maxBytes`.
 * Through a webhook the last part @-mentions `mentions` (`atUserIds`, with `@staffId` in the text); through
 * the OpenAPI, which cannot @-mention, `@staffId` becomes `@name`.
 */
export function planMessage(message: DingTalkMessage, options: { channel: Channel; mentions?: readonly Mention[]; maxBytes: number }): DingTalkPart[] {
  const mentions = (options.mentions ?? []).filter((m) => typeof m.id === 'string' && m.id !== '');
  const buttons = (message.style === 'markdown' ? (message.buttons ?? []) : []).slice(0, MAX_BUTTONS).map((b) => ({ title: b.title, url: b.url }));
  const kind: DingTalkPart['kind'] = message.style === 'markdown' ? (buttons.length > 0 ? 'actionCard' : 'markdown') : 'text';
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
