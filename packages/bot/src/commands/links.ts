/**
 * Evidence links: found with or without a scheme (`https://…`, `www.…`, `xxx.qinyuan.gov.cn/…`), several per
 * message separated by commas (ASCII or full-width), 、, semicolons or spaces, trimmed of the brackets and
 * punctuation around them, and stored normalised (a scheme, a lower-case host).
 */

/** A link found in a text: where it stands and its normalised form. */
export interface FoundLink {
  /** Index of its first character in the text searched. */
  start: number;
  /** Index after its last character (trailing punctuation excluded). */
  end: number;
  /** The link with a scheme and a lower-case host. */
  url: string;
}

const URL_CHARS = `[^\\s<>"'“”‘’()（）【】\\[\\]{}|\\\\^\`，。；、！？《》「」\\u3000-\\u303f\\u3400-\\u9fff\\uff01-\\uff0f\\uff1a-\\uff20]`;
const TLD = '(?:gov\\.cn|com\\.cn|org\\.cn|net\\.cn|edu\\.cn|cn|com|net|org|gov|info|top|xyz)';
const HOST = `(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+${TLD}(?![a-z0-9-])`;
// With a scheme anything may follow; without one, a host on a known top-level domain (so 6.2 or v1.0 is no link).
const LINK = new RegExp(`https?[:：]//${URL_CHARS}+|(?<![\\w@./:-])${HOST}(?::\\d{1,5})?(?:[/?#]${URL_CHARS}*)?`, 'giu');
/** Where a second link starts inside a run with no space: after a comma or semicolon. */
const JOINED = new RegExp(`[,;](?=https?://|www\\.|${HOST})`, 'iu');
const TRAILING = /[.,;:!?'")\]}>*_~…]+$/u;

function normalise(raw: string): string {
  const fixed = raw.replace(/^(https?)：/iu, '$1:');
  const withScheme = /^https?:\/\//iu.test(fixed) ? fixed : `http://${fixed}`;
  const m = /^(https?):\/\/([^/?#]+)(.*)$/iu.exec(withScheme);
  if (!m) return withScheme;
  return `${(m[1] as string).toLowerCase()}://${(m[2] as string).toLowerCase()}${m[3] ?? ''}`;
}

/** Links in a text (already folded: see `foldKeepingCjkPunctuation`), in order, each with its place. */
export function findLinks(text: string): FoundLink[] {
  const found: FoundLink[] = [];
  for (const m of text.matchAll(LINK)) {
    let start = m.index;
    let rest = m[0];
    // Two links joined by a comma are two links, not one broken one.
    for (;;) {
      const cut = JOINED.exec(rest);
      const piece = cut ? rest.slice(0, cut.index) : rest;
      const bare = piece.replace(TRAILING, '');
      if (/^https?[:：]\/\/[^/?#.]/iu.test(bare) || (!/^https?[:：]/iu.test(bare) && /[a-z0-9]\.[a-z]/iu.test(bare))) {
        found.push({ start, end: start + bare.length, url: normalise(bare) });
      }
      if (!cut) break;
      start += cut.index + 1;
      rest = rest.slice(cut.index + 1);
    }
  }
  return found;
}
