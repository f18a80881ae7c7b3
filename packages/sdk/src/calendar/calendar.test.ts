import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import official from 'chinese-days/dist/chinese-days.json';
import { isZwgkError, ZwgkError } from '../errors.js';
import { createCalendar, defaultCalendar } from './calendar.js';

const cal = createCalendar();

/** Every date from `from` to `to` inclusive. */
function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

describe('createCalendar', () => {
  describe('isWorkingDay', () => {
    it('follows National Day 2022 with its 调休 weekend', () => {
      for (const d of days('2022-10-01', '2022-10-07')) expect(cal.isWorkingDay(d), d).toBe(false);
      expect(cal.isWorkingDay('2022-10-08')).toBe(true); // Saturday make-up workday
      expect(cal.isWorkingDay('2022-10-09')).toBe(true); // Sunday make-up workday
      expect(cal.isWorkingDay('2022-09-30')).toBe(true);
      expect(cal.isWorkingDay('2022-10-10')).toBe(true);
    });

    it('follows Spring Festival 2022 with its 调休 weekend', () => {
      for (const d of days('2022-01-31', '2022-02-06')) expect(cal.isWorkingDay(d), d).toBe(false);
      expect(cal.isWorkingDay('2022-01-29')).toBe(true); // Saturday
      expect(cal.isWorkingDay('2022-01-30')).toBe(true); // Sunday
      expect(cal.isWorkingDay('2022-02-07')).toBe(true);
    });

    it('follows Labour Day 2022 with its 调休 Sunday and Saturday', () => {
      for (const d of days('2022-04-30', '2022-05-04')) expect(cal.isWorkingDay(d), d).toBe(false);
      expect(cal.isWorkingDay('2022-04-24')).toBe(true); // Sunday
      expect(cal.isWorkingDay('2022-05-07')).toBe(true); // Saturday
      expect(cal.isWorkingDay('2022-05-05')).toBe(true);
    });

    it('treats ordinary weekends as days off and weekdays as working days', () => {
      expect(cal.isWorkingDay('2022-11-19')).toBe(false); // Saturday
      expect(cal.isWorkingDay('2022-11-20')).toBe(false); // Sunday
      expect(cal.isWorkingDay('2022-11-21')).toBe(true); // Monday
    });

    it('agrees with the chinese-days data on every day of the covered years', () => {
      const holidays = official.holidays as Record<string, string>;
      const workdays = official.workdays as Record<string, string>;
      const wrong: string[] = [];
      for (const d of days('2004-01-01', '2026-12-31')) {
        const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
        const expected = d in workdays ? true : d in holidays ? false : weekday >= 1 && weekday <= 5;
        if (cal.isWorkingDay(d) !== expected) wrong.push(d);
      }
      expect(wrong).toEqual([]);
    });
  });

  describe('addWorkingDays', () => {
    it('jumps over the National Day holidays onto the make-up Saturday', () => {
      expect(cal.addWorkingDays('2022-09-30', 1)).toBe('2022-10-08');
      expect(cal.addWorkingDays('2022-09-30', 3)).toBe('2022-10-10');
      expect(cal.addWorkingDays('2022-10-03', 1)).toBe('2022-10-08');
    });

    it('goes backwards for a negative count', () => {
      expect(cal.addWorkingDays('2022-10-08', -1)).toBe('2022-09-30');
      expect(cal.addWorkingDays('2022-10-10', -2)).toBe('2022-10-08');
    });

    it('returns the date itself for zero, even on a holiday', () => {
      expect(cal.addWorkingDays('2022-10-01', 0)).toBe('2022-10-01');
    });

    it('crosses a year boundary through the 2023 New Year holiday', () => {
      // 2022-12-31 (Sat), 2023-01-01 (Sun) and 2023-01-02 (Mon, 元旦 observed) are all off.
      expect(cal.addWorkingDays('2022-12-30', 1)).toBe('2023-01-03');
      expect(cal.addWorkingDays('2023-01-03', -1)).toBe('2022-12-30');
    });

    it('rejects a fractional count', () => {
      expect(() => cal.addWorkingDays('2022-10-08', 1.5)).toThrow(ZwgkError);
      expect(() => cal.addWorkingDays('2022-10-08', 1.5)).toThrow('addWorkingDays: expected a whole number of working days, got 1.5');
    });
  });

  describe('workingDaysBetween', () => {
    it('counts working days after from up to and including to', () => {
      // 09-29 Thu, 09-30 Fri, 10-08 Sat, 10-09 Sun, 10-10 Mon
      expect(cal.workingDaysBetween('2022-09-28', '2022-10-10')).toBe(5);
      expect(cal.workingDaysBetween('2022-10-07', '2022-10-10')).toBe(3);
      expect(cal.workingDaysBetween('2022-11-21', '2022-11-21')).toBe(0);
    });

    it('is negative going back, counting the working days stepped onto', () => {
      // Stepping back from 10-10 lands on 10-09 and 10-08; 10-07 is a holiday.
      expect(cal.workingDaysBetween('2022-10-10', '2022-10-07')).toBe(-2);
      expect(cal.workingDaysBetween('2022-10-10', '2022-09-28')).toBe(-5);
    });

    it('counts across a year boundary', () => {
      expect(cal.workingDaysBetween('2022-12-30', '2023-01-03')).toBe(1);
      expect(cal.workingDaysBetween('2021-12-31', '2022-01-04')).toBe(1); // 2022-01-01..03 off
    });

    it('inverts addWorkingDays for any date and count', () => {
      const date = fc
        .integer({ min: Date.UTC(2003, 0, 1), max: Date.UTC(2027, 11, 31) })
        .map((t) => new Date(Math.floor(t / 86_400_000) * 86_400_000).toISOString().slice(0, 10));
      fc.assert(
        fc.property(date, fc.integer({ min: -40, max: 40 }), (d, n) => {
          const there = cal.addWorkingDays(d, n);
          expect(cal.workingDaysBetween(d, there)).toBe(n);
          if (n !== 0) expect(cal.isWorkingDay(there)).toBe(true);
        }),
      );
    });

    it('matches a day-by-day count of working days', () => {
      const date = fc
        .integer({ min: Date.UTC(2021, 0, 1), max: Date.UTC(2023, 11, 31) })
        .map((t) => new Date(Math.floor(t / 86_400_000) * 86_400_000).toISOString().slice(0, 10));
      fc.assert(
        fc.property(date, date, (a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const count = days(lo, hi).slice(1).filter((d) => cal.isWorkingDay(d)).length;
          expect(cal.workingDaysBetween(lo, hi)).toBe(count);
        }),
        { numRuns: 50 },
      );
    });
  });

  describe('against a day-by-day reference', () => {
    // The slow reference: walk day by day asking isWorkingDay, as the calendar did before its year index.
    const walkBetween = (c: ReturnType<typeof createCalendar>, from: string, to: string): number => {
      if (to >= from) return days(from, to).slice(1).filter((d) => c.isWorkingDay(d)).length;
      return -days(to, from).slice(0, -1).filter((d) => c.isWorkingDay(d)).length;
    };
    const walkAdd = (c: ReturnType<typeof createCalendar>, from: string, n: number): string => {
      let t = Date.parse(`${from}T00:00:00Z`);
      for (let left = Math.abs(n); left > 0; ) {
        t += Math.sign(n) * 86_400_000;
        if (c.isWorkingDay(new Date(t).toISOString().slice(0, 10))) left--;
      }
      return new Date(t).toISOString().slice(0, 10);
    };
    const date = fc
      .integer({ min: Date.UTC(2002, 0, 1), max: Date.UTC(2028, 11, 31) })
      .map((t) => new Date(Math.floor(t / 86_400_000) * 86_400_000).toISOString().slice(0, 10));
    const overrides = fc.uniqueArray(date, { maxLength: 6 }).map((list) => ({
      extraHolidays: list.filter((_, i) => i % 2 === 0),
      extraWorkdays: list.filter((_, i) => i % 2 === 1),
    }));

    it('counts working days between any two dates as the walk does, overrides and year ends included', () => {
      fc.assert(
        fc.property(overrides, date, fc.integer({ min: -800, max: 800 }), (options, a, span) => {
          const c = createCalendar(options);
          const b = new Date(Date.parse(`${a}T00:00:00Z`) + span * 86_400_000).toISOString().slice(0, 10);
          expect(c.workingDaysBetween(a, b)).toBe(walkBetween(c, a, b));
        }),
        { numRuns: 150 },
      );
    });

    it('adds working days as the walk does, backwards and across years', () => {
      fc.assert(
        fc.property(overrides, date, fc.integer({ min: -400, max: 400 }), (options, d, n) => {
          const c = createCalendar(options);
          expect(c.addWorkingDays(d, n)).toBe(walkAdd(c, d, n));
        }),
        { numRuns: 150 },
      );
    });

    it('reads dates as Date does, leap days included', () => {
      fc.assert(
        fc.property(fc.integer({ min: Date.UTC(1600, 0, 1), max: Date.UTC(2400, 11, 31) }), (t) => {
          const day = Math.floor(t / 86_400_000) * 86_400_000;
          const d = new Date(day).toISOString().slice(0, 10);
          fc.pre(!cal.coversYear(Number(d.slice(0, 4))));
          const weekday = new Date(day).getUTCDay();
          expect(cal.isWorkingDay(d)).toBe(weekday >= 1 && weekday <= 5);
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('nextWorkingDay', () => {
    it('is the first working day strictly after the date', () => {
      expect(cal.nextWorkingDay('2022-11-21')).toBe('2022-11-22');
      expect(cal.nextWorkingDay('2022-11-18')).toBe('2022-11-21');
      expect(cal.nextWorkingDay('2022-01-28')).toBe('2022-01-29'); // make-up Saturday
      expect(cal.nextWorkingDay('2022-01-30')).toBe('2022-02-07'); // over Spring Festival
    });
  });

  describe('firstWorkingDayOfWeek', () => {
    it('is the Monday of an ordinary week', () => {
      expect(cal.firstWorkingDayOfWeek('2022-11-24')).toBe('2022-11-21');
      expect(cal.firstWorkingDayOfWeek('2022-11-20')).toBe('2022-11-14'); // Sunday belongs to the week before
    });

    it('skips holidays at the start of the week', () => {
      expect(cal.firstWorkingDayOfWeek('2022-05-06')).toBe('2022-05-05'); // Mon–Wed Labour Day
      expect(cal.firstWorkingDayOfWeek('2022-04-06')).toBe('2022-04-06'); // Mon–Tue 清明
    });

    it('falls on the make-up Saturday when Monday to Friday are National Day holidays', () => {
      for (const d of days('2022-10-03', '2022-10-09')) expect(cal.firstWorkingDayOfWeek(d), d).toBe('2022-10-08');
    });

    it('can be a make-up Sunday, the last day of an ISO week', () => {
      // Spring Festival 2024: 02-10..02-17 off, Sunday 02-18 worked.
      expect(cal.firstWorkingDayOfWeek('2024-02-12')).toBe('2024-02-18');
    });

    it('does not let a make-up Sunday start the following week', () => {
      // Sunday 2022-04-24 was worked; it ends the week of 04-18 and the next week starts on Monday 04-25.
      expect(cal.firstWorkingDayOfWeek('2022-04-24')).toBe('2022-04-18');
      expect(cal.firstWorkingDayOfWeek('2022-04-25')).toBe('2022-04-25');
    });

    it('is null for a week with no working day', () => {
      expect(cal.firstWorkingDayOfWeek('2022-02-02')).toBeNull(); // Spring Festival 2022, Mon 01-31..Sun 02-06
    });
  });

  describe('weekKey', () => {
    it('names ISO weeks by their week-year', () => {
      expect(cal.weekKey('2022-11-21')).toBe('2022-W47');
      expect(cal.weekKey('2022-11-27')).toBe('2022-W47');
      expect(cal.weekKey('2022-11-28')).toBe('2022-W48');
      expect(cal.weekKey('2022-01-01')).toBe('2021-W52');
      expect(cal.weekKey('2022-01-03')).toBe('2022-W01');
      expect(cal.weekKey('2023-01-01')).toBe('2022-W52');
      expect(cal.weekKey('2020-12-31')).toBe('2020-W53');
      expect(cal.weekKey('2021-01-03')).toBe('2020-W53');
      expect(cal.weekKey('2024-12-30')).toBe('2025-W01');
    });
  });

  describe('overrides', () => {
    it('turns a statutory working day off with extraHolidays', () => {
      const local = createCalendar({ extraHolidays: ['2022-11-21', '2022-10-08'] });
      expect(local.isWorkingDay('2022-11-21')).toBe(false);
      expect(local.firstWorkingDayOfWeek('2022-11-23')).toBe('2022-11-22');
      expect(local.isWorkingDay('2022-10-08')).toBe(false);
      expect(local.firstWorkingDayOfWeek('2022-10-05')).toBe('2022-10-09');
      expect(cal.isWorkingDay('2022-11-21')).toBe(true); // other calendars are untouched
    });

    it('turns a holiday or weekend into a working day with extraWorkdays', () => {
      const local = createCalendar({ extraWorkdays: ['2022-10-03', '2022-11-19'] });
      expect(local.isWorkingDay('2022-10-03')).toBe(true);
      expect(local.firstWorkingDayOfWeek('2022-10-07')).toBe('2022-10-03');
      expect(local.workingDaysBetween('2022-11-18', '2022-11-21')).toBe(2);
    });

    it('rejects a date listed both ways, or a malformed one', () => {
      expect(() => createCalendar({ extraHolidays: ['2022-10-08'], extraWorkdays: ['2022-10-08'] })).toThrow(
        /both extraHolidays and extraWorkdays/,
      );
      expect(() => createCalendar({ extraHolidays: ['2022-13-01'] })).toThrow(
        'createCalendar (extraHolidays): expected a real date written YYYY-MM-DD, got "2022-13-01"',
      );
    });

    it('refuses an option it does not take instead of ignoring it', () => {
      expect(() => createCalendar({ extraHoliday: ['2022-11-21'] } as never)).toThrow(
        'createCalendar: unknown option "extraHoliday"; known options: extraHolidays, extraWorkdays',
      );
    });
  });

  describe('years outside the statutory data', () => {
    it('reports which years it covers', () => {
      expect(cal.coversYear(2022)).toBe(true);
      expect(cal.coversYear(2004)).toBe(true);
      expect(cal.coversYear(2003)).toBe(false);
      expect(cal.coversYear(2099)).toBe(false);
    });

    it('falls back to Monday–Friday working weeks', () => {
      expect(cal.isWorkingDay('2099-01-01')).toBe(true); // a Thursday, unknown holidays
      expect(cal.isWorkingDay('2099-01-03')).toBe(false); // Saturday
      expect(cal.workingDaysBetween('2099-01-02', '2099-01-09')).toBe(5);
      expect(createCalendar({ extraHolidays: ['2099-01-01'] }).isWorkingDay('2099-01-01')).toBe(false);
    });
  });

  describe('date validation', () => {
    it('throws a ZwgkError naming the function for a malformed date', () => {
      expect(() => cal.isWorkingDay('2022-2-3')).toThrow(/isWorkingDay: expected a real date written YYYY-MM-DD/);
      expect(() => cal.isWorkingDay('2022-02-30')).toThrow(ZwgkError);
      expect(() => cal.isWorkingDay('2024-02-29')).not.toThrow();
      expect(() => cal.isWorkingDay('2100-02-29')).toThrow(ZwgkError);
      try {
        cal.isWorkingDay('2022-02-30');
      } catch (error) {
        expect(isZwgkError(error, 'invalid_date')).toBe(true);
      }
      expect(() => cal.weekKey('20221121')).toThrow(/weekKey/);
      expect(() => cal.workingDaysBetween('2022-11-21', 'tomorrow')).toThrow(/workingDaysBetween \(to\)/);
      expect(() => cal.nextWorkingDay(new Date() as unknown as string)).toThrow(ZwgkError);
      expect(() => cal.firstWorkingDayOfWeek('')).toThrow(ZwgkError);
    });
  });

  it('gives the same answers in a process west of UTC', () => {
    // chinese-days reads weekdays in local time; this guards the work-around in a real New York process.
    const script = `
      import { createCalendar } from ${JSON.stringify(fileURLToPath(new URL('./calendar.ts', import.meta.url)))};
      const c = createCalendar();
      const dates = ['2022-10-07', '2022-10-08', '2022-10-09', '2022-10-10', '2022-11-19', '2022-11-21', '2022-01-31', '2022-04-24'];
      console.log(JSON.stringify({ offset: new Date(2022, 10, 21).getTimezoneOffset(), working: dates.map((d) => c.isWorkingDay(d)), first: c.firstWorkingDayOfWeek('2022-10-05'), key: c.weekKey('2022-11-21') }));
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, TZ: 'America/New_York' },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      offset: 300,
      working: [false, true, true, true, false, true, false, true],
      first: '2022-10-08',
      key: '2022-W47',
    });
  });
});

describe('defaultCalendar', () => {
  it('is one shared statutory calendar without overrides', () => {
    expect(defaultCalendar()).toBe(defaultCalendar());
    expect(defaultCalendar().isWorkingDay('2022-10-08')).toBe(true);
    expect(defaultCalendar().isWorkingDay('2022-10-07')).toBe(false);
  });
});
