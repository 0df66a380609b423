/**
 * @module main/engine/metrics/hypercomplex
 * The toolbox's hypercomplex ("onion") product used by Q4/Q8 (`onion_mult.m`): a Cayley–Dickson recursion on
 * vectors of 2^k components. `onionMultiply` transcribes the recursion literally; `onionTable` turns it into a
 * signed index table (each basis product e_i ⊗ e_j is ±e_k), so that Q2n can apply the bilinear product to summed
 * cross-moments without per-pixel allocation.
 */

function conj(v: readonly number[]): number[] {
  return v.map((x, i) => (i === 0 ? x : -x));
}

/** `onion_mult(x, y)`, literally: split in halves (a, b), (c, d); conjugate b and d; recurse. */
export function onionMultiply(x: readonly number[], y: readonly number[]): number[] {
  const n = x.length;
  if (y.length !== n) throw new Error(`onion product of ${n} and ${y.length} components`);
  if (n === 1) return [x[0]! * y[0]!];
  if ((n & (n - 1)) !== 0) throw new Error(`onion product needs a power-of-two length, got ${n}`);
  const h = n / 2;
  const a = x.slice(0, h);
  const b = conj(x.slice(h));
  const c = y.slice(0, h);
  const d = conj(y.slice(h));
  if (n === 2) return [a[0]! * c[0]! - d[0]! * b[0]!, a[0]! * d[0]! + c[0]! * b[0]!];
  const ris1 = onionMultiply(a, c);
  const ris2 = onionMultiply(d, conj(b));
  const ris3 = onionMultiply(conj(a), d);
  const ris4 = onionMultiply(c, b);
  return [...ris1.map((v, i) => v - ris2[i]!), ...ris3.map((v, i) => v + ris4[i]!)];
}

/** For each (i, j): the component `k` that e_i ⊗ e_j lands on and its sign (±1). Index `i * n + j`. */
export interface OnionTable {
  readonly n: number;
  readonly target: Int32Array;
  readonly sign: Float64Array;
}

const tables = new Map<number, OnionTable>();

export function onionTable(n: number): OnionTable {
  const cached = tables.get(n);
  if (cached) return cached;
  const target = new Int32Array(n * n);
  const sign = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const ei = Array.from({ length: n }, (_, k) => (k === i ? 1 : 0));
      const ej = Array.from({ length: n }, (_, k) => (k === j ? 1 : 0));
      const p = onionMultiply(ei, ej);
      const nz = p.flatMap((v, k) => (v !== 0 ? [k] : []));
      if (nz.length !== 1 || Math.abs(p[nz[0]!]!) !== 1) throw new Error(`e${i} ⊗ e${j} is not a signed basis vector: ${p.join(',')}`);
      target[i * n + j] = nz[0]!;
      sign[i * n + j] = p[nz[0]!]!;
    }
  }
  const t = { n, target, sign };
  tables.set(n, t);
  return t;
}

/**
 * The bilinear product applied to a matrix of cross terms: `out[k] = Σ_{i,j→k} sign·m[i·n + j]`, where m[i·n + j]
 * is x_i·y_j (or a sum/mean of such products over pixels). Writes n values into `out`.
 */
export function applyOnionTable(t: OnionTable, m: Float64Array, out: Float64Array): void {
  out.fill(0, 0, t.n);
  for (let ij = 0; ij < t.n * t.n; ij++) out[t.target[ij]!] = out[t.target[ij]!]! + t.sign[ij]! * m[ij]!;
}
