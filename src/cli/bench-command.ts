/**
 * `reasoningbank bench`: does memory help, on these tasks with this model? Runs the suite as a stream per
 * strategy, judges with the hidden tests, and reports per task and per strategy (JSON, Markdown, SVG).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'node:util';
import type { CliIO } from './io';
import { failure, intFlag } from './errors';
import { describeEvent } from './progress';
import { usageError } from '../engine/errors';
import { OpenAIChatModel } from '../engine/llm/openai-model';
import { RUN_FLAG_OPTIONS, parseRunFlags } from './run-flags';
import { loadSuite } from '../bench/suite';
import { parseStrategies, memoryFileOf } from '../bench/strategies';
import { runBench } from '../bench/runner';
import { buildReport, renderMarkdown } from '../bench/report';
import { writeReportFiles } from '../bench/report-files';
import { benchProgressPrinter } from '../bench/progress';

export const BENCH_USAGE = `usage: reasoningbank bench --suite DIR [--strategy none,trajectory,workflow,reasoningbank] [--k N]
                          [--mode parallel|sequential] [--repeat N] [--limit N] [--report DIR] [--json]
                          [--max-steps N] [--base-url URL] [--model NAME] [--embedding-model NAME]
                          [--keep-work] [--verbose]

  --strategy   comma-separated; default none,reasoningbank (memory against the vanilla agent)
  --k, --mode  MaTTS for every strategy: k attempts per task, in parallel or as sequential refinement
  --repeat     run the whole stream N times (memory carries over from pass to pass)
  --limit      only the first N tasks of the suite
  --report     write report.json, report.md and learning-curve.svg (and each strategy's memory) there
  --json       print exactly one JSON object (the report) on stdout; progress stays on stderr
  --keep-work  keep the work folder (task repositories, memory files) and print where it is`;

const DEFAULT_STRATEGIES = 'none,reasoningbank';
const MAX_REPEAT = 20;

export async function benchCommand(argv: string[], io: CliIO): Promise<number> {
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
    const { k, mode, maxSteps, settings } = parseRunFlags(values, io.env);
    const repeat = intFlag('repeat', values.repeat, 1, 1, MAX_REPEAT);
    const limit = intFlag('limit', values.limit, suite.tasks.length, 1, 100_000);
    const reportDir = values.report ? path.resolve(io.cwd, values.report) : null;
    if (reportDir && fs.existsSync(reportDir) && !fs.statSync(reportDir).isDirectory()) {
      throw usageError(`--report ${values.report}: exists and is not a folder`);
    }
    suite.tasks = suite.tasks.slice(0, limit);
    keepWork = !!values['keep-work'];

    const printer = benchProgressPrinter(io.stderr, { isTTY: !!io.isTTY, describeEvent: values.verbose ? describeEvent : undefined });
    const model = OpenAIChatModel.create(settings, {
      onWarn: (message) => io.stderr(`warn: ${message}\n`),
    });
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reasoningbank-bench-'));
    io.stderr(
      `bench ${suite.name}: ${suite.tasks.length} task(s) × ${repeat} pass(es) × ${strategies.length} strateg${strategies.length === 1 ? 'y' : 'ies'} (${strategies.join(', ')}) · ${model.label}${k > 1 ? ` · k=${k} ${mode}` : ''}\n`,
    );

    const startedAt = new Date();
    const outcome = await runBench({
      suite,
      strategies,
      model,
      workDir,
      k,
      mode,
      repeat,
      maxSteps,
      keepRepos: keepWork,
      env: io.env,
      signal: io.signal,
      onProgress: printer,
    });
    const report = buildReport(outcome.runs, {
      suite: { name: suite.name, dir: suite.dir, tasks: suite.tasks.map((t) => t.name) },
      settings: { strategies, k, mode, repeat, maxSteps, model: model.label, embeddingModel: settings.embeddingModel },
      startedAt,
      finishedAt: new Date(),
      completed: outcome.completed,
    });

    let files: (ReturnType<typeof writeReportFiles> & { memory: Record<string, string> }) | null = null;
    if (reportDir) {
      const written = writeReportFiles(reportDir, report);
      // each strategy's memory, to inspect what it learned (reasoningbank memory list --memory FILE)
      const memory: Record<string, string> = {};
      for (const [strategy, dir] of Object.entries(outcome.memoryDirs)) {
        const file = memoryFileOf(dir!);
        if (!fs.existsSync(file)) continue;
        const dest = path.join(reportDir, 'memory', `${strategy}.sqlite`);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        fs.copyFileSync(file, dest);
        memory[strategy] = dest;
      }
      files = { ...written, memory };
      io.stderr(`report: ${written.markdown}\n        ${written.json}\n        ${written.svg}\n`);
    }
    if (keepWork) io.stderr(`work folder kept: ${workDir}\n`);

    if (json) io.stdout(JSON.stringify(files ? { ...report, files } : report) + '\n');
    else io.stdout(renderMarkdown(report, files ? { svgFile: files.svg } : {}));

    if (!outcome.completed) {
      io.stderr('reasoningbank: cancelled; the report covers the runs that finished\n');
      return 130;
    }
    if (report.runs.length > 0 && report.runs.every((r) => r.status === 'error')) {
      io.stderr(`reasoningbank: every run failed with an error; first: ${report.runs[0]!.error}\n`);
      return 3;
    }
    return 0;
  } catch (err) {
    return failure(err, io, json, 'reasoningbank bench --help');
  } finally {
    if (workDir && !keepWork) fs.rmSync(workDir, { recursive: true, force: true });
  }
}
