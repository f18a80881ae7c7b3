/** Edit distance (insertions, deletions, substitutions, and swaps of neighbours count 1). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate closest to `input` when it is plausibly a typo of it (distance ≤ 2 and under half its
 * length, or equal once dashes are ignored: `asof` → `as-of`) or a shortening of it (`horizon` →
 * `horizonDays`), else undefined.
 */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const bare = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const shortened = input.length >= 4 && bare(name).startsWith(bare(input));
    const distance = bare(name) === bare(input) ? 0 : shortened ? 1 : editDistance(input.toLowerCase(), name.toLowerCase());
    if (distance <= 2 && distance < Math.max(2, name.length / 2) && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}
