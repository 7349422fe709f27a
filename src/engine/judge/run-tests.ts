/** Runs a project's test command (whole process tree killed on timeout or cancel) and reads its summary. */
import { type RunOptions, runCommand } from '../exec';
import { CancelledError } from '../errors';
import { truncateMiddle } from '../text';
import type { TestResult } from '../types';
import { parseTestOutput } from './parse';

export interface RunTestsOptions {
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** default 10 minutes */
  timeoutMs?: number;
  signal?: AbortSignal;
  sandbox?: RunOptions['sandbox'];
}

export const DEFAULT_TEST_TIMEOUT_MS = 600_000;
/** what a TestResult keeps of the output: enough for the judge and the agent to see what failed */
const KEPT_OUTPUT_CHARS = 12_000;

/** Throws CancelledError when `signal` aborts the run: a cancelled test run has no result to judge. */
export async function runTests(opts: RunTestsOptions): Promise<TestResult> {
  const outcome = await runCommand({
    command: opts.command,
    cwd: opts.cwd,
    env: opts.env,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS,
    signal: opts.signal,
    sandbox: opts.sandbox,
    // parse the whole captured output (go prints one summary line per package), keep less of it
    maxOutputChars: Number.MAX_SAFE_INTEGER,
  });
  if (outcome.cancelled) throw new CancelledError('test run cancelled');
  const counts = parseTestOutput(outcome.output);
  return {
    command: opts.command,
    exitCode: outcome.exitCode,
    passed: counts?.passed ?? null,
    failed: counts?.failed ?? null,
    timedOut: outcome.timedOut,
    durationMs: outcome.durationMs,
    // the tail carries the summary and the failures: keep more of it
    output: truncateMiddle(outcome.output, KEPT_OUTPUT_CHARS, 0.25),
  };
}
