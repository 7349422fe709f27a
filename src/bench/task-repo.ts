/**
 * Fresh repositories for bench tasks and the hidden-test verdict. Every run gets its own copy with one
 * initial commit, so the agent's worktrees, patches and run records of one task never touch the next.
 * Judging happens in a second fresh copy: the patch is applied there, the hidden files are copied over it
 * (they win over anything the agent wrote), and the judge command decides.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { BenchTask } from './suite';
import { gitRaw } from '../engine/git/git';
import { runCommand, scrubEnv } from '../engine/exec';
import { privateTempEnv } from '../engine/sandbox/sandbox';
import type { Sandbox } from '../engine/sandbox/types';
import { EngineError } from '../engine/errors';

const BENCH_IDENTITY: Record<string, string> = {
  GIT_AUTHOR_NAME: 'reasoningbank-bench',
  GIT_AUTHOR_EMAIL: 'bench@localhost',
  GIT_COMMITTER_NAME: 'reasoningbank-bench',
  GIT_COMMITTER_EMAIL: 'bench@localhost',
};

/** Creates `dest` as a git repository holding the task's code in one commit; returns `dest`. */
export async function prepareTaskRepo(task: BenchTask, dest: string): Promise<string> {
  if (fs.existsSync(dest) && fs.readdirSync(dest).length > 0) {
    throw new EngineError('internal', `bench workspace ${dest} is not empty`);
  }
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  if (task.repoBundle) {
    await gitRaw(path.dirname(dest), ['clone', '--quiet', task.repoBundle, dest]);
    return dest;
  }
  fs.mkdirSync(dest, { recursive: true });
  fs.cpSync(task.repoDir!, dest, {
    recursive: true,
    // a nested .git would make the copy someone else's repository
    filter: (src) => path.basename(src) !== '.git',
  });
  await gitRaw(dest, ['-c', 'init.defaultBranch=main', 'init', '--quiet']);
  await gitRaw(dest, ['add', '-A']);
  await gitRaw(dest, ['-c', 'commit.gpgsign=false', 'commit', '--quiet', '--no-verify', '-m', `bench task ${task.name}`], {
    env: BENCH_IDENTITY,
  });
  return dest;
}

export interface JudgeOutcome {
  resolved: boolean;
  /** what decided: hidden tests, the visible test command, or nothing to run (then the agent's verdict) */
  decidedBy: 'hidden' | 'visible' | 'agent';
  command: string | null;
  exitCode: number | null;
  passed: number | null;
  failed: number | null;
  timedOut: boolean;
  /** the patch did not apply to a fresh copy */
  patchError?: string;
  output: string;
}

/**
 * Applies `patch` to a fresh copy of the task in `dest`, adds the hidden files and runs the judge command.
 * `agentResolved` is the verdict when the task has no command at all.
 */
export async function judgeTask(
  task: BenchTask,
  patch: string,
  dest: string,
  opts: { agentResolved: boolean; signal?: AbortSignal; env?: NodeJS.ProcessEnv; sandbox?: Sandbox },
): Promise<JudgeOutcome> {
  const decidedBy: JudgeOutcome['decidedBy'] = task.hiddenDir ? 'hidden' : task.judgeCommand ? 'visible' : 'agent';
  const base = { decidedBy, command: task.judgeCommand, exitCode: null, passed: null, failed: null, timedOut: false, output: '' };
  if (!task.judgeCommand) return { ...base, resolved: opts.agentResolved };
  await prepareTaskRepo(task, dest);
  if (patch.trim()) {
    const patchFile = path.join(path.dirname(dest), `${path.basename(dest)}.patch`);
    fs.writeFileSync(patchFile, patch.endsWith('\n') ? patch : patch + '\n');
    try {
      await gitRaw(dest, ['apply', '--whitespace=nowarn', patchFile]);
    } catch (err) {
      return { ...base, resolved: false, patchError: (err as Error).message, output: (err as Error).message };
    } finally {
      fs.rmSync(patchFile, { force: true });
    }
  }
  if (task.hiddenDir) fs.cpSync(task.hiddenDir, dest, { recursive: true, force: true });
  // the hidden tests run the agent's code: confined like the attempt's own commands, with a temp folder of their own
  const tmpDir = fs.mkdtempSync(path.join(path.dirname(dest), `${path.basename(dest)}-tmp-`));
  const run = await runCommand({
    command: task.judgeCommand,
    cwd: dest,
    timeoutMs: task.judgeTimeoutMs,
    env: scrubEnv(opts.env ?? process.env, [], privateTempEnv(tmpDir)),
    signal: opts.signal,
    maxOutputChars: 8000,
    sandbox: opts.sandbox && { sandbox: opts.sandbox, confinement: { writable: [dest, tmpDir], readOnly: [path.join(dest, '.git')], home: os.homedir() } },
  }).finally(() => fs.rmSync(tmpDir, { recursive: true, force: true }));
  const counts = countTests(run.output);
  return {
    ...base,
    resolved: run.exitCode === 0 && !run.timedOut && !run.cancelled,
    exitCode: run.exitCode,
    passed: counts.passed,
    failed: counts.failed,
    timedOut: run.timedOut,
    output: run.output,
  };
}

/** Pass/fail counts from the summaries of node --test (TAP and spec), mocha, jest/vitest and pytest. */
export function countTests(output: string): { passed: number | null; failed: number | null } {
  const last = (re: RegExp): number | null => {
    let hit: number | null = null;
    for (const m of output.matchAll(re)) hit = Number(m[1]);
    return hit;
  };
  // node --test: "# pass 3" (TAP) or "ℹ pass 3" (spec reporter)
  const nodePass = last(/^(?:#|ℹ) pass (\d+)/gm);
  if (nodePass !== null) return { passed: nodePass, failed: last(/^(?:#|ℹ) fail (\d+)/gm) ?? 0 };
  const jestLine = /^Tests:\s+(.*)$/m.exec(output);
  if (jestLine) {
    return { passed: Number(/(\d+) passed/.exec(jestLine[1]!)?.[1] ?? 0), failed: Number(/(\d+) failed/.exec(jestLine[1]!)?.[1] ?? 0) };
  }
  const passing = last(/^\s*(\d+) passing/gm);
  if (passing !== null) return { passed: passing, failed: last(/^\s*(\d+) failing/gm) ?? 0 };
  const pytest = /=+ (?:(\d+) failed, )?(\d+) passed/.exec(output);
  if (pytest) return { passed: Number(pytest[2]), failed: Number(pytest[1] ?? 0) };
  return { passed: null, failed: null };
}
