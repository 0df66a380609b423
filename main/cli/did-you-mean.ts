/**
 * @module main/cli/did-you-mean
 * The closest known word to a misspelt one (Damerau–Levenshtein over optimal string alignment), for usage errors:
 * `--overwrte` → "did you mean --overwrite?".
 */

function editDistance(a: string, b: string): number {
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

/** The candidate nearest to `word`, when it is close enough to be a typo (a third of its length, at least 1), else null. */
export function closest(word: string, candidates: readonly string[]): string | null {
  const w = word.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const distance = c.toLowerCase().startsWith(w) && w.length >= 3 ? 0.5 : editDistance(w, c.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [c, distance];
  }
  return bestDistance <= Math.max(1, Math.floor(w.length / 3)) ? best : null;
}

/** " (did you mean X?)" or "". */
export function suggestion(word: string, candidates: readonly string[], prefix = ''): string {
  const c = closest(word, candidates);
  return c === null ? '' : `; did you mean ${prefix}${c}?`;
}
