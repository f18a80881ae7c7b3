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
