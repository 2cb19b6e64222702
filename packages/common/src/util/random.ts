/** A seeded pseudo-random generator: returns numbers in [0, 1), the same sequence for the same seed.
 * Demo data, bundled samples and benchmark graphs are generated with it so they are reproducible
 * byte for byte. Not for anything secret. */
export type Random = () => number;

/** mulberry32: a small, fast, well-distributed 32-bit generator. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [lo, hi], both included. */
export const randomInt = (random: Random, lo: number, hi: number): number =>
  lo + Math.floor(random() * (hi - lo + 1));

/** One element of a non-empty list. */
export const randomPick = <T>(random: Random, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
