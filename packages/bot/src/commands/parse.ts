/**
 * The command grammar: a message → a {@link ParseResult}. Text preparation is in `prepare.ts`, numbers and
 * dates in `numbers.ts`, task references in `refs.ts`, links in `links.ts`, the word tables in `grammar.ts`,
 * natural reports and questions in `natural.ts`, guesses in `suggest.ts`. The result carries kinds, codes
 * and data; the reply wording is in the templates.
 */
import { shanghaiDate } from '@zwgk/sdk';
import { matchWord, QUESTION } from './grammar.js';
import { findLinks } from './links.js';
import { readNatural } from './natural.js';
import { claimedDateIn, readDate, type Scan } from './numbers.js';
import { cleanNote, foldKeepingCjkPunctuation, prepare } from './prepare.js';
import { ask, readItems, readNumberedItems } from './refs.js';
import { suggestCommand } from './suggest.js';
import type { AmbiguousCommand, CommandKind, ParseOptions, ParseResult, QuestionCode, QuestionData } from './types.js';

export { commandWords } from './grammar.js';
export { normalizeText, prepare, type Prepared } from './prepare.js';
export type {
  AmbiguousCommand,
  BindCommand,
  BriefingCommand,
  Command,
  CommandKind,
  ConfirmCommand,
  DetailCommand,
  DigestCommand,
  ExemptCommand,
  ExportCommand,
  HelpCommand,
  HighlightCommand,
  LiaisonCommand,
  NudgeCommand,
  ParseOptions,
  ParseResult,
  QuestionCode,
  QuestionData,
  ScoresCommand,
  SelectCommand,
  StatusCommand,
  SupplementCommand,
  TaskItem,
  UnbindCommand,
  UndoCommand,
  UnknownCommand,
} from './types.js';

const ADMIN_TARGET = /^(?:管理群|管理组|管理员群|县政府办管理群|admin|admins|admin group)$/iu;
/** Words people put between the command word and the task: 确认一下 4, 完成了第四项. */
const FILLER = /^(?:一下|下|了|好了|完毕|以下|如下)\s*[:：,，]?\s*/u;

/** Links anywhere in a text, in order, normalised, each once. */
export function extractLinks(text: string): string[] {
  const links: string[] = [];
  for (const { url } of findLinks(foldKeepingCjkPunctuation(text))) if (!links.includes(url)) links.push(url);
  return links;
}

/** The text with its links taken out (the spaces they leave next to brackets and punctuation too). */
export function withoutLinks(text: string): string {
  const folded = foldKeepingCjkPunctuation(text);
  let out = '';
  let at = 0;
  for (const link of findLinks(folded)) {
    out += `${folded.slice(at, link.start)} `;
    at = link.end;
  }
  out += folded.slice(at);
  return out.replace(/\s+([)\]）】,，。.;；:：!！?？])/gu, '$1').replace(/([(\[（【])\s+/gu, '$1');
}

/** A note that is only a past date (确认 4 11月18日): the day the work was done. */
function dateAlone(rest: string, year: number, now: Date): string | undefined {
  const scan: Scan = { rest: rest.trim() };
  const date = readDate(scan, year, now, true);
  return date && scan.rest.trim() === '' && date <= shanghaiDate(now) ? date : undefined;
}

/** 有什么要做的？ / 怎么样了 after 本周 or 进度: a question, not a unit's name. */
function isAside(body: string): boolean {
  return QUESTION.test(body) || /^(?:情况|怎么样|如何|咋样|呢|啊|吧|了)/u.test(body) || /^(?:的)?(?:任务|待办|提醒|安排|工作|事项)/u.test(body);
}

function question(command: CommandKind, code: QuestionCode, data: QuestionData = {}): AmbiguousCommand {
  return { kind: 'ambiguous', command, code, data };
}

/** Free text of a command (note, title, reason) as typed: the rest of the folded text is a suffix of it. */
type Typed = (rest: string) => string | undefined;

function parseBody(kind: CommandKind, body: string, evidence: string[], options: ParseOptions, year: number, typed: Typed): ParseResult {
  const { tasks, now } = options;
  switch (kind) {
    case 'confirm':
    case 'supplement': {
      if (body === '') return question(kind, 'which_task', { word: kind === 'confirm' ? '确认' : '补充' });
      // A leading date is the day the work was done (确认 2022.11.18 第5项), never a task number.
      const lead: Scan = { rest: body };
      const leading = /^(?:\d{4}\s*(?:[-/.]|年)|\d{1,2}\s*月\s*\d|今天|昨天|前天)/u.test(body) ? readDate(lead, year, now, true) : undefined;
      const rest = leading ? lead.rest.replace(/^\s*(?:已|已经)?(?:完成|办结)?的?\s*/u, '') : body;
      const read = readItems(rest, tasks, year, now, kind, typed);
      if (read.question) return ask(kind, read.question);
      if (read.items.length === 0) return question(kind, 'which_task', { word: kind === 'confirm' ? '确认' : '补充' });
      const note = typed(read.rest);
      if (kind === 'supplement') return note === undefined ? { kind, items: read.items, evidence } : { kind, items: read.items, evidence, note };
      const stated = leading && leading <= shanghaiDate(now) ? leading : undefined;
      const claimedDate = stated ?? claimedDateIn(read.rest, year, now) ?? dateAlone(read.rest, year, now);
      return {
        kind,
        items: read.items,
        evidence,
        ...(note === undefined ? {} : { note }),
        ...(claimedDate ? { claimedDate } : {}),
      };
    }
    case 'undo': {
      const confirmed = /(?:^|\s)(?:确定|确认|是的|yes|ok)\s*$/iu.test(body);
      const items = body.replace(/(?:^|\s)(?:确定|确认|是的|yes|ok)\s*$/iu, '').trim();
      if (items === '') return confirmed ? { kind, items: [], confirmed } : { kind, items: [] };
      const read = readItems(items, tasks, year, now, kind, typed);
      if (read.question) return ask('undo', read.question);
      if (read.items.length === 0) return question('undo', 'which_task', { word: '撤销', example: 4 });
      return confirmed ? { kind, items: read.items, confirmed } : { kind, items: read.items };
    }
    case 'digest':
      return body === '' || isAside(body) ? { kind } : { kind, target: body };
    case 'status': {
      if (body === '' || isAside(body)) return { kind };
      const read = readNumberedItems(body, tasks, year, now, kind, typed);
      if (read.question) return ask('status', read.question);
      const first = read.items[0];
      if (first) return { kind, task: first.task };
      return { kind, target: body };
    }
    case 'detail': {
      const read = readItems(body, tasks, year, now, kind, typed);
      if (read.question) return ask('detail', read.question);
      const first = read.items[0];
      return first ? { kind, task: first.task } : question('detail', 'which_task', { word: '任务详情' });
    }
    case 'briefing': {
      const scan: Scan = { rest: body };
      const date = readDate(scan, year, now, true);
      if (date === undefined) return question('briefing', 'briefing_date');
      if (date === null) return question('briefing', 'briefing_date_invalid');
      const note = typed(scan.rest);
      return note === undefined ? { kind, date } : { kind, date, note };
    }
    case 'highlight': {
      // 亮点3入选了 is the office marking highlight 3 selected, not a new highlight titled “3入选了”.
      const selected = /^#?\s*(\d{1,6})\s*号?\s*(?:已经?|已)?\s*入选/u.exec(body);
      if (selected) return { kind: 'ambiguous', command: 'select', code: 'did_you_mean', data: { command: `入选 ${selected[1]}` } };
      const title = typed(body);
      if (title === undefined) return question('highlight', 'highlight_title');
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
      if (body === '') return question('nudge', 'which_task', { word: '催办' });
      const read = readItems(body.replace(FILLER, ''), tasks, year, now, kind, typed);
      if (read.question) return ask('nudge', read.question);
      if (read.items.length === 0) return question('nudge', 'which_task', { word: '催办' });
      return { kind, tasks: [...new Set(read.items.map((i) => i.task))] };
    }
    case 'exempt': {
      const read = readNumberedItems(body, tasks, year, now, kind, typed);
      if (read.question) return ask('exempt', read.question);
      if (read.items.length === 0) return question('exempt', 'exempt_task');
      const rest = read.rest.replace(/^[\s,、;:：]+/u, '');
      // Several units are joined by 、 (the enumeration comma); a space or a comma starts the reason.
      const list = /^[^\s,，;:：]+/u.exec(rest)?.[0];
      const units = (list ?? '').split(/、+/u).filter(Boolean);
      const unit = units[0];
      if (unit === undefined || list === undefined) return question('exempt', 'exempt_unit');
      const reason = typed(rest.slice(list.length));
      if (reason === undefined) return question('exempt', 'exempt_reason');
      return { kind, items: read.items, unit, units, reason };
    }
    case 'select': {
      const m = /^(?:亮点|第|#|no\.?)?\s*(\d{1,6})\s*(?:号|项)?/iu.exec(body);
      if (!m) return question('select', 'select_which');
      return { kind, highlight: Number(m[1]) };
    }
    case 'scores':
      return body === '' || isAside(body) ? { kind } : { kind, target: body };
    case 'export':
      return { kind };
  }
}

/**
 * Parses a chat message into a command (docs/bot.md), forgiving the way people type on phones: full-width and
 * half-width digits and punctuation, traditional characters, extra spaces and line breaks, leading @mentions,
 * 第4项 / 4号 / 任务4 / 十七, several tasks at once (确认 4、9、22 / 4,9 / 4 9), a milestone (确认 6.2, or
 * 确认 6 3月31日), a task named instead of numbered (确认 行政处罚), links anywhere with or without a scheme
 * (collected as evidence, normalised), a free note and a stated completion date (`claimedDate`). Without a
 * command word it reads natural reports (第5项已办结, 十七 done) and questions (第4项要求是什么).
 *
 * Pure and total: never throws, never guesses. Unclear arguments return `{ kind: 'ambiguous', code, data }`
 * (a guess is `code: 'did_you_mean'` with the exact command in `data.command`); an empty message is `help`;
 * anything else is `{ kind: 'unknown' }`.
 *
 * @example
 * const tasks = [{ no: 4, name: '行政处罚信息公开' }, { no: 9, name: '行政许可事项公开' }];
 * parseCommand('@政务公开助手 确认 ４、9 https://x.gov.cn/a 已公开', { tasks, now: new Date() });
 * // { kind: 'confirm', items: [{ task: 4 }, { task: 9 }], evidence: ['https://x.gov.cn/a'], note: '已公开' }
 * parseCommand('第四项已办结', { tasks, now: new Date() });
 * // { kind: 'confirm', items: [{ task: 4 }], evidence: [], note: '已办结', natural: true }
 */
export function parseCommand(text: string, options: ParseOptions): ParseResult {
  if (typeof text !== 'string') return { kind: 'unknown' };
  const prepared = prepare(text);
  const normalized = prepared.text;
  const evidence = extractLinks(text);
  if (normalized === '') return evidence.length > 0 ? { kind: 'unknown' } : { kind: 'help' };
  const year = options.year ?? Number(shanghaiDate(options.now).slice(0, 4));
  const natural = () =>
    readNatural({ text: normalized, typed: prepared.typedFrom(0), evidence, tasks: options.tasks, year, now: options.now });
  const word = matchWord(normalized);
  if (!word) return natural() ?? suggestCommand(normalized) ?? { kind: 'unknown' };
  // 确认了吗 / 完成情况怎么样: a question that starts like a command.
  if ((word.kind === 'confirm' || word.kind === 'undo') && QUESTION.test(normalized) && evidence.length === 0) {
    const read = natural();
    if (read && read.kind !== 'confirm') return read;
  }
  // Parsing reads folded text; what people wrote is kept as they wrote it.
  const typed: Typed = (rest) => {
    if (cleanNote(rest) === undefined) return undefined;
    const kept = normalized.endsWith(rest) ? prepared.typedFrom(normalized.length - rest.length) : '';
    return cleanNote(kept === '' ? rest : kept);
  };
  return parseBody(word.kind, word.rest.replace(FILLER, '').trim(), evidence, options, year, typed);
}
