/**
 * Cleanup of text extracted from PDF tables: width folding, stray punctuation, words broken across lines.
 * Everything here is pure string work and never throws.
 */

/** Punctuation that PDF extraction leaves at cell edges or on a line of its own. */
const STRAY_CHARS = new Set([...'、。，,.；;：:·•・']);
const STRAY_LINE = /^[、。，,.；;：:·•・\s]*$/;

const isSpace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v' || /\s/.test(ch);

/**
 * Normalises a whole input before tokenising: line endings, BOM and zero-width characters, the
 * ideographic space and no-break spaces, full-width digits and Latin letters (but not Chinese
 * punctuation, which is kept as written), and the full-width bar ｜ used as a cell separator.
 */
export function normalizeInput(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\uFEFF\u200B-\u200D\u2060]/g, '')
    .replace(/[\u3000\u00A0\u2002-\u200A\u202F\u205F]/g, ' ')
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\uFF5C/g, '|');
}

function isAsciiWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9]/.test(ch);
}

/**
 * Collapses white space the way Chinese typography expects: no space next to a non-ASCII character
 * (so `11 月底前` → `11月底前`, `权责清单和 各类告知` → `权责清单和各类告知`), one space between Latin words.
 */
export function collapseSpaces(text: string): string {
  if (!/\s/.test(text)) return text;
  return text.replace(/\s+/g, (run: string, offset: number, whole: string) => {
    const before = whole[offset - 1];
    const after = whole[offset + run.length];
    if (before === undefined || after === undefined) return '';
    if (before.charCodeAt(0) > 0x7f || after.charCodeAt(0) > 0x7f) return '';
    return ' ';
  });
}

/**
 * Joins the physical lines of one cell: lines made only of stray punctuation are dropped, Chinese text
 * broken across lines is joined without a space, Latin words keep one space between them.
 */
export function joinCellLines(raw: string): string {
  if (!raw.includes('\n')) {
    const line = raw.trim();
    return STRAY_LINE.test(line) ? '' : line;
  }
  let out = '';
  let from = 0;
  while (from <= raw.length) {
    let to = raw.indexOf('\n', from);
    if (to < 0) to = raw.length;
    const line = raw.slice(from, to).trim();
    from = to + 1;
    if (!line || STRAY_LINE.test(line)) continue;
    if (out && isAsciiWordChar(out[out.length - 1]) && isAsciiWordChar(line[0])) out += ' ';
    out += line;
  }
  return out;
}

/** What a cleaned cell will be used for; content keeps its closing 。, the other fields lose it. */
export type CellKind = 'text' | 'content';

/**
 * Cleans one cell: joins its lines, collapses spaces, and strips stray punctuation at both ends
 * (a trailing 。 is kept for content, where it ends a sentence).
 *
 * @example
 * cleanCell('\n、\n全年\n') // '全年'
 * cleanCell('县司法局牵头，各乡镇及相关部门落\n、\n实') // '县司法局牵头，各乡镇及相关部门落实'
 */
export function cleanCell(raw: string, kind: CellKind = 'text'): string {
  const joined = collapseSpaces(joinCellLines(raw));
  // Trimmed by hand: an anchored character-class regex at the end of long content is slow.
  let start = 0;
  let end = joined.length;
  while (start < end && (STRAY_CHARS.has(joined[start]!) || isSpace(joined[start]!))) start++;
  while (end > start) {
    const ch = joined[end - 1]!;
    if (isSpace(ch) || (STRAY_CHARS.has(ch) && !(kind === 'content' && ch === '。'))) end--;
    else break;
  }
  return start === 0 && end === joined.length ? joined : joined.slice(start, end);
}

/** True when a cell carries nothing but stray punctuation or space. */
export function isBlankCell(raw: string): boolean {
  return STRAY_LINE.test(raw);
}
