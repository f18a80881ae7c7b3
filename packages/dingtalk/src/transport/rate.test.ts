import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate.js';

function fakeClock(start = 1_000_000) {
  let now = start;
  return { clock: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe('createRateLimiter', () => {
  it('lets a group burst up to its per-minute budget, then spaces sends evenly', () => {
    const t = fakeClock();
    const limiter = createRateLimiter({ perGroupPerMinute: 20, perAppPerSecond: 1000, clock: t.clock, sleep: async () => {} });
    const waits = Array.from({ length: 22 }, () => limiter.reserve('cidA'));
    expect(waits.slice(0, 20)).toEqual(Array(20).fill(0));
    expect(waits.slice(20)).toEqual([3000, 6000]);
  });

  it('keeps groups apart but shares the app budget', () => {
    const t = fakeClock();
    const limiter = createRateLimiter({ perGroupPerMinute: 20, perAppPerSecond: 5, clock: t.clock, sleep: async () => {} });
    const waits = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((g) => limiter.reserve(g));
    expect(waits).toEqual([0, 0, 0, 0, 0, 200, 400]);
  });

  it('refills as time passes', () => {
    const t = fakeClock();
    const limiter = createRateLimiter({ perGroupPerMinute: 2, perAppPerSecond: 100, clock: t.clock, sleep: async () => {} });
    expect([limiter.reserve('g'), limiter.reserve('g'), limiter.reserve('g')]).toEqual([0, 0, 30_000]);
    t.advance(90_000);
    expect([limiter.reserve('g'), limiter.reserve('g'), limiter.reserve('g')]).toEqual([0, 0, 30_000]);
  });

  it('waits through the injected sleep', async () => {
    const t = fakeClock();
    const slept: number[] = [];
    const limiter = createRateLimiter({ perGroupPerMinute: 1, perAppPerSecond: 100, clock: t.clock, sleep: async (ms) => void slept.push(ms) });
    await limiter.acquire('g');
    await limiter.acquire('g');
    expect(slept).toEqual([60_000]);
  });
});
