/**
 * The DingTalk markdown subset, rendered to safe HTML. The function is self-contained (no outer
 * references) because the web page embeds its source text and runs the same code in the browser.
 */

/**
 * Renders DingTalk markdown to HTML: headings, bold, italic, inline code, ordered and unordered
 * lists, quotes, rules, links (http, https, mailto and DingTalk's `dtmd://` only; images become
 * links so the page makes no outside requests), line breaks and @-mentions. Everything else is
 * escaped text.
 *
 * @param source markdown text
 * @param mentions `@token` → display name, e.g. `{ 'staff01': '张三' }` turns `@staff01` into a highlighted `@张三`
 * @example
 * renderMarkdown('**确认** @u1', { u1: '张三' });
 * // '<p><strong>确认</strong> <span class="mention">@张三</span></p>'
 */
export function renderMarkdown(source: string, mentions: Record<string, string> = {}): string {
  const escape = (s: string): string =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  const mentionKeys = Object.keys(mentions)
    .filter((k) => k !== '')
    .sort((a, b) => b.length - a.length);

  const inline = (raw: string): string => {
    const stash: string[] = [];
    const keep = (html: string): string => `\u0000${stash.push(html) - 1}\u0000`;
    const safeUrl = (url: string): string | undefined => {
      const u = url.trim();
      return /^(https?:\/\/|mailto:|dtmd:\/\/)/i.test(u) ? u : undefined;
    };
    let s = raw.replace(/`([^`]+)`/g, (_, code: string) => keep(`<code>${escape(code)}</code>`));
    s = s.replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (whole: string, alt: string, url: string) => {
      const href = safeUrl(url);
      return href ? keep(`<a class="img-link" href="${escape(href)}" target="_blank" rel="noopener noreferrer">🖼 ${escape(alt || '图片')}</a>`) : whole;
    });
    s = s.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole: string, text: string, url: string) => {
      const href = safeUrl(url);
      if (!href) return whole;
      const dtmd = /^dtmd:/i.test(href) ? ' class="dtmd" data-dtmd="1"' : ' target="_blank" rel="noopener noreferrer"';
      return keep(`<a href="${escape(href)}"${dtmd}>${escape(text)}</a>`);
    });
    s = s.replace(/https?:\/\/[^\s<>"'\u0000]+/g, (url: string) => keep(`<a href="${escape(url)}" target="_blank" rel="noopener noreferrer">${escape(url)}</a>`));
    for (const key of mentionKeys) {
      s = s.split(`@${key}`).join(keep(`<span class="mention">@${escape(mentions[key] ?? key)}</span>`));
    }
    // Markdown text may carry entity references (a sender writes &lt; for a literal <): show the character.
    s = escape(s).replace(/&amp;(lt|gt|amp|quot|#39|#\d{1,6}|#x[0-9a-fA-F]{1,6});/g, '&$1;');
    s = s.replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>').replace(/__(.+?)__/g, '<strong>$1</strong>');
    s = s.replace(/(^|[^*])\*([^*\s][^*]*?)\*(?!\*)/g, '$1<em>$2</em>');
    // Stashed pieces may hold other stash markers (none do today); restore until none are left.
    for (let guard = 0; guard < 5 && s.includes('\u0000'); guard++) {
      s = s.replace(/\u0000(\d+)\u0000/g, (_, i: string) => stash[Number(i)] ?? '');
    }
    return s;
  };

  const lines = source.replace(/\u0000/g, '').replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let para: string[] = [];
  let quote: string[] = [];
  let list: { tag: 'ul' | 'ol'; start: number; items: string[] } | undefined;
  const flushPara = (): void => {
    if (para.length) out.push(`<p>${para.map(inline).join('<br>')}</p>`);
    para = [];
  };
  const flushQuote = (): void => {
    if (quote.length) out.push(`<blockquote>${quote.map(inline).join('<br>')}</blockquote>`);
    quote = [];
  };
  const flushList = (): void => {
    if (list) {
      const start = list.tag === 'ol' && list.start !== 1 ? ` start="${list.start}"` : '';
      out.push(`<${list.tag}${start}>${list.items.join('')}</${list.tag}>`);
    }
    list = undefined;
  };
  const flush = (): void => {
    flushPara();
    flushQuote();
    flushList();
  };

  for (const line of lines) {
    if (line.trim() === '') {
      flush();
      continue;
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      const level = heading[1]!.length;
      out.push(`<h${level}>${inline(heading[2]!)}</h${level}>`);
      continue;
    }
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush();
      out.push('<hr>');
      continue;
    }
    const q = /^\s{0,3}>\s?(.*)$/.exec(line);
    if (q) {
      flushPara();
      flushList();
      quote.push(q[1]!);
      continue;
    }
    const ul = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    const ol = /^(\s*)(\d+)[.)]\s+(.*)$/.exec(line);
    if (ul || ol) {
      flushPara();
      flushQuote();
      const tag = ul ? 'ul' : 'ol';
      const indent = (ul ? ul[1]! : ol![1]!).length >= 2 ? ' class="nested"' : '';
      if (!list || list.tag !== tag) {
        flushList();
        list = { tag, start: ol ? Number(ol[2]) : 1, items: [] };
      }
      list.items.push(`<li${indent}>${inline(ul ? ul[2]! : ol![3]!)}</li>`);
      continue;
    }
    if (quote.length) flushQuote();
    if (list) flushList();
    para.push(line.trim());
  }
  flush();
  return out.join('');
}

/**
 * Renders a plain-text message (what members type): escaped, line breaks kept, http(s) links and
 * @-mentions highlighted.
 * Self-contained like {@link renderMarkdown}.
 *
 * @param text the message text
 * @param mentions `@token` → display name
 */
export function renderPlainText(text: string, mentions: Record<string, string> = {}): string {
  const escape = (s: string): string =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  const keys = Object.keys(mentions)
    .filter((k) => k !== '')
    .sort((a, b) => b.length - a.length);
  let pieces: Array<string | { html: string }> = [text.replace(/\u0000/g, '')];
  for (const key of keys) {
    const html = `<span class="mention">@${escape(mentions[key] ?? key)}</span>`;
    pieces = pieces.flatMap((p) =>
      typeof p === 'string' ? p.split(`@${key}`).flatMap((part, i) => (i === 0 ? [part] : [{ html }, part])) : [p],
    );
  }
  const link = (s: string): string =>
    escape(s)
      .replace(/https?:\/\/[^\s<>"']+/g, (url) => `<a href="${url}" target="_blank" rel="noopener noreferrer">${url}</a>`)
      .replace(/\n/g, '<br>');
  return pieces.map((p) => (typeof p === 'string' ? link(p) : p.html)).join('');
}
