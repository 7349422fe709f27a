/**
 * The bench report: every run as recorded, per-strategy aggregates, the difference of each strategy
 * against `none` (paired by task × stream × pass, with bootstrap intervals and McNemar's exact test), and
 * a leave-one-out audit. Everything is computed from the runs, in a canonical order and with seeded
 * resampling, so the JSON, the Markdown and the chart agree, and a merged sharded run equals an unsharded one.
 */
import type { BenchRun } from './runner';
import type { StrategyName } from './strategies';
import { STRATEGY_NOTES } from './strategies';
import type { ScaleMode } from '../engine/types';
import type { NetworkMode } from '../engine/sandbox/types';
import { type Shard, streamOrder } from './plan';
import { bootstrapMeanCi, deriveSeed, mcnemarExactP, mean, seededRng } from './stats';

export interface PassSummary {
  pass: number;
  runs: number;
  resolved: number;
  successRate: number;
}

export interface StrategySummary {
  strategy: StrategyName;
  runs: number;
  resolved: number;
  unresolved: number;
  errors: number;
  /** resolved / runs, 0..1 */
  successRate: number;
  /** over runs that did not error; null when all errored */
  meanSteps: number | null;
  meanStepsResolved: number | null;
  tokens: { prompt: number; completion: number; total: number; meanPerRun: number };
  wallMs: { total: number; meanPerRun: number };
  memory: {
    retrieved: number;
    added: number;
    runsWithRetrieval: number;
    recalled: number;
    cited: number;
    /** runs shown no lesson but told the bank holds some; of them, those that recalled one, and those resolved */
    hinted: { runs: number; recalled: number; resolved: number };
  };
  perPass: PassSummary[];
  /** this strategy minus `none` (null when `none` was not run, or for `none` itself) */
  vsNone: {
    /** runs of both on the same task, stream and pass */
    pairs: number;
    /** difference in success rate, in percentage points */
    successRatePoints: number;
    /** 95 % paired-bootstrap interval of successRatePoints, in points; null without pairs */
    ci95: Interval;
    /** exact McNemar p-value over the discordant pairs (1 when there are none) */
    mcnemarP: number;
    /** pairs resolved only by this strategy, and only by none */
    discordant: { gained: number; lost: number };
    resolved: number;
    meanSteps: number | null;
    meanTokens: number;
    meanWallMs: number;
    /** mean paired difference in steps (pairs where neither errored) with its 95 % interval */
    steps: { meanDiff: number | null; ci95: Interval; pairs: number };
    /** mean paired difference in tokens per run with its 95 % interval */
    tokens: { meanDiff: number; ci95: Interval };
    /** task@pass (task@stream.pass with several streams) resolved here but not by none, and the reverse */
    gained: string[];
    lost: string[];
  } | null;
}

/** [low, high] */
export type Interval = [number, number] | null;

export interface LeaveOneOutViolation {
  strategy: StrategyName;
  task: string;
  stream: number;
  pass: number;
  /** retrieved ids that this same task had added earlier (not merged into someone else's item) */
  ids: string[];
}

export interface BenchReport {
  kind: 'reasoningbank-bench';
  version: 1;
  /** digest: of every file of every task, so reports of an edited suite are never merged */
  suite: { name: string; dir: string; tasks: string[]; digest: string };
  settings: {
    strategies: StrategyName[];
    k: number;
    mode: ScaleMode;
    repeat: number;
    streams: number;
    /** null: one stream in the suite's order; otherwise the seed of every stream's order and of the bootstrap */
    seed: number | null;
    maxSteps: number;
    model: string;
    embeddingModel: string | null;
    /** what confined the commands: results run unconfined or with the network on are not mixed with others */
    network: NetworkMode;
    sandboxed: boolean;
  };
  startedAt: string;
  finishedAt: string;
  wallMs: number;
  /** false when the stream was cancelled part-way: the figures cover the runs listed */
  completed: boolean;
  /** set on a partial report written by `--shard I/N` */
  shard: Shard | null;
  /** the units (strategy/stream-N) whose every run is in `runs` */
  units: string[];
  /** each stream's task order */
  orders: { stream: number; tasks: string[] }[];
  strategies: StrategySummary[];
  runs: BenchRun[];
  leaveOneOut: { checked: number; violations: LeaveOneOutViolation[] };
}

export interface ReportMeta {
  suite: BenchReport['suite'];
  settings: BenchReport['settings'];
  startedAt: Date;
  finishedAt: Date;
  completed: boolean;
  shard?: Shard | null;
  units: string[];
}

/** the pairing of runs across strategies */
const pairKey = (r: BenchRun) => `${r.task}\u0000${r.stream}\u0000${r.pass}`;
/** how a run is named in lists: task@pass, with the stream when there are several */
const runLabel = (r: BenchRun, streams: number) => (streams > 1 ? `${r.task}@${r.stream}.${r.pass}` : `${r.task}@${r.pass}`);

export function summarize(strategy: StrategyName, runs: BenchRun[]): Omit<StrategySummary, 'vsNone'> {
  const mine = runs.filter((r) => r.strategy === strategy);
  const hinted = mine.filter((r) => r.hinted);
  const ok = mine.filter((r) => r.status !== 'error');
  const resolved = mine.filter((r) => r.status === 'resolved');
  const prompt = mine.reduce((s, r) => s + r.tokens.prompt, 0);
  const completion = mine.reduce((s, r) => s + r.tokens.completion, 0);
  const wall = mine.reduce((s, r) => s + r.wallMs, 0);
  const passes = [...new Set(mine.map((r) => r.pass))].sort((a, b) => a - b);
  return {
    strategy,
    runs: mine.length,
    resolved: resolved.length,
    unresolved: mine.filter((r) => r.status === 'unresolved').length,
    errors: mine.length - ok.length,
    successRate: mine.length ? resolved.length / mine.length : 0,
    meanSteps: mean(ok.map((r) => r.steps)),
    meanStepsResolved: mean(resolved.map((r) => r.steps)),
    tokens: { prompt, completion, total: prompt + completion, meanPerRun: mine.length ? (prompt + completion) / mine.length : 0 },
    wallMs: { total: wall, meanPerRun: mine.length ? wall / mine.length : 0 },
    memory: {
      retrieved: mine.reduce((s, r) => s + r.retrieved.length, 0),
      added: mine.reduce((s, r) => s + r.added.length, 0),
      runsWithRetrieval: mine.filter((r) => r.retrieved.length > 0).length,
      recalled: mine.reduce((s, r) => s + (r.recalled?.length ?? 0), 0),
      cited: mine.reduce((s, r) => s + (r.cited?.length ?? 0), 0),
      hinted: {
        runs: hinted.length,
        recalled: hinted.filter((r) => r.recalled?.length).length,
        resolved: hinted.filter((r) => r.status === 'resolved').length,
      },
    },
    perPass: passes.map((pass) => {
      const these = mine.filter((r) => r.pass === pass);
      const won = these.filter((r) => r.status === 'resolved').length;
      return { pass, runs: these.length, resolved: won, successRate: these.length ? won / these.length : 0 };
    }),
  };
}

/**
 * Differences are taken over the task × stream × pass pairs both strategies ran, so a cancelled stream does
 * not compare a long run against a short one, and each task is compared with itself (which removes task
 * difficulty from the comparison). The bootstrap is seeded, so the same runs always give the same intervals.
 */
export function compareWithNone(
  mine: BenchRun[],
  none: BenchRun[],
  opts: { seed?: number; streams?: number } = {},
): NonNullable<StrategySummary['vsNone']> {
  const noneBy = new Map(none.map((r) => [pairKey(r), r]));
  const pairs = mine.filter((r) => noneBy.has(pairKey(r))).map((r) => [r, noneBy.get(pairKey(r))!] as const);
  const won = (r: BenchRun) => (r.status === 'resolved' ? 1 : 0);
  const totalTokens = (r: BenchRun) => r.tokens.prompt + r.tokens.completion;
  const ran = pairs.filter(([x, y]) => x.status !== 'error' && y.status !== 'error');
  const wins = pairs.map(([x, y]) => won(x) - won(y));
  const stepDiffs = ran.map(([x, y]) => x.steps - y.steps);
  const tokenDiffs = pairs.map(([x, y]) => totalTokens(x) - totalTokens(y));
  const rng = (what: string) => seededRng(deriveSeed(opts.seed ?? 0, `bootstrap:${mine[0]?.strategy ?? ''}:${what}`));
  const scaled = (ci: Interval, f: number, digits: number): Interval => (ci ? [round(ci[0] * f, digits), round(ci[1] * f, digits)] : null);
  const gained = pairs.filter(([x, y]) => won(x) > won(y));
  const lost = pairs.filter(([x, y]) => won(x) < won(y));
  const stepsA = mean(pairs.filter(([x]) => x.status !== 'error').map(([x]) => x.steps));
  const stepsB = mean(pairs.filter(([, y]) => y.status !== 'error').map(([, y]) => y.steps));
  const meanStepDiff = mean(stepDiffs);
  return {
    pairs: pairs.length,
    successRatePoints: round((mean(wins) ?? 0) * 100, 1),
    ci95: scaled(bootstrapMeanCi(wins, rng('success')), 100, 1),
    mcnemarP: mcnemarExactP(gained.length, lost.length),
    discordant: { gained: gained.length, lost: lost.length },
    resolved: gained.length - lost.length,
    meanSteps: stepsA !== null && stepsB !== null ? round(stepsA - stepsB, 2) : null,
    meanTokens: Math.round(mean(tokenDiffs) ?? 0),
    meanWallMs: Math.round(mean(pairs.map(([x, y]) => x.wallMs - y.wallMs)) ?? 0),
    steps: { meanDiff: meanStepDiff === null ? null : round(meanStepDiff, 2), ci95: scaled(bootstrapMeanCi(stepDiffs, rng('steps')), 1, 2), pairs: ran.length },
    tokens: { meanDiff: Math.round(mean(tokenDiffs) ?? 0), ci95: scaled(bootstrapMeanCi(tokenDiffs, rng('tokens')), 1, 0) },
    gained: gained.map(([x]) => runLabel(x, opts.streams ?? 1)),
    lost: lost.map(([x]) => runLabel(x, opts.streams ?? 1)),
  };
}

/** Runs that retrieved or recalled an item their own task had distilled (in an earlier pass): leave-one-out broken. */
export function leaveOneOutAudit(runs: BenchRun[]): BenchReport['leaveOneOut'] {
  const violations: LeaveOneOutViolation[] = [];
  const own = new Map<string, Set<string>>();
  for (const r of runs) {
    const k = `${r.strategy}\u0000${r.stream}\u0000${r.task}`;
    const mineSoFar = own.get(k) ?? new Set<string>();
    const bad = [...new Set([...r.retrieved, ...(r.recalled ?? [])])].filter((id) => mineSoFar.has(id));
    if (bad.length) violations.push({ strategy: r.strategy, task: r.task, stream: r.stream, pass: r.pass, ids: bad });
    const merged = new Set(r.merged);
    for (const id of r.added) if (!merged.has(id)) mineSoFar.add(id);
    own.set(k, mineSoFar);
  }
  return { checked: runs.filter((r) => r.strategy !== 'none').length, violations };
}

/** The order every report lists its runs in: strategy (as given), stream, position. */
export function canonicalOrder(runs: BenchRun[], strategies: readonly StrategyName[]): BenchRun[] {
  return [...runs].sort((a, b) => strategies.indexOf(a.strategy) - strategies.indexOf(b.strategy) || a.stream - b.stream || a.position - b.position);
}

export function buildReport(unordered: BenchRun[], meta: ReportMeta): BenchReport {
  const s = meta.settings;
  const runs = canonicalOrder(unordered, s.strategies);
  const none = runs.filter((r) => r.strategy === 'none');
  const hasNone = s.strategies.includes('none');
  const strategies = s.strategies.map((st): StrategySummary => ({
    ...summarize(st, runs),
    vsNone: hasNone && st !== 'none' ? compareWithNone(runs.filter((r) => r.strategy === st), none, { seed: s.seed ?? 0, streams: s.streams }) : null,
  }));
  return {
    kind: 'reasoningbank-bench',
    version: 1,
    suite: meta.suite,
    settings: s,
    startedAt: meta.startedAt.toISOString(),
    finishedAt: meta.finishedAt.toISOString(),
    wallMs: meta.finishedAt.getTime() - meta.startedAt.getTime(),
    completed: meta.completed,
    shard: meta.shard ?? null,
    units: meta.units,
    orders: Array.from({ length: s.streams }, (_, i) => ({ stream: i + 1, tasks: streamOrder(meta.suite.tasks, i + 1, s.seed) })),
    strategies,
    runs,
    leaveOneOut: leaveOneOutAudit(runs),
  };
}

export interface LearningCurve {
  strategy: StrategyName;
  /** mean over streams of the cumulative success rate after each run of a stream */
  points: number[];
  /** the lowest and highest stream at each point (equal to points with one stream) */
  low: number[];
  high: number[];
  streams: number;
}

/** Cumulative success rate after each run of a stream, per strategy, summarized over streams (the learning curve's data). */
export function learningCurves(report: BenchReport): LearningCurve[] {
  return report.settings.strategies.map((strategy) => {
    const mine = report.runs.filter((r) => r.strategy === strategy);
    const streams = [...new Set(mine.map((r) => r.stream))].sort((a, b) => a - b);
    const curves = streams.map((stream) => {
      let won = 0;
      return mine
        .filter((r) => r.stream === stream)
        .sort((a, b) => a.position - b.position)
        .map((r, i) => (r.status === 'resolved' ? ++won : won) / (i + 1));
    });
    const n = Math.max(0, ...curves.map((c) => c.length));
    const at = (i: number) => curves.filter((c) => i < c.length).map((c) => c[i]!);
    return {
      strategy,
      points: Array.from({ length: n }, (_, i) => mean(at(i))!),
      low: Array.from({ length: n }, (_, i) => Math.min(...at(i))),
      high: Array.from({ length: n }, (_, i) => Math.max(...at(i))),
      streams: streams.length,
    };
  });
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

// ---------- Markdown ----------

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const signed = (x: number, unit = '', digits = 0) => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(digits)}${unit}`;
const num = (x: number | null, digits = 1) => (x === null ? '–' : x.toFixed(digits));
const kTokens = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(0)}k` : x >= 1000 ? `${(x / 1000).toFixed(1)}k` : String(Math.round(x)));
const interval = (ci: Interval, unit: string, digits: number) => (ci ? `[${signed(ci[0], '', digits)}, ${signed(ci[1], unit, digits)}]` : '');
const pValue = (p: number) => (p >= 0.995 ? '= 1' : p >= 0.01 ? `= ${p.toFixed(2)}` : p >= 0.001 ? `= ${p.toFixed(3)}` : '< 0.001');
/** with many streams these lists grow long; the JSON keeps them whole */
const codeList = (xs: string[], most = 20) => xs.slice(0, most).map((t) => `\`${t}\``).join(', ') + (xs.length > most ? ` and ${xs.length - most} more` : '');
const seconds = (ms: number) => (ms >= 100_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`);

export function renderMarkdown(report: BenchReport, opts: { svgFile?: string } = {}): string {
  const s = report.settings;
  const out: string[] = [];
  out.push(`# Bench: ${report.suite.name}`);
  out.push('');
  out.push(
    `${report.suite.tasks.length} task(s) × ${s.repeat} pass(es)${s.streams > 1 ? ` × ${s.streams} streams (seed ${s.seed})` : s.seed !== null ? ` (order seed ${s.seed})` : ''} per strategy · ${s.model}` +
      `${s.embeddingModel ? ` · embeddings ${s.embeddingModel}` : ' · no embeddings (lexical retrieval)'}` +
      ` · k = ${s.k}${s.k > 1 ? ` (${s.mode})` : ''} · max ${s.maxSteps} steps · ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC · ${seconds(report.wallMs)}`,
  );
  if (!report.completed) out.push('', '**Cancelled part-way:** the figures cover only the runs listed below.');
  if (report.shard) {
    out.push('', `**Partial report:** shard ${report.shard.index}/${report.shard.count} (${report.units.join(', ') || 'no units'}); merge the shards with \`reasoningbank bench merge\`.`);
  }
  out.push('');
  out.push('## Summary');
  out.push('');
  const hasNone = s.strategies.includes('none');
  out.push(
    `| strategy | resolved | success rate${hasNone ? ' | Δ vs none' : ''} | mean steps${hasNone ? ' | Δ steps' : ''} | tokens / run${hasNone ? ' | Δ tokens' : ''} | wall / run | items retrieved | items added | errors |`,
  );
  out.push(`|---|---:|---:${hasNone ? '|---:' : ''}|---:${hasNone ? '|---:' : ''}|---:${hasNone ? '|---:' : ''}|---:|---:|---:|---:|`);
  for (const st of report.strategies) {
    const v = st.vsNone;
    const cells = [
      `**${st.strategy}**`,
      `${st.resolved}/${st.runs}`,
      pct(st.successRate),
      ...(hasNone ? [v ? `${signed(v.successRatePoints, ' pp', 1)} (${signed(v.resolved)}) ${interval(v.ci95, '', 1)} p ${pValue(v.mcnemarP)}` : '—'] : []),
      num(st.meanSteps),
      ...(hasNone ? [v?.steps.meanDiff != null ? `${signed(v.steps.meanDiff, '', 1)} ${interval(v.steps.ci95, '', 1)}` : '—'] : []),
      kTokens(st.tokens.meanPerRun),
      ...(hasNone ? [v ? `${signed(v.tokens.meanDiff)} ${interval(v.tokens.ci95, '', 0)}` : '—'] : []),
      seconds(st.wallMs.meanPerRun),
      String(st.memory.retrieved),
      String(st.memory.added),
      String(st.errors),
    ];
    out.push(`| ${cells.join(' | ')} |`);
  }
  const withMemory = report.strategies.filter((st) => st.strategy !== 'none' && st.runs > 0);
  if (withMemory.length) {
    const perRun = (n: number, st: StrategySummary) => num(n / st.runs);
    out.push('', `Lessons per run (shown / recalled / cited): ${withMemory.map((st) => `${st.strategy} ${perRun(st.memory.retrieved, st)} / ${perRun(st.memory.recalled, st)} / ${perRun(st.memory.cited, st)}`).join(' · ')}.`);
    const hinted = withMemory.filter((st) => st.memory.hinted.runs > 0);
    if (hinted.length) {
      out.push(
        '',
        `Runs shown no lesson but told the bank holds some (recalled one / resolved): ${hinted.map((st) => `${st.strategy} ${st.memory.hinted.runs} (${st.memory.hinted.recalled} / ${st.memory.hinted.resolved})`).join(' · ')}.`,
      );
    }
  }
  if (!hasNone) out.push('', '_Add `none` to `--strategy` to see each strategy against the vanilla agent._');
  else {
    out.push(
      '',
      `Δ: this strategy minus \`none\`, paired by task × stream × pass; [low, high] is the 95 % paired-bootstrap interval (seeded), p the exact McNemar p-value over the pairs only one of the two resolved.` +
        ` An interval that contains 0 means the difference may be noise; add streams (\`--streams\`) or tasks to narrow it.`,
    );
  }
  const gains = report.strategies.filter((st) => st.vsNone && (st.vsNone.gained.length || st.vsNone.lost.length));
  if (gains.length) {
    out.push('');
    for (const st of gains) {
      out.push(
        `- **${st.strategy}** resolved ${st.vsNone!.gained.length ? codeList(st.vsNone!.gained) : 'nothing'} that \`none\` did not` +
          `${st.vsNone!.lost.length ? `, and missed ${codeList(st.vsNone!.lost)} that \`none\` resolved` : ''}.`,
      );
    }
  }
  if (s.repeat > 1) {
    out.push('', '### Per pass', '', `| strategy | ${Array.from({ length: s.repeat }, (_, i) => `pass ${i + 1}`).join(' | ')} |`);
    out.push(`|---|${Array.from({ length: s.repeat }, () => '---:').join('|')}|`);
    for (const st of report.strategies) {
      out.push(`| ${st.strategy} | ${Array.from({ length: s.repeat }, (_, i) => {
        const p = st.perPass.find((x) => x.pass === i + 1);
        return p ? `${p.resolved}/${p.runs} (${pct(p.successRate)})` : '–';
      }).join(' | ')} |`);
    }
  }
  if (opts.svgFile) {
    out.push('', '## Learning curve', '', `![Cumulative success rate over the task stream, one line per strategy](${opts.svgFile})`);
  }
  out.push('', '## Per task', '');
  const multi = s.streams > 1;
  out.push(`| task |${multi ? ' stream |' : ''}${s.repeat > 1 ? ' pass |' : ''} ${s.strategies.join(' | ')} |`);
  out.push(`|---|${multi ? '---:|' : ''}${s.repeat > 1 ? '---:|' : ''}${s.strategies.map(() => '---').join('|')}|`);
  const rows = new Map<string, BenchRun[]>();
  for (const r of report.runs) rows.set(pairKey(r), [...(rows.get(pairKey(r)) ?? []), r]);
  const order = [...rows.values()].sort((a, b) => a[0]!.stream - b[0]!.stream || a[0]!.pass - b[0]!.pass || a[0]!.task.localeCompare(b[0]!.task, 'en'));
  for (const these of order) {
    const { task, stream, pass } = these[0]!;
    const cells = s.strategies.map((strategy) => {
      const r = these.find((x) => x.strategy === strategy);
      return r ? cell(r) : '';
    });
    out.push(`| \`${task}\` |${multi ? ` ${stream} |` : ''}${s.repeat > 1 ? ` ${pass} |` : ''} ${cells.join(' | ')} |`);
  }
  out.push('');
  out.push('Cells: ✅ resolved / ❌ unresolved / ⚠️ error · steps · tokens · wall time · memory items retrieved ↓ and added ↑.');
  const lo = report.leaveOneOut;
  out.push(
    '',
    `Leave-one-out: ${lo.violations.length === 0 ? `held in all ${lo.checked} run(s) with memory (no task retrieved an item distilled from itself).` : `**violated** in ${lo.violations.length} run(s): ${lo.violations.map((v) => `${v.strategy} ${v.task}@${multi ? `${v.stream}.` : ''}${v.pass}`).join(', ')}.`}`,
  );
  const decided = new Set(report.runs.filter((r) => r.status !== 'error').map((r) => r.decidedBy));
  out.push(`Verdicts decided by: ${[...decided].map((d) => (d === 'hidden' ? 'hidden tests' : d === 'visible' ? 'the visible tests' : "the agent's own judge")).join(', ') || '–'}.`);
  out.push('', '## Strategies', '');
  for (const st of s.strategies) out.push(`- \`${st}\` — ${STRATEGY_NOTES[st]}`);
  const errors = report.runs.filter((r) => r.error);
  if (errors.length) {
    out.push('', '## Errors', '');
    for (const r of errors) out.push(`- ${r.strategy} \`${r.task}\`@${multi ? `${r.stream}.` : ''}${r.pass}: ${r.error!.replace(/\s+/g, ' ').slice(0, 300)}`);
  }
  return out.join('\n') + '\n';
}

function cell(r: BenchRun): string {
  const mark = r.status === 'resolved' ? '✅' : r.status === 'unresolved' ? '❌' : '⚠️';
  const mem = r.strategy === 'none' ? '' : ` · ${r.retrieved.length}↓ ${r.added.length}↑`;
  return `${mark} ${r.steps} st · ${kTokens(r.tokens.prompt + r.tokens.completion)} · ${seconds(r.wallMs)}${mem}`;
}
