/**
 * The statistics of a paired comparison: a seeded random source (so a report is reproducible), the
 * percentile bootstrap of a mean paired difference, and the exact McNemar test (a two-sided binomial tail
 * over the discordant pairs). Kept free of bench types so it can be tested against textbook values.
 */
import prand from 'pure-rand';

export interface Rng {
  /** a uniform integer in [0, n) */
  int(n: number): number;
  /**
   * An integer in [0, n), uniform to within n / 2^32 (one multiplication instead of rejection sampling):
   * for the bootstrap's millions of draws, where that bias is far below the resampling noise.
   */
  fastInt(n: number): number;
}

/** A seeded generator; the same seed always gives the same sequence. */
export function seededRng(seed: number): Rng {
  const gen = prand.xoroshiro128plus(seed | 0);
  return {
    int: (n) => prand.unsafeUniformIntDistribution(0, n - 1, gen),
    fastInt: (n) => Math.floor(((gen.unsafeNext() >>> 0) / 4294967296) * n),
  };
}

/** A seed for one purpose derived from a base seed (FNV-1a over both), so streams do not share sequences. */
export function deriveSeed(base: number, label: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${base}:${label}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** Fisher–Yates with a seeded generator: a new array, the input is left alone. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export const BOOTSTRAP_RESAMPLES = 2000;

/**
 * 95 % percentile-bootstrap interval of the mean of paired differences: the pairs are resampled with
 * replacement, which keeps each pair's two outcomes together (the pairing is what removes task difficulty
 * from the comparison). Null when there are no pairs.
 */
export function bootstrapMeanCi(diffs: readonly number[], rng: Rng, resamples = BOOTSTRAP_RESAMPLES): [number, number] | null {
  const n = diffs.length;
  if (n === 0) return null;
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += diffs[rng.fastInt(n)]!;
    means[b] = sum / n;
  }
  means.sort();
  return [quantile(means, 0.025), quantile(means, 0.975)];
}

/** Linear interpolation between order statistics (the common "type 7" definition). */
function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Exact McNemar p-value: under the null hypothesis each of the n = b + c discordant pairs goes either way
 * with probability ½, so p = 2·P(X ≤ min(b, c)) for X ~ Binomial(n, ½), capped at 1. Beyond a thousand
 * pairs 0.5^n underflows, so the sum is then taken in log space.
 */
export function mcnemarExactP(b: number, c: number): number {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) throw new RangeError(`McNemar counts must be integers >= 0, got ${b}, ${c}`);
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  let tail = 0;
  if (n <= 1000) {
    // 0.5^n is exact in a double down to 2^-1074, and the terms are built up by exact-ish ratios
    let term = 0.5 ** n;
    for (let i = 0; i <= k; i++) {
      if (i > 0) term *= (n - i + 1) / i;
      tail += term;
    }
  } else {
    const logs: number[] = [];
    let logC = 0;
    for (let i = 0; i <= k; i++) {
      if (i > 0) logC += Math.log((n - i + 1) / i);
      logs.push(logC - n * Math.LN2);
    }
    const max = Math.max(...logs);
    tail = Math.exp(max) * logs.reduce((s, l) => s + Math.exp(l - max), 0);
  }
  return Math.min(1, 2 * tail);
}

export const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
