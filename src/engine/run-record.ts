/**
 * Every run leaves a record under <repo>/.reasoningbank/runs/<runId>/: result.json, patch.diff (the chosen
 * patch), trajectory.jsonl (the chosen attempt's steps), one trajectory file per attempt, and the output of
 * each test run (baseline.tests.txt, attempt-N.tests.txt). The folder ignores itself in git so nothing of
 * ours shows up in the user's `git status`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import type { SolveResult, TestResult } from './types';
import { redact } from './memory/redact';
import { plainText } from './text';
import { EngineError } from './errors';

export function stateDir(repoTop: string): string {
  const dir = path.join(repoTop, '.reasoningbank');
  fs.mkdirSync(dir, { recursive: true });
  assertInsideRepo(repoTop, dir);
  const ignore = path.join(dir, '.gitignore');
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# ReasoningBank state: memory bank and run records\n*\n');
  return dir;
}

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..+$/, '').replace('T', '-');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export function createRunDir(repoTop: string, runId: string): string {
  const runs = path.join(stateDir(repoTop), 'runs');
  fs.mkdirSync(runs, { recursive: true });
  assertInsideRepo(repoTop, runs);
  const dir = path.join(runs, runId);
  fs.mkdirSync(dir);
  return dir;
}

/**
 * A repository can commit `.reasoningbank` (or its `runs`) as a link to anywhere; run records and the
 * ignore file are never written through one that leads out of the repository.
 */
function assertInsideRepo(repoTop: string, dir: string): void {
  const top = fs.realpathSync(repoTop);
  const real = fs.realpathSync(dir);
  if (real !== top && !real.startsWith(top + path.sep)) {
    throw new EngineError(
      'unsafe-folder',
      `${dir} is a link to ${real}, outside the repository: ReasoningBank keeps its run records there and will not write through it. ` +
        'Remove the link (a repository may have committed it), then run again.',
    );
  }
}

export function writeRunRecord(runDir: string, result: SolveResult): void {
  // secrets the judge or an error message echoed are redacted; patches stay byte for byte (they are applied)
  const recorded = JSON.stringify(result, (key, value: unknown) => (typeof value === 'string' && key !== 'patch' ? redact(value) : value), 2);
  fs.writeFileSync(path.join(runDir, 'result.json'), recorded + '\n');
  fs.writeFileSync(path.join(runDir, 'patch.diff'), result.patch);
  const chosen = path.join(runDir, `attempt-${result.chosen}.trajectory.jsonl`);
  if (fs.existsSync(chosen)) fs.copyFileSync(chosen, path.join(runDir, 'trajectory.jsonl'));
  else if (!fs.existsSync(path.join(runDir, 'trajectory.jsonl'))) fs.writeFileSync(path.join(runDir, 'trajectory.jsonl'), '');
  for (const attempt of result.attempts) {
    if (attempt.patch) fs.writeFileSync(path.join(runDir, `attempt-${attempt.index}.diff`), attempt.patch);
  }
}

/**
 * Which file of the run folder keeps a test run's output: the baseline's, an attempt's last after-run
 * (the one that decided), or one refinement round's (sequential mode).
 */
export function testOutputName(of: { phase: 'baseline' } | { phase: 'after'; attempt: number; round?: number }): string {
  if (of.phase === 'baseline') return 'baseline.tests.txt';
  return of.round === undefined ? `attempt-${of.attempt}.tests.txt` : `attempt-${of.attempt}.round-${of.round}.tests.txt`;
}

/** One line that says how the run went, then its output (already head+tail, so the file stays small). */
export function testOutputText(result: TestResult): string {
  const counts = result.passed !== null || result.failed !== null ? `${result.passed ?? '?'} passed, ${result.failed ?? '?'} failed` : 'counts not reported';
  const seconds = (result.durationMs / 1000).toFixed(1);
  const exit = result.exitCode === null ? 'none (killed)' : String(result.exitCode);
  // JSON quoting keeps a command with a newline on the first line
  const header = `test run: command ${JSON.stringify(result.command)}, exit code ${exit}, ${counts}, ${seconds} s, timed out: ${result.timedOut ? 'yes' : 'no'}`;
  const body = plainText(result.output).trimEnd();
  return redact(`${header}\n\n${body || '(no output)'}\n`);
}

/**
 * Writes a test run's output into the run folder and returns its path. The output comes from code the
 * agent wrote: it is redacted and stripped of terminal control sequences (a user may `cat` it), and written
 * as a new file, never through a link that might stand where it goes.
 */
export function writeTestOutput(runDir: string, name: string, result: TestResult): string {
  const file = path.join(runDir, name);
  fs.rmSync(file, { force: true });
  fs.writeFileSync(file, testOutputText(result), { flag: 'wx' });
  return file;
}
