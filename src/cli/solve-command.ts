/** `reasoningbank solve`: flags → validated SolveOptions → solve → patch/summary or one JSON object. */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'node:util';
import type { CliIO } from './io';
import { solve } from '../engine/solve';
import { OpenAIChatModel } from '../engine/llm/openai-model';
import { usageError } from '../engine/errors';
import { fanOut } from '../engine/events';
import { progressPrinter } from './progress';
import { failure } from './errors';
import { RUN_FLAG_OPTIONS, parseRunFlags } from './run-flags';

export const SOLVE_USAGE = `usage: reasoningbank solve --repo DIR (--issue TEXT | --issue-file FILE) [--test CMD] [--memory FILE]
                          [--k N] [--mode parallel|sequential] [--max-steps N] [--apply] [--no-memory]
                          [--base-url URL] [--model NAME] [--embedding-model NAME] [--allow-env NAME]...
                          [--network on|off] [--no-sandbox] [--trust-memory] [--json]`;

/** Resolved, but `--apply` could not apply the patch (the user's tree changed meanwhile). */
const EXIT_NOT_APPLIED = 4;

export async function solveCommand(argv: string[], io: CliIO): Promise<number> {
  let json = argv.includes('--json');
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        repo: { type: 'string' },
        issue: { type: 'string' },
        'issue-file': { type: 'string' },
        test: { type: 'string' },
        memory: { type: 'string' },
        apply: { type: 'boolean' },
        'no-memory': { type: 'boolean' },
        'allow-env': { type: 'string', multiple: true },
        'trust-memory': { type: 'boolean' },
        ...RUN_FLAG_OPTIONS,
      },
    });
    json = !!values.json;
    if (values.help) {
      io.stdout(SOLVE_USAGE + '\n');
      return 0;
    }
    const repo = path.resolve(io.cwd, values.repo ?? '.');
    if (!fs.existsSync(repo)) throw usageError(`--repo ${values.repo ?? '.'}: no such folder`);
    if (values.issue !== undefined && values['issue-file'] !== undefined) throw usageError('give either --issue or --issue-file, not both');
    let task = values.issue;
    if (values['issue-file'] !== undefined) {
      const file = path.resolve(io.cwd, values['issue-file']);
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw usageError(`--issue-file ${values['issue-file']}: no such file`);
      task = fs.readFileSync(file, 'utf8');
    }
    if (!task || !task.trim()) throw usageError('no issue text: pass --issue TEXT or --issue-file FILE');
    if (values['no-memory'] && values.memory) throw usageError('--memory and --no-memory contradict each other');
    const { k, mode, maxSteps, settings, network, noSandbox, maxUntrackedBytes } = parseRunFlags(values, io.env);
    const printer = progressPrinter(io.stderr, !!io.isTTY);
    const model = OpenAIChatModel.create(settings, { onWarn: (m) => printer({ type: 'log', level: 'warn', message: m }) });

    const result = await solve({
      repo,
      task,
      testCommand: values.test,
      memoryFile: values.memory ? path.resolve(io.cwd, values.memory) : undefined,
      noMemory: !!values['no-memory'],
      k,
      mode,
      maxSteps,
      maxUntrackedBytes,
      apply: !!values.apply,
      model,
      allowEnv: values['allow-env'] ?? [],
      network,
      noSandbox,
      // naming the file is confirming it
      trustMemory: !!values['trust-memory'] || values.memory !== undefined,
      events: fanOut(printer),
      signal: io.signal,
    });

    if (json) {
      io.stdout(JSON.stringify(result) + '\n');
    } else {
      if (result.patch) io.stdout(result.patch.endsWith('\n') ? result.patch : result.patch + '\n');
      const tests = result.tests ? `; tests: ${result.tests.passed ?? '?'} passed, ${result.tests.failed ?? '?'} failed (exit ${result.tests.exitCode})` : '';
      io.stderr(
        `\n${result.status}${result.attempts.length > 1 ? ` (attempt ${result.chosen} of ${result.attempts.length})` : ''}: ${result.steps} steps, ${result.tokens.prompt + result.tokens.completion} tokens${tests}\n` +
          `judge: ${result.judge.reason}\n` +
          // which test failed and why: the kept output of the run that decided
          (result.status !== 'resolved' && result.testOutput ? `test output: ${result.testOutput}\n` : '') +
          `memory: ${result.memory.retrieved.length} lesson(s) used, ${result.memory.added.length} added\n` +
          (result.applied
            ? 'the patch was applied to the working tree\n'
            : values.apply
              ? `the patch was NOT applied${result.applyError ? `: ${result.applyError}` : ''}\n`
              : '') +
          `run record: ${result.runDir}\n`,
      );
    }
    if (result.status === 'resolved') return result.applyError ? EXIT_NOT_APPLIED : 0;
    return 1;
  } catch (err) {
    return failure(err, io, json, 'reasoningbank solve --help');
  }
}
