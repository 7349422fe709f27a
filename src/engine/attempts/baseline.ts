/**
 * The baseline: the tests before any change, run once per run in a throwaway worktree of its own, and what
 * that run wrote (new files, rewritten tracked files), which every attempt's patch leaves out.
 */
import type { TestResult } from '../types';
import { createWorktree, type Worktree } from '../git/worktree';
import { newFiles, testRunWrites } from '../git/patch';
import type { TrackedChange } from '../git/test-writes';
import { CancelledError, errorMessage } from '../errors';
import type { AttemptContext } from './attempt';
import { testsAt } from './test-runs';

/** The tests before any change, and what that run wrote: the patches leave it out. */
export interface Baseline {
  tests: TestResult | null;
  writes: TestRunWrites;
}

export interface TestRunWrites {
  /** new files it left behind (reports, caches) */
  artifacts: string[];
  /** files of the base it changed or deleted (snapshots, fixtures, badges), with the content it left */
  tracked: TrackedChange[];
}

export const NO_WRITES: TestRunWrites = { artifacts: [], tracked: [] };

const baselines = new WeakMap<AttemptContext, Promise<Baseline>>();

/**
 * The baseline test run, once per run (the first attempt to ask starts it): in a throwaway worktree of its
 * own, while the agent starts, so nothing it writes can reach a patch. What it wrote is left out of every
 * attempt's patch too — the same writes appear when the agent runs the tests itself: the new files it left
 * behind whatever they hold, the tracked files it changed only where the attempt's content is the same
 * (git/test-writes.ts). A baseline that
 * cannot run is a warning, not a failed attempt. Never rejects except on cancel.
 */
export function runBaseline(ctx: AttemptContext, attempt: number): Promise<Baseline> {
  let run = baselines.get(ctx);
  if (!run) {
    run = baselineNow(ctx, attempt);
    // awaited by every attempt on every path; this keeps an early failure from leaving it unhandled
    run.catch(() => {});
    baselines.set(ctx, run);
  }
  return run;
}

async function baselineNow(ctx: AttemptContext, attempt: number): Promise<Baseline> {
  if (!ctx.testCommand) return { tests: null, writes: NO_WRITES };
  let worktree: Worktree | undefined;
  try {
    worktree = await createWorktree({
      repo: ctx.repo,
      runId: ctx.runId,
      index: `${attempt}-baseline`,
      worktreeDir: ctx.worktreeDir,
      linkedFolders: ctx.linkedFolders,
      maxUntrackedBytes: ctx.maxUntrackedBytes,
    });
    // attempts use portBase + 0..MAX_K-1; the baseline takes the last port of the block
    const tests = await testsAt(ctx, worktree, attempt, 'baseline', ctx.portBase + 9);
    return { tests, writes: await writesOf(ctx, worktree, attempt) };
  } catch (err) {
    if (ctx.signal?.aborted || err instanceof CancelledError) throw err;
    ctx.events({ type: 'log', level: 'warn', runId: ctx.runId, message: `attempt ${attempt}: the baseline test run failed (${errorMessage(err)})` });
    return { tests: null, writes: NO_WRITES };
  } finally {
    await worktree?.dispose();
  }
}

/** What the baseline run wrote; not knowing it costs cleaner patches, never the baseline's result. */
async function writesOf(ctx: AttemptContext, worktree: Worktree, attempt: number): Promise<TestRunWrites> {
  try {
    return { artifacts: await newFiles(worktree), tracked: await testRunWrites(worktree, worktree.baseCommit) };
  } catch (err) {
    if (ctx.signal?.aborted || err instanceof CancelledError) throw err;
    ctx.events({
      type: 'log',
      level: 'warn',
      runId: ctx.runId,
      message: `attempt ${attempt}: could not tell what the baseline test run wrote (${errorMessage(err)}); files the tests write may show in the patches`,
    });
    return NO_WRITES;
  }
}
