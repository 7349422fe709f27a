/**
 * `reasoningbank bench`: does memory help, on these tasks with this model? Runs the suite as independent
 * streams per strategy, judges with the hidden tests, and reports per task and per strategy, with paired
 * statistics against `none` (JSON, Markdown, SVG). A shard runs part of the units; `bench merge` joins them.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'node:util';
import type { CliIO } from './io';
import { failure, intFlag } from './errors';
import { describeEvent } from './progress';
import { badInput, usageError } from '../engine/errors';
import { OpenAIChatModel } from '../engine/llm/openai-model';
import { RUN_FLAG_OPTIONS, parseRunFlags } from './run-flags';
import { loadSuite, suiteDigest } from '../bench/suite';
import { parseStrategies, memoryFileOf } from '../bench/strategies';
import { type BenchRun, runBench } from '../bench/runner';
import { type BenchReport, buildReport, renderMarkdown } from '../bench/report';
import { writeReportFiles } from '../bench/report-files';
import { benchProgressPrinter } from '../bench/progress';
import { allUnits, parseShard, shardUnits, unitId } from '../bench/plan';
import { identityDifferences, loadUnits, memoryFiles, saveUnit, UNITS_DIR } from '../bench/unit-store';
import { BENCH_MERGE_USAGE, benchMergeCommand } from './bench-merge-command';

export const BENCH_USAGE = `usage: reasoningbank bench --suite DIR [--strategy none,trajectory,workflow,reasoningbank] [--k N]
                          [--mode parallel|sequential] [--repeat N] [--streams N] [--seed S] [--limit N]
                          [--report DIR] [--shard I/N] [--resume] [--json]
                          [--max-steps N] [--base-url URL] [--model NAME] [--embedding-model NAME]
                          [--network on|off] [--no-sandbox] [--keep-work] [--verbose]
       ${BENCH_MERGE_USAGE.replace(/^usage: /, '')}

  --strategy   comma-separated; default none,reasoningbank (memory against the vanilla agent)
  --k, --mode  MaTTS for every strategy: k attempts per task, in parallel or as sequential refinement
  --repeat     run each stream N times (memory carries over from pass to pass within the stream)
  --streams    N independent streams per strategy, each its own seeded task order and its own fresh memory
  --seed       the seed of the stream orders and of the bootstrap (default 1 with --streams > 1; without
               it a single stream keeps the suite's order)
  --limit      only the first N tasks of the suite
  --report     write report.json, report.md and learning-curve.svg (and each unit's memory) there
  --shard      run only the I-th of N parts of the (strategy, stream) units; a partial report for merge
  --resume     skip the units the --report folder already holds (a crashed or stopped run continues)
  --json       print exactly one JSON object (the report) on stdout; progress stays on stderr
  --keep-work  keep the work folder (task repositories, memory files) and print where it is`;

const DEFAULT_STRATEGIES = 'none,reasoningbank';
const MAX_REPEAT = 20;
const MAX_STREAMS = 1000;
const DEFAULT_SEED = 1;

export async function benchCommand(argv: string[], io: CliIO): Promise<number> {
  if (argv[0] === 'merge') return benchMergeCommand(argv.slice(1), io);
  let json = argv.includes('--json');
  let workDir: string | null = null;
  let keepWork = false;
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        suite: { type: 'string' },
        strategy: { type: 'string' },
        repeat: { type: 'string' },
        streams: { type: 'string' },
        seed: { type: 'string' },
        shard: { type: 'string' },
        resume: { type: 'boolean' },
        limit: { type: 'string' },
        report: { type: 'string' },
        'keep-work': { type: 'boolean' },
        verbose: { type: 'boolean' },
        ...RUN_FLAG_OPTIONS,
      },
    });
    json = !!values.json;
    if (values.help) {
      io.stdout(BENCH_USAGE + '\n');
      return 0;
    }
    // everything is validated before the first task starts
    if (!values.suite) throw usageError('--suite DIR is required (for example --suite bench/suites/starter)');
    const suite = loadSuite(path.resolve(io.cwd, values.suite));
    const strategies = parseStrategies(values.strategy ?? DEFAULT_STRATEGIES);
    const { k, mode, maxSteps, settings, network, noSandbox } = parseRunFlags(values, io.env);
    const repeat = intFlag('repeat', values.repeat, 1, 1, MAX_REPEAT);
    const limit = intFlag('limit', values.limit, suite.tasks.length, 1, 100_000);
    const reportDir = values.report ? path.resolve(io.cwd, values.report) : null;
    if (reportDir && fs.existsSync(reportDir) && !fs.statSync(reportDir).isDirectory()) {
      throw usageError(`--report ${values.report}: exists and is not a folder`);
    }
    const streams = intFlag('streams', values.streams, 1, 1, MAX_STREAMS);
    const seed = values.seed === undefined ? (streams > 1 ? DEFAULT_SEED : null) : intFlag('seed', values.seed, DEFAULT_SEED, 0, 2 ** 31 - 1);
    const shard = values.shard === undefined ? null : parseShard(values.shard);
    if (shard && !reportDir) throw usageError('--shard needs --report DIR: the partial report is written there for `reasoningbank bench merge`');
    if (values.resume && !reportDir) throw usageError('--resume needs --report DIR: the folder whose finished units are skipped');
    suite.tasks = suite.tasks.slice(0, limit);
    keepWork = !!values['keep-work'];
    const identity: Pick<BenchReport, 'suite' | 'settings'> = {
      suite: { name: suite.name, dir: suite.dir, tasks: suite.tasks.map((t) => t.name), digest: suiteDigest(suite.tasks) },
      settings: { strategies, k, mode, repeat, streams, seed, maxSteps, model: '', embeddingModel: settings.embeddingModel, network, sandboxed: !noSandbox },
    };
    const planned = shardUnits(allUnits(strategies, streams), shard);

    const printer = benchProgressPrinter(io.stderr, { isTTY: !!io.isTTY, describeEvent: values.verbose ? describeEvent : undefined });
    const model = OpenAIChatModel.create(settings, {
      onWarn: (message) => io.stderr(`warn: ${message}\n`),
    });
    identity.settings.model = model.label;
    const held = reportDir ? heldUnits(reportDir, identity, !!values.resume, values.report!) : [];
    const heldIds = new Set(held.map((h) => unitId(h.unit)));
    const mine = held.filter((h) => planned.some((u) => unitId(u) === unitId(h.unit)));
    const toRun = planned.filter((u) => !heldIds.has(unitId(u)));
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reasoningbank-bench-'));
    io.stderr(
      `bench ${suite.name}: ${suite.tasks.length} task(s) × ${repeat} pass(es) × ${streams} stream(s)${seed !== null ? ` (seed ${seed})` : ''} × ${strategies.length} strateg${strategies.length === 1 ? 'y' : 'ies'} (${strategies.join(', ')}) · ${model.label}${k > 1 ? ` · k=${k} ${mode}` : ''}` +
        `${shard ? ` · shard ${shard.index}/${shard.count}: ${planned.length} of ${strategies.length * streams} unit(s)` : ''}` +
        `${mine.length ? ` · resuming: ${mine.length} unit(s) already finished (${mine.map((h) => unitId(h.unit)).join(', ')})` : ''}\n`,
    );

    const startedAt = new Date(Math.min(Date.now(), ...mine.map((h) => Date.parse(h.startedAt))));
    let unitStarted = new Date();
    const finished: string[] = mine.map((h) => unitId(h.unit));
    const outcome = await runBench({
      suite,
      strategies,
      model,
      workDir,
      k,
      mode,
      repeat,
      streams,
      seed,
      units: toRun,
      maxSteps,
      network,
      noSandbox,
      keepRepos: keepWork,
      env: io.env,
      signal: io.signal,
      onProgress: (p) => {
        if (p.type === 'unit-start') unitStarted = new Date();
        printer(p);
      },
      onUnitDone: ({ unit, runs, memoryDir }) => {
        // a unit whose every run errored measured the endpoint, not the strategy: --resume runs it again
        if (runs.length > 0 && runs.every((r) => r.status === 'error')) {
          io.stderr(`warn: every run of ${unitId(unit)} failed with an error; it is not kept as finished (--resume runs it again)\n`);
          return;
        }
        finished.push(unitId(unit));
        if (!reportDir) return;
        const record = { kind: 'reasoningbank-bench-unit' as const, version: 1 as const, ...identity, unit, startedAt: unitStarted.toISOString(), finishedAt: new Date().toISOString(), runs };
        saveUnit(reportDir, record, memoryFileOf(memoryDir));
      },
    });
    const runs: BenchRun[] = [...mine.flatMap((h) => h.runs), ...outcome.runs];
    const report = buildReport(runs, {
      ...identity,
      startedAt,
      finishedAt: new Date(),
      completed: outcome.completed,
      shard,
      units: planned.map(unitId).filter((id) => finished.includes(id)),
    });

    let files: (ReturnType<typeof writeReportFiles> & { memory: Record<string, string> }) | null = null;
    if (reportDir) {
      const written = writeReportFiles(reportDir, report);
      files = { ...written, memory: memoryFiles(reportDir) };
      io.stderr(`report: ${written.markdown}\n        ${written.json}\n        ${written.svg}\n`);
    }
    if (keepWork) io.stderr(`work folder kept: ${workDir}\n`);

    if (json) io.stdout(JSON.stringify(files ? { ...report, files } : report) + '\n');
    else io.stdout(renderMarkdown(report, files ? { svgFile: files.svg } : {}));

    if (!outcome.completed) {
      io.stderr('reasoningbank: cancelled; the report covers the runs that finished\n');
      return 130;
    }
    if (outcome.runs.length > 0 && outcome.runs.every((r) => r.status === 'error')) {
      io.stderr(`reasoningbank: every run failed with an error; first: ${outcome.runs[0]!.error}\n`);
      return 3;
    }
    return 0;
  } catch (err) {
    return failure(err, io, json, 'reasoningbank bench --help');
  } finally {
    if (workDir && !keepWork) fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * The finished units already in the report folder. Without --resume a folder that holds units is refused
 * (its results would be mixed up or lost); with it, the units must come from the same suite and settings.
 */
function heldUnits(reportDir: string, identity: Pick<BenchReport, 'suite' | 'settings'>, resume: boolean, shown: string) {
  const held = loadUnits(reportDir);
  if (held.length && !resume) {
    throw usageError(
      `--report ${shown} already holds ${held.length} finished unit(s) of a bench run (${path.join(shown, UNITS_DIR)}); ` +
        'add --resume to continue that run, or choose another folder',
    );
  }
  for (const h of held) {
    const diffs = identityDifferences(h, identity);
    if (diffs.length) {
      throw badInput(`--resume: ${shown} holds unit ${unitId(h.unit)} of a different run (${diffs.join('; ')}); use the same suite and settings, or another folder`);
    }
  }
  return held;
}

