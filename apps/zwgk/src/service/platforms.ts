import type { Adapter, Logger } from '@zwgk/bot';
import { createDingTalkAdapter } from '@zwgk/dingtalk';
import { createSlackAdapter } from '@zwgk/slack';
import type { Config } from '../config.js';

/**
 * The chat platforms the configuration names (none when no credentials are set). Each section is already
 * the adapter's own validated settings, passed on whole (rate limits, retries … included).
 */
export function platformAdapters(config: Config, options: { logger?: Logger; clock?: () => Date } = {}): Adapter[] {
  const injected = { ...(options.logger ? { logger: options.logger } : {}), ...(options.clock ? { clock: options.clock } : {}) };
  const adapters: Adapter[] = [];
  if (config.dingtalk) adapters.push(createDingTalkAdapter({ ...config.dingtalk, ...injected }));
  if (config.slack) adapters.push(createSlackAdapter({ ...config.slack, ...injected }));
  return adapters;
}
