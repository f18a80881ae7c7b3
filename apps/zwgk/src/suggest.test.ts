import { describe, expect, it } from 'vitest';
import { closest, editDistance } from './suggest.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swapped neighbours as one', () => {
    expect(editDistance('polcy', 'policy')).toBe(1);
    expect(editDistance('plicy', 'policy')).toBe(1);
    expect(editDistance('poilcy', 'policy')).toBe(1);
    expect(editDistance('abc', 'xyz')).toBe(3);
  });
});

describe('closest', () => {
  it('suggests a near name, one without dashes, or the full form of a shortening', () => {
    expect(closest('asof', ['as-of', 'unit', 'horizon'])).toBe('as-of');
    expect(closest('horizn', ['as-of', 'unit', 'horizon'])).toBe('horizon');
    expect(closest('horizon', ['enabled', 'horizonDays'])).toBe('horizonDays');
    expect(closest('polcy', ['plan', 'policy', 'groups'])).toBe('policy');
  });

  it('suggests nothing for an unrelated word', () => {
    expect(closest('verbose', ['as-of', 'unit', 'horizon'])).toBeUndefined();
    expect(closest('x', ['as', 'at'])).toBeUndefined();
  });
});
