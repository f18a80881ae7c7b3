/** Numbers and dates as clerks write them: 4, ４, 十七, 二十二; 2022-11-18, 2022.11.18, 11月18日, 11/18, 10月底, 今天. */
import { addDays, endOfMonth, shanghaiDate } from '@zwgk/sdk';

const CN_DIGITS: Readonly<Record<string, number>> = { 零: 0, 〇: 0, 一: 1, 幺: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
/** A Chinese numeral up to 九十九 (as a regular-expression source). */
export const CN_NUMBER = '[零〇一二两三四五六七八九十]{1,3}';

/** Chinese numerals 一 … 九十九 (or ASCII digits) as a number, or NaN. */
export function chineseNumber(text: string): number {
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

/** `YYYY-MM-DD` when the day exists, else null. */
export function realDate(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** Text being read from the start, consumed as it is understood. */
export interface Scan {
  rest: string;
}

const FULL_DATE = /^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*(?:日|号)?/u;
const MONTH_DAY = /^(\d{1,2})\s*月\s*(\d{1,2})\s*(?:日|号)?/u;
const CN_MONTH_DAY = new RegExp(`^(\\d{1,2}|${CN_NUMBER})\\s*月\\s*(\\d{1,2}|${CN_NUMBER})\\s*(?:日|号)`, 'u');
const MONTH_END = /^(\d{1,2})\s*月\s*底/u;
const SLASH_DATE = /^(\d{1,2})\s*\/\s*(\d{1,2})(?![\d/])/u;
const RELATIVE_DATE: ReadonlyArray<readonly [RegExp, number]> = [
  [/^(?:今天|今日|today)/iu, 0],
  [/^(?:昨天|昨日|yesterday)/iu, -1],
  [/^前天/u, -2],
];
/** 上周五 / 本周三 / 这星期一 / 周五: a weekday of last or this week (weeks start on Monday). */
const WEEKDAY = /^(上个?|本|这个?)?\s*(?:周|星期|礼拜)\s*([一二三四五六日天1-7])/u;
const WEEKDAY_INDEX: Readonly<Record<string, number>> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7 };
/** 本月18日 / 这个月18号: a day of the current month. */
const THIS_MONTH_DAY = /^(?:本月|这个?月|当月)\s*(\d{1,2})\s*(?:日|号)/u;
/** 18日 alone (read only where a date is expected: after 于 or 在, or in a relative reading): a day of the current month. */
const DAY_ONLY = /^(\d{1,2})\s*(?:日|号)(?!任务)/u;

/**
 * Reads a date at the start of `scan.rest` and consumes it; `undefined` when there is none, `null` when it
 * is not a real date. `relative` also reads 今天 / 昨天 / 前天 (as of `now`, Asia/Shanghai).
 */
export function readDate(scan: Scan, year: number, now: Date, relative = false): string | null | undefined {
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
  m = CN_MONTH_DAY.exec(s);
  if (m) {
    scan.rest = s.slice(m[0].length);
    return realDate(year, chineseNumber(m[1] as string), chineseNumber(m[2] as string));
  }
  if (!relative) return undefined;
  const today = shanghaiDate(now);
  for (const [pattern, offset] of RELATIVE_DATE) {
    const r = pattern.exec(s);
    if (r) {
      scan.rest = s.slice(r[0].length);
      return addDays(today, offset);
    }
  }
  const weekday = WEEKDAY.exec(s);
  if (weekday) {
    scan.rest = s.slice(weekday[0].length);
    const monday = addDays(today, 1 - (new Date(`${today}T00:00:00Z`).getUTCDay() || 7));
    return addDays(monday, (WEEKDAY_INDEX[weekday[2] as string] ?? 1) - 1 - (weekday[1]?.startsWith('上') ? 7 : 0));
  }
  const day = THIS_MONTH_DAY.exec(s) ?? DAY_ONLY.exec(s);
  if (day) {
    scan.rest = s.slice(day[0].length);
    return realDate(Number(today.slice(0, 4)), Number(today.slice(5, 7)), Number(day[1]));
  }
  return undefined;
}

/** Words after a date that make it the day the work was done (11月18日已完成, 11月18日前已公开). */
const CLAIM_REF = '(?:第?\\s*[\\d零〇一二两三四五六七八九十]{1,3}\\s*(?:项|号|条)?(?:任务)?)?\\s*(?:我们|我镇|我单位|本单位)?\\s*';
/** A few words between 已 and the verb: 已在网站公开. */
const SHORT_GAP = '[^，。,.;；!！?？\\s]{0,8}?';
const CLAIM_VERB = '(?:完成|办结|落实|公开|公示|发布|上网|上传|更新|整改|办完|做完|弄完|挂网|上墙|张贴|录入|补录|公布|报送|办理)';
// Before a date, 前 (11月30日前) is a deadline unless 已 follows it: 11月30日前已完成 is a claim, 11月30日前完成 a plan.
const CLAIM_AFTER = new RegExp(`^\\s*(?:(?:之前|以前|前)\\s*[,，]?\\s*${CLAIM_REF}(?:已经|已|均已|都已|就已)${SHORT_GAP}|[,，]?\\s*${CLAIM_REF}(?:(?:(?:就|都|均)?(?:已经|已)|全部)${SHORT_GAP})?)\\s*${CLAIM_VERB}`, 'u');
const ANY_DATE_START = /(?:\d{4}\s*(?:[-/.]|年)|\d{1,2}\s*月|[零〇一二两三四五六七八九十]{1,3}\s*月|\d{1,2}\s*\/\s*\d|今天|今日|昨天|昨日|前天|(?:上个?|本|这个?)\s*(?:周|星期|礼拜)|(?<!\d)(?:周|星期|礼拜)[一二三四五六日天]|本月|这个?月|当月|(?<=(?:于|在)\s*)\d{1,2}\s*(?:日|号)(?!任务))/gu;
/** The name of the day the work was done, before its date: 完成时间：11月18日, 公开日期 2022.11.18. */
const DATE_LABEL = /(?:完成|公开|发布|办结|上网|公示|落实|挂网|上墙)(?:时间|日期|日)\s*(?:为|是)?\s*[:：]?\s*$/u;
/** A date in brackets right after the completion word: 已完成（11月18日）. */
const DONE_THEN_BRACKET = /(?:已经?|均已|都已)\s*(?:完成|办结|落实|公开|公示|发布|上网)(?:了)?\s*[（(]\s*$/u;

/**
 * The completion date a liaison states in a note (`11月18日已完成`, `已于2022.11.18完成`, `昨天已公开`):
 * the first date followed by a completion word, or preceded by 于 / 在 and followed by one; undefined when none.
 */
export function claimedDateIn(text: string, year: number, now: Date): string | undefined {
  const date = claimIn(text, year, now);
  // A day after the message is no completion date (a typo or a plan): it stays in the note only.
  return date !== undefined && date <= shanghaiDate(now) ? date : undefined;
}

function claimIn(text: string, year: number, now: Date): string | undefined {
  for (const m of text.matchAll(ANY_DATE_START)) {
    const scan: Scan = { rest: text.slice(m.index) };
    const date = readDate(scan, year, now, true);
    if (date === null || date === undefined) continue;
    if (CLAIM_AFTER.test(scan.rest)) return date;
    const label = text.slice(Math.max(0, m.index - 12), m.index);
    if (DATE_LABEL.test(label) || (DONE_THEN_BRACKET.test(label) && /^\s*[）)]/u.test(scan.rest))) return date;
    const before = text.slice(Math.max(0, m.index - 3), m.index);
    if (/(?:于|在|是)\s*$/u.test(before) && /^\s*(?:日|号)?[^，。,.;；!！?？]{0,10}?(?:完成|办结|公开|公示|发布|上网|落实)/u.test(scan.rest)) return date;
  }
  // 11.18已完成: month.day only before a completion word (elsewhere 6.2 is a milestone).
  const dotted = /(?<![\d.])(\d{1,2})\.(\d{1,2})(?![\d.])(?=\s*(?:日|号)?\s*(?:已经|已|前已)?\s*(?:完成|办结|公开|公示|发布|上网|落实))/u.exec(text);
  if (dotted) return realDate(year, Number(dotted[1]), Number(dotted[2])) ?? undefined;
  return undefined;
}

/** The first date anywhere in a text (今天 / 昨天 included), or undefined. */
export function anyDateIn(text: string, year: number, now: Date): string | undefined {
  for (const m of text.matchAll(ANY_DATE_START)) {
    const date = readDate({ rest: text.slice(m.index) }, year, now, true);
    if (date) return date;
  }
  return undefined;
}
