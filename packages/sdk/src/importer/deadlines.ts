/**
 * Deadline phrases (时间节点) and deadlines written inside a task's content, read into milestones.
 * A phrase that cannot be read yields a diagnostic, never a guessed date.
 */
import { defaultCalendar } from '../calendar/calendar.js';
import type { Milestone } from '../model/schemas.js';
import { cleanCell, normalizeInput } from './clean.js';

/** The milestones read from a deadline phrase, and what could not be read. */
export interface DeadlineResult {
  milestones: Milestone[];
  /** One message per part of the phrase that held no readable date. */
  diagnostics: string[];
}

/** A milestone plus how much its label says (internal to the importer). */
export interface DraftMilestone extends Milestone {
  /**
   * True when the label is only the date phrase of one part of a several-part deadline (每年3月底前公布),
   * so a descriptive label found in the content for the same date may replace it.
   */
  weakLabel: boolean;
}

interface DateHit {
  start: number;
  end: number;
  phrase: string;
  dates: Array<{ due: string; label?: string }>;
  recurrence: 'yearly' | null;
  ongoing: boolean;
}

interface Pattern {
  /** Text every match contains: a pattern is not run on text without it (most cells hold no date). */
  need: string | RegExp;
  re: RegExp;
  /** Whether a match counts when scanning a task's content (only unambiguous deadline wording does). */
  inContent?: (m: RegExpExecArray) => boolean;
  build(m: RegExpExecArray, year: number): Omit<DateHit, 'start' | 'end' | 'phrase'> | string;
}

const validYear = (year: number) => Number.isInteger(year) && year >= 1000 && year <= 9998;

const pad = (n: number) => String(n).padStart(2, '0');

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
function lastDay(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month - 1] ?? new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

function iso(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) return null;
  if (month < 1 || month > 12 || day < 1 || day > lastDay(year, month)) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

function monthEnd(year: number, month: number): string | null {
  // Month 0 is "before January": the last day of the previous year.
  if (month === 0) return iso(year - 1, 12, 31);
  return iso(year, month, lastDay(year, month));
}

const CN_NUMERAL = /[零〇一二两三四五六七八九十]/;
const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 十一 → 11, 二十五 → 25; `null` when the text is not a small Chinese numeral (internal). */
export function chineseNumber(text: string): number | null {
  if (!text) return null;
  const ten = text.indexOf('十');
  if (ten < 0) return text.length === 1 ? (CN_DIGITS[text] ?? null) : null;
  const high = ten === 0 ? 1 : CN_DIGITS[text.slice(0, ten)];
  const rest = text.slice(ten + 1);
  const low = rest ? CN_DIGITS[rest] : 0;
  if (high === undefined || low === undefined || text.indexOf('十', ten + 1) >= 0) return null;
  return high * 10 + low;
}

/** Rewrites Chinese numerals before 月 / 日 / 号 as digits (十一月底前 → 11月底前). */
function arabicMonths(text: string): string {
  if (!CN_NUMERAL.test(text)) return text;
  return text.replace(/([零〇一二两三四五六七八九十]{1,3})(?=[月日号])/g, (whole, digits: string) => {
    const n = chineseNumber(digits);
    return n === null ? whole : String(n);
  });
}

const yearOf = (written: string | undefined, nextYear: string | undefined, year: number) =>
  written ? Number(written) : nextYear ? year + 1 : year;

const QUARTER_ENDS = [3, 6, 9, 12] as const;
const QUARTER_NAMES = ['第一季度', '第二季度', '第三季度', '第四季度'] as const;

/** The date `days` after an ISO date (calendar days). */
function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/**
 * The date `n` working days after an ISO date: by the statutory calendar (holidays and 调休 days) where it
 * covers the year, else counting Monday to Friday.
 */
function addWorkingDays(date: string, n: number): string {
  const calendar = defaultCalendar();
  if (calendar.coversYear(Number(date.slice(0, 4))) && calendar.coversYear(Number(date.slice(0, 4)) + 1)) return calendar.addWorkingDays(date, n);
  let at = date;
  for (let left = n; left > 0; ) {
    at = addDays(at, 1);
    const [y, m, d] = at.split('-').map(Number) as [number, number, number];
    const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return at;
}

/** Periods a `…结束后N日内` deadline can follow: their ends in a plan year, with labels. */
function periodEnds(period: string, which: number | null, year: number): Array<{ end: string; label: string }> {
  if (period.includes('季')) {
    const quarters = which ? [which] : [1, 2, 3, 4];
    return quarters.map((q) => ({ end: monthEnd(year, q * 3)!, label: QUARTER_NAMES[q - 1]! }));
  }
  if (period.includes('半年')) return [6, 12].map((month, i) => ({ end: monthEnd(year, month)!, label: i === 0 ? '上半年' : '下半年' }));
  if (period.includes('月')) {
    const months = which ? [which] : Array.from({ length: 12 }, (_v, i) => i + 1);
    return months.map((month) => ({ end: monthEnd(year, month)!, label: `${month}月` }));
  }
  return [{ end: monthEnd(year, 12)!, label: '年度' }];
}

const PATTERNS: Pattern[] = [
  {
    // 每季度结束后10日内 / 每月结束后5个工作日内 / 年度结束后20日内: so many days after each period ends
    // (the fourth quarter's and December's fall in the next year).
    need: '后',
    re: /(每个?)?(?:第?([一二三四1-4])(?=季))?(季度|半年度?|月份?|年度?)(?:结束|终了|末|底)后(\d{1,3}|[一二三四五六七八九十]{1,3})个?(工作日|日|天|月)(?:内|之内|以内)?/g,
    inContent: () => true,
    build: (m, year) => {
      const n = /\d/.test(m[4]!) ? Number(m[4]) : chineseNumber(m[4]!);
      if (!n || n < 1 || n > (m[5] === '月' ? 6 : 120)) return `"${m[0]}" names no number of days`;
      const which = m[2] ? (/\d/.test(m[2]) ? Number(m[2]) : CN_DIGITS[m[2]]!) : null;
      const unit = m[5]!;
      const after = `结束后${n}${unit === '工作日' ? '个工作日' : unit === '月' ? '个月' : '日'}内`;
      const yearly = m[3]!.startsWith('年');
      return {
        dates: periodEnds(m[3]!, which, year).map(({ end, label }) => ({
          due: unit === '工作日' ? addWorkingDays(end, n) : unit === '月' ? monthEnd(Number(end.slice(0, 4)) + Math.floor((Number(end.slice(5, 7)) + n - 1) / 12), ((Number(end.slice(5, 7)) + n - 1) % 12) + 1)! : addDays(end, n),
          label: yearly && m[1] ? `每${label}${after}` : `${label}${after}`,
        })),
        recurrence: yearly && m[1] ? 'yearly' : null,
        ongoing: false,
      };
    },
  },
  {
    // 每季度 / 每个季度末 / 按季度 / 逐季 / 季度末: the four quarter ends of the plan year.
    need: '季',
    re: /(?:(?:每个?|按|逐)季度?[末底]?|(?<![第一二三四1-4])季度[末底])前?/g,
    build: (_m, year) => ({
      dates: QUARTER_ENDS.map((month, i) => ({ due: monthEnd(year, month)!, label: QUARTER_NAMES[i]! })),
      recurrence: null,
      ongoing: false,
    }),
  },
  {
    // 每半年 / 每半年度 / 按半年: the two half-year ends.
    need: '半年',
    re: /(?:每个?|按)半年度?[末底]?前?/g,
    build: (_m, year) => ({
      dates: [
        { due: monthEnd(year, 6)!, label: '上半年' },
        { due: monthEnd(year, 12)!, label: '下半年' },
      ],
      recurrence: null,
      ongoing: false,
    }),
  },
  {
    // 每月10日前 / 每月5号: that day of each month (the month's last day when it is shorter).
    need: '每',
    re: /每个?月(\d{1,2})[日号](?:前|之前|以前)?/g,
    build: (m, year) => {
      const day = Number(m[1]);
      if (day < 1 || day > 31) return `"${m[0]}" names no day of the month`;
      return {
        dates: Array.from({ length: 12 }, (_v, i) => ({ due: iso(year, i + 1, Math.min(day, lastDay(year, i + 1)))!, label: `${i + 1}月${day}日前` })),
        recurrence: null,
        ongoing: false,
      };
    },
  },
  {
    // 2024.6.30 / 2024-06-30 / 2024/6/30 / 2024.6 (the month's end), as forms and spreadsheets write dates.
    need: /\d{4}[.\-/]\d/,
    re: /(?<![\d.])(\d{4})[.\-/](\d{1,2})(?:[.\-/](\d{1,2}))?(?:前|之前|以前)?(?![\d.\-/])/g,
    build: (m) => {
      const y = Number(m[1]);
      const month = Number(m[2]);
      const due = m[3] ? iso(y, month, Number(m[3])) : month >= 1 && month <= 12 ? monthEnd(y, month) : null;
      if (!due) return `"${m[0]}" is not a real date`;
      return { dates: [{ due }], recurrence: null, ongoing: false };
    },
  },
  {
    // 每月 / 每个月底 / 按月 / 逐月: the twelve month ends.
    need: '月',
    re: /(?:每个?|按|逐)月[底末]?前?/g,
    build: (_m, year) => ({
      dates: Array.from({ length: 12 }, (_v, i) => ({ due: monthEnd(year, i + 1)!, label: `${i + 1}月` })),
      recurrence: null,
      ongoing: false,
    }),
  },
  {
    // 第一季度末 / 2021年二季度前
    need: '季',
    re: /(?:(\d{4})年)?第?([一二三四1-4])季度[末底]?(?:前|之前|以前)?/g,
    build: (m, year) => {
      const q = /\d/.test(m[2]!) ? Number(m[2]) : CN_DIGITS[m[2]!]!;
      return { dates: [{ due: monthEnd(yearOf(m[1], undefined, year), q * 3)! }], recurrence: null, ongoing: false };
    },
  },
  {
    // 上半年 → 06-30, 下半年 → 12-31, 年中 → 06-30
    need: '年',
    re: /(?:(\d{4})年)?(?:(上|下)半年|(年中))[底末]?(?:前|之前|以前)?/g,
    build: (m, year) => ({
      dates: [{ due: monthEnd(yearOf(m[1], undefined, year), m[2] === '下' ? 12 : 6)! }],
      recurrence: null,
      ongoing: false,
    }),
  },
  {
    // 9月5日前, 2021年8月15日, 每年3月31日前, 次年1月10日前
    need: '月',
    re: /(每年)?(次年|明年)?(?:(\d{4})年)?(?<!\d)(\d{1,2})月(\d{1,2})[日号](?:前|之前|以前)?(?!起|开始|以后|之后|后)/g,
    inContent: () => true,
    build: (m, year) => {
      const due = iso(yearOf(m[3], m[2], year), Number(m[4]), Number(m[5]));
      if (!due) return `"${m[0]}" is not a real date`;
      return { dates: [{ due }], recurrence: m[1] ? 'yearly' : null, ongoing: false };
    },
  },
  {
    // 11月底前, 9月底, 2021年8月前 (before August: the end of July), 3月中旬前, 每年3月底前, 10月份
    need: '月',
    re: /(每年)?(次年|明年)?(?:(\d{4})年)?(?<!\d)(\d{1,2})月(份)?(底|末|上旬|中旬|下旬)?(前|之前|以前)?(?!起|开始|以后|之后|后|\d|[底末旬份])/g,
    // In content a bare month ("10月") is a date in passing, not a deadline: it needs 底/末/旬 or 前.
    inContent: (m) => Boolean(m[6] || m[7]),
    build: (m, year) => {
      const y = yearOf(m[3], m[2], year);
      const month = Number(m[4]);
      if (month < 1 || month > 12) return `"${m[0]}" names no month`;
      const part = m[6];
      let due: string | null;
      if (part === '上旬') due = iso(y, month, 10);
      else if (part === '中旬') due = iso(y, month, 20);
      else if (part || !m[7]) due = monthEnd(y, month);
      else due = monthEnd(y, month - 1);
      return { dates: [{ due: due! }], recurrence: m[1] ? 'yearly' : null, ongoing: false };
    },
  },
  {
    // 年底前, 2022年底, 每年年底前, 每年底
    need: '年',
    re: /(每年?)?(\d{4})?年(?:底|末|终)(?:前|之前|以前)?/g,
    inContent: () => true,
    build: (m, year) => ({
      dates: [{ due: monthEnd(m[2] ? Number(m[2]) : year, 12)! }],
      recurrence: m[1] ? 'yearly' : null,
      ongoing: false,
    }),
  },
  {
    // 年内完成 / 2022年内: due at year end, but not year-round work.
    need: '内',
    re: /(?:(\d{4})年|本年度|本年|年度|年)内/g,
    build: (m, year) => ({ dates: [{ due: monthEnd(m[1] ? Number(m[1]) : year, 12)! }], recurrence: null, ongoing: false }),
  },
  {
    // 2024年 / 2024年度 / 2024年完成, the whole deadline: by the end of that year.
    need: '年',
    re: /^(\d{4})年度?(?:完成|内完成)?$/g,
    build: (m) => ({ dates: [{ due: monthEnd(Number(m[1]), 12)! }], recurrence: null, ongoing: false }),
  },
  {
    need: '全年',
    re: /全年/g,
    build: (_m, year) => ({ dates: [{ due: monthEnd(year, 12)! }], recurrence: null, ongoing: true }),
  },
  {
    // 及时 / 随时 written as the whole deadline: work done as it arises, due at year end and reminded.
    need: '时',
    re: /^(?:及时|随时|即时|实时)(?:完成|办理|更新|公开|发布|推进)?$/g,
    build: (_m, year) => ({ dates: [{ due: monthEnd(year, 12)! }], recurrence: null, ongoing: true }),
  },
  {
    need: /长期|持续|常态化|常年|动态|每[周日天]/,
    // 每周 / 每日: work that recurs all year round is reminded like ongoing work, due at year end.
    // 动态更新 / 动态调整: kept up to date all year.
    re: /长期推进|持续推进|长期坚持|长期开展|持续开展|常态化推进|常态化开展|常态化|常年|动态更新|动态调整|长期|持续|每周|每日|每天/g,
    build: (_m, year) => ({ dates: [{ due: monthEnd(year, 12)! }], recurrence: null, ongoing: true }),
  },
];

/** A character one of the patterns needs; text without any holds no date. */
const MAY_HOLD_A_DATE = /[每季年月内时长持常后动]|\d{4}[.\-/]\d/;

/**
 * False when the text cannot hold a date: reading it as a deadline would find none and say so (internal;
 * lets row fitting skip reading names and requirements that are plainly not dates).
 */
export function mayHoldDate(text: string): boolean {
  return MAY_HOLD_A_DATE.test(text);
}

/** Finds every date expression in a piece of text, leftmost first, longest on ties, never overlapping. */
function scanDates(text: string, year: number, contentOnly: boolean): { hits: DateHit[]; errors: string[] } {
  const candidates: DateHit[] = [];
  const errors: string[] = [];
  if (!MAY_HOLD_A_DATE.test(text)) return { hits: candidates, errors };
  for (const pattern of PATTERNS) {
    if (contentOnly && !pattern.inContent) continue;
    if (typeof pattern.need === 'string' ? !text.includes(pattern.need) : !pattern.need.test(text)) continue;
    pattern.re.lastIndex = 0;
    for (let m = pattern.re.exec(text); m; m = pattern.re.exec(text)) {
      if (m[0].length === 0) {
        pattern.re.lastIndex++;
        continue;
      }
      if (contentOnly && !pattern.inContent!(m)) continue;
      const built = pattern.build(m, year);
      if (typeof built === 'string') {
        errors.push(built);
        continue;
      }
      candidates.push({ start: m.index, end: m.index + m[0].length, phrase: m[0], ...built });
    }
  }
  candidates.sort((a, b) => a.start - b.start || b.end - a.end);
  const hits: DateHit[] = [];
  let reach = 0;
  for (const c of candidates) {
    if (c.start < reach) continue;
    hits.push(c);
    reach = c.end;
  }
  return { hits, errors };
}

function prepare(text: string): string {
  return arabicMonths(cleanCell(normalizeInput(text)));
}

/** What joins the two ends of a period: 至, 到, a dash or a tilde. */
const RANGE = /^\s*(?:至|到|—+|–|-|－|～|~)\s*$/;

/** Filler left when the date is cut out of a clause: modal verbs, 前, 完成, brackets. */
function describe(clause: string, hits: readonly DateHit[]): string {
  let rest = clause;
  for (const hit of [...hits].sort((a, b) => b.start - a.start)) {
    // 于 / 在 right before the date (…情况于每季度结束后10日内公开) belongs to the date, not to what is due.
    rest = rest.slice(0, hit.start).replace(/(?:应于|应在|须于|需于|要在|要于|于|在)$/, '') + rest.slice(hit.end);
  }
  return rest
    .replace(/[（(][^（）()]*[)）]/g, '')
    .replace(/^(?:应于|应在|应当|须于|需于|要在|要于|务必|必须|于|在|要|应|须|需|前|并)+/, '')
    .replace(/(?:应于|应在|应当|须于|需于|要在|要于|之前|以前)/g, '')
    .replace(/^(?:完成|前)+|(?:完成|前)+$/g, '')
    .replace(/[、，,。；;：:\s]+/g, (run, at: number, all: string) => (at === 0 || at + run.length === all.length ? '' : run))
    .trim();
}

const MAX_LABEL = 20;

function shorten(label: string): string {
  const chars = [...label];
  return chars.length <= MAX_LABEL ? label : `${chars.slice(0, MAX_LABEL - 1).join('')}…`;
}

/**
 * Reads a deadline column phrase (时间节点) into milestones (`source: 'deadline'`) for a plan year.
 *
 * - 全年 → 12-31, ongoing; 长期推进 / 持续推进 / 常态化 / 及时 (the whole phrase) → 12-31, ongoing; 年底前 / 年内 → 12-31
 * - X月底前 / X月底 / X月 → last day of month X; X月前 → before month X, so the last day of X−1
 * - 9月5日前 → 09-05; X月上旬/中旬 → the 10th / 20th
 * - 每年X月底前 → yearly recurrence; 每季度 / 按季度 / 季度末 → the four quarter ends; 每月 / 按月 → the twelve month ends
 * - 每季度结束后10日内 → ten days after each quarter end (04-10, 07-10, 10-10 and 01-10 of the next year);
 *   likewise 每月 / 每半年 / 年度结束后N日内, and N个工作日内 counted by the statutory calendar
 * - 常年 / 动态更新 / 随时 → 12-31, ongoing
 * - 上半年 → 06-30, 下半年 → 12-31; a written year (2021年8月…) is used as written
 * - several dates separated by ，；、 give several milestones
 *
 * A part with no readable date yields a diagnostic and no milestone.
 *
 * @example
 * parseDeadline('11 月底前', 2022).milestones
 * // [{ due: '2022-11-30', label: '11月底前', recurrence: null, source: 'deadline', ongoing: false }]
 * parseDeadline('按上级要求', 2022).diagnostics // ['cannot read a date in "按上级要求"']
 */
export function parseDeadline(phrase: string, year: number): DeadlineResult {
  const { milestones, diagnostics } = readDeadline(phrase, year);
  return { milestones: milestones.map(({ weakLabel: _weak, ...m }) => m), diagnostics };
}

/** {@link parseDeadline}, keeping whether each label is weak (internal to the importer). */
export function readDeadline(phrase: string, year: number): { milestones: DraftMilestone[]; diagnostics: string[] } {
  let text: string;
  try {
    text = prepare(String(phrase ?? ''));
  } catch {
    return { milestones: [], diagnostics: ['cannot read the deadline text'] };
  }
  return readCleanDeadline(text, year);
}

/**
 * Whether {@link readCleanDeadline} would read the text as dates and nothing else (some milestone, no
 * diagnostic), without building the milestones and their labels (internal: line shapes ask this of many
 * short lines that are not deadlines at all).
 */
export function isCleanDeadline(cleaned: string, year: number): boolean {
  if (!validYear(year) || !cleaned || !MAY_HOLD_A_DATE.test(cleaned)) return false;
  const segments = arabicMonths(cleaned)
    .split(/[，,；;。]+/)
    .map((s) => s.trim())
    .filter((s) => s && !/^[、\s]*$/.test(s));
  if (segments.length === 0) return false;
  for (const segment of segments) {
    const { hits, errors } = scanDates(segment, year, false);
    if (hits.length === 0 || errors.length > 0) return false;
  }
  return true;
}

/** {@link readDeadline} of text the importer has already normalised and cleaned (internal). */
export function readCleanDeadline(cleaned: string, year: number): { milestones: DraftMilestone[]; diagnostics: string[] } {
  const milestones: DraftMilestone[] = [];
  const diagnostics: string[] = [];
  const text = arabicMonths(cleaned);
  if (!validYear(year)) return { milestones, diagnostics: [`cannot date anything in year ${String(year)}`] };
  if (!text) return { milestones, diagnostics: ['the deadline is empty'] };
  const segments = text
    .split(/[，,；;。]+/)
    .map((s) => s.trim())
    .filter((s) => s && !/^[、\s]*$/.test(s));
  for (const segment of segments) {
    const scanned = scanDates(segment, year, false);
    const { errors } = scanned;
    // A period (6月至12月, 2024年3月—6月) is due when it ends: its start is no milestone.
    const hits = scanned.hits.length === 2 && RANGE.test(segment.slice(scanned.hits[0]!.end, scanned.hits[1]!.start)) ? [scanned.hits[1]!] : scanned.hits;
    diagnostics.push(...errors);
    if (hits.length === 0) {
      if (errors.length === 0) diagnostics.push(`cannot read a date in "${segment}"`);
      continue;
    }
    const description = describe(segment, hits);
    const descriptive = [...description].length >= 3;
    const several = segments.length > 1 || hits.length > 1;
    for (const hit of hits) {
      for (const date of hit.dates) {
        // A lone date keeps the phrase as written (11月底前); parts of a longer deadline say what is due.
        const label =
          date.label ?? (!several || (!descriptive && hits.length === 1) ? shorten(segment) : descriptive ? shorten(description) : hit.phrase);
        milestones.push({
          due: date.due,
          label,
          recurrence: hit.recurrence,
          source: 'deadline',
          ongoing: hit.ongoing,
          weakLabel: several && !descriptive && !date.label,
        });
      }
    }
  }
  return { milestones: dedupe(milestones), diagnostics };
}

function dedupe<T extends Milestone>(milestones: T[]): T[] {
  const seen = new Set<string>();
  return milestones.filter((m) => {
    const key = `${m.due}|${m.recurrence}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Finds deadlines written inside a task's content — "县司法局应于11月底前…", "年度抽查计划应于每年3月底前公布",
 * "年底前完成…" — as milestones with `source: 'content'` and a short label taken from the sentence.
 * Only unambiguous deadline wording counts (X月底前, X月X日前, 年底前, 每年X月底前); "从10月起" is a
 * start, not a deadline. Two sentences due the same day give one milestone.
 *
 * @example
 * findContentDeadlines('年度抽查计划(包含联合抽查计划)应于每年3月底前公布。', 2022)
 * // [{ due: '2022-03-31', label: '年度抽查计划公布', recurrence: 'yearly', source: 'content', ongoing: false }]
 */
export function findContentDeadlines(content: string, year: number): Milestone[] {
  let text: string;
  try {
    text = prepare(String(content ?? ''));
  } catch {
    return [];
  }
  return scanContent(text, year);
}

/** {@link findContentDeadlines} on content the importer has already cleaned. */
export function findCleanContentDeadlines(cleaned: string, year: number): Milestone[] {
  return scanContent(arabicMonths(cleaned), year);
}

function scanContent(text: string, year: number): Milestone[] {
  if (!validYear(year)) return [];
  const found: Milestone[] = [];
  for (const sentence of text.split(/[。；;！!？?]+/)) {
    if (!/[月年季]/.test(sentence)) continue;
    const clauses = sentence.split(/[，,]+/);
    for (const clause of clauses) {
      const { hits } = scanDates(clause, year, true);
      if (hits.length === 0) continue;
      const description = describe(clause, hits);
      for (const hit of hits) {
        for (const date of hit.dates) {
          found.push({
            due: date.due,
            label: [...description].length >= 2 ? shorten(description) : hit.phrase,
            recurrence: hit.recurrence,
            source: 'content',
            ongoing: false,
          });
        }
      }
    }
  }
  return dedupe(found);
}

/**
 * Merges content deadlines into the deadline column's milestones: a content deadline due the same day as
 * a column milestone is the same checkpoint — it may lend it a better label, and makes it yearly when
 * the content says 每年 — and the others are added after the column's own.
 */
export function mergeMilestones(column: readonly DraftMilestone[], content: readonly Milestone[]): Milestone[] {
  const merged: Milestone[] = column.map(({ weakLabel: _w, ...m }) => ({ ...m }));
  for (const extra of content) {
    const at = column.findIndex((m) => m.due === extra.due);
    if (at < 0) {
      if (!merged.some((m) => m.due === extra.due)) merged.push({ ...extra });
      continue;
    }
    const target = merged[at]!;
    if (column[at]!.weakLabel && extra.label) target.label = extra.label;
    if (extra.recurrence === 'yearly') target.recurrence = 'yearly';
  }
  return merged;
}
