/**
 * The project's tests in an attempt's worktree (or the baseline's): under the run's sandbox with the
 * attempt's own environment, asked about where nothing confines them, their output kept in the run folder.
 * The same environment and confinement serve the agent's own commands (openAttempt).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { TestResult } from '../types';
import type { Worktree } from '../git/worktree';
import { runTests } from '../judge/run-tests';
import { scrubEnv } from '../exec';
import { privateTempEnv } from '../sandbox/sandbox';
import { errorMessage } from '../errors';
import { testOutputName, writeTestOutput } from '../run-record';
import type { AttemptContext, OpenAttempt } from './attempt';

/** The scrubbed environment of an attempt's commands: its own PORT, temp folder and caches. */
export function commandEnv(ctx: AttemptContext, worktree: Worktree, index: number): NodeJS.ProcessEnv {
  return scrubEnv(process.env, ctx.allowEnv ?? [], { PORT: String(ctx.portBase + index), ...privateTempEnv(worktree.tmpDir) });
}

/** Writable: the worktree and its temp folder; the worktree's `.git` pointer stays read-only. */
export function confinedTo(ctx: AttemptContext, worktree: Worktree) {
  return {
    sandbox: ctx.sandbox,
    confinement: {
      writable: [worktree.path, worktree.tmpDir],
      readOnly: [path.join(worktree.path, '.git')],
      // the admin folder is <common dir>/worktrees/<name>: git in the worktree reads the common dir
      visible: [worktree.repo, path.dirname(path.dirname(worktree.gitDir))],
      home: os.homedir(),
    },
  };
}

/** The tests after an attempt's change; `round`: which refinement round (sequential mode). */
export async function runTestsIn(ctx: AttemptContext, open: OpenAttempt, round?: number): Promise<TestResult | null> {
  const after = await testsAt(ctx, open.worktree, open.index, 'after', ctx.portBase + open.index, round);
  // a refinement round whose tests did not run must not leave an earlier round's output as the attempt's
  if (!after) fs.rmSync(path.join(ctx.runDir, testOutputName({ phase: 'after', attempt: open.index })), { force: true });
  return after;
}

export async function testsAt(
  ctx: AttemptContext,
  worktree: Worktree,
  attempt: number,
  phase: 'baseline' | 'after',
  port: number,
  round?: number,
): Promise<TestResult | null> {
  if (!ctx.testCommand) return null;
  if (!(await testsMayRun(ctx, attempt, phase))) return null;
  const result = await runTests({
    command: ctx.testCommand,
    cwd: worktree.path,
    env: commandEnv(ctx, worktree, port - ctx.portBase),
    sandbox: confinedTo(ctx, worktree),
    signal: ctx.signal,
  });
  keepOutput(ctx, result, attempt, phase, round);
  ctx.events({ type: 'tests', runId: ctx.runId, attempt, phase, result });
  return result;
}

/**
 * The run's output into the run folder (`result.file` says where): the baseline's, the attempt's latest
 * after-run, and in sequential mode each round's too. A file that cannot be written costs the record,
 * never the run.
 */
function keepOutput(ctx: AttemptContext, result: TestResult, attempt: number, phase: 'baseline' | 'after', round?: number): void {
  try {
    if (phase === 'after' && round !== undefined) writeTestOutput(ctx.runDir, testOutputName({ phase, attempt, round }), result);
    result.file = writeTestOutput(ctx.runDir, testOutputName(phase === 'baseline' ? { phase } : { phase, attempt }), result);
  } catch (err) {
    ctx.events({ type: 'log', level: 'warn', runId: ctx.runId, message: `attempt ${attempt}: could not keep the ${phase} test output in the run folder (${errorMessage(err)})` });
  }
}

/**
 * Without an OS sandbox the tests run unconfined, and after an attempt they run code the agent wrote (it can
 * rewrite the test script with a file tool, which asks nobody): where someone can be asked (VS Code), they
 * are asked first; declined, the tests do not run and the LLM judge decides. With a sandbox, or headless
 * with --no-sandbox (the user chose it), they just run.
 */
async function testsMayRun(ctx: AttemptContext, attempt: number, phase: 'baseline' | 'after'): Promise<boolean> {
  if (ctx.sandbox.kind !== 'none' || !ctx.approveCommand || !ctx.testCommand) return true;
  const answer = await ctx.approveCommand({ command: ctx.testCommand, attempt, purpose: phase === 'after' ? 'tests-after' : 'tests-baseline' });
  if (answer.allowed) return true;
  ctx.events({ type: 'log', level: 'warn', runId: ctx.runId, message: `attempt ${attempt}: the ${phase} test run was declined; the LLM judge decides` });
  return false;
}
