import * as assert from 'assert';
import type { BenchRun } from '../../src/bench/runner';
import type { StrategyName } from '../../src/bench/strategies';
import { buildReport, compareWithNone, learningCurves, leaveOneOutAudit, renderMarkdown, summarize } from '../../src/bench/report';
import { learningCurveSvg, lineOffset } from '../../src/bench/svg';

const TASKS = ['t1', 't2', 't3'];

function run(strategy: StrategyName, pass: number, taskIndex: number, status: BenchRun['status'], extra: Partial<BenchRun> = {}): BenchRun {
  return {
    strategy,
    stream: 1,
    pass,
    position: (pass - 1) * TASKS.length + taskIndex + 1,
    task: TASKS[taskIndex]!,
    status,
    agentStatus: status,
    decidedBy: status === 'error' ? 'none' : 'hidden',
    steps: status === 'error' ? 0 : 10,
    attempts: status === 'error' ? 0 : 1,
    tokens: { prompt: 1000, completion: 100 },
    wallMs: 2000,
    retrieved: [],
    added: [],
    merged: [],
    judge: null,
    runId: null,
    ...extra,
  };
}

// none: ✗ ✓ ✗ | ✗ ✓ ✗ ; reasoningbank: ✗ ✓ ✓ | ✓ ✓ ✓ (with fewer steps on wins)
const RUNS: BenchRun[] = [
  run('none', 1, 0, 'unresolved'),
  run('none', 1, 1, 'resolved'),
  run('none', 1, 2, 'unresolved'),
  run('none', 2, 0, 'unresolved'),
  run('none', 2, 1, 'resolved'),
  run('none', 2, 2, 'error', { error: 'endpoint: boom' }),
  run('reasoningbank', 1, 0, 'unresolved', { added: ['a1', 'a2'] }),
  run('reasoningbank', 1, 1, 'resolved', { steps: 6, retrieved: ['a1'], added: ['b1'] }),
  run('reasoningbank', 1, 2, 'resolved', { steps: 8, retrieved: ['a1', 'b1'], added: ['a1'], merged: ['a1'] }),
  run('reasoningbank', 2, 0, 'resolved', { steps: 4, retrieved: ['b1'], tokens: { prompt: 2000, completion: 200 } }),
  run('reasoningbank', 2, 1, 'resolved', { steps: 4, retrieved: ['a2'] }),
  run('reasoningbank', 2, 2, 'resolved', { steps: 4, retrieved: ['a1'] }),
];

const META = {
  suite: { name: 'mini', dir: '/suites/mini', tasks: TASKS, digest: 'sha256:0' },
  settings: { strategies: ['none', 'reasoningbank'] as StrategyName[], k: 1, mode: 'parallel' as const, repeat: 2, streams: 1, seed: null, maxSteps: 30, model: 'model "m" at http://x/v1', embeddingModel: null, network: 'off' as const, sandboxed: true },
  startedAt: new Date('2025-01-01T10:00:00Z'),
  finishedAt: new Date('2025-01-01T10:05:00Z'),
  completed: true,
  units: ['none/stream-1', 'reasoningbank/stream-1'],
};

describe('bench report', () => {
  it('aggregates each strategy from its runs', () => {
    const none = summarize('none', RUNS);
    assert.deepStrictEqual([none.runs, none.resolved, none.unresolved, none.errors], [6, 2, 3, 1]);
    assert.strictEqual(none.successRate, 2 / 6);
    assert.strictEqual(none.meanSteps, 10, 'errored runs do not count towards steps');
    assert.deepStrictEqual(none.tokens, { prompt: 6000, completion: 600, total: 6600, meanPerRun: 1100 });
    assert.deepStrictEqual(none.wallMs, { total: 12000, meanPerRun: 2000 });
    assert.deepStrictEqual(none.perPass.map((p) => [p.pass, p.resolved, p.runs]), [[1, 1, 3], [2, 1, 3]]);

    const rb = summarize('reasoningbank', RUNS);
    assert.deepStrictEqual([rb.resolved, rb.errors], [5, 0]);
    assert.strictEqual(rb.meanSteps, (10 + 6 + 8 + 4 + 4 + 4) / 6);
    assert.strictEqual(rb.meanStepsResolved, (6 + 8 + 4 + 4 + 4) / 5);
    assert.deepStrictEqual(rb.memory, { retrieved: 6, added: 4, runsWithRetrieval: 5, recalled: 0, cited: 0, hinted: { runs: 0, recalled: 0, resolved: 0 } });
    assert.strictEqual(rb.tokens.total, 5 * 1100 + 2200);
  });

  it('compares against none on the same task@pass pairs', () => {
    const v = compareWithNone(RUNS.filter((r) => r.strategy === 'reasoningbank'), RUNS.filter((r) => r.strategy === 'none'));
    assert.strictEqual(v.successRatePoints, 50); // 5/6 − 2/6
    assert.strictEqual(v.resolved, 3);
    assert.deepStrictEqual(v.gained, ['t3@1', 't1@2', 't3@2']);
    assert.deepStrictEqual(v.lost, []);
    assert.strictEqual(v.meanSteps, 6 - 10);
    // paired: only where neither errored (t3@2 of none errored), so the mean difference is over 5 pairs
    assert.deepStrictEqual([v.steps.meanDiff, v.steps.pairs], [(0 - 4 - 2 - 6 - 6) / 5, 5]);
    assert.strictEqual(v.pairs, 6);
    assert.deepStrictEqual(v.discordant, { gained: 3, lost: 0 });
    assert.strictEqual(v.mcnemarP, 0.25);
    assert.strictEqual(v.meanTokens, Math.round(7700 / 6 - 1100));
    // a cancelled stream compares only what both ran
    const short = compareWithNone(RUNS.filter((r) => r.strategy === 'reasoningbank' && r.pass === 1), RUNS.filter((r) => r.strategy === 'none'));
    assert.strictEqual(short.successRatePoints, 33.3);
  });

  it('audits leave-one-out: a task may not get back what it distilled itself', () => {
    assert.deepStrictEqual(leaveOneOutAudit(RUNS).violations, [], 'a1 came back to t3, but t3 only merged into it');
    const bad = [...RUNS, run('reasoningbank', 3, 0, 'resolved', { retrieved: ['a2', 'b1'] })];
    assert.deepStrictEqual(leaveOneOutAudit(bad).violations, [{ strategy: 'reasoningbank', task: 't1', stream: 1, pass: 3, ids: ['a2'] }]);
    // another stream has a memory of its own: what t1 taught itself in stream 1 is not its own in stream 2
    const otherStream = [...RUNS, run('reasoningbank', 1, 0, 'resolved', { stream: 2, retrieved: ['a2'] })];
    assert.deepStrictEqual(leaveOneOutAudit(otherStream).violations, []);
    const recalledOwn = [...RUNS, run('reasoningbank', 3, 0, 'resolved', { retrieved: ['b1'], recalled: ['a2'] })];
    assert.deepStrictEqual(leaveOneOutAudit(recalledOwn).violations, [{ strategy: 'reasoningbank', task: 't1', stream: 1, pass: 3, ids: ['a2'] }], 'recall counts too');
  });

  it('reports lessons shown, recalled and cited per run for each memory strategy', () => {
    const runs = RUNS.map((r) => (r.strategy === 'reasoningbank' && r.pass === 1 ? { ...r, recalled: ['x'], cited: ['x', 'y'] } : r));
    const report = buildReport(runs, META);
    assert.deepStrictEqual([report.strategies[1]!.memory.recalled, report.strategies[1]!.memory.cited], [3, 6]);
    assert.match(renderMarkdown(report), /Lessons per run \(shown \/ recalled \/ cited\): reasoningbank 1\.0 \/ 0\.5 \/ 1\.0\./);
  });

  it('counts the runs shown no lesson but told the bank holds some: how many recalled one, how many resolved', () => {
    const rb = RUNS.filter((r) => r.strategy === 'reasoningbank');
    const hinted = new Set([rb[0], rb[1]]);
    const runs = RUNS.map((r) => (hinted.has(r) ? { ...r, retrieved: [], hinted: true, recalled: r === rb[0] ? ['x'] : [] } : r));
    const report = buildReport(runs, META);
    const want = { runs: 2, recalled: 1, resolved: [rb[0], rb[1]].filter((r) => r!.status === 'resolved').length };
    assert.deepStrictEqual(report.strategies[1]!.memory.hinted, want);
    assert.match(renderMarkdown(report), new RegExp(`Runs shown no lesson but told the bank holds some \\(recalled one / resolved\\): reasoningbank 2 \\(1 / ${want.resolved}\\)\\.`));
    assert.doesNotMatch(renderMarkdown(buildReport(RUNS, META)), /Runs shown no lesson/, 'no hinted run, no line');
  });

  it('builds the report with differences only where none ran', () => {
    const report = buildReport(RUNS, META);
    assert.strictEqual(report.wallMs, 300000);
    assert.strictEqual(report.strategies[0]!.vsNone, null);
    assert.strictEqual(report.strategies[1]!.vsNone!.successRatePoints, 50);
    const alone = buildReport(RUNS.filter((r) => r.strategy === 'reasoningbank'), { ...META, settings: { ...META.settings, strategies: ['reasoningbank'] } });
    assert.strictEqual(alone.strategies[0]!.vsNone, null);
    assert.match(renderMarkdown(alone), /Add `none` to `--strategy`/);
    assert.ok(JSON.parse(JSON.stringify(report)), 'plain JSON');
  });

  it('learning curves are the cumulative success rate in stream order', () => {
    const report = buildReport([...RUNS].reverse(), META);
    const curves = learningCurves(report);
    assert.deepStrictEqual(curves.map((c) => c.strategy), ['none', 'reasoningbank']);
    assert.deepStrictEqual(curves[0]!.points, [0, 1 / 2, 1 / 3, 1 / 4, 2 / 5, 2 / 6]);
    assert.deepStrictEqual(curves[1]!.points, [0, 1 / 2, 2 / 3, 3 / 4, 4 / 5, 5 / 6]);
  });

  it('renders the Markdown tables from the same numbers', () => {
    const md = renderMarkdown(buildReport(RUNS, META), { svgFile: 'learning-curve.svg' });
    assert.match(md, /^# Bench: mini/);
    assert.match(md, /\| \*\*none\*\* \| 2\/6 \| 33% \| — \| 10\.0 \| — \| 1\.1k \| — \| 2\.0 s \| 0 \| 0 \| 1 \|/);
    const v = buildReport(RUNS, META).strategies[1]!.vsNone!;
    const ci = (c: [number, number] | null, digits: number, unit = '') =>
      `\\[${c!.map((x, i) => `${x > 0 ? '\\+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(digits)}${i ? unit : ''}`).join(', ')}\\]`;
    assert.match(
      md,
      new RegExp(
        `\\| \\*\\*reasoningbank\\*\\* \\| 5/6 \\| 83% \\| \\+50\\.0 pp \\(\\+3\\) ${ci(v.ci95, 1)} p = 0\\.25 \\| 6\\.0 \\| −3\\.6 ${ci(v.steps.ci95, 1)} \\| 1\\.3k \\| \\+183 ${ci(v.tokens.ci95, 0)} \\| 2\\.0 s \\| 6 \\| 4 \\| 0 \\|`,
      ),
    );
    assert.match(md, /95 % paired-bootstrap interval/);
    assert.match(md, /\*\*reasoningbank\*\* resolved `t3@1`, `t1@2`, `t3@2` that `none` did not/);
    assert.match(md, /\| reasoningbank \| 2\/3 \(67%\) \| 3\/3 \(100%\) \|/);
    assert.match(md, /!\[Cumulative success rate[^\]]*\]\(learning-curve\.svg\)/);
    assert.match(md, /\| `t3` \| 2 \| ⚠️ 0 st · 1\.1k · 2\.0 s \| ✅ 4 st · 1\.1k · 2\.0 s · 1↓ 0↑ \|/);
    assert.match(md, /Leave-one-out: held in all 6 run\(s\)/);
    assert.match(md, /none `t3`@2: endpoint: boom/);
  });

  it('draws one line per strategy with a point per run, on a 0–100 % scale', () => {
    const report = buildReport(RUNS, META);
    const svg = learningCurveSvg(report);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /<\/svg>\n$/);
    const lines = [...svg.matchAll(/<polyline points="([^"]+)"[^>]*stroke="(#[0-9a-f]{6})"/g)];
    assert.strictEqual(lines.length, 2);
    const ys = lines.map((l) => l[1]!.split(' ').map((p) => Number(p.split(',')[1])));
    assert.deepStrictEqual(ys.map((y) => y.length), [6, 6]);
    // y is linear in the rate: top of the plot = 100 %, bottom = 0 %
    const tickY = (label: string) => Number(new RegExp(`<text x="[\\d.]+" y="([\\d.]+)"[^>]*>${label}</text>`).exec(svg)![1]);
    const top = tickY('100%');
    const bottom = tickY('0%');
    const rate = (y: number) => Math.round(((bottom - y) / (bottom - top)) * 1000) / 1000;
    ys.forEach((line, i) => {
      const dy = lineOffset(i, 2);
      assert.ok(Math.abs(dy) <= 3, 'overlapping lines are drawn a few pixels apart, no more');
      assert.deepStrictEqual(line.map((y) => rate(y - dy)), learningCurves(report)[i]!.points.map((p) => Math.round(p * 1000) / 1000));
    });
    assert.match(svg, /5\/6 resolved \(83%\)/);
    assert.match(svg, />pass 2</);
    assert.strictEqual((svg.match(/<circle /g) ?? []).length, 12);
    // well-formed enough for any XML reader: every element closed, special characters escaped
    assert.doesNotMatch(svg.replace(/&(amp|lt|gt|quot);/g, ''), /&/);
  });

  it('with several streams, pairs by task × stream × pass, reproducibly, and draws a band over the streams', () => {
    // stream 2 repeats stream 1 with the roles of none and reasoningbank swapped on t1: one gain, one loss
    const stream2 = RUNS.map((r) => ({ ...r, stream: 2 }));
    stream2[0] = { ...stream2[0]!, status: 'resolved' };
    stream2[6] = { ...stream2[6]!, status: 'unresolved' };
    const meta = { ...META, settings: { ...META.settings, streams: 2, seed: 5 }, units: ['none/stream-1', 'none/stream-2', 'reasoningbank/stream-1', 'reasoningbank/stream-2'] };
    const report = buildReport([...stream2, ...RUNS].reverse(), meta);
    assert.deepStrictEqual(
      report.runs.map((r) => `${r.strategy}${r.stream}:${r.position}`).slice(0, 7),
      ['none1:1', 'none1:2', 'none1:3', 'none1:4', 'none1:5', 'none1:6', 'none2:1'],
      'canonical order: strategy, stream, position',
    );
    const v = report.strategies[1]!.vsNone!;
    assert.strictEqual(v.pairs, 12);
    // gained in each stream: t3 pass 1, t1 and t3 pass 2 (6); lost: t1 pass 1 of stream 2
    assert.deepStrictEqual(v.discordant, { gained: 6, lost: 1 });
    assert.ok(v.gained.includes('t3@2.1') && v.lost.includes('t1@2.1'), 'labels name the stream');
    assert.strictEqual(v.successRatePoints, Math.round(((6 - 1) / 12) * 1000) / 10);
    assert.ok(Math.abs(v.mcnemarP - 2 * (1 + 7) / 128) < 1e-12, `${v.mcnemarP}`);
    assert.ok(v.ci95![0] < v.successRatePoints && v.successRatePoints < v.ci95![1]);
    assert.deepStrictEqual(buildReport(RUNS.concat(stream2), meta).strategies, report.strategies, 'the same runs give the same statistics');
    assert.deepStrictEqual(report.orders.map((o) => o.stream), [1, 2]);
    for (const o of report.orders) assert.deepStrictEqual([...o.tasks].sort(), TASKS, 'each stream runs every task once per pass');

    const curves = learningCurves(report);
    assert.strictEqual(curves[0]!.streams, 2);
    assert.deepStrictEqual(curves[0]!.low.slice(0, 2), [0, 1 / 2]);
    assert.deepStrictEqual(curves[0]!.high.slice(0, 2), [1, 1]);
    assert.deepStrictEqual(curves[0]!.points.slice(0, 2), [1 / 2, 3 / 4]);
    const svg = learningCurveSvg(report);
    assert.strictEqual((svg.match(/<polygon /g) ?? []).length, 2, 'one band per strategy');
    assert.strictEqual((svg.match(/<polyline /g) ?? []).length, 2);
    assert.match(svg, /mean of 2 streams; shaded: lowest to highest stream/);
    assert.strictEqual((learningCurveSvg(buildReport(RUNS, META)).match(/<polygon /g) ?? []).length, 0, 'no band for one stream');
    const md = renderMarkdown(report);
    assert.match(md, /\| task \| stream \| pass \| none \| reasoningbank \|/);
    assert.match(md, /\| `t1` \| 2 \| 1 \| ✅/);
  });
});
