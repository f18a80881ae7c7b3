import type { Store } from '@zwgk/bot';
import type { SharedRateLimiter } from '@zwgk/dingtalk';

/** Options of {@link storeRateLimiter}. */
export interface StoreRateLimiterOptions {
  /** Whose allowance: the chat app (its DingTalk Client ID), shared by every process of that app. */
  app: string;
  perGroupPerMinute: number;
  perAppPerSecond: number;
  clock?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A send-rate limiter kept in the store's `rate_buckets` table, so that every `zwgk start` (and
 * `zwgk digest`) process of one app on one PostgreSQL database together keeps the app's limits: the
 * same token buckets (burst = the rate, then the steady rate) as the adapter's in-process limiter, one
 * for the app and one per group.
 *
 * @example
 * const limiter = storeRateLimiter(store, { app: 'dingxxxx', perGroupPerMinute: 20, perAppPerSecond: 20 });
 * createDingTalkAdapter({ ...settings, rateLimiter: limiter });
 */
export function storeRateLimiter(store: Store, options: StoreRateLimiterOptions): SharedRateLimiter {
  const clock = options.clock ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const bucket = (perInterval: number, intervalMs: number) => {
    const interval = intervalMs / perInterval;
    return { intervalMs: interval, toleranceMs: Math.max(0, Math.floor(perInterval) - 1) * interval };
  };
  const app = { bucket: `dingtalk:app:${options.app}`, ...bucket(options.perAppPerSecond, 1000) };
  const group = bucket(options.perGroupPerMinute, 60_000);
  let booked = 0;
  return {
    async acquire(conversationId) {
      const now = clock();
      const wait = await store.rateBuckets.reserve([app, { bucket: `dingtalk:group:${options.app}:${conversationId}`, ...group }], now);
      // Groups whose allowance is full again are forgotten now and then, so the table stays as small as the active groups.
      if (++booked % 500 === 0) await store.rateBuckets.prune(new Date(now.getTime() - 60_000)).catch(() => 0);
      if (wait > 0) await sleep(wait);
    },
  };
}
