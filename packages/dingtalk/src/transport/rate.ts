/** Send-rate limiting: one budget per group and one for the whole app. */
export interface RateLimiter {
  /**
   * Books the next send to `conversationId` and returns how long to wait before it, in ms (0 when it may
   * go now). Bookings are first come, first served: a burst is spread out, not refused.
   */
  reserve(conversationId: string): number;
  /** Books the next send and waits for its turn. */
  acquire(conversationId: string): Promise<void>;
}

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  perGroupPerMinute: number;
  perAppPerSecond: number;
  clock: () => Date;
  sleep: (ms: number) => Promise<void>;
}

interface Bucket {
  /** Theoretical arrival time of the next conforming send, epoch ms (GCRA). */
  tat: number;
}

/**
 * Token buckets as the generic cell rate algorithm: a bucket of `rate` tokens refilled continuously, so a
 * burst up to the bucket size goes out at once and the rest at the steady rate. A send waits for both its
 * group's bucket and the app's.
 *
 * @example
 * const limiter = createRateLimiter({ perGroupPerMinute: 20, perAppPerSecond: 20, clock: () => new Date(), sleep });
 * await limiter.acquire('cidXXXX'); // then send
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const groupInterval = 60_000 / options.perGroupPerMinute;
  const groupTolerance = Math.max(0, Math.floor(options.perGroupPerMinute) - 1) * groupInterval;
  const appInterval = 1000 / options.perAppPerSecond;
  const appTolerance = Math.max(0, Math.floor(options.perAppPerSecond) - 1) * appInterval;
  const app: Bucket = { tat: -Infinity };
  const groups = new Map<string, Bucket>();
  let booked = 0;

  function reserve(conversationId: string): number {
    const now = options.clock().getTime();
    let group = groups.get(conversationId);
    if (!group) {
      group = { tat: -Infinity };
      groups.set(conversationId, group);
    }
    const start = Math.max(now, group.tat - groupTolerance, app.tat - appTolerance);
    group.tat = Math.max(group.tat, start) + groupInterval;
    app.tat = Math.max(app.tat, start) + appInterval;
    // Forget groups whose bucket is full again, so the map stays as small as the active groups.
    if (++booked % 256 === 0) {
      for (const [id, bucket] of groups) if (bucket.tat <= now) groups.delete(id);
    }
    return start - now;
  }

  return {
    reserve,
    async acquire(conversationId) {
      const wait = reserve(conversationId);
      if (wait > 0) await options.sleep(wait);
    },
  };
}
