/**
 * The cost of the bench's statistics at research scale: building (and merging) the report of 4 strategies
 * × 10 streams × 300 tasks (12,000 runs; 2000-resample paired bootstraps for three differences of three
 * strategies against none), and rendering its Markdown and SVG.
 */
import { buildReport, renderMarkdown } from '../src/bench/report';
import { learningCurveSvg } from '../src/bench/svg';
import type { BenchRun } from '../src/bench/runner';
import type { StrategyName } from '../src/bench/strategies';
import { allUnits, streamOrder, unitId } from '../src/bench/plan';
import { seededRng } from '../src/bench/stats';

const STRATEGIES: StrategyName[] = ['none', 'trajectory', 'workflow', 'reasoningbank'];
const STREAMS = 10;
const TASKS = Array.from({ length: 300 }, (_, i) => `task-${String(i + 1).padStart(3, '0')}`);

function syntheticRuns(): BenchRun[] {
  const rng = seededRng(1);
  const runs: BenchRun[] = [];
  for (const unit of allUnits(STRATEGIES, STREAMS)) {
    const order = streamOrder(TASKS, unit.stream, 1);
    order.forEach((task, i) => {
      const resolved = rng.int(100) < (unit.strategy === 'none' ? 35 : 40);
      runs.push({
        ...unit, pass: 1, position: i + 1, task,
        status: resolved ? 'resolved' : 'unresolved', agentStatus: resolved ? 'resolved' : 'unresolved', decidedBy: 'hidden',
        steps: 10 + rng.int(20), attempts: 1, tokens: { prompt: 20_000 + rng.int(10_000), completion: 1000 + rng.int(1000) },
        wallMs: 30_000, retrieved: [], added: [], merged: [], judge: null, runId: null,
      });
    });
  }
  return runs;
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

export async function run(): Promise<object> {
  const runs = syntheticRuns();
  const meta = {
    suite: { name: 'synthetic', dir: '/synthetic', tasks: TASKS, digest: 'sha256:0' },
    settings: { strategies: STRATEGIES, k: 1, mode: 'parallel' as const, repeat: 1, streams: STREAMS, seed: 1, maxSteps: 30, model: 'synthetic', embeddingModel: null, network: 'off' as const, sandboxed: true },
    startedAt: new Date(0),
    finishedAt: new Date(1),
    completed: true,
    units: allUnits(STRATEGIES, STREAMS).map(unitId),
  };
  const times: number[] = [];
  let report = buildReport(runs, meta);
  for (let i = 0; i < 3; i++) {
    const t0 = process.hrtime.bigint();
    report = buildReport([...runs].reverse(), meta);
    times.push(ms(t0));
  }
  let t0 = process.hrtime.bigint();
  const md = renderMarkdown(report);
  const markdownMs = ms(t0);
  t0 = process.hrtime.bigint();
  const svg = learningCurveSvg(report);
  const svgMs = ms(t0);
  return {
    name: 'bench-report',
    runs: runs.length,
    pairsPerComparison: report.strategies[1]!.vsNone!.pairs,
    buildReportMs: { min: Math.round(Math.min(...times)), max: Math.round(Math.max(...times)) },
    renderMarkdownMs: Math.round(markdownMs),
    renderSvgMs: Math.round(svgMs),
    markdownKB: Math.round(md.length / 1024),
    svgKB: Math.round(svg.length / 1024),
    reasoningbankVsNone: { points: report.strategies[3]!.vsNone!.successRatePoints, ci95: report.strategies[3]!.vsNone!.ci95, mcnemarP: report.strategies[3]!.vsNone!.mcnemarP },
  };
}
