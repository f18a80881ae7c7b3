// chinese-days is CommonJS without statically detectable named exports, so Node's ESM loader only offers
// its default export; the default import works from Node ESM, tsup's CJS build and bundlers alike.
import chineseDays from 'chinese-days';

/**
 * A working-day calendar for mainland China: statutory holidays and 调休 make-up workdays, with local
 * overrides. Every date is a `YYYY-MM-DD` string read as an Asia/Shanghai calendar day (convert instants
 * with `shanghaiDate` first). A malformed date or a non-integer count is a programmer error and
 * throws a `RangeError`. Build one with {@link createCalendar}.
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

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
const WEEKDAY_NAMES = new Set(['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']);

/** Days since 1970-01-01 of a validated `YYYY-MM-DD` date, or a RangeError naming the caller. */
function dayNumber(date: unknown, where: string): number {
  const match = typeof date === 'string' ? DATE_PATTERN.exec(date) : null;
  if (match) {
    const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const ms = Date.UTC(y, m - 1, d);
    const back = new Date(ms);
    if (back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d) return ms / DAY_MS;
  }
  throw new RangeError(`${where}: expected a real date written YYYY-MM-DD, got ${JSON.stringify(date)}`);
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 1 = Monday … 7 = Sunday. */
function isoWeekday(day: number): number {
  return ((new Date(day * DAY_MS).getUTCDay() + 6) % 7) + 1;
}

function integer(n: unknown, where: string, what = 'a whole number of working days'): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new RangeError(`${where}: expected ${what}, got ${String(n)}`);
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
  return new Set((dates ?? []).map((d) => dayNumber(d, `createCalendar: ${option}`)));
}

/**
 * Builds a working-day calendar on the statutory holiday calendar (`chinese-days`), adjusted by local
 * overrides. Years the bundled data does not cover (before 2004 or after 2026 in the installed
 * `chinese-days`; see {@link WorkingCalendar.coversYear}) fall back to Monday–Friday working weeks, so
 * their holidays must be supplied through `extraHolidays` / `extraWorkdays`.
 *
 * Throws a `RangeError` when an override is not a real `YYYY-MM-DD` date or appears in both lists.
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
  const extraHolidays = overrideSet(options.extraHolidays, 'extraHolidays');
  const extraWorkdays = overrideSet(options.extraWorkdays, 'extraWorkdays');
  for (const day of extraHolidays) {
    if (extraWorkdays.has(day)) {
      throw new RangeError(`createCalendar: ${dateOf(day)} is in both extraHolidays and extraWorkdays`);
    }
  }

  const cache = new Map<number, boolean>();
  const working = (day: number): boolean => {
    let answer = cache.get(day);
    if (answer === undefined) {
      if (extraHolidays.has(day)) answer = false;
      else if (extraWorkdays.has(day)) answer = true;
      else answer = statutory(dateOf(day)) ?? isoWeekday(day) <= 5;
      cache.set(day, answer);
    }
    return answer;
  };

  const step = (from: number, n: number): number => {
    let day = from;
    const dir = n > 0 ? 1 : -1;
    for (let left = Math.abs(n); left > 0; ) {
      day += dir;
      if (working(day)) left--;
    }
    return day;
  };

  const between = (from: number, to: number): number => {
    let count = 0;
    if (to >= from) {
      for (let day = from + 1; day <= to; day++) if (working(day)) count++;
      return count;
    }
    for (let day = to; day < from; day++) if (working(day)) count++;
    return -count;
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
      const year = new Date(thursday * DAY_MS).getUTCFullYear();
      const week = Math.floor((thursday - Date.UTC(year, 0, 1) / DAY_MS) / 7) + 1;
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
