import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { Action, Block, Inline, ListItem, OutgoingMessage } from '@zwgk/chat-contract';
import { MentionValue, TEMPLATE_NAMES, type TemplateName, type TemplateViews } from './views.js';

/** A key of the text catalogue (`templates/texts.json`), e.g. `error.title`. */
export type TextKey = string;

/** A catalogue text with `{name}` placeholders filled (see {@link Renderer.text}). */
export type Texts = (key: TextKey, vars?: Record<string, string | number>) => string;

/** Builds the engine's messages from the templates and words from the catalogue. */
export interface Renderer {
  /** Builds one template's neutral message. Throws when a template is broken. */
  render<N extends TemplateName>(name: N, view: TemplateViews[N]): OutgoingMessage;
  /** A text of the catalogue with `{name}` placeholders filled from `vars`. Throws for a key the catalogue lacks (a programmer error). */
  text(key: TextKey, vars?: Record<string, string | number>): string;
  /** Every key of the catalogue. */
  readonly textKeys: readonly string[];
}

/** Options of {@link createRenderer}. */
export interface RendererOptions {
  /**
   * A directory of overrides laid out like the built-in one: `<dir>/<name>.hbs` replaces that template,
   * `<dir>/_<partial>.hbs` adds or replaces a partial, and `<dir>/texts.json` (a JSON object of catalogue
   * keys to strings) replaces those texts. Missing files and keys keep the built-in.
   */
  templatesDir?: string;
}

function readTexts(file: string, base: Readonly<Record<string, string>> | undefined): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${file}: expected a JSON object of texts`);
  const out: Record<string, string> = { ...base };
  for (const [key, value] of Object.entries(parsed)) {
    if (base !== undefined && !(key in base)) throw new Error(`${file}: unknown text "${key}" (see the built-in templates/texts.json for the keys)`);
    if (typeof value !== 'string') throw new Error(`${file}: text "${key}" must be a string`);
    out[key] = value;
  }
  return out;
}

/** Where the built-in templates are: `templates/` of the package, found from this module in src/ or dist/. */
export function builtinTemplatesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'templates');
    if (existsSync(join(candidate, 'help.hbs'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('@zwgk/bot: built-in templates not found (the package’s templates/ directory is missing)');
}

/*
 * Values never reach the markup parser: each string of a view is replaced by a token (private-use
 * characters around a slot number) before the template runs, and the parsed message gets the value back as
 * literal text. Whatever people typed, it cannot make a heading, list, link or button.
 */
const OPEN = '\ue000';
const CLOSE = '\ue001';
const TOKEN = /\ue000(\d+)\ue001/gu;
const TOKEN_CHARS = /[\ue000\ue001]/gu;

type Slot = { kind: 'text'; value: string } | { kind: 'link'; value: string } | { kind: 'mention'; id: string; name: string };

/** A mention in a tokenised view: `{{mention this}}` renders its token, and so does `{{this}}`. */
class MentionToken {
  constructor(
    readonly id: string,
    readonly name: string,
    readonly token: string,
  ) {}
  toString(): string {
    return this.token;
  }
}

/** View fields that hold identifiers the engine sets (compared in templates with `eq`), never people's text. */
const IDENTIFIER_KEYS = new Set(['kind', 'status', 'tone', 'scope', 'code', 'role']);
/** View fields that hold links: `[文字]({{url}})` makes a link of them; alone they show as a link to themselves. */
const LINK_KEYS = new Set(['evidence', 'url']);

function tokenise(value: unknown, slots: Slot[], as: 'text' | 'link' = 'text'): unknown {
  if (typeof value === 'string') {
    if (value === '') return value;
    slots.push({ kind: as, value: value.includes(OPEN) || value.includes(CLOSE) ? value.replace(TOKEN_CHARS, '') : value });
    return `${OPEN}${slots.length - 1}${CLOSE}`;
  }
  if (value instanceof MentionValue) {
    slots.push({ kind: 'mention', id: value.id, name: value.name });
    return new MentionToken(value.id, value.name, `${OPEN}${slots.length - 1}${CLOSE}`);
  }
  if (Array.isArray(value)) return value.map((v) => tokenise(v, slots, as));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = IDENTIFIER_KEYS.has(k) && typeof v === 'string' ? v : tokenise(v, slots, LINK_KEYS.has(k) ? 'link' : as);
    return out;
  }
  return value;
}

function environment(): typeof Handlebars {
  const env = Handlebars.create();
  const markup = (m: unknown) => (m instanceof MentionToken ? m.token : '');
  env.registerHelper('mention', (m: unknown) => new env.SafeString(markup(m)));
  env.registerHelper('mentions', (list: unknown) => new env.SafeString(Array.isArray(list) ? list.map(markup).filter(Boolean).join(' ') : ''));
  env.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  env.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
  env.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
  env.registerHelper('lt', (a: unknown, b: unknown) => Number(a) < Number(b));
  env.registerHelper('and', (a: unknown, b: unknown) => Boolean(a) && Boolean(b));
  env.registerHelper('or', (a: unknown, b: unknown) => Boolean(a) || Boolean(b));
  env.registerHelper('not', (a: unknown) => !a);
  env.registerHelper('len', (list: unknown) => (Array.isArray(list) ? list.length : 0));
  env.registerHelper('inc', (n: unknown) => Number(n) + 1);
  env.registerHelper('abs', (n: unknown) => Math.abs(Number(n)));
  env.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.map(String).join(typeof sep === 'string' ? sep : '、') : ''));
  return env;
}

// ---- the message markup the templates write -------------------------------------------------------------
//
// One line per block element: `# 标题` (any level) a heading, `- 项` a list item (indented two spaces: a
// sub-item), `> 说明` small print, `---` a divider, `[[文字|命令]]` (optionally `|primary` or `|danger`,
// several on a line) buttons, `| a | b |` rows a table (the first row its header); other lines are
// paragraphs, a blank line between paragraphs. Inline: `**强调**` and `[文字](链接)`.

const HEADING = /^#{1,6}\s+(.*)$/u;
const LIST_ITEM = /^(\s*)[-+]\s+(.*)$/u;
const CONTEXT = /^>\s?(.*)$/u;
const DIVIDER = /^-{3,}\s*$/u;
const BUTTON = /\[\[([^|\]]+)\|([^|\]]+)(?:\|(primary|danger))?\]\]/gu;
const BUTTONS_LINE = /^\s*(?:\[\[[^\]]+\]\]\s*)+$/u;
const TABLE_ROW = /^\|(.*)\|\s*$/u;
const TABLE_RULE = /^\|[\s:|-]+\|\s*$/u;

function expandPlain(text: string, slots: readonly Slot[]): string {
  return text.replace(TOKEN, (_m, i: string) => {
    const slot = slots[Number(i)];
    return slot === undefined ? '' : slot.kind === 'mention' ? `@${slot.name}` : slot.value;
  });
}

function pushText(out: Inline[], text: string, strong: boolean): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last?.type === 'text' && Boolean(last.strong) === strong) last.text += text;
  else out.push(strong ? { type: 'text', text, strong: true } : { type: 'text', text });
}

/** Literal text with tokens: values become text (or links, mentions) exactly as given. */
function expandInline(text: string, strong: boolean, slots: readonly Slot[], out: Inline[]): void {
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    pushText(out, text.slice(last, m.index), strong);
    last = m.index + m[0].length;
    const slot = slots[Number(m[1])];
    if (slot === undefined) continue;
    if (slot.kind === 'text') pushText(out, slot.value, strong);
    else if (slot.kind === 'link') out.push({ type: 'link', url: slot.value, text: slot.value });
    else out.push({ type: 'mention', id: slot.id, name: slot.name });
  }
  pushText(out, text.slice(last), strong);
}

function parseInline(line: string, slots: readonly Slot[]): Inline[] {
  const out: Inline[] = [];
  let strong = false;
  let last = 0;
  for (const m of line.matchAll(/\*\*|\[([^[\]]*)\]\(([^()\s]*)\)/gu)) {
    expandInline(line.slice(last, m.index), strong, slots, out);
    last = m.index + m[0].length;
    if (m[0] === '**') strong = !strong;
    else {
      const url = expandPlain(m[2] ?? '', slots);
      const label = expandPlain(m[1] ?? '', slots);
      out.push({ type: 'link', url, text: label || url });
    }
  }
  expandInline(line.slice(last), strong, slots, out);
  return out;
}

function withBreaks(lines: readonly Inline[][]): Inline[] {
  return lines.flatMap((l, i) => (i === 0 ? l : [{ type: 'break' } as Inline, ...l]));
}

function parseButtons(line: string, slots: readonly Slot[], taken: Set<string>, prefix: string): Action[] {
  const actions: Action[] = [];
  for (const m of line.matchAll(BUTTON)) {
    const label = expandPlain(m[1] ?? '', slots).trim();
    const command = expandPlain(m[2] ?? '', slots).trim();
    if (label === '' || command === '') continue;
    // The id names the template, so a tap tells which kind of message it came from (e.g. `digest-unit:确认 4`).
    let id = `${prefix}${command}`;
    for (let n = 2; taken.has(id); n++) id = `${prefix}${command}#${n}`;
    taken.add(id);
    actions.push(m[3] === 'primary' || m[3] === 'danger' ? { id, label, command, style: m[3] } : { id, label, command });
  }
  return actions;
}

/** Parses a template's output (see the markup above) into blocks; tokens come back as literal values. */
function parseMarkup(source: string, slots: readonly Slot[], actionPrefix = ''): Block[] {
  const blocks: Block[] = [];
  const taken = new Set<string>();
  let paragraph: Inline[][] = [];
  let context: Inline[][] = [];
  let list: ListItem[] | null = null;
  let table: { header: string[]; rows: Inline[][][] } | null = null;
  const flush = () => {
    if (paragraph.length > 0) blocks.push({ type: 'paragraph', content: withBreaks(paragraph) });
    if (context.length > 0) blocks.push({ type: 'context', content: withBreaks(context) });
    if (list !== null) blocks.push({ type: 'list', items: list });
    if (table !== null) blocks.push({ type: 'table', header: table.header, rows: table.rows });
    paragraph = [];
    context = [];
    list = null;
    table = null;
  };
  const cells = (row: string) => row.split('|').map((c) => c.trim());
  for (const line of source.split('\n')) {
    if (line.trim() === '') {
      flush();
      continue;
    }
    let m: RegExpExecArray | null;
    if (DIVIDER.test(line)) {
      flush();
      blocks.push({ type: 'divider' });
    } else if ((m = HEADING.exec(line))) {
      flush();
      blocks.push({ type: 'heading', content: parseInline(m[1] ?? '', slots) });
    } else if (BUTTONS_LINE.test(line)) {
      const actions = parseButtons(line, slots, taken, actionPrefix);
      flush();
      const prev = blocks[blocks.length - 1];
      if (prev?.type === 'actions') prev.actions.push(...actions);
      else if (actions.length > 0) blocks.push({ type: 'actions', actions });
    } else if ((m = LIST_ITEM.exec(line))) {
      if (list === null) flush();
      const items: ListItem[] = (list ??= []);
      const item: ListItem = { content: parseInline(m[2] ?? '', slots) };
      const parent = items[items.length - 1];
      if ((m[1] ?? '').length >= 2 && parent) (parent.items ??= []).push(item);
      else items.push(item);
    } else if ((m = CONTEXT.exec(line))) {
      if (context.length === 0) flush();
      context.push(parseInline(m[1] ?? '', slots));
    } else if ((m = TABLE_ROW.exec(line))) {
      if (table === null) {
        flush();
        table = { header: cells(m[1] ?? '').map((c) => expandPlain(c, slots)), rows: [] };
      } else if (!TABLE_RULE.test(line)) table.rows.push(cells(m[1] ?? '').map((c) => parseInline(c, slots)));
    } else {
      if (paragraph.length === 0) flush();
      paragraph.push(parseInline(line.trim(), slots));
    }
  }
  flush();
  return blocks;
}

const OLD_STYLE_DIRS = ['markdown', 'blockkit', 'text', 'common'];

/** Handlebars' options of every run: views are plain data, their prototypes' properties never reach a template. */
const RUNTIME_OPTIONS: Handlebars.RuntimeOptions = { allowProtoPropertiesByDefault: false };

function readTemplates(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  for (const file of readdirSync(dir)) {
    if (file.endsWith('.hbs')) files.set(file.slice(0, -'.hbs'.length), readFileSync(join(dir, file), 'utf8'));
  }
  return files;
}

/**
 * Loads the built-in templates (and overrides from `templatesDir`) and compiles them. A template writes
 * the message markup (headings `#`, lists `-`, small print `>`, `**强调**`, `[文字](链接)`, buttons
 * `[[文字|命令]]`, tables `| a | b |`) and is parsed into the neutral {@link OutgoingMessage}; adapters render that
 * for their platform. Every string of a view reaches the message as literal text, whatever it contains:
 * the identifier fields `kind`, `status`, `tone`, `scope`, `code` and `role` (set by the engine, compared
 * with `eq`) are passed as they are, and `evidence` / `url` fields become links.
 *
 * Throws when a template does not compile, naming the file, or when `templatesDir` still has per-style
 * folders (`markdown/`, `text/`, `blockkit/`) from before templates were shared by every platform.
 *
 * @example
 * const renderer = createRenderer({ templatesDir: './templates' });
 * renderer.render('notice', { title: '已绑定', tone: 'ok', lines: ['本群已绑定 郭道镇'], mentions: [] });
 */
export function createRenderer(options: RendererOptions = {}): Renderer {
  const builtin = builtinTemplatesDir();
  const overrides = options.templatesDir === undefined ? undefined : resolve(options.templatesDir);
  let texts = readTexts(join(builtin, 'texts.json'), undefined);
  if (overrides !== undefined && existsSync(join(overrides, 'texts.json'))) texts = readTexts(join(overrides, 'texts.json'), texts);
  if (overrides !== undefined) {
    for (const old of OLD_STYLE_DIRS) {
      if (readTemplates(join(overrides, old)).size > 0) {
        throw new Error(`templates: ${join(overrides, old)} holds per-style templates; templates are now one set for every platform — move them to ${overrides}/<name>.hbs in the message markup (see docs/bot.md)`);
      }
    }
  }
  const env = environment();
  const sources = readTemplates(builtin);
  if (overrides !== undefined) for (const [name, text] of readTemplates(overrides)) sources.set(name, text);
  const templates = new Map<string, Handlebars.TemplateDelegate>();
  for (const [name, text] of sources) {
    try {
      // compile() is lazy; precompile() reports a syntax error now, naming the file.
      env.precompile(text, { noEscape: true });
      if (name.startsWith('_')) env.registerPartial(name.slice(1), env.compile(text, { noEscape: true, strict: false }));
      else templates.set(name, env.compile(text, { noEscape: true, strict: false }));
    } catch (error) {
      throw new Error(`template ${name}.hbs: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
  for (const name of TEMPLATE_NAMES) if (!templates.has(name)) throw new Error(`template ${name}.hbs is missing`);

  return {
    textKeys: Object.keys(texts),
    text(key, vars = {}) {
      const text = texts[key];
      if (text === undefined) throw new Error(`text catalogue: no text "${key}"`);
      return text.replace(/\{(\w+)\}/gu, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
    },
    render(name, view) {
      const template = templates.get(name);
      if (!template) throw new Error(`template ${name}.hbs is missing`);
      const slots: Slot[] = [];
      const tokenised = tokenise(view, slots);
      let output: string;
      try {
        output = template(tokenised, RUNTIME_OPTIONS);
      } catch (error) {
        throw new Error(`template ${name}.hbs: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      const title = view.title.replace(/[\u0000-\u001f\u007f]+/gu, ' ').trim();
      return { title, blocks: parseMarkup(output.replace(/\r\n?/gu, '\n'), slots, `${name}:`) };
    },
  };
}
