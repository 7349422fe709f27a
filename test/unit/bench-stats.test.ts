import * as assert from 'assert';
import { bootstrapMeanCi, deriveSeed, mcnemarExactP, seededRng, shuffled } from '../../src/bench/stats';

describe('bench statistics', () => {
  it('exact McNemar p matches the two-sided binomial test on known tables', () => {
    // reference values: scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue
    const close = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-12 + 1e-9 * b, `${a} vs ${b}`);
    close(mcnemarExactP(0, 5), 0.0625);
    close(mcnemarExactP(2, 9), 0.0654296875);
    close(mcnemarExactP(9, 2), 0.0654296875);
    close(mcnemarExactP(10, 20), 0.09873714670538902);
    close(mcnemarExactP(59, 121), 4.434449263755176e-6);
    // thousands of discordant pairs: 0.5^2100 underflows a double, the log-space sum does not
    close(mcnemarExactP(1000, 1100), 0.030720707864242296);
    assert.strictEqual(mcnemarExactP(3, 3), 1);
    assert.strictEqual(mcnemarExactP(0, 0), 1);
    assert.throws(() => mcnemarExactP(-1, 2), /integers >= 0/);
  });

  it('the seeded generator and shuffle are reproducible, and different seeds give different orders', () => {
    const items = Array.from({ length: 30 }, (_, i) => i);
    const a = shuffled(items, seededRng(deriveSeed(1, 'stream-1')));
    assert.deepStrictEqual(shuffled(items, seededRng(deriveSeed(1, 'stream-1'))), a);
    assert.notDeepStrictEqual(shuffled(items, seededRng(deriveSeed(1, 'stream-2'))), a);
    assert.notDeepStrictEqual(shuffled(items, seededRng(deriveSeed(2, 'stream-1'))), a);
    assert.deepStrictEqual([...a].sort((x, y) => x - y), items, 'a permutation');
    assert.deepStrictEqual(items[29], 29, 'the input is left alone');
  });

  it('the bootstrap interval is reproducible and brackets the mean', () => {
    const diffs = [1, 0, 0, 1, -1, 0, 1, 1, 0, 0];
    const ci = bootstrapMeanCi(diffs, seededRng(7))!;
    assert.deepStrictEqual(bootstrapMeanCi(diffs, seededRng(7)), ci);
    assert.ok(ci[0] < 0.3 && 0.3 < ci[1], `${ci}`);
    assert.strictEqual(bootstrapMeanCi([], seededRng(7)), null);
    assert.deepStrictEqual(bootstrapMeanCi([2, 2, 2], seededRng(7)), [2, 2]);
  });

  it('the 95 % bootstrap interval covers a known paired difference about 95 % of the time', () => {
    // synthetic paired outcomes: A resolves with p = 0.6, B with p = 0.45, correlated through a shared
    // task difficulty; the true difference is 0.15
    const rng = seededRng(2024);
    const uniform = () => rng.int(1_000_000) / 1_000_000;
    const datasets = 200;
    let covered = 0;
    for (let d = 0; d < datasets; d++) {
      const diffs: number[] = [];
      for (let i = 0; i < 120; i++) {
        const hard = uniform() < 0.5;
        const a = uniform() < (hard ? 0.4 : 0.8) ? 1 : 0;
        const b = uniform() < (hard ? 0.25 : 0.65) ? 1 : 0;
        diffs.push(a - b);
      }
      const [lo, hi] = bootstrapMeanCi(diffs, seededRng(d), 1000)!;
      if (lo <= 0.15 && 0.15 <= hi) covered++;
    }
    const coverage = covered / datasets;
    assert.ok(coverage >= 0.9 && coverage <= 0.99, `coverage ${coverage}`);
  });
});
