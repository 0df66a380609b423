/**
 * @module main/engine/numeric/linear-system
 * Small dense linear systems (a few to a few dozen unknowns: regression weights, correction coefficients), solved
 * by Gauss–Jordan elimination with partial pivoting.
 */

/**
 * Solves the n×n system stored as an n×(n+1) augmented matrix `m` (row-major, right-hand side in the last column),
 * overwriting `m`. An unknown whose pivot vanishes (a constant band, say) is singular and takes `singular[r]`.
 */
export function solveAugmented(m: Float64Array, n: number, singular: ArrayLike<number>): Float64Array {
  const w = n + 1;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r * w + col]!) > Math.abs(m[pivot * w + col]!)) pivot = r;
    if (pivot !== col) for (let c = 0; c <= n; c++) [m[col * w + c], m[pivot * w + c]] = [m[pivot * w + c]!, m[col * w + c]!];
    const d = m[col * w + col]!;
    if (Math.abs(d) < 1e-300) continue;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r * w + col]! / d;
      if (f !== 0) for (let c = col; c <= n; c++) m[r * w + c]! -= f * m[col * w + c]!;
    }
  }
  const x = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const d = m[r * w + r]!;
    x[r] = Math.abs(d) < 1e-300 ? singular[r]! : m[r * w + n]! / d;
  }
  return x;
}
