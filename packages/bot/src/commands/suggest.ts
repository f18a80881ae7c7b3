/** Suggestions: the single best guess for a slip of a command word (确定 22, 确人 10, confrim 4, #10), as the exact command. */
import { NEGATION } from './grammar.js';
import { BOUNDARY, CJK_START, REF, refNumber } from './refs.js';
import type { AmbiguousCommand, CommandKind } from './types.js';

/** Command words a slip of the keyboard is checked against (the usual word of each command that takes tasks). */
const SUGGESTABLE: ReadonlyArray<readonly [CommandKind, string]> = [
  ['confirm', '确认'],
  ['undo', '撤销'],
  ['status', '进度'],
  ['supplement', '补充'],
  ['nudge', '催办'],
  ['exempt', '豁免'],
  ['confirm', 'confirm'],
  ['undo', 'undo'],
  ['status', 'status'],
  ['nudge', 'nudge'],
  ['exempt', 'exempt'],
];

/** Edits (insert, delete, replace, swap two neighbours) between two short words. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(x.length, y.length);
}

/** A guess the person is asked to send as written; nothing is acted on. */
export function guess(command: CommandKind, exact: string): AmbiguousCommand {
  return { kind: 'ambiguous', command, code: 'did_you_mean', data: { command: exact } };
}

/**
 * A question for text with no command word that looks like a command with a slip: a word one edit away
 * from a command word (确定 22, 确人 10, 请确认 4, confrim 4), or no word at all (#10), followed by a task
 * reference. Never acted on: the person is asked and sends the command again.
 */
export function suggestCommand(text: string): AmbiguousCommand | null {
  const limit = Math.min(text.length, 10);
  for (let cut = 0; cut <= limit; cut++) {
    const prefix = text.slice(0, cut).trim().toLowerCase();
    if (/[\d#]/u.test(prefix)) return null;
    const rest = text.slice(cut).trimStart();
    const m = REF.exec(rest);
    if (!m) continue;
    const after = rest.slice(m[0].length);
    if (!BOUNDARY.test(after) && !(prefix !== '' && CJK_START.test(after))) continue;
    if (!Number.isSafeInteger(refNumber(m))) continue;
    let kind: CommandKind | undefined;
    let word: string | undefined;
    if (prefix === '') {
      // 第4项、第5项都没完成 says the opposite of a report: nothing to suggest.
      if (NEGATION.test(text)) return null;
      kind = 'confirm';
      word = '确认';
    } else {
      for (const [k, w] of SUGGESTABLE) {
        if (/^[a-z]/u.test(w) && prefix.length < 3) continue;
        if (editDistance(prefix, w) !== 1) continue;
        kind = k;
        // Suggest the Chinese word even for an English slip: it is what the help texts show.
        word = SUGGESTABLE.find(([c]) => c === k)?.[1] ?? w;
        break;
      }
    }
    if (kind === undefined || word === undefined) continue;
    const shown = rest.replace(/^#\s*/u, '');
    const args = shown.length > 30 ? `${shown.slice(0, 30)}…` : shown;
    return guess(kind, `${word} ${args}`);
  }
  return null;
}
