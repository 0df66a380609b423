/**
 * @module main/engine/tiling/mirror
 * Half-sample symmetric padding ("edge repeated": -1 → 0, -2 → 1, n → n-1). PAN and MS mirrored this way both
 * reflect about the same map line (the region's edge), so padded PAN and MS stay co-registered.
 */

/** Index into [0, n) for any integer i, mirroring about the edges (periodic for |i| ≥ n). */
export function mirrorIndex(i: number, n: number): number {
  const period = 2 * n;
  const m = ((i % period) + period) % period;
  return m < n ? m : period - 1 - m;
}

/** Source indices (within [0, n)) for `count` consecutive positions starting at `start` (may be negative). */
export function mirrorIndices(start: number, count: number, n: number): Int32Array {
  const out = new Int32Array(count);
  for (let k = 0; k < count; k++) out[k] = mirrorIndex(start + k, n);
  return out;
}
