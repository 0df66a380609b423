/**
 * @module main/engine/numeric/least-common-multiple
 * The least common multiple of two positive integers: a tile side that several methods' multiples all divide.
 */
export function leastCommonMultiple(a: number, b: number): number {
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  return (a / gcd(a, b)) * b;
}
