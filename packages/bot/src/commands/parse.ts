import { addDays, endOfMonth, shanghaiDate } from '@zwgk/sdk';

/** A task named in a command, optionally narrowed to one of its milestones. */
export interface TaskItem {
  /** Task number. */
  task: number;
  /** 1-based milestone index, from `6.2`. */
  milestone?: number;
  /** Milestone due date `YYYY-MM-DD`, from `确认 6 3月31日`. */
  due?: string;
}

/** Every command kind of docs/bot.md (the `kind` of a parsed {@link Command}). */
export type CommandKind =
  | 'confirm'
  | 'undo'
  | 'digest'
  | 'status'
  | 'briefing'
  | 'highlight'
  | 'help'
  | 'bind'
  | 'unbind'
  | 'liaison'
  | 'nudge'
  | 'exempt'
  | 'select'
  | 'scores'
  | 'export';

/** `确认 4、9 [6.2] [链接…] [说明]` — a unit reports milestones done. */
export interface ConfirmCommand {
  kind: 'confirm';
  items: TaskItem[];
  /** Links found anywhere in the text. */
  evidence: string[];
  note?: string;
}
/** `撤销 [4]` — withdraw the unit's latest confirmation (of a task, or the latest of all). */
export interface UndoCommand {
  kind: 'undo';
  items: TaskItem[];
}
/** `本周 [单位]` — this week's digest on demand. */
export interface DigestCommand {
  kind: 'digest';
  target?: string;
}
/** `进度 [4 | 单位 | 任务名]` — progress of the unit, a task or (admins) another unit. */
export interface StatusCommand {
  kind: 'status';
  task?: number;
  target?: string;
}
/** `汇报 YYYY-MM-DD [说明]` — a leader briefing (task 32). */
export interface BriefingCommand {
  kind: 'briefing';
  date: string;
  note?: string;
}
/** `亮点 标题` — a 亮点工程 entry submitted (task 31). */
export interface HighlightCommand {
  kind: 'highlight';
  title: string;
  evidence: string[];
}
/** `帮助 [命令]`. */
export interface HelpCommand {
  kind: 'help';
  topic?: string;
}
/** `绑定 [单位名 | 管理群]` — bind this group to a unit or make it the admin group; without a name, show the binding. */
export interface BindCommand {
  kind: 'bind';
  /** Unit name as typed; `null` asks for the current binding. */
  target: string | null;
  /** True for `绑定 管理群` / `bind admin`. */
  admin: boolean;
}
/** `解绑` — remove this group's binding. */
export interface UnbindCommand {
  kind: 'unbind';
}
/** `联络员 [@某人…]`, `联络员 移除 @某人` — register, remove or list the unit's liaisons. */
export interface LiaisonCommand {
  kind: 'liaison';
  action: 'add' | 'remove' | 'list';
  /** Names written after `@` in the text (the adapter's mention list is authoritative). */
  names: string[];
}
/** `催办 4` — remind every unit group with the task open. */
export interface NudgeCommand {
  kind: 'nudge';
  tasks: number[];
}
/** `豁免 4 单位 原因`. */
export interface ExemptCommand {
  kind: 'exempt';
  items: TaskItem[];
  unit: string;
  reason: string;
}
/** `入选 亮点编号`. */
export interface SelectCommand {
  kind: 'select';
  highlight: number;
}
/** `考核 [单位]` — the county assessment overview, or one unit's detail. */
export interface ScoresCommand {
  kind: 'scores';
  target?: string;
}
/** `导出` — the records of the plan year. */
export interface ExportCommand {
  kind: 'export';
}

/** A command the parser understood. */
export type Command =
  | ConfirmCommand
  | UndoCommand
  | DigestCommand
  | StatusCommand
  | BriefingCommand
  | HighlightCommand
  | HelpCommand
  | BindCommand
  | UnbindCommand
  | LiaisonCommand
  | NudgeCommand
  | ExemptCommand
  | SelectCommand
  | ScoresCommand
  | ExportCommand;

/** The command word was understood but the rest needs a question back (never a guess). */
export interface AmbiguousCommand {
  kind: 'ambiguous';
  command: CommandKind;
  /** The question to ask, in Chinese. */
  question: string;
  /** Tasks the text could mean, when it named a task ambiguously. */
  candidates?: Array<{ no: number; name: string }>;
}

/** Nothing recognisable: the engine answers with short help. */
export interface UnknownCommand {
  kind: 'unknown';
}

/** What {@link parseCommand} returns. */
export type ParseResult = Command | AmbiguousCommand | UnknownCommand;

/** Options of {@link parseCommand}. */
export interface ParseOptions {
  /**
   * The plan's tasks, for numbers (`确认 99` is questioned) and names (`确认 行政处罚`). Empty: numbers are not checked.
   * `milestones` (due dates `YYYY-MM-DD`, as written and in the plan year) lets a date after a task number
   * select a milestone only when it is one of them (`确认 6 3月31日`); any other date is part of the note
   * (`确认 10 11月1日已公示`). Without it, every date after a task number is read as a selector.
   */
  tasks: ReadonlyArray<{ no: number; name: string; milestones?: readonly string[] }>;
  /** The moment of the message, for 今天 / 昨天. */
  now: Date;
  /** Year of dates written without one (`3月31日`); default the Shanghai year of `now`. */
  year?: number;
}

const COMMAND_WORDS: ReadonlyArray<readonly [CommandKind, readonly string[]]> = [
  ['confirm', ['确认完成', '已完成', '确认', '完成', 'confirm', 'done']],
  ['undo', ['撤销确认', '取消确认', '撤销', '撤回', 'undo']],
  ['digest', ['本周', '周报', 'digest', 'week']],
  ['status', ['进度', '状态', 'status', 'progress']],
  ['briefing', ['汇报', 'briefing', 'brief']],
  ['highlight', ['亮点', 'highlight']],
  ['help', ['帮助', '说明', '菜单', 'help', '?']],
  ['unbind', ['解除绑定', '解绑', 'unbind']],
  ['bind', ['绑定', 'bind']],
  ['liaison', ['联络员', 'liaisons', 'liaison']],
  ['nudge', ['催办', '提醒', 'nudge', 'remind']],
  ['exempt', ['豁免', 'exempt']],
  ['select', ['入选', 'select']],
  ['scores', ['考核', '得分', '成绩', 'scores', 'score']],
  ['export', ['导出', 'export']],
];

/** All command words, longest first, so 撤销确认 wins over 撤销 and 确认完成 over 确认. */
const WORDS = COMMAND_WORDS.flatMap(([kind, words]) => words.map((word) => ({ kind, word })))
  .sort((a, b) => b.word.length - a.word.length);

const URL_PATTERN = /https?:\/\/[^\s<>"'“”‘’()（）【】\[\]{}|\\^`，。；、！？]+/giu;
const TRAILING_URL_PUNCT = /[.,;:!?'")\]}>*_~]+$/u;
const LIST_SEPARATOR = /^(?:\s*(?:[,、;&+/]|和|及|与|跟|and)\s*)+/iu;
const SPACE = /^\s+/u;
const CN_DIGITS: Readonly<Record<string, number>> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_NUMBER = '[零〇一二两三四五六七八九十]{1,3}';
// A task reference: 4, 第4项, 4号, 任务4, #4, no.4, 第四项, 任务十二, 6.2 (task 6, its 2nd milestone).
const REF = new RegExp(
  `^(?:(?:第|任务|task\\s*|#|no\\.?\\s*)\\s*(\\d{1,4}|${CN_NUMBER})|(\\d{1,4})(?![\\d年月-])|(${CN_NUMBER})(?=\\s*(?:号|项|条)))` +
    `(?:\\s*\\.\\s*(\\d{1,2}))?(?:\\s*(?:号|项|条))?(?:任务)?`,
  'iu',
);
const BOUNDARY = /^(?:$|\s|[,、;&+/.。!?:：]|和|及|与|跟)/u;
const CJK_START = /^[\u3400-\u9fff]/u;
const FULL_DATE = /^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*(?:日|号)?/u;
const MONTH_DAY = /^(\d{1,2})\s*月\s*(\d{1,2})\s*(?:日|号)?/u;
const MONTH_END = /^(\d{1,2})\s*月\s*底/u;
const SLASH_DATE = /^(\d{1,2})\s*\/\s*(\d{1,2})(?![\d/])/u;
const RELATIVE_DATE: ReadonlyArray<readonly [RegExp, number]> = [
  [/^(?:今天|今日|today)/iu, 0],
  [/^(?:昨天|昨日|yesterday)/iu, -1],
  [/^前天/u, -2],
];
const ADMIN_TARGET = /^(?:管理群|管理组|管理员群|县政府办管理群|admin|admins|admin group)$/iu;

/** Chinese numerals 一 … 九十九 as a number, or NaN. */
function chineseNumber(text: string): number {
  if (/^\d+$/u.test(text)) return Number(text);
  const ten = text.indexOf('十');
  if (ten < 0) return text.length === 1 ? (CN_DIGITS[text] ?? Number.NaN) : Number.NaN;
  const tens = ten === 0 ? 1 : (CN_DIGITS[text.slice(0, ten)] ?? Number.NaN);
  const rest = text.slice(ten + 1);
  const ones = rest === '' ? 0 : (CN_DIGITS[rest] ?? Number.NaN);
  return ten > 1 || rest.length > 1 ? Number.NaN : tens * 10 + ones;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function realDate(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

interface Scan {
  rest: string;
}

/** Reads a date at the start of `scan.rest` and consumes it; `undefined` when there is none, `null` when it is not a real date. */
function readDate(scan: Scan, year: number, now: Date, relative = false): string | null | undefined {
  const s = scan.rest;
  let m = FULL_DATE.exec(s);
  if (m) {
    scan.rest = s.slice(m[0].length);
    return realDate(Number(m[1]), Number(m[2]), Number(m[3]));
  }
  m = MONTH_END.exec(s);
  if (m) {
    scan.rest = s.slice(m[0].length);
    const month = Number(m[1]);
    return month >= 1 && month <= 12 ? endOfMonth(year, month) : null;
  }
  m = MONTH_DAY.exec(s) ?? SLASH_DATE.exec(s);
  if (m) {
    scan.rest = s.slice(m[0].length);
    return realDate(year, Number(m[1]), Number(m[2]));
  }
  if (!relative) return undefined;
  for (const [pattern, offset] of RELATIVE_DATE) {
    const r = pattern.exec(s);
    if (r) {
      scan.rest = s.slice(r[0].length);
      return addDays(shanghaiDate(now), offset);
    }
  }
  return undefined;
}

/**
 * Folds what phones produce: full-width digits, letters and punctuation (NFKC), zero-width characters,
 * line breaks and runs of spaces, and leading @mentions or a leading slash.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u200b-\u200d\u2060\ufeff]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/^(?:@\S+\s*)+/u, '')
    .replace(/^\/(?=\p{L})/u, '')
    .trim();
}

/** Full-width punctuation that ends a link although NFKC would turn it into a character links may hold. */
const CJK_PUNCT = /[，；：！？（）【】《》「」]+/u;

/** NFKC except for the full-width punctuation that separates a link from the Chinese text around it. */
function foldKeepingCjkPunctuation(text: string): string {
  return text
    .split(new RegExp(`(${CJK_PUNCT.source})`, 'u'))
    .map((part, i) => (i % 2 === 1 ? part : part.normalize('NFKC')))
    .join('');
}

/** Links anywhere in a text, in order, without trailing punctuation, each once. */
export function extractLinks(text: string): string[] {
  const links: string[] = [];
  for (const m of foldKeepingCjkPunctuation(text).matchAll(URL_PATTERN)) {
    const link = m[0].replace(TRAILING_URL_PUNCT, '');
    if (link.length > 'https://'.length && !links.includes(link)) links.push(link);
  }
  return links;
}

/** The text with its links taken out (the spaces they leave next to brackets and punctuation too); {@link prepare} does the same while keeping the typed text. */
export function withoutLinks(text: string): string {
  return foldKeepingCjkPunctuation(text)
    .replace(URL_PATTERN, (link) => {
      const trailing = TRAILING_URL_PUNCT.exec(link)?.[0] ?? '';
      return ` ${trailing}`;
    })
    .replace(/\s+([)\]）】,，。.;；:：!！?？])/gu, '$1')
    .replace(/([(\[（【])\s+/gu, '$1');
}

/** One character of a message as typed (`orig`) and as the parser reads it (`norm`: folded, or '' when dropped). */
interface Piece {
  norm: string;
  orig: string;
}

const ZERO_WIDTH = /^[\u200b-\u200d\u2060\ufeff]$/u;
const CJK_PUNCT_CHAR = new RegExp(`^${CJK_PUNCT.source.replace(/\+$/u, '')}$`, 'u');
const WHITE = /^\s+$/u;
const CLOSING = /^[)\]）】,，。.;；:：!！?？]/u;
const OPENING = /[(\[（【]$/u;
const NOTE_LEAD = /^[\s,、;:：。.!！\-—–~]+$/u;

/**
 * A message prepared for parsing: `text` is `normalizeText(withoutLinks(message))`, and `typedFrom`
 * gives back what was typed from a position of `text` on, so notes, titles and reasons keep the
 * person's own punctuation and widths (the parser only reads the folded text).
 */
export interface Prepared {
  text: string;
  /** The typed text from position `at` of `text` on, without links, leading separators and extra spaces. */
  typedFrom(at: number): string;
}

export function prepare(message: string): Prepared {
  let pieces: Piece[] = [];
  for (const ch of message) {
    if (ZERO_WIDTH.test(ch)) continue;
    pieces.push({ norm: CJK_PUNCT_CHAR.test(ch) ? ch : ch.normalize('NFKC'), orig: ch });
  }
  const owners = (): number[] => pieces.flatMap((p, i) => [...p.norm].map(() => i));
  const joined = (): string => pieces.map((p) => p.norm).join('');

  // Links out (they are evidence), as withoutLinks does.
  const links = [...joined().matchAll(URL_PATTERN)];
  if (links.length > 0) {
    const owner = owners();
    const out: Piece[] = [];
    let next = 0;
    for (const m of links) {
      const trailing = TRAILING_URL_PUNCT.exec(m[0])?.[0] ?? '';
      const first = owner[m.index] ?? pieces.length;
      const last = owner[m.index + m[0].length - trailing.length - 1] ?? first;
      out.push(...pieces.slice(next, first), { norm: ' ', orig: ' ' });
      next = last + 1;
    }
    pieces = [...out, ...pieces.slice(next)];
  }
  const blank = (p: Piece): void => {
    p.norm = '';
    p.orig = '';
  };
  const nonEmpty = (from: number, step: 1 | -1): Piece | undefined => {
    for (let i = from; i >= 0 && i < pieces.length; i += step) if ((pieces[i] as Piece).norm !== '') return pieces[i];
    return undefined;
  };
  // Spaces the links leave before closing and after opening punctuation.
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i] as Piece;
    if (!WHITE.test(p.norm)) continue;
    let j = i;
    while (j < pieces.length && (WHITE.test((pieces[j] as Piece).norm) || (pieces[j] as Piece).norm === '')) j++;
    if (CLOSING.test(nonEmpty(j, 1)?.norm ?? '')) pieces.slice(i, j).forEach(blank);
    i = j - 1;
  }
  for (let i = 0; i < pieces.length; i++) {
    if (!OPENING.test((pieces[i] as Piece).norm)) continue;
    for (let j = i + 1; j < pieces.length && (WHITE.test((pieces[j] as Piece).norm) || (pieces[j] as Piece).norm === ''); j++) blank(pieces[j] as Piece);
  }
  // normalizeText: NFKC, one space for a run of whitespace, trimmed, leading @mentions and slash dropped.
  let space = false;
  for (const p of pieces) {
    p.norm = p.norm.normalize('NFKC');
    if (p.norm === '') continue;
    if (WHITE.test(p.norm)) {
      p.norm = space ? '' : ' ';
      space = true;
    } else space = false;
  }
  const trim = (): void => {
    for (let i = 0; i < pieces.length && (pieces[i] as Piece).norm.trim() === ''; i++) (pieces[i] as Piece).norm = '';
    for (let i = pieces.length - 1; i >= 0 && (pieces[i] as Piece).norm.trim() === ''; i--) (pieces[i] as Piece).norm = '';
  };
  const drop = (pattern: RegExp): void => {
    const length = pattern.exec(joined())?.[0].length ?? 0;
    const owner = owners();
    for (let c = 0; c < length; c++) (pieces[owner[c] ?? pieces.length] ?? { norm: '' }).norm = '';
  };
  trim();
  drop(/^(?:@\S+\s*)+/u);
  drop(/^\/(?=\p{L})/u);
  trim();

  const text = joined();
  const owner = owners();
  return {
    text,
    typedFrom(at) {
      let i = owner[at] ?? pieces.length;
      while (i < pieces.length && NOTE_LEAD.test((pieces[i] as Piece).norm || ' ')) i++;
      return pieces
        .slice(i)
        .map((p) => (p.norm === '' && p.orig.trim() !== '' ? '' : p.orig))
        .join('')
        .replace(/\s+/gu, ' ')
        .trim();
    },
  };
}

function cleanNote(text: string): string | undefined {
  const note = text.replace(/^[\s,、;:：。.!！\-—–~]+/u, '').replace(/\s+/gu, ' ').trim();
  return note === '' ? undefined : note;
}

/** Folds a task name or a query for name matching. */
function nameKey(text: string): string {
  return text.normalize('NFKC').replace(/[\s"'“”‘’《》<>「」『』【】()（）\[\]、,，.。:：;；!！?？·\-—]/gu, '').toLowerCase();
}

type Tasks = ParseOptions['tasks'];

interface ItemsRead {
  items: TaskItem[];
  /** The rest after the items and their selectors. */
  rest: string;
  /** A question when a number or a name needs one. */
  question?: { question: string; candidates?: Array<{ no: number; name: string }> };
}

/** How each command that takes tasks is written in examples, and what it does (for “nothing was …”). */
const VERBS: Partial<Record<CommandKind, { word: string; did: string }>> = {
  confirm: { word: '确认', did: '记录' },
  undo: { word: '撤销', did: '撤销' },
  status: { word: '进度', did: '查询' },
  nudge: { word: '催办', did: '催办' },
  exempt: { word: '豁免', did: '豁免' },
};

function verbOf(kind: CommandKind): { word: string; did: string } {
  return VERBS[kind] ?? { word: '确认', did: '记录' };
}

/** The task number examples use: 4 when the plan has it (the help texts' example), else its first. */
function exampleNo(tasks: Tasks): number {
  return tasks.some((t) => t.no === 4) || tasks.length === 0 ? 4 : (tasks[0]?.no ?? 4);
}

/** How an item is written back in a corrected command: `4`, `6.2`, `6 2022-03-31`. */
function itemText(item: TaskItem): string {
  if (item.milestone !== undefined) return `${item.task}.${item.milestone}`;
  return item.due === undefined ? String(item.task) : `${item.task} ${item.due}`;
}

/**
 * The question for task numbers the plan does not have. Nothing of the message is carried out, not even
 * its valid tasks (a half-done command is easy to miss), so the question says so and gives the command
 * without the wrong numbers.
 */
function unknownNumbers(kind: CommandKind, invalid: number[], items: TaskItem[], tasks: Tasks, rest: string): string {
  const { word, did } = verbOf(kind);
  const max = Math.max(...tasks.map((t) => t.no));
  const which = invalid.map((n) => `第${n}项`).join('、');
  const head = `没有${which}任务（共${tasks.length}项，编号 1–${max}）。`;
  if (items.length === 0) return `${head}请核对任务编号，例如：${word} ${exampleNo(tasks)}`;
  const valid = items.map(itemText).join('、');
  const tail = rest.trim() === '' ? '' : ` ${rest.trim().slice(0, 30)}`;
  return `${head}本条没有${did}任何一项（任务${items.map((i) => i.task).join('、')} 也没有${did}）。请改正后重发：${word} ${valid}${tail}`;
}

function taskList(tasks: Tasks, max = 8): string {
  return tasks
    .slice(0, max)
    .map((t) => `${t.no} ${t.name}`)
    .join('；');
}

/** Reads task numbers, milestone selectors and due dates from the start of `text`. */
function readNumberedItems(text: string, tasks: Tasks, year: number, now: Date, kind: CommandKind, typed?: (rest: string) => string | undefined): ItemsRead {
  const scan: Scan = { rest: text };
  const items: TaskItem[] = [];
  const invalid: number[] = [];
  let separated = true;
  for (;;) {
    const before = scan.rest;
    const sep = LIST_SEPARATOR.exec(scan.rest);
    if (sep && items.length > 0) {
      scan.rest = scan.rest.slice(sep[0].length);
      separated = true;
    } else {
      const space = SPACE.exec(scan.rest);
      if (space) scan.rest = scan.rest.slice(space[0].length);
    }

    const probe: Scan = { rest: scan.rest };
    const due = items.length > 0 ? readDate(probe, year, now) : undefined;
    if (due !== undefined) {
      if (due === null) {
        return { items, rest: scan.rest, question: { question: `“${before.trim().slice(0, 20)}”不是有效日期。请按 确认 6 3月31日 的格式写节点日期。` } };
      }
      const pending = items.filter((i) => i.milestone === undefined && i.due === undefined);
      const known = (no: number) => tasks.find((t) => t.no === no)?.milestones;
      const selecting = pending.filter((i) => {
        const milestones = known(i.task);
        return milestones === undefined || milestones.includes(due);
      });
      // A date that is none of the tasks' milestones is what people write about the work (确认 10 11月1日已公示): the note.
      if (selecting.length === 0) {
        scan.rest = before;
        break;
      }
      for (const item of selecting) item.due = due;
      scan.rest = probe.rest;
      separated = false;
      continue;
    }

    const m = REF.exec(scan.rest);
    if (!m) {
      scan.rest = before;
      break;
    }
    const after = scan.rest.slice(m[0].length);
    const accepted = items.length === 0 ? BOUNDARY.test(after) || CJK_START.test(after) : separated || BOUNDARY.test(after);
    if (!accepted) {
      scan.rest = before;
      break;
    }
    const no = chineseNumber(m[1] ?? m[2] ?? m[3] ?? '');
    if (!Number.isSafeInteger(no) || no < 0 || (no === 0 && tasks.length === 0)) {
      scan.rest = before;
      break;
    }
    if (tasks.length > 0 && !tasks.some((t) => t.no === no)) {
      // Keep reading: the question lists every wrong number and the command without them.
      if (!invalid.includes(no)) invalid.push(no);
      scan.rest = after;
      separated = false;
      continue;
    }
    const item: TaskItem = { task: no };
    if (m[4] !== undefined) {
      const index = Number(m[4]);
      if (index < 1) {
        return { items, rest: after, question: { question: `节点编号从 1 开始：例如 确认 ${no}.1。` } };
      }
      item.milestone = index;
    }
    if (!items.some((i) => i.task === item.task && i.milestone === item.milestone)) items.push(item);
    scan.rest = after;
    separated = false;
  }
  if (invalid.length > 0) return { items, rest: scan.rest, question: { question: unknownNumbers(kind, invalid, items, tasks, typed?.(scan.rest) ?? scan.rest) } };
  return { items, rest: scan.rest };
}

/** Reads task names (`行政处罚`, `行政处罚、政府公报`) from the start of `text` when it holds no number. */
function readNamedItems(text: string, tasks: Tasks, kind: CommandKind): ItemsRead {
  const { word } = verbOf(kind);
  if (tasks.length === 0) return { items: [], rest: text };
  const items: TaskItem[] = [];
  let rest = text;
  for (let index = 0; ; index++) {
    const m = /^\s*([,、;]?)\s*([^\s,、;]+)/u.exec(rest);
    // After the first name, only an explicit list separator (、 , ;) starts another name: a spaced word is the note.
    if (!m || (index > 0 && m[1] === '')) break;
    const token = m[2] as string;
    const key = nameKey(token);
    if (key === '') break;
    const exact = tasks.filter((t) => nameKey(t.name) === key);
    let matches = exact.length > 0 ? exact : tasks.filter((t) => nameKey(t.name).includes(key));
    let tail = '';
    if (matches.length === 0 && index === 0) {
      // The first name may run on into the note without a space: 行政处罚信息公开已完成.
      const prefixed = tasks
        .filter((t) => nameKey(t.name).length >= 2 && key.startsWith(nameKey(t.name)))
        .sort((a, b) => nameKey(b.name).length - nameKey(a.name).length);
      const longest = prefixed[0];
      if (longest) {
        matches = [longest];
        tail = tailAfterName(token, nameKey(longest.name));
      }
    }
    if (matches.length === 1) {
      const task = matches[0] as { no: number; name: string };
      if (!items.some((i) => i.task === task.no)) items.push({ task: task.no });
      rest = tail + rest.slice(m[0].length);
      if (tail !== '') break;
      continue;
    }
    if (index > 0) break;
    if (matches.length > 1) {
      const candidates = matches.map((t) => ({ no: t.no, name: t.name }));
      const more = candidates.length > 8 ? ` 等${candidates.length}项` : '';
      return {
        items: [],
        rest: text,
        question: {
          question: `“${token.slice(0, 20)}”对应多项任务：${taskList(candidates)}${more}。请写任务编号，例如：${word} ${candidates[0]?.no}`,
          candidates,
        },
      };
    }
    return {
      items: [],
      rest: text,
      question: { question: `没有找到名称含“${token.slice(0, 20)}”的任务。请写任务编号，例如：${word} ${exampleNo(tasks)}` },
    };
  }
  return { items, rest };
}

/** What follows a task name at the start of a token, the name matched on folded characters. */
function tailAfterName(token: string, key: string): string {
  for (let i = 1; i <= token.length; i++) {
    if (nameKey(token.slice(0, i)) === key) return token.slice(i);
  }
  return '';
}

function readItems(text: string, tasks: Tasks, year: number, now: Date, kind: CommandKind, typed?: (rest: string) => string | undefined): ItemsRead {
  const numbered = readNumberedItems(text, tasks, year, now, kind, typed);
  if (numbered.items.length > 0 || numbered.question) return numbered;
  return readNamedItems(text, tasks, kind);
}

function ask(command: CommandKind, question: string, candidates?: Array<{ no: number; name: string }>): AmbiguousCommand {
  return candidates ? { kind: 'ambiguous', command, question, candidates } : { kind: 'ambiguous', command, question };
}

function matchWord(text: string): { kind: CommandKind; rest: string } | null {
  for (const { kind, word } of WORDS) {
    if (text.slice(0, word.length).toLowerCase() !== word) continue;
    const rest = text.slice(word.length);
    // An English word must end there (confirm4 is fine, confirmed is not).
    if (/^[a-z]/iu.test(word) && /^[a-z]/iu.test(rest)) continue;
    return { kind, rest: rest.replace(/^[\s:：,，]+/u, '') };
  }
  return null;
}

/** Free text of a command (note, title, reason) as typed: the rest of the folded text is a suffix of it. */
type Typed = (rest: string) => string | undefined;

function parseBody(kind: CommandKind, body: string, evidence: string[], options: ParseOptions, year: number, typed: Typed): ParseResult {
  const { tasks, now } = options;
  switch (kind) {
    case 'confirm': {
      if (body === '') return ask('confirm', '确认哪一项？请写任务编号，例如：确认 4（多项：确认 4、9）');
      const read = readItems(body, tasks, year, now, kind, typed);
      if (read.question) return ask('confirm', read.question.question, read.question.candidates);
      if (read.items.length === 0) return ask('confirm', '确认哪一项？请写任务编号，例如：确认 4（多项：确认 4、9）');
      const note = typed(read.rest);
      return note === undefined ? { kind, items: read.items, evidence } : { kind, items: read.items, evidence, note };
    }
    case 'undo': {
      if (body === '') return { kind, items: [] };
      const read = readItems(body, tasks, year, now, kind, typed);
      if (read.question) return ask('undo', read.question.question, read.question.candidates);
      if (read.items.length === 0) return ask('undo', '撤销哪一项？请写任务编号，例如：撤销 4');
      return { kind, items: read.items };
    }
    case 'digest':
      return body === '' ? { kind } : { kind, target: body };
    case 'status': {
      if (body === '') return { kind };
      const read = readNumberedItems(body, tasks, year, now, kind, typed);
      if (read.question) return ask('status', read.question.question);
      const first = read.items[0];
      if (first) return { kind, task: first.task };
      return { kind, target: body };
    }
    case 'briefing': {
      const scan: Scan = { rest: body };
      const date = readDate(scan, year, now, true);
      if (date === undefined) return ask('briefing', '请写明汇报日期，例如：汇报 2022-06-10 主要负责人听取政务公开工作汇报');
      if (date === null) return ask('briefing', '汇报日期不是有效日期，请按 汇报 2022-06-10 的格式填写。');
      const note = typed(scan.rest);
      return note === undefined ? { kind, date } : { kind, date, note };
    }
    case 'highlight': {
      const title = typed(body);
      if (title === undefined) return ask('highlight', '请写亮点标题，例如：亮点 “政策找人”精准推送服务');
      return { kind, title: title.slice(0, 200), evidence };
    }
    case 'help':
      return body === '' ? { kind } : { kind, topic: body };
    case 'bind': {
      if (body === '') return { kind, target: null, admin: false };
      if (ADMIN_TARGET.test(body)) return { kind, target: body, admin: true };
      return { kind, target: body, admin: false };
    }
    case 'unbind':
      return { kind };
    case 'liaison': {
      const names = [...body.matchAll(/@([^\s@,、]+)/gu)].map((m) => m[1] as string);
      if (/^(?:删除|移除|取消|去掉|remove|delete|del)/iu.test(body)) return { kind, action: 'remove', names };
      if (/^(?:列表|名单|查看|list)?$/iu.test(body.replace(/@\S+/gu, '').trim()) && names.length === 0) {
        return { kind, action: 'list', names };
      }
      return { kind, action: 'add', names };
    }
    case 'nudge': {
      if (body === '') return ask('nudge', '催办哪一项？请写任务编号，例如：催办 4');
      const read = readItems(body, tasks, year, now, kind, typed);
      if (read.question) return ask('nudge', read.question.question, read.question.candidates);
      if (read.items.length === 0) return ask('nudge', '催办哪一项？请写任务编号，例如：催办 4');
      return { kind, tasks: [...new Set(read.items.map((i) => i.task))] };
    }
    case 'exempt': {
      const usage = '格式：豁免 任务编号 单位 原因，例如：豁免 13 郭道镇 辖区内无中小学';
      const read = readNumberedItems(body, tasks, year, now, kind, typed);
      if (read.question) return ask('exempt', read.question.question);
      if (read.items.length === 0) return ask('exempt', `豁免哪一项？${usage}`);
      const rest = read.rest.replace(/^[\s,、;:：]+/u, '');
      const unit = /^[^\s,、;:：]+/u.exec(rest)?.[0];
      if (unit === undefined) return ask('exempt', `豁免哪个单位？${usage}`);
      const reason = typed(rest.slice(unit.length));
      if (reason === undefined) return ask('exempt', `请写明豁免原因。${usage}`);
      return { kind, items: read.items, unit, reason };
    }
    case 'select': {
      const m = /^(?:亮点|第|#|no\.?)?\s*(\d{1,6})\s*(?:号|项)?/iu.exec(body);
      if (!m) return ask('select', '哪个亮点入选？请写亮点编号，例如：入选 3');
      return { kind, highlight: Number(m[1]) };
    }
    case 'scores':
      return body === '' ? { kind } : { kind, target: body };
    case 'export':
      return { kind };
  }
}

/** Command words a slip of the keyboard is checked against (the usual word of each command that takes tasks). */
const SUGGESTABLE: ReadonlyArray<readonly [CommandKind, string]> = [
  ['confirm', '确认'],
  ['undo', '撤销'],
  ['status', '进度'],
  ['nudge', '催办'],
  ['exempt', '豁免'],
  ['confirm', 'confirm'],
  ['undo', 'undo'],
  ['status', 'status'],
  ['nudge', 'nudge'],
  ['exempt', 'exempt'],
];

/** Edits (insert, delete, replace, swap two neighbours) between two short words. */
function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(x.length, y.length);
}

/**
 * A question for text with no command word that looks like a command with a slip: a word one edit away
 * from a command word (确定 22, 确人 10, 请确认 4, confrim 4), or no word at all (#10), followed by a task
 * reference. Never acted on: the person is asked and sends the command again.
 */
function suggestCommand(text: string): AmbiguousCommand | null {
  const limit = Math.min(text.length, 10);
  for (let cut = 0; cut <= limit; cut++) {
    const prefix = text.slice(0, cut).trim().toLowerCase();
    if (/[\d#]/u.test(prefix)) return null;
    const rest = text.slice(cut).trimStart();
    const m = REF.exec(rest);
    if (!m) continue;
    const after = rest.slice(m[0].length);
    if (!BOUNDARY.test(after) && !(prefix !== '' && CJK_START.test(after))) continue;
    if (!Number.isSafeInteger(chineseNumber(m[1] ?? m[2] ?? m[3] ?? ''))) continue;
    const kinds: CommandKind[] = [];
    const words: string[] = [];
    if (prefix === '') {
      kinds.push('confirm');
      words.push('确认');
    } else {
      for (const [kind, word] of SUGGESTABLE) {
        if (/^[a-z]/u.test(word) && prefix.length < 3) continue;
        if (editDistance(prefix, word) !== 1 || kinds.includes(kind)) continue;
        kinds.push(kind);
        // Suggest the Chinese word even for an English slip: it is what the help texts show.
        words.push(SUGGESTABLE.find(([k]) => k === kind)?.[1] ?? word);
      }
    }
    const first = kinds[0];
    if (first === undefined) continue;
    const shown = rest.replace(/^#\s*/u, '');
    const args = shown.length > 30 ? `${shown.slice(0, 30)}…` : shown;
    const options = words.map((w) => `${w} ${args}`).join(' 还是 ');
    return { kind: 'ambiguous', command: first, question: `你是不是想说：${options}？如果是，请照此重发。` };
  }
  return null;
}

/**
 * Parses a chat message into a command (docs/bot.md), forgiving the way people type on phones: full-width and
 * half-width digits and punctuation, extra spaces and line breaks, leading @mentions, 第4项 / 4号 / 任务4,
 * several tasks at once (确认 4、9、22 / 4,9 / 4 9), a milestone (确认 6.2, or 确认 6 3月31日), a task named
 * instead of numbered (确认 行政处罚), links anywhere (collected as evidence) and a free note.
 *
 * Pure and total: never throws, never guesses. A command word with unclear arguments returns
 * `{ kind: 'ambiguous', question }` (an ambiguous task name lists its candidates); anything else
 * returns `{ kind: 'unknown' }`, answered with short help.
 *
 * @example
 * const tasks = [{ no: 4, name: '行政处罚信息公开' }, { no: 9, name: '行政许可事项公开' }];
 * parseCommand('@政务公开助手 确认 ４、9 https://x.gov.cn/a 已公开', { tasks, now: new Date() });
 * // { kind: 'confirm', items: [{ task: 4 }, { task: 9 }], evidence: ['https://x.gov.cn/a'], note: '已公开' }
 * parseCommand('确认 行政', { tasks, now: new Date() });
 * // { kind: 'ambiguous', command: 'confirm', question: '“行政”对应多项任务：…', candidates: [...] }
 */
export function parseCommand(text: string, options: ParseOptions): ParseResult {
  if (typeof text !== 'string') return { kind: 'unknown' };
  const prepared = prepare(text);
  const normalized = prepared.text;
  if (normalized === '') return { kind: 'unknown' };
  const word = matchWord(normalized);
  if (!word) return suggestCommand(normalized) ?? { kind: 'unknown' };
  const year = options.year ?? Number(shanghaiDate(options.now).slice(0, 4));
  // Parsing reads folded text; what people wrote is kept as they wrote it.
  const typed: Typed = (rest) => {
    if (cleanNote(rest) === undefined) return undefined;
    const kept = normalized.endsWith(rest) ? prepared.typedFrom(normalized.length - rest.length) : '';
    return kept === '' ? cleanNote(rest) : kept;
  };
  return parseBody(word.kind, word.rest.trim(), extractLinks(text), options, year, typed);
}

/** The command words of each kind, Chinese first (for help texts). */
export function commandWords(kind: CommandKind): readonly string[] {
  return COMMAND_WORDS.find(([k]) => k === kind)?.[1] ?? [];
}
