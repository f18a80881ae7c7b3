import type { EvidenceCheckOutcome } from '../store/repositories/evidence-checks.js';
import type { EvidenceSettings } from './options.js';

/**
 * True when `host` is on the allow-list: equal to an entry, or, for an entry `*.example.gov.cn`, equal
 * to `example.gov.cn` or one of its subdomains. Case-insensitive; a trailing dot is ignored.
 *
 * @example
 * hostAllowed('www.qinyuan.gov.cn', ['*.qinyuan.gov.cn']); // true
 * hostAllowed('qinyuan.gov.cn.evil.com', ['*.qinyuan.gov.cn']); // false
 */
export function hostAllowed(host: string, allowedHosts: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/u, '');
  return allowedHosts.some((entry) => {
    const e = entry.toLowerCase();
    if (!e.startsWith('*.')) return h === e;
    const domain = e.slice(2);
    return h === domain || h.endsWith(`.${domain}`);
  });
}

/** The URL when it may be fetched, or the outcome that says why not (scheme, then host). */
function screen(raw: string, allowedHosts: readonly string[], redirected: boolean): URL | EvidenceCheckOutcome {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { result: 'bad_scheme', detail: 'not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { result: 'bad_scheme', detail: url.protocol.replace(/:$/u, '') };
  if (allowedHosts.length === 0) return { result: 'not_checked', detail: 'no allow-list configured' };
  if (!hostAllowed(url.hostname.replace(/^\[|\]$/gu, ''), allowedHosts)) {
    return redirected ? { result: 'redirect_not_allowed', finalUrl: url.href, detail: url.hostname } : { result: 'host_not_allowed', detail: url.hostname };
  }
  return url;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/giu, (all, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
    }
    return ENTITIES[name.toLowerCase()] ?? all;
  });
}

/** The charset a page declares (header first, then a <meta> near the top), or utf-8. */
function charsetOf(contentType: string | null, head: Uint8Array): string {
  const fromHeader = /charset\s*=\s*["']?([\w-]+)/iu.exec(contentType ?? '')?.[1];
  if (fromHeader) return fromHeader;
  const ascii = new TextDecoder('latin1').decode(head.subarray(0, 2048));
  return /<meta[^>]+charset\s*=\s*["']?([\w-]+)/iu.exec(ascii)?.[1] ?? 'utf-8';
}

/** The text of a page's first <title>, whitespace collapsed, at most 200 characters; null when it has none. */
export function pageTitle(body: Uint8Array, contentType: string | null): string | null {
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(charsetOf(contentType, body));
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  const html = decoder.decode(body);
  const m = /<title[^>]*>([\s\S]*?)<\/title>/iu.exec(html);
  if (!m) return null;
  const title = decodeEntities(m[1]!).replace(/\s+/gu, ' ').trim();
  return title === '' ? null : title.slice(0, 200);
}

async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    // The rest of a large page is not needed: stop the download.
    await reader.cancel().catch(() => undefined);
  }
  const out = new Uint8Array(Math.min(size, maxBytes));
  let at = 0;
  for (const c of chunks) {
    const part = c.subarray(0, out.length - at);
    out.set(part, at);
    at += part.length;
    if (at >= out.length) break;
  }
  return out;
}

function isTimeout(error: unknown): boolean {
  const name = error instanceof Error ? error.name : '';
  return name === 'TimeoutError' || name === 'AbortError';
}

function errorCode(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Checks one evidence link: scheme (http/https) and host against the allow-list first — a link outside the
 * list is never fetched, and with an empty list nothing is — then a GET with a total time limit of
 * `timeoutMs`, at most `maxRedirects` redirects (each target screened like the link itself) and at most
 * `maxBytes` of the page read, from which the `<title>` is taken (GBK/GB2312 pages decoded by their
 * declared charset). Never throws: every failure is an outcome.
 *
 * @example
 * await checkLink('https://www.qinyuan.gov.cn/zwgk/1.html', { ...settings, allowedHosts: ['*.qinyuan.gov.cn'] });
 * // { result: 'ok', httpStatus: 200, title: '沁源县人民政府 政务公开' }
 */
export async function checkLink(
  link: string,
  settings: Pick<EvidenceSettings, 'allowedHosts' | 'timeoutMs' | 'maxBytes' | 'maxRedirects'>,
): Promise<EvidenceCheckOutcome> {
  const first = screen(link, settings.allowedHosts, false);
  if (!(first instanceof URL)) return first;
  const signal = AbortSignal.timeout(settings.timeoutMs);
  let url = first;
  try {
    for (let hops = 0; ; hops++) {
      const response = await fetch(url, { method: 'GET', redirect: 'manual', signal, headers: { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5', 'user-agent': 'zwgk-evidence-check/1' } });
      const finalUrl = url.href === first.href ? null : url.href;
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel().catch(() => undefined);
        const location = response.headers.get('location');
        if (!location) return { result: 'http_error', httpStatus: response.status, finalUrl, detail: 'redirect without a location' };
        if (hops >= settings.maxRedirects) return { result: 'too_many_redirects', httpStatus: response.status, finalUrl: new URL(location, url).href };
        const next = screen(new URL(location, url).href, settings.allowedHosts, true);
        if (!(next instanceof URL)) return { ...next, httpStatus: response.status };
        url = next;
        continue;
      }
      if (response.status >= 400 || response.status < 200) {
        await response.body?.cancel().catch(() => undefined);
        return { result: 'http_error', httpStatus: response.status, finalUrl };
      }
      const body = await readCapped(response, settings.maxBytes);
      return { result: 'ok', httpStatus: response.status, title: pageTitle(body, response.headers.get('content-type')), finalUrl };
    }
  } catch (error) {
    if (isTimeout(error) || signal.aborted) return { result: 'timeout', detail: `no answer within ${settings.timeoutMs} ms` };
    return { result: 'unreachable', detail: errorCode(error).slice(0, 200) };
  }
}
