import { describe, expect, it } from 'vitest';
import { ZwgkError } from '../errors.js';
import { addDays, endOfMonth, shanghaiDate, shanghaiInstant } from './shanghai.js';

describe('shanghaiDate', () => {
  it('moves an instant late in the UTC day into the next Shanghai day', () => {
    expect(shanghaiDate(new Date('2022-11-30T16:30:00Z'))).toBe('2022-12-01');
    expect(shanghaiDate('2022-11-30T15:59:59Z')).toBe('2022-11-30');
    expect(shanghaiDate('2022-11-20T10:00:00+08:00')).toBe('2022-11-20');
  });

  it('throws on an invalid instant', () => {
    expect(() => shanghaiDate('not a date')).toThrow(ZwgkError);
  });
});

describe('shanghaiInstant', () => {
  it('reads a wall-clock time in Shanghai', () => {
    expect(shanghaiInstant('2022-11-21', '09:00').toISOString()).toBe('2022-11-21T01:00:00.000Z');
  });
});

describe('endOfMonth and addDays', () => {
  it('know month lengths and leap years', () => {
    expect(endOfMonth(2022, 2)).toBe('2022-02-28');
    expect(endOfMonth(2024, 2)).toBe('2024-02-29');
    expect(endOfMonth(2022, 11)).toBe('2022-11-30');
    expect(addDays('2022-12-31', 1)).toBe('2023-01-01');
  });
});
