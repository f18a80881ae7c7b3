/**
 * Deadlines as the county office writes them for a rectification item (整改 单位 事项 期限):
 * 2022-12-15, 12月15日前, 12月底前, 年底前, 15天内, 两周内, 一个月内, 10个工作日内.
 */
import { addDays, endOfMonth, shanghaiDate } from '@zwgk/sdk';
import { chineseNumber, CN_NUMBER, readDate, realDate, type Scan } from './numbers.js';

/** A deadline found in a text: a date, or a count of working days (the caller has the calendar). */
export type Deadline = { due: string } | { workingDays: number };

/** Where a deadline phrase may start. */
const START = new RegExp(
  `(?:\\d{4}\\s*(?:[-/.]|年)|\\d{1,2}\\s*月|${CN_NUMBER}\\s*月|\\d{1,2}\\s*\\/\\s*\\d|年底|年末|本月底|月底|(?:\\d{1,3}|${CN_NUMBER}|半)\\s*个?\\s*(?:天|日|周|星期|礼拜|月|工作日))`,
  'gu',
);
const RELATIVE = new RegExp(`^(\\d{1,3}|${CN_NUMBER}|半)\\s*(个)?\\s*(工作日|天|日|周|星期|礼拜|月)\\s*(?:内|以内|之内)`, 'u');
/** Words before a deadline that belong to it: 期限 12月15日, 限期, 须于, 截至. */
const LEAD = /(?:(?:整改)?(?:期限|时限|限期|截止|截至|要求|须|需|务必|请)?\s*(?:于|在)?\s*[:：]?\s*)$/u;
/** Words after a deadline date that belong to it: 前, 之前, 以前, 完成, 整改到位. */
const TAIL = /^\s*(?:日|号)?\s*(?:前|之前|以前|为止)?\s*(?:完成|整改到位|整改完毕|整改完成|整改|到位)?\s*[。.!！]?\s*$/u;

function plusMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = Number(endOfMonth(year, month).slice(8));
  return realDate(year, month, Math.min(d, last))!;
}

/** Reads one deadline phrase at the start of `rest`; its length, or null. */
function readAt(rest: string, today: string, year: number, now: Date): { deadline: Deadline; length: number } | null {
  const rel = RELATIVE.exec(rest);
  if (rel) {
    const n = rel[1] === '半' ? 0.5 : chineseNumber(rel[1]!);
    if (!Number.isFinite(n) || n <= 0) return null;
    const unit = rel[3]!;
    const length = rel[0].length;
    if (unit === '工作日') return Number.isInteger(n) ? { deadline: { workingDays: n }, length } : null;
    if (unit === '月') return n === 0.5 ? { deadline: { due: addDays(today, 15) }, length } : Number.isInteger(n) ? { deadline: { due: plusMonths(today, n) }, length } : null;
    const days = unit === '天' || unit === '日' ? n : n * 7;
    return Number.isInteger(days) ? { deadline: { due: addDays(today, days) }, length } : null;
  }
  const yearEnd = /^(?:年底|年末)/u.exec(rest);
  if (yearEnd) return { deadline: { due: `${year}-12-31` }, length: yearEnd[0].length };
  const monthEnd = /^(?:本月底|月底)/u.exec(rest);
  if (monthEnd) return { deadline: { due: endOfMonth(Number(today.slice(0, 4)), Number(today.slice(5, 7))) }, length: monthEnd[0].length };
  const scan: Scan = { rest };
  const explicit = /^\d{4}/u.test(rest);
  const date = readDate(scan, year, now);
  if (!date) return null;
  // A date written without its year that has passed this year means next year's.
  const due = !explicit && date < today ? `${Number(date.slice(0, 4)) + 1}${date.slice(4)}` : date;
  return { deadline: { due: realDate(Number(due.slice(0, 4)), Number(due.slice(5, 7)), Number(due.slice(8))) ?? date }, length: rest.length - scan.rest.length };
}

/**
 * The deadline written at the end of a text (`网站栏目更新不及时 12月15日前`), and the text before it with
 * the words that introduce it (期限, 限期, 于 …) taken off; null when the text does not end with one.
 * Dates without a year are in the year of `now` (Asia/Shanghai), or the next one when that day has passed.
 *
 * @example
 * readDeadline('网站栏目更新不及时 两周内', new Date('2022-11-21T02:00:00Z'));
 * // { deadline: { due: '2022-12-05' }, before: '网站栏目更新不及时' }
 */
export function readDeadline(text: string, now: Date): { deadline: Deadline; before: string } | null {
  const today = shanghaiDate(now);
  const year = Number(today.slice(0, 4));
  let found: { deadline: Deadline; before: string } | null = null;
  for (const m of text.matchAll(START)) {
    const read = readAt(text.slice(m.index), today, year, now);
    if (!read) continue;
    if (!TAIL.test(text.slice(m.index + read.length))) continue;
    const before = text.slice(0, m.index).replace(LEAD, '').replace(/[\s,，;；:：、]+$/u, '');
    found = { deadline: read.deadline, before };
    break;
  }
  return found;
}
