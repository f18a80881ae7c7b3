/**
 * Natural messages: reports without a command word (第5项已办结, 十七 done, 确認十七, a quoted digest line
 * plus 已完成, voice-to-text sentences) and free questions (第4项要求是什么, 我们单位进度怎么样, 这周要做什么,
 * 第4项哪些单位还没完成, 提醒一下第4项没完成的单位). Acts only on a task named by number; a task named only
 * by name is answered with the exact command to send.
 */
import { ACKNOWLEDGEMENT, BARE_VERB, COMPLETION, completionMarked, LIKELY_DONE, matchWord, NEGATION, QUESTION, TELEGRAPHIC_FILLER, UNSURE, withoutEmoticons } from './grammar.js';
import { anyDateIn, chineseNumber, claimedDateIn, CN_NUMBER } from './numbers.js';
import { cleanNote, simplifyChar } from './prepare.js';
import { ask, findTaskMentions, nameKey, rangeIn, type Tasks, unknownNumbers } from './refs.js';
import { guess } from './suggest.js';
import type { ParseResult, TaskItem } from './types.js';

/** What {@link readNatural} needs besides the folded text. */
export interface NaturalInput {
  /** The folded text without links. */
  text: string;
  /** The typed text without links. */
  typed: string;
  evidence: string[];
  /** The message's lines, each folded like `text` (a report written one task per line). */
  lines?: readonly string[];
  tasks: Tasks;
  year: number;
  now: Date;
}

const OPEN_UNITS = /(?:哪些|哪几个|哪个|几个|谁|还有|剩|没有?|未)\S{0,8}?(?:单位|乡镇|部门|镇|没完成|未完成|没确认|未确认|没报|未报|没弄|没做)|(?:没完成|未完成|未确认|没确认|没报)\S{0,4}(?:单位|的|名单)/u;
const DETAIL = /(?:要求|内容|要做|做什么|干什么|干啥|做啥|怎么(?:做|完成|弄|办|公开|落实)|咋(?:做|弄|办)|具体|是什么|是啥|什么意思|指什么|详情|责任单位|牵头|截止|截至|到期|期限|时限|节点|什么时候|啥时候|几号|哪天|哪一天|最晚|最迟|需要\S{0,6}(?:什么|哪些|啥|哪里|哪儿)|(?:公开|发布|提供|上传|报送|提交)(?:什么|哪些|啥|到哪)|在哪(?:里|儿)?(?:公开|发布|上传)|要(?:什么|哪些)材料|多久)/u;
/** A task's deadline or requirements named without a question word (第5项的截止时间, 第4项具体要求). */
const DETAIL_NOUN = /(?:截止|截至|到期)(?:日期|时间|日)|期限|完成时限|时间节点|具体要求|工作要求|任务要求/u;
/** Words of a look-up of who has not done a task (还没完成, 哪些单位没报); without them 哪个部门牵头 asks about the task. */
const NOT_YET = /没|未|还有|谁|逾期|剩/u;
const OWN_PROGRESS = /(?:我们|我单位|本单位|咱们|俺们|我镇|我乡|我局|本镇|本乡|本局|我们单位)?\S{0,6}(?:进度|完成情况|完成了多少|完成几|还差|还剩|还有\S{0,4}没|得分|分数|情况怎么样|怎么样了|排名)/u;
const WEEK = /(?:本周|这周|这礼拜|这星期|本星期|下周|最近|近期|这几天|快到期|要到期|即将到期|马上到期)\S{0,10}(?:要|有|该|需|到期|任务|干|做|事)|(?:要做|该做|要干|该干)\S{0,6}(?:什么|啥)/u;
/** 郭道镇的进度 / 县司法局得分: a unit named before what is asked about it. */
const OTHER_UNIT = /^(\S{2,14}?)(?:的)?(进度|完成情况|得分|分数|考核)(?:怎么样|如何|情况|多少|是多少)?[?？]?$/u;
const SELF = /^(?:我们|我们单位|我单位|本单位|咱们|俺们|我镇|我乡|我局|本镇|本乡|本局|全县|各单位|所有单位|大家|整体|总体|目前|现在|当前|本周|这周|看看|看下|查下)$/u;
const REMIND = /(?:催|提醒|通知)\S{0,6}/u;
const UNDO_SLIP = /(?:撤销|撤回|撤掉|撤了|取消确认|报错|确认错|点错|发错|搞错|弄错|报多|误报|误确认|不该确认|撤一下|撤回一下|撤掉|取消掉)/u;
const SUPPLEMENT = /(?:补充|补一下|补个|补上|追加|补发|再补|补传)/u;
/** 还要补充材料 / 需要补充: evidence still to come, not evidence given. */
const SUPPLEMENT_PLANNED = /(?:还要|还需要?|需要|要|还得|准备|打算|稍后|等下|回头)\s*(?:再)?(?:补充|补|追加)/u;
/** 第4项佐证 + a link: evidence for a task, when the message does not also report it done. */
const EVIDENCE_WORD = /(?:佐证|证明材料|附件链接)/u;
const HELP = /(?:怎么(?:用|确认|报|操作|回复|登记)|如何(?:使用|确认|操作|回复|登记)|有哪些命令|命令是什么|不会用)/u;
const LAST_ONE = /(?:刚才|刚刚|上一条|上条|前一条|最后一条|最近一条|那条)/u;
const STAGE = new RegExp(`第\\s*(\\d|${CN_NUMBER})\\s*(?:个|项)?\\s*(?:时间)?(?:节点|阶段)`, 'u');
/** What a quoted digest line carries besides the task: its due date, lateness and brackets. */
const DIGEST_BITS = /[·•]|【[^】]*】|[（(][^）)]*(?:截止|逾期|到期)[^）)]*[）)]|截止\s*\d{4}-\d{2}-\d{2}|逾期\s*\d+\s*天/gu;

/** A note that says no more than the report itself (已完成, 好了, OK, ✅) is no note. */
const ONLY_DONE = new RegExp(`^(?:${['已经?', '均已', '都已', '全部', '我们', '我镇', '我单位', '本单位', '任务', '项', '号', '条', '和', '及', '都', '也', '均', '已', '确认', '确定', '完成', '办结', '落实', '到位', '公开', '公示', '发布', '上网', '弄完', '做完', '办完', '搞定', '弄好', '做好', '办好', '好', '了', '啦', '哈', '咯', '喽', 'done', 'ok', '完毕', '已办'].join('|')}|[\\s,，、.。!！~～:：;；\\-—–]|\\p{Extended_Pictographic}|\\ufe0f)*$`, 'iu');

/** True when a note only repeats that the work is done (已完成, 好了, ✅): nothing worth adding to a record. */
export function isBareReport(note: string): boolean {
  return ONLY_DONE.test(note.normalize('NFKC'));
}

function noteOf(typed: string, refs: RegExp): string | undefined {
  const note = cleanNote(
    [...typed.normalize('NFKC')]
      .map(simplifyChar)
      .join('')
      .replace(/[「」“”"]/gu, ' ')
      .replace(DIGEST_BITS, ' ')
      .replace(refs, ' ')
      .replace(/(?:序号|编号|任务编号)\s*(?=\s|$)/gu, ' ')
      .replace(/^(?:\s*(?:关于|报告|汇报|报送)?\s*[,，、;；:：.。—\-–]\s*)+/u, '')
      .replace(/\s+([,，。.;；!！])/gu, '$1')
      .replace(/([,，、;；:：])(?:\s*[,，、;；:：])+/gu, '$1'),
  );
  return note === undefined || ONLY_DONE.test(note) ? undefined : note;
}

const UNIT_THEN_TASKS = new RegExp(`^(?:请|把)?\\s*([\\u4e00-\\u9fff]{2,14}?)\\s*(?:的)?\\s*((?:第|任务)?\\s*(?:\\d{1,3}|${CN_NUMBER})\\s*(?:项|号)?(?:\\s*[、,，和]\\s*(?:第|任务)?\\s*(?:\\d{1,3}|${CN_NUMBER})\\s*(?:项|号)?)*)\\s*(?:的)?\\s*(?:佐证|材料|确认)?\\s*`, 'u');
const DEDUCTION = new RegExp(`^(?:请)?\\s*(?:给|对)?\\s*([\\u4e00-\\u9fff]{2,14}?)\\s*扣(?:除)?\\s*(\\d+(?:\\.\\d+)?|${CN_NUMBER}(?:点五)?)\\s*分\\s*[,，;；:：\\s]*(?:原因是?|因为|因|理由是?)?\\s*[:：]?\\s*(.*)$`, 'u');

/** 郭道镇第4项通过 / 郭道镇第4项退回，链接打不开 / 给郭道镇扣2分，原因… — a guess at the office's command. */
function officeSentence(typed: string): ParseResult | null {
  const deduction = DEDUCTION.exec(typed);
  if (deduction) {
    const reason = (deduction[3] as string).replace(/[。.!！]+$/u, '').trim();
    return guess('deduct', `扣分 ${deduction[1]} ${chineseNumber(deduction[2] as string) || (deduction[2] as string)}${reason ? ` ${reason}` : ''}`);
  }
  const m = UNIT_THEN_TASKS.exec(typed);
  if (!m) return null;
  const decision = /^(?:已)?(?:复核|审核)?\s*(通过|合格|退回|打回|驳回|不通过|不合格)\s*[,，;；:：\s]*(?:原因是?|因为|理由是?)?\s*[:：]?\s*(.*)$/u.exec(typed.slice(m[0].length));
  if (!decision) return null;
  const numbers = [...(m[2] as string).matchAll(new RegExp(`\\d{1,3}|${CN_NUMBER}`, 'gu'))].map((n) => chineseNumber(n[0]));
  if (numbers.length === 0 || numbers.some((n) => !Number.isSafeInteger(n))) return null;
  const accepted = decision[1] === '通过' || decision[1] === '合格';
  const reason = (decision[2] as string).replace(/[。.!！]+$/u, '').trim();
  if (accepted) return reason === '' ? guess('accept', `通过 ${numbers.join('、')} ${m[1]}`) : null;
  return guess('return', `退回 ${numbers.join('、')} ${m[1]}${reason ? ` ${reason}` : ''}`);
}

/** What a supplement's note leaves out: the command words, task references and the words of supplying a link. */
const SUPPLEMENT_REFS = /(?:^|\s)(?:确认|确定|confirm|done|ok)\s*$|(?<![\d./\-年月])(?<!\d\s*:)\b\d{1,3}\b(?![\d.:/\-年月日号天个篇条份次项])|^\s*[零〇一二两三四五六七八九十]{1,3}(?=\s|$)|第\s*\S{1,3}\s*项|任务\s*\S{1,3}|(?:补充)?说明\s*[:：]?|补充(?:一下)?|补一下|补个|补上|追加|补发|再补|补传|链接|网址|[:：]/gu;
/** What a report's note leaves out: the command word and every way of writing a task reference. */
const CONFIRM_REFS = /(?:^|\s)(?:确认|确定|confirm|done|ok)\s*$|(?<![\d./\-年月])(?<!\d\s*:)\b\d{1,3}\b(?![\d.:/\-年月日号天个篇条份次项])|^\s*[零〇一二两三四五六七八九十]{1,3}(?=\s|$)|(?:序号|编号|任务编号)?\s*第\s*[\d零〇一二两三四五六七八九十]{1,3}\s*(?:项|条|个|号|向|象|箱|像|巷)?(?:任务)?|\b(?:task|item|no\.?)\s*\d{0,3}\b|(?:序号|编号|任务编号|任务)\s*[\d零〇一二两三四五六七八九十]{1,3}(?:\.\d)?|[\d零〇一二两三四五六七八九十]{1,3}\s*(?:号任务|项任务|号|项|条)(?:任务)?|#\s*\d{1,3}|(?<=^|\s|[,，、和及])[零〇一二两三四五六七八九十]{1,3}(?=已|完成|\s|$|[,，、])|(?<![\d./\-年月])(?<!\d\s*:)\d{1,3}(?=\s*[、,，.．]\s*[^\d\s])/giu;
const STILL_GOING = /正在|还在|在做|在弄|在办|未|没|尚|待|准备|计划|下周|明天|稍后|马上/u;

/** A unit naming itself before a telegraphic report: 郭道镇, 县司法局, 马家庄乡. */
const UNIT_LEAD = /^\s*[\u4e00-\u9fff]{1,8}(?:镇|乡|局|委|办|中心|所|院|站|队)\s*[:：]?/u;

/**
 * True when a clause with a completion phrase says the work is done: the phrase is marked (已公开, 弄完了, ✅),
 * or the clause is telegraphic — its tasks, a stated completion date and a few fillers around a bare verb
 * (第4项完成, 二十二号任务完成, 第22项于11月18日完成). A bare verb after other words is a plan (周末加班完成).
 */
function saysDone(clause: string, tasks: Tasks, year: number, now: Date): boolean {
  if (!COMPLETION.test(clause)) return false;
  if (completionMarked(clause)) return true;
  let rest = clause.replace(DIGEST_BITS, ' ').replace(CONFIRM_REFS, ' ');
  for (const no of findTaskMentions(clause, tasks).tasks) {
    const name = tasks.find((t) => t.no === no)?.name;
    if (name) for (const form of [name, name.replace(/[“”"《》「」]/gu, '')]) rest = rest.split(form).join(' ');
  }
  if (claimedDateIn(clause, year, now) !== undefined) rest = rest.replace(/(?:于|在)?\s*(?:\d{4}\s*[-./年]\s*)?\d{1,2}\s*[-./月]\s*\d{1,2}\s*[日号]?|(?:于|在)?\s*(?:昨天|前天|今天|上周.|本月\d{1,2}[日号])/gu, ' ');
  rest = rest.replace(UNIT_LEAD, ' ').replace(TELEGRAPHIC_FILLER, ' ').replace(/[\s,，.。!！~～、:：;；()（）【】\[\]—\-]|\p{Extended_Pictographic}|\ufe0f/gu, '');
  return BARE_VERB.test(rest);
}

/**
 * A report of several tasks in clauses or lines, each saying plainly whether its tasks are done (第4项已公开；
 * 第9项正在推进): the done tasks and their clauses. Undefined when any clause is unclear, a task is both done
 * and not, or nothing is done.
 */
function doneByClause(lines: readonly string[], tasks: Tasks, year: number, now: Date): { tasks: number[]; text: string } | undefined {
  const clauses = lines.flatMap((line) => line.split(/[。；;]|[,，](?=\s*(?:第|任务|\d{1,3}\s*(?:[、.:：]|项|号)))|\s+(?=\d{1,2}\s*[、.:：)）]\s*(?:第|任务))|\s+(?=(?:第|任务)\s*(?:\d{1,3}|[零〇一二两三四五六七八九十]{1,3})\s*(?:项|号|条)?)/u)).map((c) => c.trim()).filter(Boolean);
  const groups: Array<{ tasks: number[]; text: string }> = [];
  for (const clause of clauses) {
    const found = findTaskMentions(clause.replace(/^\s*\d{1,2}\s*[、.:：)）]\s*(?=\S)/u, ''), tasks);
    const own = found.by === 'explicit' || found.by === 'bare' ? found.tasks : [];
    const last = groups[groups.length - 1];
    if (own.length === 0 && last) last.text += `,${clause}`;
    else if (own.length > 0) groups.push({ tasks: own, text: clause });
  }
  if (groups.length < 2) return undefined;
  const done: number[] = [];
  const open: number[] = [];
  const doneText: string[] = [];
  for (const g of groups) {
    const plain = g.text.replace(DIGEST_BITS, ' ');
    const negated = NEGATION.test(plain) || STILL_GOING.test(plain);
    if (negated) open.push(...g.tasks);
    else if (saysDone(plain, tasks, year, now)) {
      // 第4项应该完成了: a hedged clause makes the whole report one to ask about.
      if (UNSURE.test(plain)) return undefined;
      done.push(...g.tasks);
      doneText.push(g.text);
    } else return undefined;
  }
  if (done.length === 0 || done.some((t) => open.includes(t))) return undefined;
  return { tasks: [...new Set(done)], text: doneText.join(';') };
}

/** The confirmation of the tasks whose clauses say they are done, when every clause is plain. */
function byClause(input: NaturalInput): ParseResult | undefined {
  const done = doneByClause(input.lines ?? [input.text], input.tasks, input.year, input.now);
  if (!done) return undefined;
  return naturalConfirm(input, done.tasks.map((task) => ({ task })), done.text, done.text);
}

/** A natural report's confirmation: the note is `typed` without its task references, the date read from `text`. */
function naturalConfirm(input: NaturalInput, items: TaskItem[], text: string, typed: string): ParseResult {
  const claimedDate = claimedDateIn(text, input.year, input.now);
  const note = noteOf(typed, CONFIRM_REFS);
  return {
    kind: 'confirm',
    items,
    evidence: input.evidence,
    ...(note === undefined ? {} : { note }),
    ...(claimedDate === undefined ? {} : { claimedDate }),
    natural: true,
  };
}

/** Reads a message without a command word; null when it is neither a report nor a question the bot knows. */
export function readNatural(raw: NaturalInput): ParseResult | null {
  const input: NaturalInput = { ...raw, text: withoutEmoticons(raw.text), ...(raw.lines ? { lines: raw.lines.map(withoutEmoticons) } : {}) };
  const { text, tasks } = input;
  // 收到👌 / ok / 好的: an acknowledgement, neither a report nor a question.
  if (ACKNOWLEDGEMENT.test(text.replace(/[\s,，.。!！~～、]|\p{Extended_Pictographic}|\ufe0f/gu, ''))) return null;
  const mentions = findTaskMentions(text, tasks);
  const numbered = mentions.by === 'explicit' || mentions.by === 'bare';
  const first = mentions.tasks[0];
  const isQuestion = QUESTION.test(text);

  if (HELP.test(text) && mentions.tasks.length === 0) return { kind: 'help' };

  // 看下本周 / 查一下第4项: a look-up with a verb in front.
  const look = /^(?:请|麻烦)?\s*(?:帮我|帮忙)?\s*(?:查询|查看|看|查|瞧)(?:一下|下|看)?\s*/u.exec(text);
  if (look && look[0].length < text.length) {
    const word = matchWord(text.slice(look[0].length));
    if (word && (word.kind === 'digest' || word.kind === 'status' || word.kind === 'scores') && word.rest.trim() === '') return { kind: word.kind };
    if (numbered && first !== undefined && mentions.tasks.length === 1) return { kind: 'status', task: first };
  }

  // A leader briefing told as news: the exact 汇报 command with its date.
  if (/听取\S{0,16}汇报|汇报\S{0,8}政务公开|政务公开\S{0,6}专题会/u.test(text) && !isQuestion) {
    const date = anyDateIn(text, input.year, input.now);
    if (date === undefined) return { kind: 'ambiguous', command: 'briefing', code: 'briefing_date', data: {} };
    const note = cleanNote(input.typed.normalize('NFKC').replace(/(?:\d{4}\s*[-./年]\s*)?\d{1,2}\s*[-./月]\s*\d{1,2}\s*[日号]?|今天|昨天|前天/u, ' '));
    return guess('briefing', `汇报 ${date}${note ? ` ${note.slice(0, 40)}` : ''}`);
  }

  // 报个亮点：标题 — the exact 亮点 command.
  const highlight = /亮点(?:工程)?\s*[:：]\s*(\S.{0,60})/u.exec(input.typed.normalize('NFKC'));
  if (highlight && !isQuestion) return guess('highlight', `亮点 ${(highlight[1] as string).trim()}`);

  // The office's decisions said as sentences (郭道镇第4项通过, 给郭道镇扣2分): the exact command to send.
  const office = officeSentence(input.typed.normalize('NFKC'));
  if (office && !isQuestion) return office;

  // Reminders (the nudge handler checks that the sender is an admin).
  if (REMIND.test(text) && /^(?:请|麻烦)?\s*(?:催|提醒|通知)/u.test(text.replace(/^(?:请|麻烦|帮忙|帮我)\s*/u, '')) && numbered) {
    return { kind: 'nudge', tasks: mentions.tasks };
  }
  if (/(?:催一下|催办一下|提醒一下|提醒他们|催他们|发个提醒)/u.test(text) && numbered) return { kind: 'nudge', tasks: mentions.tasks };

  // A quoted digest line carries its own 截止 and 逾期: they ask nothing.
  const plain = text.replace(DIGEST_BITS, ' ');
  const asksDetail = DETAIL_NOUN.test(plain) && !COMPLETION.test(plain);
  if (isQuestion || asksDetail || OPEN_UNITS.test(plain) || /完成情况|进展情况|进展如何|进度|得分|分数|逾期/u.test(plain)) {
    if (numbered && first !== undefined && mentions.tasks.length === 1) {
      if (DETAIL.test(plain) && !NOT_YET.test(plain)) return { kind: 'detail', task: first };
      if (OPEN_UNITS.test(text) || /逾期\S{0,2}(?:单位|乡镇|部门)/u.test(text)) return { kind: 'status', task: first, openOnly: true };
      if (DETAIL.test(plain)) return { kind: 'detail', task: first };
      return { kind: 'status', task: first };
    }
    if (mentions.by === 'name' && mentions.tasks.length === 1 && first !== undefined) {
      if (OPEN_UNITS.test(text)) return guess('status', `进度 ${first}`);
      return guess('detail', `任务详情 ${first}`);
    }
    if (WEEK.test(text) || /逾期\S{0,4}(?:单位|乡镇|部门)|哪些\S{0,4}逾期/u.test(text)) return { kind: 'digest' };
    const other = OTHER_UNIT.exec(text);
    if (other && !SELF.test(other[1] as string)) return { kind: other[2] === '进度' || other[2] === '完成情况' ? 'status' : 'scores', target: other[1] as string };
    if (OWN_PROGRESS.test(text)) return { kind: 'status' };
    if (isQuestion) return null;
  }

  if (numbered && UNDO_SLIP.test(text)) return guess('undo', `撤销 ${mentions.tasks.join('、')}`);
  // 刚才那条发错了 / 撤回上一条: the last confirmation, which the plain 撤销 undoes.
  if (mentions.by === 'none' && UNDO_SLIP.test(text) && LAST_ONE.test(text)) return guess('undo', '撤销');

  if (numbered && !SUPPLEMENT_PLANNED.test(text) && (SUPPLEMENT.test(text) || (EVIDENCE_WORD.test(text) && !COMPLETION.test(text))) && (input.evidence.length > 0 || /说明|材料|链接|网址/u.test(text))) {
    const note = noteOf(input.typed, SUPPLEMENT_REFS);
    return note === undefined ? { kind: 'supplement', items: mentions.tasks.map((task) => ({ task })), evidence: input.evidence } : { kind: 'supplement', items: mentions.tasks.map((task) => ({ task })), evidence: input.evidence, note };
  }

  // 第4至6项已完成: spelled out and asked, as a typed range is.
  const range = mentions.by === 'none' ? undefined : rangeIn(text, tasks, 'confirm', { marked: true });
  if (range && COMPLETION.test(text) && !NEGATION.test(text)) return ask('confirm', range);
  const completes = COMPLETION.test(text) || /(?:^|\s|[\d项号])(?:确认|确定|confirm|ok|好了|妥了)$/iu.test(text);
  if (!completes) {
    // 第4项传到网上了 / 第5项 附件.doc 请查收: probably done, said in other words: the exact command, to send.
    if (LIKELY_DONE.test(text) && !NEGATION.test(text) && !isQuestion && mentions.tasks.length > 0 && mentions.tasks.length <= 3) return guess('confirm', `确认 ${mentions.tasks.join('、')}`);
    return null;
  }
  if (NEGATION.test(text)) return numbered && mentions.tasks.length > 1 ? (byClause(input) ?? null) : null;
  // 第4项应该已经完成了 / 听说…已经公开了: the sender is not sure; the exact command, to send if it is done.
  if (numbered && UNSURE.test(text.replace(DIGEST_BITS, ' ')) && mentions.tasks.length <= 3) return guess('confirm', `确认 ${mentions.tasks.join('、')}`);
  // 第4项周末加班完成 / 回头弄完发群里: a bare verb after other words is a plan, not a report.
  if (COMPLETION.test(text) && !saysDone(text, tasks, input.year, input.now)) return numbered && mentions.tasks.length > 1 ? (byClause(input) ?? null) : null;
  // 第35项已完成 in a plan of 34: say which numbers the plan has rather than ask which task.
  if (mentions.by === 'none' && mentions.unknown && tasks.length > 0) return ask('confirm', unknownNumbers('confirm', mentions.unknown, [], tasks, ''));
  if (mentions.by === 'none') {
    const range = rangeIn(text, tasks, 'confirm');
    return range ? ask('confirm', range) : { kind: 'ambiguous', command: 'confirm', code: 'which_task', data: { word: '确认' } };
  }
  if (mentions.by === 'name') {
    const full = mentions.tasks.filter((no) => {
      const name = nameKey(tasks.find((t) => t.no === no)?.name ?? '');
      return name.length >= 4 && nameKey(text).includes(name);
    });
    // A full task name in a report is as clear as its number; a part of one is a guess.
    if (full.length !== 1) return guess('confirm', `确认 ${mentions.tasks.slice(0, 3).join('、')}`);
    mentions.tasks.splice(0, mentions.tasks.length, ...full);
  }
  // Several tasks and words of work still going on (第4项已完成，第5项正在做): which one is done is not clear.
  // Unless each clause says it plainly (1、第4项已公开 / 2、第9项正在推进): then the done ones are recorded.
  if (mentions.tasks.length > 1 && STILL_GOING.test(text.replace(DIGEST_BITS, ' '))) return byClause(input) ?? { kind: 'ambiguous', command: 'confirm', code: 'which_task', data: { word: '确认' } };
  // A whole digest quoted back with 已完成 names many tasks: ask rather than record them all.
  if (mentions.tasks.length > 1 && /截止|逾期|本周提醒/u.test(text)) return guess('confirm', `确认 ${mentions.tasks.join('、')}`);
  const items = mentions.tasks.map((task) => {
    // 任务6.2 in a quoted digest line names the milestone.
    const m = new RegExp(`(?:任务|第)\\s*${task}\\.(\\d)(?!\\d)`, 'u').exec(text);
    if (m) return { task, milestone: Number(m[1]) };
    // 第4项第2个节点 / 第4项第二阶段: the task's milestone, said in words.
    const stage = mentions.tasks.length === 1 ? STAGE.exec(text) : null;
    return stage ? { task, milestone: chineseNumber(stage[1] as string) } : { task };
  });
  return naturalConfirm(input, items, text, input.typed);
}
