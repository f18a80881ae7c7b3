import { describe, expect, it } from 'vitest';
import { ZwgkError } from '../errors.js';
import { asOfOf, instantDate, instantMs, instantOf, instantProblem, shanghaiIso } from './instant.js';

describe('instantOf', () => {
  it('reads offsets, Z, Shanghai wall-clock times and bare dates', () => {
    const t = Date.UTC(2022, 10, 20, 2, 0, 0); // 10:00 in Shanghai
    expect(instantOf('2022-11-20T10:00:00+08:00', 'x')).toBe(t);
    expect(instantOf('2022-11-20T10:00:00+0800', 'x')).toBe(t);
    expect(instantOf('2022-11-19T21:00:00-05:00', 'x')).toBe(t);
    expect(instantOf('2022-11-20T02:00:00Z', 'x')).toBe(t);
    expect(instantOf('2022-11-20 10:00', 'x')).toBe(t);
    expect(instantOf('2022-11-20T10:00:00.250', 'x')).toBe(t + 250);
    expect(instantOf('2022-11-20', 'x')).toBe(Date.UTC(2022, 10, 19, 16, 0, 0));
    expect(instantOf(new Date(t), 'x')).toBe(t);
  });

  it('rejects impossible dates and times that Date.parse would roll over', () => {
    expect(() => instantOf('2022-02-30T10:00:00+08:00', 'here')).toThrow(/^here: expected/);
    expect(() => instantOf('2022-11-20T24:00:00+08:00', 'here')).toThrow(ZwgkError);
    expect(() => instantOf('20 Nov 2022', 'here')).toThrow(ZwgkError);
  });
});

describe('asOfOf', () => {
  it('lets a bare date cover its whole Shanghai day', () => {
    const r = asOfOf('2022-11-25', 'x');
    expect(r.date).toBe('2022-11-25');
    expect(r.cutoff).toBe(Date.UTC(2022, 10, 25, 15, 59, 59, 999));
  });

  it('cuts an instant at itself, dated in Shanghai', () => {
    const r = asOfOf('2022-11-30T16:30:00Z', 'x');
    expect(r).toEqual({ date: '2022-12-01', cutoff: Date.UTC(2022, 10, 30, 16, 30) });
  });
});

describe('shanghaiIso', () => {
  it('writes an instant on the Shanghai clock', () => {
    expect(shanghaiIso(Date.UTC(2022, 10, 30, 16, 30))).toBe('2022-12-01T00:30:00+08:00');
  });
});

describe('instantProblem', () => {
  it('accepts real times and names what is wrong with the others', () => {
    expect(instantProblem('2022-11-20T10:00:00+08:00')).toBeNull();
    expect(instantProblem('2022-11-20')).toBeNull();
    expect(instantProblem('2022-02-30T10:00:00+08:00')).toContain('not a real calendar date');
    expect(instantProblem('2022-11-20T25:00:00+08:00')).toContain('not a real time of day');
    expect(instantProblem('2022-11-20T10:00:00+15:00')).toContain('not a real UTC offset');
    expect(instantProblem('yesterday')).toContain('expected a time');
  });
});

describe('instantDate', () => {
  it('gives the Shanghai date of times written in any offset', () => {
    expect(instantDate('2022-11-30T23:30:00+08:00')).toBe('2022-11-30');
    expect(instantDate('2022-11-30T16:30:00Z')).toBe('2022-12-01');
    expect(instantDate('2022-11-30T10:30:00-05:00')).toBe('2022-11-30');
    expect(Number.isNaN(instantMs('nonsense'))).toBe(true);
  });
});
