/**
 * Task references: numbers (4, ４, 第4项, 4号, 任务4, #4, 第四项, 十七), milestone selectors (6.2, 6 3月31日),
 * lists (4、9 和 22), ranges (4-9, 4至9: spelled out and asked, never acted on) and task names (行政处罚).
 */
import { verbOf } from './grammar.js';
import { chineseNumber, CN_NUMBER, readDate, type Scan } from './numbers.js';
import type { AmbiguousCommand, CommandKind, ParseOptions, QuestionCode, QuestionData, TaskItem } from './types.js';

/** The plan's tasks as the parser knows them. */
export type Tasks = ParseOptions['tasks'];

const LIST_SEPARATOR = /^(?:\s*(?:[,、;&+/]|和|及|与|跟|and)\s*)+/iu;
const SPACE = /^\s+/u;
/**
 * A task reference at the start of a text: 4, 第4项, 4号, 任务4, #4, no.4, 第四项, 任务十二, 十七 (a bare
 * Chinese numeral not followed by a unit of time or count), 6.2 (task 6, its 2nd milestone).
 */
export const REF = new RegExp(
  `^(?:(?:第|任务|task\\s*|#|no\\.?\\s*)\\s*(\\d{1,3}|${CN_NUMBER})|(\\d{1,3})(?![\\d年月日:：-]|\\s*(?:月|年|日|天|个|篇|份|次|人|家|元|万|%|点|时|分))|(${CN_NUMBER})(?=\\s*(?:号|项|条|$|[\\s,、;，；。.!！?？]|已|完成|done|确认)))` +
    `(?:\\s*\\.\\s*(\\d{1,2})(?!\\d))?(?:\\s*(?:号|项|条|向|象|箱|巷))?(?:任务)?`,
  'iu',
);
/** What may follow a reference: the end, a space, a separator. */
export const BOUNDARY = /^(?:$|\s|[,、;&+/.。!?:：，；！？~～(（【\[]|和|及|与|跟)/u;
export const CJK_START = /^[\u3400-\u9fff]/u;
const RANGE = new RegExp(`^(?:第|任务)?\\s*(\\d{1,3}|${CN_NUMBER})\\s*(?:项|号)?\\s*(?:-|~|～|—|–|至|到)\\s*(?:第)?\\s*(\\d{1,3}|${CN_NUMBER})\\s*(?:项|号)?`, 'u');

/** The number a {@link REF} match names. */
export function refNumber(m: RegExpExecArray): number {
  return chineseNumber(m[1] ?? m[2] ?? m[3] ?? '');
}

/** Folds a task name or a query for name matching. */
export function nameKey(text: string): string {
  return text.normalize('NFKC').replace(/[\s"'“”‘’《》<>「」『』【】()（）\[\]、,，.。:：;；!！?？·\-—]/gu, '').toLowerCase();
}

/** A question found while reading items. */
export interface ItemQuestion {
  code: QuestionCode;
  data: QuestionData;
  candidates?: Array<{ no: number; name: string }>;
}

/** Items read from the start of a text. */
export interface ItemsRead {
  items: TaskItem[];
  /** The rest after the items and their selectors. */
  rest: string;
  /** A question when a number, a range or a name needs one. */
  question?: ItemQuestion;
}

/** The task number examples use: 4 when the plan has it (the help texts' example), else its first. */
export function exampleNo(tasks: Tasks): number {
  return tasks.some((t) => t.no === 4) || tasks.length === 0 ? 4 : (tasks[0]?.no ?? 4);
}

/** How an item is written back in a corrected command: `4`, `6.2`, `6 2022-03-31`. */
export function itemText(item: TaskItem): string {
  if (item.milestone !== undefined) return `${item.task}.${item.milestone}`;
  return item.due === undefined ? String(item.task) : `${item.task} ${item.due}`;
}

/** An ambiguous result from an item question. */
export function ask(command: CommandKind, q: ItemQuestion): AmbiguousCommand {
  return q.candidates ? { kind: 'ambiguous', command, code: q.code, data: q.data, candidates: q.candidates } : { kind: 'ambiguous', command, code: q.code, data: q.data };
}

/**
 * The question for task numbers the plan does not have. Nothing of the message is carried out, not even
 * its valid tasks (a half-done command is easy to miss), so the question gives the command without them.
 */
export function unknownNumbers(kind: CommandKind, invalid: number[], items: TaskItem[], tasks: Tasks, rest: string): ItemQuestion {
  const { word } = verbOf(kind);
  const data: QuestionData = { word, invalid, count: tasks.length, max: Math.max(...tasks.map((t) => t.no)), example: exampleNo(tasks) };
  if (items.length === 0) return { code: 'unknown_numbers', data };
  const tail = rest.trim() === '' ? '' : ` ${rest.trim().slice(0, 30)}`;
  return { code: 'unknown_numbers', data: { ...data, valid: items.map((i) => i.task).join('、'), command: `${word} ${items.map(itemText).join('、')}${tail}` } };
}

/** A range (`4-9`, `4至9`) at the start of the text: the tasks it spans, spelled out as a question. */
function readRange(text: string, tasks: Tasks, kind: CommandKind): ItemQuestion | undefined {
  const m = RANGE.exec(text);
  if (!m) return undefined;
  const from = chineseNumber(m[1] as string);
  const to = chineseNumber(m[2] as string);
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to <= from || to - from > 40) return undefined;
  // 4-9 after a month-like context is a date, not a range; a range needs at least one task of the plan.
  const inside = tasks.length > 0 ? tasks.filter((t) => t.no >= from && t.no <= to) : Array.from({ length: to - from + 1 }, (_, i) => ({ no: from + i, name: '' }));
  if (inside.length === 0) return undefined;
  const { word } = verbOf(kind);
  const rest = text.slice(m[0].length).trim();
  const tail = rest === '' ? '' : ` ${rest.slice(0, 30)}`;
  return {
    code: 'range',
    data: { word, text: `${from}–${to}`, count: inside.length, command: `${word} ${inside.map((t) => t.no).join('、')}${tail}` },
    candidates: inside.map((t) => ({ no: t.no, name: t.name })),
  };
}

const RANGE_ANYWHERE = new RegExp(`(?<![\\d.:/\\-年月])${RANGE.source.slice(1)}(?![\\d.:/\\-]|\\s*(?:月|日|号(?!任务)|天))`, 'u');

/** A range anywhere in a sentence (第4至6项已完成, 4-6已完成): the question that spells it out, never an action. */
export function rangeIn(text: string, tasks: Tasks, kind: CommandKind, options: { marked?: boolean } = {}): ItemQuestion | undefined {
  const m = RANGE_ANYWHERE.exec(text);
  // Beside a task named by 第N项, an unmarked 11-15 is a date; only 第4至6项 is a range.
  if (!m || (options.marked && !/[第项号]/u.test(m[0]))) return undefined;
  return readRange(text.slice(m.index), tasks, kind);
}

/** Reads task numbers, milestone selectors and due dates from the start of `text`. */
export function readNumberedItems(text: string, tasks: Tasks, year: number, now: Date, kind: CommandKind, typed?: (rest: string) => string | undefined): ItemsRead {
  const range = readRange(text, tasks, kind);
  if (range) return { items: [], rest: text, question: range };
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
      // A date followed by words about the work (11月30日前已完成) belongs to the note, never a selector.
      if (!/^\s*(?:$|[,、;，；。.]|(?:确认|确定)?\s*$)/u.test(probe.rest) && !/^\s+\S/u.test(probe.rest)) {
        scan.rest = before;
        break;
      }
      if (due === null) {
        return { items, rest: scan.rest, question: { code: 'bad_date', data: { text: before.trim().slice(0, 20), word: verbOf(kind).word } } };
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
    const no = refNumber(m);
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
      if (index < 1) return { items, rest: after, question: { code: 'milestone_from_one', data: { task: no, word: verbOf(kind).word } } };
      item.milestone = index;
    }
    if (!items.some((i) => i.task === item.task && i.milestone === item.milestone)) items.push(item);
    scan.rest = after;
    separated = false;
  }
  if (invalid.length > 0) return { items, rest: scan.rest, question: unknownNumbers(kind, invalid, items, tasks, typed?.(scan.rest) ?? scan.rest) };
  return { items, rest: scan.rest };
}

/** Reads task names (`行政处罚`, `行政处罚、政府公报`) from the start of `text` when it holds no number. */
export function readNamedItems(text: string, tasks: Tasks, kind: CommandKind): ItemsRead {
  const { word } = verbOf(kind);
  if (tasks.length === 0) return { items: [], rest: text };
  const items: TaskItem[] = [];
  let rest = text;
  for (let index = 0; ; index++) {
    const m = /^\s*([,、;]?)\s*([^\s,、;，；。]+)/u.exec(rest);
    // After the first name, only an explicit list separator (、 , ;) starts another name: a spaced word is the note.
    if (!m || (index > 0 && m[1] === '')) break;
    const token = m[2] as string;
    const key = nameKey(token);
    // Emoji and punctuation name no task (已完成 ✅).
    if (key === '' || !/[\p{L}\p{N}]/u.test(key)) break;
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
      return {
        items: [],
        rest: text,
        question: { code: 'name_ambiguous', data: { token: token.slice(0, 20), word, example: candidates[0]?.no ?? exampleNo(tasks), more: Math.max(0, candidates.length - 8) }, candidates: candidates.slice(0, 8) },
      };
    }
    // One slip in a name (行政处法): the command with the task it most likely means, to send again.
    const near = nearNames(key, tasks);
    if (near.length === 1) return { items: [], rest: text, question: { code: 'did_you_mean', data: { command: `${word} ${near[0]}` } } };
    return { items: [], rest: text, question: { code: 'name_missing', data: { token: token.slice(0, 20), word, example: exampleNo(tasks) } } };
  }
  return { items, rest };
}

/** True when `a` becomes `b` with at most one character inserted, deleted or replaced. */
function oneEditApart(a: readonly string[], b: readonly string[]): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const tail = (x: number, y: number) => a.slice(x).join('') === b.slice(y).join('');
  return tail(i + 1, i + 1) || tail(i + 1, i) || tail(i, i + 1);
}

/**
 * Tasks whose name (with or without its generic ending 公开/工作) the folded text holds with one slip: a
 * character misheard, mistyped, dropped or doubled. Names shorter than 4 characters are too easily hit;
 * a 4-character name only takes a replaced character.
 */
export function nearNames(key: string, tasks: Tasks): number[] {
  const text = [...key];
  const found = new Set<number>();
  const { byFirst, byLast } = formsOf(tasks);
  const tryForm = (no: number, name: readonly string[], start: number, end: number) => {
    if (found.has(no) || start < 0 || end > text.length || end <= start) return;
    if (oneEditApart(text.slice(start, end), name)) found.add(no);
  };
  for (let i = 0; i < text.length; i++) {
    // The first or the last character anchors the match: a slip inside a name, not a different word beside it.
    for (const { no, name } of byFirst.get(text[i] as string) ?? []) {
      for (const length of name.length === 4 ? [4] : [name.length - 1, name.length, name.length + 1]) tryForm(no, name, i, i + length);
    }
    for (const { no, name } of byLast.get(text[i] as string) ?? []) {
      for (const length of name.length === 4 ? [4] : [name.length - 1, name.length, name.length + 1]) tryForm(no, name, i + 1 - length, i + 1);
    }
  }
  return tasks.filter((t) => found.has(t.no)).map((t) => t.no);
}

type Form = { no: number; name: readonly string[] };
const FORMS = new WeakMap<Tasks, { byFirst: Map<string, Form[]>; byLast: Map<string, Form[]> }>();
/** The name forms slips are looked for in, indexed by their first and last characters (computed once per list). */
function formsOf(tasks: Tasks): { byFirst: Map<string, Form[]>; byLast: Map<string, Form[]> } {
  let forms = FORMS.get(tasks);
  if (!forms) {
    forms = { byFirst: new Map(), byLast: new Map() };
    for (const t of keysOf(tasks)) {
      for (const form of new Set([t.key, t.key.replace(/信息公开$|公开$|工作$/u, '')])) {
        const name = [...form];
        // Names shorter than 4 characters are too easily hit; a 4-character name only takes a replaced character.
        if (name.length < 4) continue;
        const entry = { no: t.no, name };
        const add = (map: Map<string, Form[]>, ch: string) => map.set(ch, [...(map.get(ch) ?? []), entry]);
        add(forms.byFirst, name[0] as string);
        add(forms.byLast, name[name.length - 1] as string);
      }
    }
    FORMS.set(tasks, forms);
  }
  return forms;
}

/** What follows a task name at the start of a token, the name matched on folded characters. */
function tailAfterName(token: string, key: string): string {
  for (let i = 1; i <= token.length; i++) {
    if (nameKey(token.slice(0, i)) === key) return token.slice(i);
  }
  return '';
}

/** Numbers first, then names. */
export function readItems(text: string, tasks: Tasks, year: number, now: Date, kind: CommandKind, typed?: (rest: string) => string | undefined): ItemsRead {
  const numbered = readNumberedItems(text, tasks, year, now, kind, typed);
  if (numbered.items.length > 0 || numbered.question) return numbered;
  return readNamedItems(text, tasks, kind);
}

/** An explicit task reference anywhere in a sentence: 第5项, 任务17, 17号, #17, 第十七项, task 4. */
const EXPLICIT_REF = new RegExp(`(?:第\\s*(\\d{1,3}|${CN_NUMBER})\\s*(?:项|条|个|号|向|象|箱|像|巷)?|任务\\s*(\\d{1,3}|${CN_NUMBER})(?![\\d.])|(?<![月\\d零〇一二两三四五六七八九十]|(?:逾期|到期|共|还有|剩|剩余|还差|差|另有|等|完成了?|已完成|于|在)\\s*)(\\d{1,3}|${CN_NUMBER})\\s*(?:号任务|项任务|号|项)(?!目)|#\\s*(\\d{1,3})|\\b(?:task|item)\\s*(\\d{1,3})|\\bno\\.?\\s*(\\d{1,3}))`, 'giu');
/** A number standing alone: not in a date, a time, a count, a decimal or a quantity. */
const BARE_NUMBER = new RegExp(`(?<![\\d./\\-年月])(?<!\\d\\s*:)(\\d{1,3}|(?<![\\u4e00-\\u9fff])${CN_NUMBER}(?=已|完成|弄完|做完|搞定|done|ok|确认|\\s|$|[,，、]))(?![\\d:/\\-]|\\.\\d)(?!\\s*(?:月|年|日|号|天|个|篇|条|份|次|人|家|元|万|%|点|时|分|周|期|批|遍|件|季度|小时))`, 'gu');

/** A task number that is no date, time, count or decimal, with its optional 第/任务 and 项/号/条. */
const LIST_ITEM = `(?:第|任务)?\\s*(?<![\\d./\\-年月])(?<!\\d\\s*:)(?:\\d{1,3}|${CN_NUMBER})(?![\\d:/\\-]|\\.\\d|\\s*(?:月|年|日|天|个|篇|份|次|人|家|元|万|%|点|时|分|周|期|批|遍|件|季度|小时))(?:\\s*(?:项|号|条))?`;
/** A list of task numbers: 第4、5、6项, 任务7、9, 3、5项, 第3项和5. */
const MARKED_LIST = new RegExp(`${LIST_ITEM}(?:\\s*(?:[、,，/&+]|和|及|与|以及|跟)\\s*${LIST_ITEM})+`, 'gu');
const LIST_ELEMENT = new RegExp(`(第|任务)?\\s*(\\d{1,3}|${CN_NUMBER})(\\s*(?:项|号|条))?`, 'gu');

/** 第一、二季度: a list whose next number counts periods, so the first is no task either. */
const PERIOD_LIST = new RegExp(`^\\s*(?:[、,，和及至到~\\-])\\s*(?:\\d{1,3}|${CN_NUMBER})\\s*(?:季度|批|次|期|年|月|周|天|个月|阶段)`, 'u');

/** Name keys of a task list, computed once per list. */
const KEYS = new WeakMap<Tasks, Array<{ no: number; key: string; quoted: string[] }>>();
function keysOf(tasks: Tasks): Array<{ no: number; key: string; quoted: string[] }> {
  let keys = KEYS.get(tasks);
  if (!keys) {
    // The quoted part of a name is what people call the task (全面推进“五公开” → 五公开, 落实《个人信息保护法》).
    keys = tasks.map((t) => ({ no: t.no, key: nameKey(t.name), quoted: [...t.name.matchAll(/[“"《「]([^”"》」]{2,12})[”"》」]/gu)].map((m) => nameKey(m[1] as string)).filter((q) => q.length >= 2) }));
    KEYS.set(tasks, keys);
  }
  return keys;
}

/**
 * Tasks a free sentence names: explicit references (第5项, 任务17, 17号, #17, 第十七项) anywhere; failing
 * those, one bare number that is no date, count or link; failing that, the tasks whose name (or a
 * 4-character part of it) the sentence contains. `by` says which rule found them.
 */
export function findTaskMentions(text: string, tasks: Tasks): { tasks: number[]; by: 'explicit' | 'bare' | 'name' | 'none'; unknown?: number[] } {
  const known = (n: number) => tasks.length === 0 || tasks.some((t) => t.no === n);
  const explicit: number[] = [];
  // Where each explicit task was first named, to merge it with list members in the order written.
  const explicitAt: Array<{ at: number; no: number }> = [];
  const unknown: number[] = [];
  for (const m of text.matchAll(EXPLICIT_REF)) {
    const n = chineseNumber(m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6] ?? '');
    // 第N项 after a date or inside 第N季度/批 is not a task.
    const after = text.slice(m.index + m[0].length);
    if (/^(?:季度|批|次|期|年|月|周|天|篇|份|(?:个|项)?(?:时间)?节点|(?:个)?阶段)/u.test(after) || PERIOD_LIST.test(after) || (/^\d/u.test(after) && !/[项条个号]$/u.test(m[0]))) continue;
    if (Number.isSafeInteger(n) && n > 0 && known(n) && !explicit.includes(n)) {
      explicit.push(n);
      explicitAt.push({ at: m.index, no: n });
    } else if (Number.isSafeInteger(n) && n > 0 && !known(n) && !unknown.includes(n)) unknown.push(n);
  }
  // A list shares its marker (第4、5、6项, 任务7、9, 3、5项): every number in it is as explicit as the marked one.
  const listed: Array<{ at: number; no: number }> = [];
  for (const m of text.matchAll(MARKED_LIST)) {
    const elements = [...m[0].matchAll(LIST_ELEMENT)].map((e) => ({ at: m.index + (e.index ?? 0), no: chineseNumber(e[2] as string), prefixed: e[1] !== undefined, suffixed: e[3] !== undefined }));
    // 第3、5项 carries 第 forward, 3、5项 carries 项 back; in 1、第4项 the 1 numbers a line, not a task.
    const forward = elements[0]?.prefixed === true;
    const last = elements[elements.length - 1];
    const back = last?.suffixed === true && !last.prefixed;
    for (const e of elements) {
      if (!(e.prefixed || e.suffixed || forward || back)) continue;
      if (Number.isSafeInteger(e.no) && e.no > 0 && known(e.no)) listed.push({ at: e.at, no: e.no });
    }
  }
  if (listed.length > 0) {
    const all = [...explicitAt, ...listed].sort((a, b) => a.at - b.at);
    const merged: number[] = [];
    for (const { no } of all) if (!merged.includes(no)) merged.push(no);
    return { tasks: merged, by: 'explicit' };
  }
  if (explicit.length > 0) return { tasks: explicit, by: 'explicit' };
  // Bare numbers: only standing alone (not in a date, a time, a count, a decimal or a quantity).
  const bare: number[] = [];
  for (const m of text.matchAll(BARE_NUMBER)) {
    const n = chineseNumber(m[1] as string);
    if (Number.isSafeInteger(n) && n > 0 && known(n) && !bare.includes(n)) bare.push(n);
  }
  if (bare.length > 0) return { tasks: bare, by: 'bare' };
  const key = nameKey(text);
  const named: number[] = [];
  const keys = keysOf(tasks);
  for (const t of keys) {
    if (t.key.length >= 2 && key.includes(t.key)) named.push(t.no);
  }
  if (named.length === 0) {
    // The core of a name without its generic ending (双减 of “双减”信息公开).
    for (const t of keys) {
      const core = t.key.replace(/信息公开$|公开$|工作$/u, '');
      if ((core.length >= 2 && key.includes(core)) || t.quoted.some((q) => key.includes(q))) named.push(t.no);
    }
  }
  if (named.length === 0) {
    // A 4-character run of a long name (voice input drops or swaps words: 处罚信息 for 行政处罚信息公开).
    for (const t of keys) {
      const name = t.key.replace(/公开$|工作$/u, '');
      if (name.length < 4) continue;
      for (let i = 0; i + 4 <= name.length; i++) {
        const part = name.slice(i, i + 4);
        if (!/^(?:政务公开|信息公开|公开工作|平台建设|专区建设)$/u.test(part) && key.includes(part)) {
          named.push(t.no);
          break;
        }
      }
    }
  }
  // A name typed with one slip (行政处法信息公开, 政府公宝): a guess, never as clear as the name itself.
  if (named.length === 0) named.push(...nearNames(key, tasks));
  if (named.length > 0) return { tasks: named, by: 'name' };
  return unknown.length > 0 ? { tasks: [], by: 'none', unknown } : { tasks: [], by: 'none' };
}
