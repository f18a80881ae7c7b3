import type { Adapter, Logger } from '@zwgk/bot';
import { createDingTalkAdapter } from '@zwgk/dingtalk';
import { createSlackAdapter } from '@zwgk/slack';
import type { Config } from '../config.js';

/** The chat platforms the configuration names (none when no credentials are set). */
export function platformAdapters(config: Config, options: { logger?: Logger; clock?: () => Date } = {}): Adapter[] {
  const adapters: Adapter[] = [];
  if (config.dingtalk) {
    adapters.push(
      createDingTalkAdapter({
        clientId: config.dingtalk.clientId,
        clientSecret: config.dingtalk.clientSecret,
        robotCode: config.dingtalk.robotCode,
        ...(config.dingtalk.apiBase ? { apiBase: config.dingtalk.apiBase } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
        ...(options.clock ? { clock: options.clock } : {}),
      }),
    );
  }
  if (config.slack) {
    adapters.push(
      createSlackAdapter({
        botToken: config.slack.botToken,
        appToken: config.slack.appToken,
        ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
        ...(options.clock ? { clock: options.clock } : {}),
      }),
    );
  }
  return adapters;
}
