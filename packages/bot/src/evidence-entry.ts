/**
 * `@zwgk/bot/evidence` — checking evidence links (佐证链接) without the engine or the store: the settings'
 * schema (composed into the app's configuration), the allow-list match and the check of one link.
 *
 * @example
 * import { checkLink, evidenceOptionsSchema } from '@zwgk/bot/evidence';
 *
 * const settings = evidenceOptionsSchema.parse({ allowedHosts: ['*.qinyuan.gov.cn'] });
 * await checkLink('https://www.qinyuan.gov.cn/zwgk/1.html', settings); // { result: 'ok', httpStatus: 200, title: '…' }
 * await checkLink('https://example.com/a', settings); // { result: 'host_not_allowed', detail: 'example.com' } — not fetched
 *
 * @packageDocumentation
 */

export { checkLink, hostAllowed, pageTitle } from './evidence/check-link.js';
export { evidenceOptionsSchema } from './evidence/options.js';
export type { EvidenceOptions, EvidenceSettings } from './evidence/options.js';
export type { EvidenceCheckOutcome } from './store/repositories/evidence-checks.js';
