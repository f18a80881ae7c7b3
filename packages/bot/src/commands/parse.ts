/**
 * The command grammar: a message → a {@link ParseResult}. Text preparation is in `prepare.ts`, numbers and
 * dates in `numbers.ts`, task references in `refs.ts`, links in `links.ts`, the word tables in `grammar.ts`,
 * natural reports and questions in `natural.ts`, guesses in `suggest.ts`. The result carries kinds, codes
 * and data; the reply wording is in the templates.
 */
import { shanghaiDate } from '@zwgk/sdk';
import { COMPLETION, matchWord, NEGATION, QUESTION } from './grammar.js';
import { findLinks } from './links.js';
import { readNatural } from './natural.js';
import { claimedDateIn, readDate, type Scan } from './numbers.js';
import { cleanNote, foldKeepingCjkPunctuation, prepare } from './prepare.js';
import { readDeadline } from './deadline.js';
import { chineseNumber, CN_NUMBER } from './numbers.js';
import { ask, itemText, readItems, readNumberedItems } from './refs.js';
import { suggestCommand } from './suggest.js';
import type { AmbiguousCommand, CommandKind, ParseOptions, ParseResult, QuestionCode, QuestionData, ReviewDecisionCommand } from './types.js';

export { commandWords } from './grammar.js';
export { normalizeText, prepare } from './prepare.js';
export type {
  AmbiguousCommand,
  BindCommand,
  BriefingCommand,
  Command,
  CommandKind,
  ConfirmCommand,
  DeductCommand,
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
  RecheckCommand,
  RectifiedCommand,
  RectifyCommand,
  ReopenCommand,
  ReviewCommand,
  ReviewDecisionCommand,
  ScoresCommand,
  SelectCommand,
  StatusCommand,
  SupplementCommand,
  TaskItem,
  UnbindCommand,
  UndeductCommand,
  UndoCommand,
  UnknownCommand,
  VerifyCommand,
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
  return (
    QUESTION.test(body) ||
    /^(?:情况|怎么样|如何|咋样|呢|啊|吧|了)/u.test(body) ||
    /^(?:的)?(?:任务|待办|提醒|安排|工作|事项)/u.test(body) ||
    // 考核得分 / 考核结果 / 进度情况: the county's view said in more words, not a unit.
    /^(?:的)?(?:得分|分数|成绩|结果|排名|汇总|总览|概况|统计|表)(?:情况)?$/u.test(body)
  );
}

/** Points as written: 2, 1.5, 2分, 扣2分, 两分, 一点五分. */
const POINTS = new RegExp(`^扣?\\s*(\\d+(?:\\.\\d+)?|${CN_NUMBER}(?:点五)?)\\s*分?$`, 'u');

const GLUED_POINTS = new RegExp(`^(.+?)扣?(\\d+(?:\\.\\d+)?分?|${CN_NUMBER}(?:点五)?分)$`, 'u');

function pointsOf(token: string): number | undefined {
  const m = POINTS.exec(token);
  if (!m) return undefined;
  const text = m[1]!;
  if (/^\d/u.test(text)) return Number(text);
  const half = text.endsWith('点五');
  const whole = chineseNumber(half ? text.slice(0, -2) : text);
  return Number.isNaN(whole) ? undefined : whole + (half ? 0.5 : 0);
}

/** `#3`, `3号`, `第3项`, `三`: an item number. */
function itemNumbers(body: string): { ids: number[]; rest: string } {
  const ids: number[] = [];
  let rest = body;
  for (;;) {
    const m = new RegExp(`^[\\s,，、;；]*(?:第|#|no\\.?)?\\s*(\\d{1,7}|${CN_NUMBER})\\s*(?:号|项|条)?(?=[\\s,，、;；]|$)`, 'iu').exec(rest);
    if (!m) break;
    const n = chineseNumber(m[1]!);
    if (!Number.isInteger(n) || n <= 0) break;
    ids.push(n);
    rest = rest.slice(m[0].length);
  }
  return { ids, rest: rest.replace(/^[\s,，、;；:：]+/u, '') };
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
      // 确认 4 还没完成 / 已完成第4项初稿: the command's own words say the work is not done; nothing is recorded.
      if (NEGATION.test(read.rest)) return question('confirm', 'not_done', { text: (note ?? read.rest).slice(0, 30), command: `确认 ${read.items.map(itemText).join('、')}` });
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
      const items = body
        .replace(/(?:^|\s)(?:确定|确认|是的|yes|ok)\s*$/iu, '')
        // 撤销上一条 / 撤回刚才的确认: the last confirmation, as the plain 撤销.
        .replace(/^(?:一下)?\s*(?:刚才|刚刚|上一条|上条|前一条|最后一条|最近一条|刚才那条|刚刚那条)\s*(?:的|那条|那个|那次)?\s*(?:确认|消息|记录|回复)?(?:一下)?$/u, '')
        .trim();
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
    case 'deduct': {
      // 扣分 郭道镇 2 原因 / 扣分 郭道镇 2分 原因 / 扣分 2分 郭道镇 原因 / 扣分 郭道镇2分 原因
      const tokens = body.split(/[\s,，;；:：]+/u).filter(Boolean);
      let unit: string | undefined;
      let points: number | undefined;
      let used = 0;
      for (const token of tokens.slice(0, 2)) {
        const p = pointsOf(token);
        if (p !== undefined && points === undefined) points = p;
        else if (unit === undefined) {
          // 郭道镇2分, 郭道镇扣两分: a Chinese numeral glued to the name needs its 分.
          const glued = GLUED_POINTS.exec(token);
          const gluedPoints = glued && !/^\d/u.test(token) ? pointsOf(glued[2]!) : undefined;
          if (glued && points === undefined && gluedPoints !== undefined) {
            unit = glued[1];
            points = gluedPoints;
          } else unit = token;
        } else break;
        used++;
      }
      if (unit === undefined) return question('deduct', 'deduct_usage');
      if (points === undefined || !(points > 0) || points > 100) return question('deduct', 'deduct_points', points === undefined ? {} : { text: String(points) });
      // The reason is what follows the first tokens, as typed.
      let rest = body;
      for (let i = 0; i < used; i++) rest = rest.replace(/^[\s,，;；:：]*[^\s,，;；:：]+/u, '');
      const reason = typed(rest.replace(/^[\s,，;；:：]+/u, ''));
      if (reason === undefined) return question('deduct', 'deduct_usage', { text: unit });
      return { kind, unit, points, reason };
    }
    case 'undeduct': {
      const { ids } = itemNumbers(body);
      return ids[0] === undefined ? question('undeduct', 'deduct_usage') : { kind, id: ids[0] };
    }
    case 'rectify': {
      if (body === '' || /^(?:列表|清单|情况|list)$/iu.test(body)) return { kind };
      const unit = /^[^\s,，;；:：]+/u.exec(body)?.[0];
      const rest = unit === undefined ? '' : body.slice(unit.length).replace(/^[\s,，;；:：]+/u, '');
      if (unit === undefined || rest === '') return question('rectify', 'rectify_usage');
      const read = readDeadline(rest, now);
      if (!read) return question('rectify', 'rectify_due', { text: unit });
      const text = typed(read.before);
      if (text === undefined) return question('rectify', 'rectify_usage', { text: unit });
      const due = 'due' in read.deadline ? { due: read.deadline.due } : { workingDays: read.deadline.workingDays };
      return { kind, item: { unit, text: text.slice(0, 300), ...due } };
    }
    case 'rectified': {
      if (body === '') return { kind };
      const { ids, rest } = itemNumbers(body);
      if (ids[0] === undefined) return question('rectified', 'rectified_which');
      const note = typed(rest);
      return note === undefined ? { kind, id: ids[0] } : { kind, id: ids[0], note };
    }
    case 'verify': {
      const { ids } = itemNumbers(body);
      return ids.length === 0 ? question('verify', 'verify_which') : { kind, ids: [...new Set(ids)] };
    }
    case 'reopen': {
      const { ids, rest } = itemNumbers(body);
      const reason = typed(rest);
      if (ids[0] === undefined || reason === undefined) return question('reopen', 'reopen_usage');
      return { kind, id: ids[0], reason };
    }
    case 'recheck': {
      if (body === '') return { kind };
      const task = /^(?:第|任务)?\s*(\d{1,3})\s*(?:项|号)?$/u.exec(body);
      if (task) return { kind, task: Number(task[1]) };
      const both = /^(\S+?)\s+(?:第|任务)?\s*(\d{1,3})\s*(?:项|号)?$/u.exec(body);
      if (both) return { kind, target: both[1]!, task: Number(both[2]) };
      return { kind, target: body };
    }
    case 'review': {
      if (body === '' || isAside(body) || /^(?:列表|队列|清单|list|queue)$/iu.test(body)) return { kind };
      const read = readNumberedItems(body, tasks, year, now, kind, typed);
      if (read.question) return ask('review', read.question);
      const first = read.items[0];
      return first ? { kind, task: first.task } : { kind, target: body };
    }
    case 'accept':
    case 'return':
      return parseDecision(kind, body, options, year, typed);
  }
}

const ALL_UNITS = /^(?:全部|所有|全体|都|all)$/iu;
const QUEUE_ID = /^(?:#|＃|编号|序号|no\.?\s*)\s*(\d{1,9})\s*(?:号)?/iu;

/** `通过 4 郭道镇` / `退回 4 郭道镇 原因` and their variants (see {@link ReviewDecisionCommand}). */
function parseDecision(kind: 'accept' | 'return', body: string, options: ParseOptions, year: number, typed: Typed): ParseResult {
  const ids: number[] = [];
  let rest = body;
  for (;;) {
    const m = QUEUE_ID.exec(rest);
    if (!m) break;
    const id = Number(m[1]);
    if (!ids.includes(id)) ids.push(id);
    rest = rest.slice(m[0].length).replace(/^[\s,，、;；]+/u, '');
  }
  if (ids.length > 0) {
    // Queue numbers name the confirmations themselves: what follows is only the reason.
    const reason = kind === 'return' ? typed(rest) : undefined;
    return reason === undefined ? { kind, items: [], ids, units: [], all: false } : { kind, items: [], ids, units: [], all: false, reason };
  }
  const read = readNumberedItems(rest, options.tasks, year, options.now, kind, typed);
  if (read.question) return ask(kind, read.question);
  rest = read.rest.replace(/^[\s,，、;；:：]+/u, '');
  const units: string[] = [];
  let all = false;
  let reason: string | undefined;
  if (kind === 'accept') {
    // Everything after the tasks names units: 通过 4 郭道镇 沁河镇 / 郭道镇、沁河镇 / 郭道镇,沁河镇.
    for (const token of rest.split(/[\s,，、;；]+/u).filter(Boolean)) {
      if (ALL_UNITS.test(token)) all = true;
      else if (!units.includes(token)) units.push(token);
    }
  } else {
    // Units are joined by 、; a space or a comma starts the reason (as for 豁免).
    const list = /^[^\s,，;；:：]+/u.exec(rest)?.[0];
    if (list !== undefined) {
      for (const token of list.split(/、+/u).filter(Boolean)) {
        if (ALL_UNITS.test(token)) all = true;
        else if (!units.includes(token)) units.push(token);
      }
      reason = typed(rest.slice(list.length));
    }
  }
  const out: ReviewDecisionCommand = { kind, items: read.items, ids, units, all };
  if (reason !== undefined) out.reason = reason;
  return out;
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
    readNatural({
      text: normalized,
      typed: prepared.typedFrom(0),
      evidence,
      lines: text.includes('\n') ? text.split(/\r?\n/u).map((line) => prepare(line).text).filter(Boolean) : [normalized],
      tasks: options.tasks,
      year,
      now: options.now,
    });
  const word = matchWord(normalized);
  if (!word) return natural() ?? suggestCommand(normalized) ?? { kind: 'unknown' };
  // 通过网站公开了第5项 / 退回重新上传了: a liaison's sentence, not the office's decision, which is followed by a
  // space, a task number, 第 or a queue number.
  if ((word.kind === 'accept' || word.kind === 'return') && /^[^\s\d#第:：,，]/u.test(normalized.slice(word.word.length))) {
    return natural() ?? suggestCommand(normalized) ?? { kind: 'unknown' };
  }
  // 确认了吗 / 完成情况怎么样: a question that starts like a command.
  if ((word.kind === 'confirm' || word.kind === 'undo') && (QUESTION.test(normalized) || (/截止|截至|到期|期限|时限/u.test(normalized) && !COMPLETION.test(normalized))) && evidence.length === 0) {
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
