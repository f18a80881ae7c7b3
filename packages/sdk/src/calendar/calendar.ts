// chinese-days is CommonJS without statically detectable named exports, so Node's ESM loader only offers
// its default export; the default import works from Node ESM, tsup's CJS build and bundlers alike.
import chineseDays from 'chinese-days';
import { ZwgkError, checkOptionNames } from '../errors.js';

/**
 * A working-day calendar for mainland China: statutory holidays and 调休 make-up workdays, with local
 * overrides. Every date is a `YYYY-MM-DD` string read as an Asia/Shanghai calendar day (convert instants
 * with `shanghaiDate` first). A malformed date or a non-integer count is a programmer error and
 * throws a {@link ZwgkError} (`invalid_date`, `invalid_number`). Build one with {@link createCalendar}.
 */
export interface WorkingCalendar {
  /** True when people work that day: a weekday that is not a holiday, or a 调休 make-up Saturday/Sunday. */
  isWorkingDay(date: string): boolean;
  /**
   * The `n`-th working day after `date` (before it when `n` is negative); `date` itself when `n` is 0,
   * working day or not. Always `workingDaysBetween(date, addWorkingDays(date, n)) === n`.
   */
  addWorkingDays(date: string, n: number): string;
  /**
   * Working days from `from` to `to`: the count of working days after `from` up to and including `to`.
   * When `to` is before `from` the count is negative and covers the days stepped onto going back:
   * working days on or after `to` and before `from`. 0 when the dates are equal.
   *
   * @example
   * cal.workingDaysBetween('2022-09-30', '2022-10-08'); // 1 (Oct 1–7 are holidays, the 8th a make-up workday)
   * cal.workingDaysBetween('2022-10-08', '2022-09-30'); // -1
   */
  workingDaysBetween(from: string, to: string): number;
  /** The first working day strictly after `date`. */
  nextWorkingDay(date: string): string;
  /**
   * The first working day of the ISO week (Monday–Sunday) that contains `date`, or `null` when the whole
   * week is off (e.g. the Spring Festival week of 2022-01-31).
   *
   * A 调休 make-up Saturday or Sunday counts as a working day. Because ISO weeks start on Monday, a make-up
   * Sunday is the **last** day of its week: it is that week's first working day only when Monday to
   * Saturday are all off (it happened on 2024-02-18), and it never counts for the week that follows it.
   */
  firstWorkingDayOfWeek(date: string): string | null;
  /**
   * The ISO 8601 week id of `date`, e.g. `'2022-W47'`; the year is the ISO week-year, so 2022-01-01
   * (a Saturday) is `'2021-W52'`. The bot keys its weekly digest outbox by this id.
   */
  weekKey(date: string): string;
  /**
   * True when the statutory calendar of `year` is known (bundled with `chinese-days`: 2004–2026 in the
   * installed version). Other years fall back to Monday–Friday working weeks plus the overrides.
   */
  coversYear(year: number): boolean;
}

/** Local adjustments to the statutory calendar, e.g. a county-wide day off or an extra working Saturday. */
export interface CalendarOptions {
  /** Dates (`YYYY-MM-DD`) that are days off even if the statutory calendar says otherwise. */
  extraHolidays?: readonly string[];
  /** Dates (`YYYY-MM-DD`) that are working days even if the statutory calendar says otherwise. */
  extraWorkdays?: readonly string[];
}

const DAY_MS = 86_400_000;
const WEEKDAY_NAMES = new Set(['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']);
const CUMULATIVE_DAYS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days since 1970-01-01 of 1 January of `year` (proleptic Gregorian). */
function yearStart(year: number): number {
  const y = year - 1;
  return 365 * (year - 1970) + (Math.floor(y / 4) - 492) - (Math.floor(y / 100) - 19) + (Math.floor(y / 400) - 4);
}

function digit(text: string, at: number): number {
  const c = text.charCodeAt(at) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` date, read without a regular expression or a `Date` (this is
 * the calendar's hot path), or a ZwgkError naming the caller.
 */
function dayNumber(date: unknown, where: string): number {
  if (typeof date === 'string' && date.length === 10 && date.charCodeAt(4) === 45 && date.charCodeAt(7) === 45) {
    const d = [0, 1, 2, 3, 5, 6, 8, 9].map((i) => digit(date, i));
    if (d.every((x) => x >= 0)) {
      const y = d[0]! * 1000 + d[1]! * 100 + d[2]! * 10 + d[3]!;
      const m = d[4]! * 10 + d[5]!;
      const day = d[6]! * 10 + d[7]!;
      if (m >= 1 && m <= 12 && day >= 1) {
        const length = m === 2 ? (isLeap(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
        if (day <= length) return yearStart(y) + CUMULATIVE_DAYS[m - 1]! + (m > 2 && isLeap(y) ? 1 : 0) + day - 1;
      }
    }
  }
  throw new ZwgkError('invalid_date', where, `expected a real date written YYYY-MM-DD, got ${JSON.stringify(date)}`);
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar year a day number falls in. */
function yearOf(day: number): number {
  let year = 1970 + Math.floor(day / 365.2425);
  while (yearStart(year) > day) year--;
  while (yearStart(year + 1) <= day) year++;
  return year;
}

/** 1 = Monday … 7 = Sunday. */
function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

function integer(n: unknown, where: string, what = 'a whole number of working days'): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new ZwgkError('invalid_number', where, `expected ${what}, got ${String(n)}`);
  }
  return n;
}

/**
 * The statutory answer for a day, or `null` when chinese-days has nothing special for it.
 *
 * chinese-days computes weekdays in the process's local time zone, which is wrong west of UTC; its
 * holiday/workday tables are keyed consistently with its own lookups, though. So only its special-day
 * entries are trusted (an ordinary day comes back named after its weekday) and the weekday rule is
 * applied here in UTC.
 */
function statutory(date: string): boolean | null {
  const detail = chineseDays.getDayDetail(date);
  return WEEKDAY_NAMES.has(detail.name) ? null : detail.work;
}

function overrideSet(dates: readonly string[] | undefined, option: string): Set<number> {
  if (dates !== undefined && !Array.isArray(dates)) {
    throw new ZwgkError('invalid_option', `createCalendar (${option})`, `expected a list of YYYY-MM-DD dates, got ${JSON.stringify(dates)}`);
  }
  return new Set((dates ?? []).map((d) => dayNumber(d, `createCalendar (${option})`)));
}

/**
 * One year of the calendar: `count[i]` is the number of working days among the year's first `i` days, so
 * any count of working days inside the year is one subtraction.
 */
interface YearIndex {
  start: number;
  count: Uint16Array;
  total: number;
}

/**
 * Builds a working-day calendar on the statutory holiday calendar (`chinese-days`), adjusted by local
 * overrides. Years the bundled data does not cover (before 2004 or after 2026 in the installed
 * `chinese-days`; see {@link WorkingCalendar.coversYear}) fall back to Monday–Friday working weeks, so
 * their holidays must be supplied through `extraHolidays` / `extraWorkdays`.
 *
 * Each year is indexed once, on first use (a prefix sum of its working days), so `isWorkingDay` and
 * `workingDaysBetween` take constant time and `addWorkingDays` a binary search within a year.
 *
 * Throws a {@link ZwgkError} (`invalid_date`) when an override is not a real `YYYY-MM-DD` date,
 * (`invalid_option`) when one appears in both lists, and (`unknown_option`) for an option it does not take.
 *
 * @param options - `extraHolidays` and `extraWorkdays` (default: none)
 * @example
 * const cal = createCalendar();
 * cal.isWorkingDay('2022-10-08');          // true  (国庆 调休 Saturday)
 * cal.addWorkingDays('2022-09-30', 1);     // '2022-10-08'
 * cal.firstWorkingDayOfWeek('2022-10-05'); // '2022-10-08'
 * cal.weekKey('2022-11-21');               // '2022-W47'
 *
 * const local = createCalendar({ extraHolidays: ['2022-11-21'] });
 * local.isWorkingDay('2022-11-21');        // false
 */
export function createCalendar(options: CalendarOptions = {}): WorkingCalendar {
  if (options === null || typeof options !== 'object') {
    throw new ZwgkError('invalid_option', 'createCalendar', `expected options { extraHolidays?, extraWorkdays? }, got ${String(options)}`);
  }
  checkOptionNames(options, ['extraHolidays', 'extraWorkdays'], 'createCalendar');
  const extraHolidays = overrideSet(options.extraHolidays, 'extraHolidays');
  const extraWorkdays = overrideSet(options.extraWorkdays, 'extraWorkdays');
  for (const day of extraHolidays) {
    if (extraWorkdays.has(day)) {
      throw new ZwgkError('invalid_option', 'createCalendar', `${dateOf(day)} is in both extraHolidays and extraWorkdays`);
    }
  }

  const years = new Map<number, YearIndex>();
  const indexOf = (year: number): YearIndex => {
    let index = years.get(year);
    if (!index) {
      const start = yearStart(year);
      const length = yearStart(year + 1) - start;
      const count = new Uint16Array(length + 1);
      for (let i = 0; i < length; i++) {
        const day = start + i;
        const working = extraHolidays.has(day)
          ? false
          : extraWorkdays.has(day) || (statutory(dateOf(day)) ?? isoWeekday(day) <= 5);
        count[i + 1] = count[i]! + (working ? 1 : 0);
      }
      index = { start, count, total: count[length]! };
      years.set(year, index);
    }
    return index;
  };

  /** Working days from 1 January of `base` up to and including `day` (`day` in `base` or later). */
  const countThrough = (day: number, base: number): number => {
    let year = yearOf(day);
    const own = indexOf(year);
    let n = own.count[day - own.start + 1]!;
    while (year > base) n += indexOf(--year).total;
    return n;
  };

  const working = (day: number): boolean => {
    const index = indexOf(yearOf(day));
    const i = day - index.start;
    return index.count[i + 1] !== index.count[i];
  };

  /** The first day of `year` or later on which the count from 1 January of `year` reaches `k` (k ≥ 1). */
  const dayWithCount = (year: number, k: number): number => {
    let index = indexOf(year);
    while (k > index.total) {
      k -= index.total;
      index = indexOf(++year);
    }
    let lo = 1;
    let hi = index.count.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (index.count[mid]! >= k) hi = mid;
      else lo = mid + 1;
    }
    return index.start + lo - 1;
  };

  const step = (from: number, n: number): number => {
    if (n === 0) return from;
    let year = yearOf(from);
    // the count through `from` (n > 0) or through the day before it (n < 0) is the starting point
    let k = countThrough(from, year) - (n < 0 && working(from) ? 1 : 0) + n + (n < 0 ? 1 : 0);
    while (k < 1) k += indexOf(--year).total;
    return dayWithCount(year, k);
  };

  const between = (from: number, to: number): number => {
    if (to >= from) return countThrough(to, yearOf(from)) - countThrough(from, yearOf(from));
    const base = yearOf(to);
    return -(countThrough(from, base) - (working(from) ? 1 : 0) - (countThrough(to, base) - (working(to) ? 1 : 0)));
  };

  return {
    isWorkingDay: (date) => working(dayNumber(date, 'isWorkingDay')),
    addWorkingDays: (date, n) =>
      dateOf(step(dayNumber(date, 'addWorkingDays'), integer(n, 'addWorkingDays'))),
    workingDaysBetween: (from, to) =>
      between(dayNumber(from, 'workingDaysBetween (from)'), dayNumber(to, 'workingDaysBetween (to)')),
    nextWorkingDay: (date) => dateOf(step(dayNumber(date, 'nextWorkingDay'), 1)),
    firstWorkingDayOfWeek: (date) => {
      const day = dayNumber(date, 'firstWorkingDayOfWeek');
      const monday = day - (isoWeekday(day) - 1);
      for (let d = monday; d < monday + 7; d++) if (working(d)) return dateOf(d);
      return null;
    },
    weekKey: (date) => {
      const day = dayNumber(date, 'weekKey');
      // The ISO week belongs to the year that holds its Thursday.
      const thursday = day + (4 - isoWeekday(day));
      const year = yearOf(thursday);
      const week = Math.floor((thursday - yearStart(year)) / 7) + 1;
      return `${year}-W${String(week).padStart(2, '0')}`;
    },
    coversYear: (year) => {
      integer(year, 'coversYear', 'a year');
      // New Year's Day is a statutory holiday in every year the data covers.
      return year >= 1000 && year <= 9999 && statutory(`${year}-01-01`) !== null;
    },
  };
}

let shared: WorkingCalendar | undefined;

/**
 * The statutory calendar without overrides (`createCalendar()`), built once and shared; what the status
 * functions use when no `calendar` is passed.
 */
export function defaultCalendar(): WorkingCalendar {
  shared ??= createCalendar();
  return shared;
}
