import type { Adapter } from '@zwgk/bot';
import type { Config } from '../config.js';

/** The chat platforms the configuration names (none when no credentials are set). */
export function platformAdapters(_config: Config): Adapter[] {
  return [];
}
