import type { Adapter, Logger, Store } from '@zwgk/bot';
import { createDingTalkAdapter } from '@zwgk/dingtalk';
import { createSlackAdapter } from '@zwgk/slack';
import type { Config } from '../config.js';
import { storeRateLimiter } from './shared-rate.js';

/**
 * The chat platforms the configuration names (none when no credentials are set). Each section is already
 * the adapter's own validated settings, passed on whole (rate limits, retries … included). With a
 * PostgreSQL `store`, DingTalk's rate limits are kept in the database, shared by every process of the app.
 */
export function platformAdapters(config: Config, options: { logger?: Logger; clock?: () => Date; store?: Store } = {}): Adapter[] {
  const injected = { ...(options.logger ? { logger: options.logger } : {}), ...(options.clock ? { clock: options.clock } : {}) };
  const adapters: Adapter[] = [];
  if (config.dingtalk) {
    const rate = config.dingtalk.rate;
    const shared =
      options.store?.dialect === 'postgres' && rate !== false
        ? storeRateLimiter(options.store, {
            app: config.dingtalk.clientId,
            perGroupPerMinute: rate.perGroupPerMinute,
            perAppPerSecond: rate.perAppPerSecond,
            ...(options.clock ? { clock: options.clock } : {}),
          })
        : undefined;
    adapters.push(createDingTalkAdapter({ ...config.dingtalk, ...injected, ...(shared ? { rateLimiter: shared } : {}) }));
  }
  if (config.slack) adapters.push(createSlackAdapter({ ...config.slack, ...injected }));
  return adapters;
}
