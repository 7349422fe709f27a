/**
 * The bench report: every run as recorded, per-strategy aggregates, the difference of each strategy
 * against `none` (on the same tasks and passes), and a leave-one-out audit. Everything is computed from
 * the runs, so the numbers in the JSON, the Markdown and the chart are the same numbers.
 */
import type { BenchRun } from './runner';
import type { StrategyName } from './strategies';
import { STRATEGY_NOTES } from './strategies';
import type { ScaleMode } from '../engine/types';

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
  memory: { retrieved: number; added: number; runsWithRetrieval: number; recalled: number; cited: number };
  perPass: PassSummary[];
  /** this strategy minus `none` (null when `none` was not run, or for `none` itself) */
  vsNone: {
    /** difference in success rate, in percentage points */
    successRatePoints: number;
    resolved: number;
    meanSteps: number | null;
    meanTokens: number;
    meanWallMs: number;
    /** task@pass resolved here but not by none, and the reverse */
    gained: string[];
    lost: string[];
  } | null;
}

export interface LeaveOneOutViolation {
  strategy: StrategyName;
  task: string;
  pass: number;
  /** retrieved ids that this same task had added earlier (not merged into someone else's item) */
  ids: string[];
}

export interface BenchReport {
  kind: 'reasoningbank-bench';
  version: 1;
  suite: { name: string; dir: string; tasks: string[] };
  settings: {
    strategies: StrategyName[];
    k: number;
    mode: ScaleMode;
    repeat: number;
    maxSteps: number;
    model: string;
    embeddingModel: string | null;
  };
  startedAt: string;
  finishedAt: string;
  wallMs: number;
  /** false when the stream was cancelled part-way: the figures cover the runs listed */
  completed: boolean;
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
}

const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const key = (r: BenchRun) => `${r.task}@${r.pass}`;

export function summarize(strategy: StrategyName, runs: BenchRun[]): Omit<StrategySummary, 'vsNone'> {
  const mine = runs.filter((r) => r.strategy === strategy);
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
    },
    perPass: passes.map((pass) => {
      const these = mine.filter((r) => r.pass === pass);
      const won = these.filter((r) => r.status === 'resolved').length;
      return { pass, runs: these.length, resolved: won, successRate: these.length ? won / these.length : 0 };
    }),
  };
}

/**
 * Differences are taken over the task@pass pairs both strategies ran, so a cancelled stream does not
 * compare a long run against a short one.
 */
export function compareWithNone(mine: BenchRun[], none: BenchRun[]): NonNullable<StrategySummary['vsNone']> {
  const noneBy = new Map(none.map((r) => [key(r), r]));
  const pairs = mine.filter((r) => noneBy.has(key(r))).map((r) => [r, noneBy.get(key(r))!] as const);
  const rate = (rs: BenchRun[]) => (rs.length ? rs.filter((r) => r.status === 'resolved').length / rs.length : 0);
  const a = pairs.map((p) => p[0]);
  const b = pairs.map((p) => p[1]);
  const stepsA = mean(a.filter((r) => r.status !== 'error').map((r) => r.steps));
  const stepsB = mean(b.filter((r) => r.status !== 'error').map((r) => r.steps));
  const tokens = (rs: BenchRun[]) => mean(rs.map((r) => r.tokens.prompt + r.tokens.completion)) ?? 0;
  const wall = (rs: BenchRun[]) => mean(rs.map((r) => r.wallMs)) ?? 0;
  return {
    successRatePoints: round((rate(a) - rate(b)) * 100, 1),
    resolved: a.filter((r) => r.status === 'resolved').length - b.filter((r) => r.status === 'resolved').length,
    meanSteps: stepsA !== null && stepsB !== null ? round(stepsA - stepsB, 2) : null,
    meanTokens: Math.round(tokens(a) - tokens(b)),
    meanWallMs: Math.round(wall(a) - wall(b)),
    gained: pairs.filter(([x, y]) => x.status === 'resolved' && y.status !== 'resolved').map(([x]) => key(x)),
    lost: pairs.filter(([x, y]) => x.status !== 'resolved' && y.status === 'resolved').map(([x]) => key(x)),
  };
}

/** Runs that retrieved or recalled an item their own task had distilled (in an earlier pass): leave-one-out broken. */
export function leaveOneOutAudit(runs: BenchRun[]): BenchReport['leaveOneOut'] {
  const violations: LeaveOneOutViolation[] = [];
  const own = new Map<string, Set<string>>();
  for (const r of runs) {
    const k = `${r.strategy}\u0000${r.task}`;
    const mineSoFar = own.get(k) ?? new Set<string>();
    const bad = [...new Set([...r.retrieved, ...(r.recalled ?? [])])].filter((id) => mineSoFar.has(id));
    if (bad.length) violations.push({ strategy: r.strategy, task: r.task, pass: r.pass, ids: bad });
    const merged = new Set(r.merged);
    for (const id of r.added) if (!merged.has(id)) mineSoFar.add(id);
    own.set(k, mineSoFar);
  }
  return { checked: runs.filter((r) => r.strategy !== 'none').length, violations };
}

export function buildReport(runs: BenchRun[], meta: ReportMeta): BenchReport {
  const none = runs.filter((r) => r.strategy === 'none');
  const hasNone = meta.settings.strategies.includes('none');
  const strategies = meta.settings.strategies.map((s): StrategySummary => ({
    ...summarize(s, runs),
    vsNone: hasNone && s !== 'none' ? compareWithNone(runs.filter((r) => r.strategy === s), none) : null,
  }));
  return {
    kind: 'reasoningbank-bench',
    version: 1,
    suite: meta.suite,
    settings: meta.settings,
    startedAt: meta.startedAt.toISOString(),
    finishedAt: meta.finishedAt.toISOString(),
    wallMs: meta.finishedAt.getTime() - meta.startedAt.getTime(),
    completed: meta.completed,
    strategies,
    runs,
    leaveOneOut: leaveOneOutAudit(runs),
  };
}

/** Cumulative success rate after each run of the stream, per strategy (the learning curve's data). */
export function learningCurves(report: BenchReport): { strategy: StrategyName; points: number[] }[] {
  return report.settings.strategies.map((strategy) => {
    const mine = report.runs.filter((r) => r.strategy === strategy).sort((a, b) => a.position - b.position);
    let won = 0;
    return { strategy, points: mine.map((r, i) => (r.status === 'resolved' ? ++won : won) / (i + 1)) };
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
const seconds = (ms: number) => (ms >= 100_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`);

export function renderMarkdown(report: BenchReport, opts: { svgFile?: string } = {}): string {
  const s = report.settings;
  const out: string[] = [];
  out.push(`# Bench: ${report.suite.name}`);
  out.push('');
  out.push(
    `${report.suite.tasks.length} task(s) × ${s.repeat} pass(es) per strategy · ${s.model}` +
      `${s.embeddingModel ? ` · embeddings ${s.embeddingModel}` : ' · no embeddings (lexical retrieval)'}` +
      ` · k = ${s.k}${s.k > 1 ? ` (${s.mode})` : ''} · max ${s.maxSteps} steps · ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC · ${seconds(report.wallMs)}`,
  );
  if (!report.completed) out.push('', '**Cancelled part-way:** the figures cover only the runs listed below.');
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
      ...(hasNone ? [v ? `${signed(v.successRatePoints, ' pp', 1)} (${signed(v.resolved)})` : '—'] : []),
      num(st.meanSteps),
      ...(hasNone ? [v?.meanSteps != null ? signed(v.meanSteps, '', 1) : '—'] : []),
      kTokens(st.tokens.meanPerRun),
      ...(hasNone ? [v ? signed(v.meanTokens) : '—'] : []),
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
  }
  if (!hasNone) out.push('', '_Add `none` to `--strategy` to see each strategy against the vanilla agent._');
  const gains = report.strategies.filter((st) => st.vsNone && (st.vsNone.gained.length || st.vsNone.lost.length));
  if (gains.length) {
    out.push('');
    for (const st of gains) {
      out.push(
        `- **${st.strategy}** resolved ${st.vsNone!.gained.length ? st.vsNone!.gained.map((t) => `\`${t}\``).join(', ') : 'nothing'} that \`none\` did not` +
          `${st.vsNone!.lost.length ? `, and missed ${st.vsNone!.lost.map((t) => `\`${t}\``).join(', ')} that \`none\` resolved` : ''}.`,
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
  out.push(`| task |${s.repeat > 1 ? ' pass |' : ''} ${s.strategies.join(' | ')} |`);
  out.push(`|---|${s.repeat > 1 ? '---:|' : ''}${s.strategies.map(() => '---').join('|')}|`);
  const rows = new Map<string, BenchRun[]>();
  for (const r of report.runs) rows.set(key(r), [...(rows.get(key(r)) ?? []), r]);
  const order = [...rows.keys()].sort((a, b) => {
    const [ta, pa] = a.split('@');
    const [tb, pb] = b.split('@');
    return Number(pa) - Number(pb) || ta!.localeCompare(tb!, 'en');
  });
  for (const k of order) {
    const these = rows.get(k)!;
    const [task, pass] = k.split('@');
    const cells = s.strategies.map((strategy) => {
      const r = these.find((x) => x.strategy === strategy);
      return r ? cell(r) : '';
    });
    out.push(`| \`${task}\` |${s.repeat > 1 ? ` ${pass} |` : ''} ${cells.join(' | ')} |`);
  }
  out.push('');
  out.push('Cells: ✅ resolved / ❌ unresolved / ⚠️ error · steps · tokens · wall time · memory items retrieved ↓ and added ↑.');
  const lo = report.leaveOneOut;
  out.push(
    '',
    `Leave-one-out: ${lo.violations.length === 0 ? `held in all ${lo.checked} run(s) with memory (no task retrieved an item distilled from itself).` : `**violated** in ${lo.violations.length} run(s): ${lo.violations.map((v) => `${v.strategy} ${v.task}@${v.pass}`).join(', ')}.`}`,
  );
  const decided = new Set(report.runs.filter((r) => r.status !== 'error').map((r) => r.decidedBy));
  out.push(`Verdicts decided by: ${[...decided].map((d) => (d === 'hidden' ? 'hidden tests' : d === 'visible' ? 'the visible tests' : "the agent's own judge")).join(', ') || '–'}.`);
  out.push('', '## Strategies', '');
  for (const st of s.strategies) out.push(`- \`${st}\` — ${STRATEGY_NOTES[st]}`);
  const errors = report.runs.filter((r) => r.error);
  if (errors.length) {
    out.push('', '## Errors', '');
    for (const r of errors) out.push(`- ${r.strategy} \`${r.task}\`@${r.pass}: ${r.error!.replace(/\s+/g, ' ').slice(0, 300)}`);
  }
  return out.join('\n') + '\n';
}

function cell(r: BenchRun): string {
  const mark = r.status === 'resolved' ? '✅' : r.status === 'unresolved' ? '❌' : '⚠️';
  const mem = r.strategy === 'none' ? '' : ` · ${r.retrieved.length}↓ ${r.added.length}↑`;
  return `${mark} ${r.steps} st · ${kTokens(r.tokens.prompt + r.tokens.completion)} · ${seconds(r.wallMs)}${mem}`;
}
