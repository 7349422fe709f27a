/**
 * The patch of an attempt: everything in its worktree that differs from the base commit, new files
 * included, ignored files and the linked dependency folders left out — and what the test run itself
 * writes (new files it leaves, tracked files it rewrites: see test-writes.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { type WorktreeGit, assertDriversUnchanged, worktreeGitRaw } from './git';
import { readLinked } from './admin';
import { copyIndex, ignoredPaths, untrackedToLeaveOut } from './snapshot';
import { type TestWriteSplit, type TrackedChange, splitTestWrites, stagedChanges, trackedOnly } from './test-writes';

/**
 * Options that make the patch the same whatever the user's diff settings (noprefix, external diff tools,
 * color, renames), so `git apply` and other tools read it.
 */
export const PORTABLE_DIFF_ARGS = ['--binary', '--no-color', '--no-ext-diff', '--no-renames', '--src-prefix=a/', '--dst-prefix=b/'];

export interface DiffOptions {
  /** untracked paths to leave out as well (what the baseline test run wrote: reports, caches) */
  leaveOut?: string[];
  /** tracked files the baseline test run changed, with what it left: left out where the attempt changed them the same */
  testWrites?: TrackedChange[];
}

/** An attempt's patch, and how its changes split against what the test run itself writes. */
export interface AttemptPatch {
  patch: string;
  testWrites: TestWriteSplit;
  /** the diff of the files left out as the test run's own writes ('' when none), for the run record */
  leftOutPatch: string;
}

export async function diffWorktree(wt: WorktreeGit, baseCommit: string, opts: DiffOptions = {}): Promise<string> {
  return (await attemptPatch(wt, baseCommit, opts)).patch;
}

export async function attemptPatch(wt: WorktreeGit, baseCommit: string, opts: DiffOptions = {}): Promise<AttemptPatch> {
  return withStagedWorktree(wt, 'all', opts.leaveOut ?? [], async (staged) => {
    const testWrites = opts.testWrites?.length
      ? splitTestWrites(await stagedChanges(wt, baseCommit, staged.pathspec, staged.env), opts.testWrites)
      : { leftOut: [], kept: [] };
    const patch = await stagedDiff(wt, baseCommit, [...staged.pathspec, ...testWrites.leftOut.map((p) => `:(exclude,literal)${p}`)], staged);
    const leftOutPatch = testWrites.leftOut.length ? await stagedDiff(wt, baseCommit, testWrites.leftOut.map((p) => `:(literal)${p}`), staged) : '';
    return { patch, testWrites, leftOutPatch };
  });
}

/** The files of the base commit a test run changed or deleted in this worktree, with what it left in them. */
export async function testRunWrites(wt: WorktreeGit, baseCommit: string): Promise<TrackedChange[]> {
  return withStagedWorktree(wt, 'tracked', [], async (staged) => trackedOnly(await stagedChanges(wt, baseCommit, staged.pathspec, staged.env)));
}

interface Staged {
  pathspec: string[];
  env: Record<string, string>;
  /** the scratch index; files beside it (`<scratch>.attributes`) are removed with it */
  scratch: string;
}

/**
 * Runs `fn` with the worktree's state staged in a scratch copy of its index, so the agent's own index (what
 * it sees with `git diff` / `git status` between refinement rounds) stays as it was. `all`: every change, new
 * files included, minus the linked folders and `leaveOut`; `tracked`: changes to files git already tracks
 * (no new file is hashed).
 */
async function withStagedWorktree<T>(wt: WorktreeGit, what: 'all' | 'tracked', leaveOut: string[], fn: (staged: Staged) => Promise<T>): Promise<T> {
  await assertDriversUnchanged(wt);
  const admin = wt.gitDir;
  const scratch = path.join(admin, `reasoningbank-diff-${process.pid}-${Date.now()}.index`);
  try {
    // no index yet: git add builds the scratch one from scratch
    copyIndex(path.join(admin, 'index'), scratch);
    const env = { GIT_INDEX_FILE: scratch };
    let pathspec = ['.'];
    if (what === 'all') {
      // A linked folder the ignore rules already cover must not be named: git refuses an ignored path even
      // as an exclude. One they do not cover (`node_modules/` does not match the symlink we put there, nor
      // does a negated pattern) must be excluded, or the symlink itself would land in the patch.
      const candidates = [...readLinked(admin), ...leaveOut];
      const ignored = new Set(candidates.length ? await ignoredPaths(wt, candidates) : []);
      const excluded = candidates.filter((p) => !ignored.has(p));
      // a repository the agent created with `git init` and no commit would make git refuse the whole patch
      excluded.push(...(await untrackedToLeaveOut(wt, excluded)));
      pathspec = ['.', ...excluded.map((p) => `:(exclude,literal)${p}`)];
    }
    await worktreeGitRaw(wt, ['add', what === 'all' ? '-A' : '-u', '--', ...pathspec], { env });
    return await fn({ pathspec, env, scratch });
  } finally {
    fs.rmSync(scratch, { force: true });
    fs.rmSync(`${scratch}.lock`, { force: true });
    fs.rmSync(`${scratch}.attributes`, { force: true });
  }
}

/** The staged changes under `pathspec` as a portable patch, byte-exact. */
async function stagedDiff(wt: WorktreeGit, baseCommit: string, pathspec: string[], staged: Staged): Promise<string> {
  const diff = await worktreeGitRaw(wt, ['diff', '--cached', '--no-textconv', ...PORTABLE_DIFF_ARGS, baseCommit, '--', ...pathspec], { env: staged.env });
  if (!diff.includes(LOSSY)) return diff;
  return diffKeepingBytes(wt, baseCommit, pathspec, staged.env, `${staged.scratch}.attributes`);
}

/** What a byte that is not UTF-8 becomes when git's output is read as text. */
const LOSSY = '\uFFFD';

/**
 * The patch travels as text (JSON results, events, the editor's diff view), so a file whose bytes are not
 * UTF-8 (Latin-1 source, a stray byte) cannot go as a text hunk: it would lose those bytes and never apply.
 * Such files are marked `-diff` for this one diff and go as git binary patches — ASCII, byte-exact, and
 * applied by `git apply` like any other hunk. Every other file keeps its readable text hunk.
 */
async function diffKeepingBytes(
  wt: WorktreeGit,
  baseCommit: string,
  pathspec: string[],
  env: Record<string, string>,
  attributesFile: string,
): Promise<string> {
  const changed = (await worktreeGitRaw(wt, ['diff', '--cached', '--name-only', '-z', '--no-renames', baseCommit, '--', ...pathspec], { env }))
    .split('\0')
    .filter(Boolean);
  const lossy: string[] = [];
  for (const file of changed) {
    const one = await worktreeGitRaw(wt, ['diff', '--cached', '--no-textconv', ...PORTABLE_DIFF_ARGS, baseCommit, '--', `:(literal)${file}`], { env });
    if (one.includes(LOSSY)) lossy.push(file);
  }
  fs.writeFileSync(attributesFile, lossy.map((f) => `${attributePattern(f)} -diff\n`).join(''));
  return worktreeGitRaw(wt, ['diff', '--cached', '--no-textconv', ...PORTABLE_DIFF_ARGS, baseCommit, '--', ...pathspec], {
    env,
    config: [`core.attributesFile=${attributesFile}`],
  });
}

/** A .gitattributes pattern that matches exactly this path: anchored, glob characters escaped, quoted when needed. */
function attributePattern(file: string): string {
  const escaped = '/' + file.replace(/[\\*?[\]]/g, '\\$&');
  return /[\s"#!]/.test(escaped) ? `"${escaped.replace(/["\\]/g, '\\$&')}"` : escaped;
}

/** Untracked, not ignored files in a worktree, without its linked dependency folders. */
export async function newFiles(wt: WorktreeGit): Promise<string[]> {
  const linked = readLinked(wt.gitDir);
  const listed = (await worktreeGitRaw(wt, ['ls-files', '--others', '--exclude-standard', '-z'])).split('\0').filter(Boolean);
  return listed.filter((f) => !linked.some((l) => f === l || f.startsWith(`${l}/`)));
}
