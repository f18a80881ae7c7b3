/**
 * Text served in traditional characters (a mirror of a simplified original) read as simplified.
 */
import { sify } from 'chinese-conv';

/**
 * Traditional forms that task tables cannot do without (縣, 區, 單位, 責任, 務, 開, 發, 時, 關, 會 …): text
 * holding none of them is simplified and is not run through the conversion table at all.
 */
const TRADITIONAL_HINT = /[縣區單責務開發時關會鄉鎮辦處負與為們這個國實現進應節點協調監資報經濟電業總類條規劃數據權門問題間]/;

/** Fewer converted characters than this are variants a simplified text may hold (乾坤, 著), not a traditional text. */
const MIN_CHANGED = 4;

/**
 * Converts text written in traditional characters to simplified (國務院辦公廳 → 国务院办公厅), character by
 * character with the `chinese-conv` table. Simplified text comes back unchanged: the conversion is applied
 * only when at least 4 characters (and 1 in 200 Han characters) change, so the odd variant character in a
 * simplified table is left as written.
 *
 * @returns the text to read and how many characters were converted (0 when none)
 * @example
 * toSimplified('責任單位：縣財政局牽頭').text // '责任单位：县财政局牵头'
 */
export function toSimplified(text: string): { text: string; converted: number } {
  if (!TRADITIONAL_HINT.test(text)) return { text, converted: 0 };
  const simplified = sify(text);
  if (simplified === text) return { text, converted: 0 };
  let changed = 0;
  let han = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x3400 && code <= 0x9fff) han++;
    if (text[i] !== simplified[i]) changed++;
  }
  if (simplified.length !== text.length || changed < MIN_CHANGED || changed * 200 < han) return { text, converted: 0 };
  return { text: simplified, converted: changed };
}

/** Pinyin with a tone mark, in ASCII or full-width brackets right after a Han character: 區(qū), 鎮（zhèn）. */
const PINYIN_GLOSS = /(?<=\p{Script=Han})[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]/gu;

/**
 * Drops the pinyin some mirror sites print after characters (各縣市區(qū)政府 → 各縣市區政府); a gloss needs a
 * tone mark, so a bracketed Latin abbreviation in a real table (如 (PPP)) is kept.
 *
 * @returns the text and how many glosses were dropped
 * @example
 * dropPinyinGlosses('各鄉(xiāng)鎮(zhèn)政府') // { text: '各鄉鎮政府', dropped: 2 }
 */
export function dropPinyinGlosses(text: string): { text: string; dropped: number } {
  if (!/[(（][a-zü]/.test(text)) return { text, dropped: 0 };
  let dropped = 0;
  const out = text.replace(PINYIN_GLOSS, () => {
    dropped++;
    return '';
  });
  return { text: out, dropped };
}
