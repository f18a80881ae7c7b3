import { z } from 'zod';

/** A host name of the allow-list: `www.qinyuan.gov.cn`, `*.qinyuan.gov.cn` (the domain and its subdomains), `127.0.0.1`. */
const HostPattern = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?:\*\.)?[a-z0-9\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff.-]*[a-z0-9\u00a1-\uffff])?$|^\[[0-9a-f:.]+\]$/u, 'expected a host name such as www.qinyuan.gov.cn or *.qinyuan.gov.cn (no scheme, path or port)');

/**
 * Evidence-link checks (docs/bot.md): the only place their defaults are stated. With an empty
 * `allowedHosts` (the default) no link is ever fetched: each is recorded `not_checked` (a link that is not
 * http/https is still flagged). A link whose host is outside the list is flagged without being fetched.
 */
export const evidenceOptionsSchema = z
  .object({
    allowedHosts: z
      .array(HostPattern)
      .default([])
      .describe('The county’s sites whose pages may be fetched to check evidence links: host names, *.domain for a domain and its subdomains; empty: nothing is fetched'),
    timeoutMs: z.number().int().min(100).max(60_000).default(5_000).describe('Give up on a link after this many ms (all redirects included)'),
    maxBytes: z.number().int().min(1_024).max(10_000_000).default(262_144).describe('Read at most this many bytes of a page (enough for its <title>)'),
    maxRedirects: z.number().int().min(0).max(10).default(3).describe('Follow at most this many redirects, each target re-checked against allowedHosts'),
    concurrency: z.number().int().min(1).max(16).default(2).describe('Links checked at the same time'),
    staleClaimMs: z.number().int().min(1_000).default(5 * 60_000).describe('A check claimed this long ago by a process that died is taken over, in ms'),
  })
  .strict();

/** Evidence-check settings as given (see {@link evidenceOptionsSchema} for the defaults). */
export type EvidenceOptions = z.input<typeof evidenceOptionsSchema>;
/** Evidence-check settings with every default filled in. */
export type EvidenceSettings = z.output<typeof evidenceOptionsSchema>;
