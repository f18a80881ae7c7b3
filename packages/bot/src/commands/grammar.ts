/**
 * The grammar table: the words of each command (Chinese first, English aliases), the words of a natural
 * report (已办结, 弄完了, done, ✅), and the words that make a message a question or a negation.
 */
import type { CommandKind } from './types.js';

/** The command words of each kind; the first is the one help texts and suggestions show. */
export const COMMAND_WORDS: ReadonlyArray<readonly [CommandKind, readonly string[]]> = [
  ['confirm', ['确认完成', '确认', '已完成', '完成', 'confirm', 'done']],
  ['undo', ['撤销确认', '取消确认', '撤销', '撤回', 'undo']],
  ['undeduct', ['撤销扣分', '取消扣分', 'undeduct']],
  ['rectified', ['已整改', '整改完成', '已完成整改', '整改完毕', 'rectified']],
  ['verify', ['复查通过', 'verify']],
  ['reopen', ['复查不通过', '复查未通过', '复查退回', 'reopen']],
  ['rectify', ['整改', 'rectify']],
  ['deduct', ['扣分', 'deduct']],
  ['recheck', ['核查链接', '检查链接', '链接核查', 'recheck']],
  ['supplement', ['补充材料', '补充链接', '补充', '追加', 'supplement', 'add']],
  ['digest', ['本周', '周报', 'digest', 'week']],
  ['status', ['进度', '状态', 'status', 'progress']],
  ['detail', ['任务详情', '详情', 'detail']],
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
  ['export', ['导出', '生成考核报告', '生成报告', '考核报告', 'export']],
  ['review', ['复核', '待复核', '审核', 'review']],
  ['accept', ['复核通过', '审核通过', '通过', 'accept', 'approve']],
  ['return', ['复核退回', '退回', '驳回', 'return', 'reject']],
];

/** All command words, longest first, so 撤销确认 wins over 撤销 and 确认完成 over 确认. */
const WORDS = COMMAND_WORDS.flatMap(([kind, words]) => words.map((word) => ({ kind, word }))).sort((a, b) => b.word.length - a.word.length);

/** The command word at the start of a folded text and what follows it, or null. */
export function matchWord(text: string): { kind: CommandKind; word: string; rest: string } | null {
  for (const { kind, word } of WORDS) {
    if (text.slice(0, word.length).toLowerCase() !== word) continue;
    const rest = text.slice(word.length);
    // An English word must end there (confirm4 is fine, confirmed is not).
    if (/^[a-z]/iu.test(word) && /^[a-z]/iu.test(rest)) continue;
    return { kind, word, rest: rest.replace(/^[\s:：,，]+/u, '') };
  }
  return null;
}

/** The command words of each kind, Chinese first (for help texts). */
export function commandWords(kind: CommandKind): readonly string[] {
  return COMMAND_WORDS.find(([k]) => k === kind)?.[1] ?? [];
}

/** How each command that takes tasks is written in examples (what it does, for “nothing was …”, is the catalogue's `did.<kind>`). */
const VERBS: Partial<Record<CommandKind, string>> = {
  confirm: '确认',
  undo: '撤销',
  supplement: '补充',
  status: '进度',
  detail: '任务',
  nudge: '催办',
  exempt: '豁免',
  accept: '通过',
  return: '退回',
};

/** The command word examples of a command kind use. */
export function verbOf(kind: CommandKind): { word: string } {
  return { word: VERBS[kind] ?? '确认' };
}

/**
 * A completion phrase of a natural report, anywhere in the text: 已完成, 已办结, 已落实, 已公开, 已上网,
 * 弄完了, 搞定, 办好了, done, ok了, ✅ … (folded text: simplified characters, half-width letters).
 */
export const COMPLETION =
  /(?:已于(?:[^，。,.!！?？]|(?<=\d)\.(?=\d)){0,24}?(?:完成|办结|落实|公开|公示|发布|上网|挂网|上墙|张贴|上传|更新|整改|报送|公布)|(?:已经?|均已|都已|全部|业已|现已|已于)[^，。,.!！?？\s]{0,12}?(?:完成|办结|落实|公开|公示|发布|上网|挂网|上墙|张贴|上传|更新|整改|处理|办理|报送|上报|提交|推送|录入|补录|公布|做好|弄好|办好|搞好|整好|弄妥|办妥|搞定|完善|到位|结束|落地|执行|部署|建好|建成|印发|制定|(?:传|放|发|挂|贴)(?:到|在)\S{0,6}?(?:网上|网站|平台|专栏|公众号)|办(?![公事法])|报)|(?:公开|发布|上网|公示|落实|办结|更新|上传|挂网|上墙|张贴|补录|公布)(?:了|啦|完毕)|(?:完成|办结|落实到位|做完|弄完|办完|搞完|搞定|(?:公开|公示|发布|上传|挂网|张贴|整改|处理)好(?=了|啦)|弄好|做好|办好|搞好|整好|弄妥|办妥|完工|整完|处理完|公开完|上传完|发布完|整改完)(?:了|啦|咯|喽|哈|毕)?(?!情况|率|时间|时限|进度|期限|度|与否|的时间|没|与|否)|完成了|结束了|已确认|(?:已经|已|都已经|均已)(?:弄|搞|做|办)?好了|\bdone\b|\bfinished\b|\bcompleted?\b|\bok了|✅|✔️?|☑️?|✓|👌|🆗)/iu;

/** The verbs of finishing the work, as the phrases of not having finished it use them. */
const DONE_VERB = '(?:完成|办结|落实|公开|公示|发布|上网|挂网|弄完|做完|办完|搞定|弄好|做好|办好|上传|张贴|上墙)';

/**
 * Words that turn a completion phrase around, one row per way of saying the work is not done: negated
 * (未完成, 还没弄完, 完成不了), planned or promised (下周完成, 周五前能完成, 估计月底完成), nearly or partly done
 * (快弄完了, 完成了一大半, 初稿已完成, 还有2篇), still going on (还在做, 正在推进, 等领导签字), not applicable
 * (不涉及), the office's instructions (请…完成, 完成后请确认) and notices (关于做好…).
 */
const NOT_DONE: readonly string[] = [
  // Not applicable to the unit.
  '不涉及|与\\S{0,6}无关|不适用|无此项|不需要做|不用做|(?:无|没有)(?:新增|新的|新|其他|别的)\\S{0,6}?(?:完成|办结|落实|公开|事项|任务)',
  // Negated, postponed or planned.
  `(?:未|没有?|尚未|还没|没能|无法|不能|不会|别|暂未|暂无|待|即将|将于|准备|计划|争取|预计|拟|正在|尽快|马上|稍后|明天|后天|下周|月底前?会|天后|周后)\\s*(?:\\S{0,6}?)${DONE_VERB}`,
  '完成不了|没完成|不完成|(?:完成|办结)(?:没有|了没|没|否)|\\bnot\\s+(?:yet\\s+)?done\\b|❌|✖️?',
  // A deadline ahead (11月30日前完成, 下班前完成, 周五前能完成); 提前完成, 前已完成 and 已在期限内完成 are done.
  `(?<!已\\S{0,10})(?<!提)(?:前|之前|以前|以内|之内)\\s*(?:要|需|需要|必须|务必|应|应当|抓紧|能|会|可以|就能|肯定|一定|保证|争取)?\\s*${DONE_VERB}`,
  // Promised, hedged or about to be (估计月底完成, 应该能完成, 快弄完了, 差不多完成了, 这两天就能完成); no 已 in between.
  `(?<!已\\S{0,4})(?:要|需要|必须|务必|应当|应该|抓紧|尽快|争取|力争|估计|预计|可望|肯定|一定|保证|就能|才能|能够|可以|快要?|就要|差不多|将要|这两天|近期|随后|等会儿?|一会儿?)\\s*(?:在\\S{0,8})?(?:(?!已)[^\\s，,。；;！!？?]){0,4}?${DONE_VERB}`,
  // A time ahead before the verb without 了 (下个月完成, 12月初能完成, 本周内完成, 年前公开).
  `(?:下个?月|下周|下星期|下礼拜|今天|今日|明天|后天|本周内?|这周内?|本月内?|这个?月内?|年底|年前|年内|月内|周内|近期|过几天|过两天|\\d{1,2}\\s*月\\s*(?:初|中|中旬|上旬|下旬|份|底))\\s*(?:能|会|要|可以|就|再|才)?\\s*${DONE_VERB}(?!了|啦|完毕)`,
  // A modal right before the verb (能完成, 会公开), and trouble finishing (完成有困难).
  `(?<!已\\S{0,4})(?<!不)(?:能|会)\\s*${DONE_VERB}|${DONE_VERB}(?:起来)?(?:有点|有些|比较|很)?(?:困难|难度大|有困难|有难度|难|有问题)`,
  // Partly done (完成80%, 完成了一大半, 部分完成, 初稿已完成, 已完成3篇，还有2篇).
  '(?:只|仅|才)\\s*(?:完成|公开|上传|发布|办|弄|做)|一部分|一小部分|大部分|还(?:需要?|要|得)\\s*(?:几|一段|一些|\\d)|(?:公开|上传|发布|公示)了?\\s*(?:一部分|部分|一半|一些)|完成(?:度|率)|完成\\s*(?:了\\s*)?\\d+\\s*[%％]|完成了?\\s*(?:一半|一大半|大半|多半|大部分|部分|一部分|百分之|[一二三四五六七八九]成|[\\d一二三四五六七八九十]+分之)|(?:部分|基本|初步|大部分)\\s*(?:完成|公开|落实)|初稿|草稿|征求意见稿|还(?:有|差|剩)(?:最后)?\\s*(?:\\d+|[一二两三四五六七八九十几]+)\\s*(?:篇|个|条|份|家|件|处|张|项|步)|还(?:差|剩)(?:一点|一些|最后)',
  // Still going on or waiting for someone (还在做, 正在推进, 等领导签字后, 还没批, 在走流程).
  '(?:正在|还在|仍在|(?<![现实存所])在)\\s*(?:做|弄|办|推进|进行|整理|收集|走|准备|完善|修改|对接|搞|处理|排版|编辑|审核|审批|落实中)|(?:还没|尚未|没|未)\\s*(?:批|审批|审核|签发|签字)|等\\S{0,6}(?:审批|审核|签字|签发|批准|同意)|走\\S{0,2}流程',
  // Conditions and instructions (完成后请确认, 如已完成, 已完成的单位请, 请于…完成, 关于做好…的通知).
  '(?<!申)请[^已]{0,20}?(?:完成|办结|公开|公示|发布|上网|落实)|(?:完成|公开|办结|落实)(?:后|时(?!间)|前|之后|以后|的话)|(?:如果|若|若已|假如|如(?![期实约数下]))\\S{0,6}(?:完成|公开|办结)|(?:已|已经)?(?:完成|公开|办结|落实)的(?:单位|乡镇|部门|请|要|可以|不用|也|都|同志)|关于(?:做好|进一步|加强|开展|印发|认真)',
];

/**
 * Phrases that probably say the work is done but in words no report table holds (传到网上了, 已经发了,
 * 挂上去了, 请查收): the bot asks back with the exact command rather than record them.
 */
export const LIKELY_DONE = /(?:传|放|发|挂|贴)(?:到|在)\S{0,6}?(?:网上|网站|平台|专栏|公众号|群里)|(?:传|放|发|挂|贴)上去了|(?:已经?|都)发(?:了|出去了)|发出去了|请(?:查收|审核|审阅|查阅|查看|过目|核查)/u;

/**
 * Hedges and hearsay around a report (应该已经完成了, 好像已经公开了, 听说第4项已经完成了, …已经完成了吧): the
 * sender is not sure, so the bot asks back with the exact command rather than record it.
 */
export const UNSURE = /应该|好像|可能|也许|大概|似乎|貌似|好似|估计|听说|据说|我记得|记得|不确定|不太确定|不清楚|吧[\s!！。.~～]*$/u;

/** A message that only acknowledges (收到, 好的, ok, 嗯嗯, 谢谢, with emoji): nothing to read or ask back. */
export const ACKNOWLEDGEMENT = /^(?:收到|好的?|好滴|好嘞|ok|okay|嗯+|明白|了解|知道了?|谢谢|感谢|辛苦了?|已阅|阅|是的|对的?|行)+$/iu;

/**
 * DingTalk's emoticons as the text of a message carries them ([微笑], [OK], [强]): [OK] says done like 👌,
 * [强] and [赞] are a thumbs-up like 👍, the rest is tone. Task references in brackets ([第4项]) are not emoticons.
 */
export const EMOTICON = /\[(ok|OK|Ok|强|赞|[\u4e00-\u9fff]{1,4})\]/gu;
const EMOTICON_MEANING: Readonly<Record<string, string>> = { ok: '👌', 强: '👍', 赞: '👍' };

/** The text with DingTalk emoticons read as the emoji they stand for, or taken out. */
export function withoutEmoticons(text: string): string {
  return text.replace(EMOTICON, (_m, name: string) => ` ${EMOTICON_MEANING[name.toLowerCase()] ?? ''} `).replace(/\s+/gu, ' ').trim();
}

const COMPLETIONS = new RegExp(COMPLETION.source, 'giu');
const MARK_BEFORE = /^(?:已|均已|都已|业已|现已)/u;
const MARK_AFTER = /^\s*(?:了|啦|咯|喽|完毕|过)/u;
/** 已 a few characters before the verb: 已弄完, 已经全部做完. */
const MARK_LEAD = /(?:已|已经)[^\s，。,.;；!！?？]{0,4}$/u;

/**
 * True when a completion phrase is marked as done: 已… (已公开, 均已完成), …了 / 完毕 / 过 (弄完了, 公开完毕),
 * or a sign (✅, done, ok了). A bare verb (完成, 弄完, 公开) is what plans use too (周末加班完成, 回头弄完发群里):
 * it is a report only in a telegraphic message (see `natural.ts`).
 */
export function completionMarked(text: string): boolean {
  for (const m of text.matchAll(COMPLETIONS)) {
    const phrase = m[0];
    if (MARK_BEFORE.test(phrase) || /(?:了|啦|咯|喽|毕)$/u.test(phrase) || !/[\u4e00-\u9fff]/u.test(phrase)) return true;
    if (MARK_AFTER.test(text.slice(m.index + phrase.length)) || MARK_LEAD.test(text.slice(Math.max(0, m.index - 6), m.index))) return true;
  }
  return false;
}

/** What a telegraphic report (第4项完成, 二十二号任务完成, 第4项按期完成，请查收) may hold besides its task and verb. */
export const TELEGRAPHIC_FILLER = /任务|工作|事项|的|都|均|全部|全面|按时|按期|如期|顺利|圆满|确认|我们|我镇|我乡|我局|我单位|本单位|也|和|及|该项|此项|请查收|请审核|请审阅|请查阅|请领导审阅|谢谢|哈|啊|呀|哦|了/gu;
/** The verb a telegraphic report ends with. */
export const BARE_VERB = /^(?:(?:公开|发布|公示|上传|整改|办理|处理|录入|上报|报送)(?:完成|完毕)|完成|办结|落实|落实到位|公开|公示|发布|上网|挂网|上墙|张贴|办完|做完|弄完|搞完|整完|搞定|弄好|做好|办好|完工|ok|done)$/iu;

/** Words that turn a completion phrase around: 未完成, 还没弄完, 尚未公开, 完成不了, 3天后完成, 快弄完了 (see {@link NOT_DONE}). */
export const NEGATION = new RegExp(NOT_DONE.join('|'), 'iu');

/** A message that asks rather than reports: a question mark, 吗, 么, 如何, 怎么, 什么, 哪些, 多少 … */
export const QUESTION = /[?？]|吗|么|(?<!(?:没|未|还|正在)\S{0,6})呢$|哪里|在哪|哪儿|多久|如何|怎样|怎么|什么|啥|哪些|哪个|哪几|哪天|哪一天|几项|几个|几号|几时|多会儿?|何时|多少|是否|是不是|有没有|了没|没有$|能否|可否|请问|咨询|\bwhat\b|\bhow\b|\bwhich\b/iu;
