import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { OutputStyle, RenderedMessage } from '../adapter.js';
import { MentionValue, TEMPLATE_NAMES, type TemplateName, type TemplateViews } from './views.js';

/** Every output style, in the order of the template directories. */
export const OUTPUT_STYLES: readonly OutputStyle[] = ['markdown', 'blockkit', 'text'];

/** The keys of the text catalogue (`templates/texts.json`): the engine's own words outside the templates. */
export const TEXT_KEYS = [
  'question.title',
  'notUnderstood.title',
  'error.title',
  'error.hint',
  'oversize.title',
  'oversize.hint',
  'digestWhen.firstWorkingDay',
  'digestWhen.weekday',
  'weekdays',
  'deduction.recorded.title',
  'deduction.recorded.line',
  'deduction.recorded.hint',
  'deduction.removed.title',
  'deduction.removed.line',
  'deduction.missing',
  'rectification.added.title',
  'rectification.added.line',
  'rectification.added.hint',
  'rectification.notice.title',
  'rectification.notice.line',
  'rectification.notice.hint',
  'rectification.list.title',
  'rectification.list.none',
  'rectification.list.line',
  'rectification.list.hintUnit',
  'rectification.list.hintAdmin',
  'rectification.state.open',
  'rectification.state.rectified',
  'rectification.state.verified',
  'rectification.overdue',
  'rectification.rectified.title',
  'rectification.rectified.line',
  'rectification.rectified.admin',
  'rectification.verified.title',
  'rectification.verified.line',
  'rectification.reopened.title',
  'rectification.reopened.line',
  'rectification.refused.title',
  'rectification.refused.not_found',
  'rectification.refused.other_unit',
  'rectification.refused.already_rectified',
  'rectification.refused.already_verified',
  'rectification.refused.not_rectified',
  'rectification.unitOnly',
  'evidence.flagged.title',
  'evidence.flagged.line',
  'evidence.flagged.hint',
  'evidence.result.ok',
  'evidence.result.not_checked',
  'evidence.result.bad_scheme',
  'evidence.result.host_not_allowed',
  'evidence.result.http_error',
  'evidence.result.timeout',
  'evidence.result.unreachable',
  'evidence.result.redirect_not_allowed',
  'evidence.result.too_many_redirects',
  'evidence.result.pending',
  'evidence.recheck.title',
  'evidence.recheck.line',
  'evidence.recheck.none',
  'evidence.recheck.disabled',
  'review.adminOnly',
  'review.queue.title',
  'review.queue.empty',
  'review.queue.emptyLine',
  'review.queue.item',
  'review.queue.again',
  'review.queue.links',
  'review.queue.noLinks',
  'review.queue.note',
  'review.queue.check',
  'review.queue.more',
  'review.queue.hint',
  'review.accept.title',
  'review.return.title',
  'review.none.title',
  'review.changed',
  'review.same',
  'review.notFound',
  'review.nothingFor',
  'review.nothingPending',
  'review.reason',
  'review.announced',
  'review.unannounced',
  'review.needUnits.title',
  'review.needUnits.line',
  'review.needTarget.title',
  'review.needTarget.line',
  'review.needReason.title',
  'review.needReason.line',
  'review.returned.title',
  'review.returned.line',
  'review.returned.hint',
  'review.resubmitted',
  'review.resubmitted.title',
  'review.state.pending',
  'review.state.accepted',
  'review.state.returned',
  'review.counts',
  'review.countsRequired',
] as const;

/** A key of the text catalogue. */
export type TextKey = (typeof TEXT_KEYS)[number];

/** Renders the engine's replies with handlebars, one template set per output style, and its catalogue texts. */
export interface Renderer {
  /** Renders one template for a style. Throws when a template is broken (e.g. a Block Kit one that is not JSON). */
  render<N extends TemplateName>(style: OutputStyle, name: N, view: TemplateViews[N]): RenderedMessage;
  /** A text of the catalogue with `{name}` placeholders filled from `vars`. */
  text(key: TextKey, vars?: Record<string, string | number>): string;
}

/** Options of {@link createRenderer}. */
export interface RendererOptions {
  /**
   * A directory of overrides laid out like the built-in one: `<dir>/<style>/<name>.hbs` replaces that
   * template, `<dir>/<style>/_<partial>.hbs` adds or replaces a partial, and `<dir>/texts.json` (a JSON
   * object of catalogue keys to strings) replaces those texts. Missing files and keys keep the built-in.
   */
  templatesDir?: string;
}

function readTexts(file: string, base: Readonly<Record<TextKey, string>> | undefined): Record<TextKey, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${file}: expected a JSON object of texts`);
  const known = new Set<string>(TEXT_KEYS);
  const out = { ...base } as Record<TextKey, string>;
  for (const [key, value] of Object.entries(parsed)) {
    if (!known.has(key)) throw new Error(`${file}: unknown text "${key}" (known: ${TEXT_KEYS.join(', ')})`);
    if (typeof value !== 'string') throw new Error(`${file}: text "${key}" must be a string`);
    out[key as TextKey] = value;
  }
  for (const key of TEXT_KEYS) if (typeof out[key] !== 'string') throw new Error(`${file}: text "${key}" is missing`);
  return out;
}

// Control characters could rewrite a terminal or break a chat client; line breaks inside a value would
// break the list it sits in.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/gu;
const LINE_BREAKS = /\r\n|\r|\n/gu;

/** What makes a line a heading, quote or list item: markup only at the start of a line, where a value may stand. */
const LINE_START_MARKUP = /^(\s*)(?:(#|>|[-+](?=\s|-))|(\d+)\.(?=\s|$)|(\d+)\)(?=\s|$))/u;
/** Full-width look-alikes: DingTalk's renderer ignores backslash escapes, so markup characters people type are replaced, not escaped. */
const LOOKALIKE: Record<string, string> = { '#': '＃', '>': '＞', '-': '－', '+': '＋', '*': '＊', '[': '［', ']': '］' };
/** Bidi overrides and isolates, directional marks, zero-width characters and lone surrogates: they can disguise what a message says. */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff]/gu;
/** Link schemes that act inside the client (`dtmd:` sends a message as whoever clicks) or run code. */
const ACTIVE_SCHEME = /\b(dtmd|javascript|vbscript|data)\s*:/giu;

/**
 * Escapes a value for a style, so text people typed cannot change the message's structure. Every style
 * drops control characters, bidi overrides, zero-width characters and lone surrogates, and joins lines.
 * Markdown (DingTalk, whose renderer ignores backslash escapes) replaces what it would render with
 * full-width look-alikes — emphasis `*` and link brackets `[` `]` anywhere, heading, quote and list markers
 * (`#`, `>`, `-`, `+`, `1.`) at the start of the value — writes `<` before a tag name as `&lt;`, and breaks
 * the `dtmd:`, `javascript:`, `vbscript:` and `data:` schemes (`dtmd：`); characters DingTalk shows as they are
 * (`#` mid-line, `_`, `|`, `~`, backquotes) are left alone. Block Kit escapes Slack's `& < >` and makes the
 * value safe inside a JSON string.
 */
export function escapeFor(style: OutputStyle, value: string): string {
  const flat = value.replace(CONTROL, '').replace(INVISIBLE, '').replace(LINE_BREAKS, ' ');
  switch (style) {
    case 'markdown':
      return flat
        .replace(/[*[\]]/gu, (c) => LOOKALIKE[c] ?? c)
        .replace(/<(?=[a-z/!?])/giu, '&lt;')
        .replace(ACTIVE_SCHEME, (_m, scheme: string) => `${scheme}：`)
        .replace(LINE_START_MARKUP, (_m, space: string, mark: string | undefined, dotted: string | undefined, parened: string | undefined) =>
          mark !== undefined ? `${space}${LOOKALIKE[mark] ?? mark}` : dotted !== undefined ? `${space}${dotted}．` : `${space}${parened ?? ''}）`,
        );
    case 'blockkit':
      return JSON.stringify(flat.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;')).slice(1, -1);
    case 'text':
      return flat;
  }
}

/** View fields that hold identifiers the engine sets (compared in templates with `eq`), never people's text. */
const IDENTIFIER_KEYS = new Set(['kind', 'status', 'tone', 'scope', 'code', 'role']);

/** View fields that hold links: templates put them in link syntax (`[文字](…)`, `<…|文字>`), so they are escaped as URLs. */
const LINK_KEYS = new Set(['evidence', 'url']);

/**
 * A link made safe for a style's link syntax: markdown percent-encodes what would end the `(…)`, and a link
 * that is not `http:`, `https:` or `mailto:` gets its colon encoded, so it cannot act (`dtmd%3A//…`).
 */
export function escapeLink(style: OutputStyle, url: string): string {
  if (style === 'markdown') {
    const clean = url.replace(CONTROL, '').replace(INVISIBLE, '');
    const inert = /^(https?|mailto):/iu.test(clean) ? clean : clean.replace(/:/gu, '%3A');
    return inert.replace(/[\s()<>\\"']/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  }
  return escapeFor(style, url.replace(/\|/gu, '%7C'));
}

function escapeView(value: unknown, style: OutputStyle, as: 'text' | 'link' = 'text'): unknown {
  if (typeof value === 'string') return as === 'link' ? escapeLink(style, value) : escapeFor(style, value);
  if (Array.isArray(value)) return value.map((v) => escapeView(v, style, as));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, IDENTIFIER_KEYS.has(k) && typeof v === 'string' ? v : escapeView(v, style, LINK_KEYS.has(k) ? 'link' : as)]),
    );
  }
  return value;
}

/** Where the built-in templates are: `templates/` of the package, found from this module in src/ or dist/. */
export function builtinTemplatesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'templates');
    if (existsSync(join(candidate, 'text', 'help.hbs'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('@zwgk/bot: built-in templates not found (the package’s templates/ directory is missing)');
}

function mentionMarkup(style: OutputStyle, value: unknown): string {
  if (!(value instanceof MentionValue)) return '';
  switch (style) {
    case 'markdown':
      return `@${value.id.replace(/[\s()[\]]/gu, '')}`;
    case 'blockkit':
      return `<@${value.id.replace(/[<>|&"\\\s]/gu, '')}>`;
    case 'text':
      return `@${escapeFor('text', value.name)}`;
  }
}

function environment(style: OutputStyle): typeof Handlebars {
  const env = Handlebars.create();
  env.registerHelper('mention', (m: unknown) => new env.SafeString(mentionMarkup(style, m)));
  env.registerHelper('mentions', (list: unknown) =>
    new env.SafeString(Array.isArray(list) ? list.map((m) => mentionMarkup(style, m)).filter(Boolean).join(' ') : ''),
  );
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
  env.registerHelper('join', (list: unknown, sep: unknown) =>
    Array.isArray(list) ? list.map(String).join(typeof sep === 'string' ? sep : '、') : '',
  );
  return env;
}

function readTemplates(dir: string, style: OutputStyle | 'common'): Map<string, string> {
  const files = new Map<string, string>();
  const styleDir = join(dir, style);
  if (!existsSync(styleDir)) return files;
  for (const file of readdirSync(styleDir)) {
    if (file.endsWith('.hbs')) files.set(file.slice(0, -'.hbs'.length), readFileSync(join(styleDir, file), 'utf8'));
  }
  return files;
}

/**
 * Loads the built-in templates (and overrides from `templatesDir`) and compiles them, one handlebars
 * environment per style. Every string of a view is escaped for the style before rendering (see
 * {@link escapeFor}), so templates use `{{value}}` and the output stays well-formed whatever people typed;
 * the identifier fields `kind`, `status`, `tone` and `scope` (set by the engine, compared with `eq`) are
 * passed as they are, and `evidence` links are escaped for link syntax (see {@link escapeLink}).
 *
 * Throws when a template does not compile, naming the file.
 *
 * @example
 * const renderer = createRenderer({ templatesDir: './templates' });
 * renderer.render('markdown', 'notice', { title: '已绑定', tone: 'ok', lines: ['本群已绑定 郭道镇'], mentions: [] });
 */
export function createRenderer(options: RendererOptions = {}): Renderer {
  const builtin = builtinTemplatesDir();
  const overrides = options.templatesDir === undefined ? undefined : resolve(options.templatesDir);
  let texts = readTexts(join(builtin, 'texts.json'), undefined);
  if (overrides !== undefined && existsSync(join(overrides, 'texts.json'))) texts = readTexts(join(overrides, 'texts.json'), texts);
  const compiled = new Map<OutputStyle, Map<string, Handlebars.TemplateDelegate>>();

  for (const style of OUTPUT_STYLES) {
    const env = environment(style);
    // Partials in common/ hold wording every style shares (e.g. the parser's questions); a style's own file wins.
    const sources = new Map([...readTemplates(builtin, 'common'), ...readTemplates(builtin, style)]);
    if (overrides !== undefined) for (const [name, text] of [...readTemplates(overrides, 'common'), ...readTemplates(overrides, style)]) sources.set(name, text);
    const templates = new Map<string, Handlebars.TemplateDelegate>();
    for (const [name, text] of sources) {
      try {
        // compile() is lazy; precompile() reports a syntax error now, naming the file.
        env.precompile(text, { noEscape: true });
        if (name.startsWith('_')) env.registerPartial(name.slice(1), env.compile(text, { noEscape: true, strict: false }));
        else templates.set(name, env.compile(text, { noEscape: true, strict: false }));
      } catch (error) {
        throw new Error(`template ${style}/${name}.hbs: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    }
    for (const name of TEMPLATE_NAMES) {
      if (!templates.has(name)) throw new Error(`template ${style}/${name}.hbs is missing`);
    }
    compiled.set(style, templates);
  }

  return {
    text(key, vars = {}) {
      return texts[key].replace(/\{(\w+)\}/gu, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
    },
    render(style, name, view) {
      const template = compiled.get(style)?.get(name);
      if (!template) throw new Error(`template ${style}/${name}.hbs is missing`);
      const title = view.title.replace(CONTROL, '').replace(LINE_BREAKS, ' ');
      let output: string;
      try {
        output = template(escapeView(view, style), { allowProtoPropertiesByDefault: false });
      } catch (error) {
        throw new Error(`template ${style}/${name}.hbs: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      const text = output.replace(/[ \t]+$/gmu, '').replace(/\n{3,}/gu, '\n\n').trim();
      if (style === 'blockkit') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (error) {
          throw new Error(`template blockkit/${name}.hbs did not produce JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
        const body = Array.isArray(parsed) ? { blocks: parsed } : (parsed as { text?: unknown; blocks?: unknown });
        const blocks = Array.isArray(body.blocks) ? body.blocks : [];
        return { style, text: typeof body.text === 'string' ? body.text : title, blocks };
      }
      return style === 'markdown' ? { style, title, text } : { style, title, text };
    },
  };
}
