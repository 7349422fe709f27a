/**
 * The patch of an attempt: everything in its worktree that differs from the base commit, new files
 * included, ignored files and the linked dependency folders left out.
 */
import * as fs from 'fs';
import * as path from 'path';
import { type WorktreeGit, assertDriversUnchanged, worktreeGitRaw } from './git';
import { readLinked } from './admin';
import { copyIndex, ignoredPaths, untrackedToLeaveOut } from './snapshot';

/**
 * Options that make the patch the same whatever the user's diff settings (noprefix, external diff tools,
 * color, renames), so `git apply` and other tools read it.
 */
export const PORTABLE_DIFF_ARGS = ['--binary', '--no-color', '--no-ext-diff', '--no-renames', '--src-prefix=a/', '--dst-prefix=b/'];

export interface DiffOptions {
  /** untracked paths to leave out as well (what the baseline test run wrote: reports, caches) */
  leaveOut?: string[];
}

export async function diffWorktree(wt: WorktreeGit, baseCommit: string, opts: DiffOptions = {}): Promise<string> {
  await assertDriversUnchanged(wt);
  const admin = wt.gitDir;
  // A scratch copy of the worktree's index: staging everything there leaves the agent's own index
  // (what it sees with `git diff` / `git status` between refinement rounds) as it was.
  const scratch = path.join(admin, `reasoningbank-diff-${process.pid}-${Date.now()}.index`);
  try {
    // no index yet: git add builds the scratch one from scratch
    copyIndex(path.join(admin, 'index'), scratch);
    const env = { GIT_INDEX_FILE: scratch };
    // A linked folder the ignore rules already cover must not be named: git refuses an ignored path even
    // as an exclude. One they do not cover (`node_modules/` does not match the symlink we put there, nor
    // does a negated pattern) must be excluded, or the symlink itself would land in the patch.
    const candidates = [...readLinked(admin), ...(opts.leaveOut ?? [])];
    const ignored = new Set(candidates.length ? await ignoredPaths(wt, candidates) : []);
    const excluded = candidates.filter((p) => !ignored.has(p));
    // a repository the agent created with `git init` and no commit would make git refuse the whole patch
    excluded.push(...(await untrackedToLeaveOut(wt, excluded)));
    const pathspec = ['.', ...excluded.map((p) => `:(exclude,literal)${p}`)];
    await worktreeGitRaw(wt, ['add', '-A', '--', ...pathspec], { env });
    const diff = await worktreeGitRaw(wt, ['diff', '--cached', '--no-textconv', ...PORTABLE_DIFF_ARGS, baseCommit, '--', ...pathspec], { env });
    if (!diff.includes(LOSSY)) return diff;
    return await diffKeepingBytes(wt, baseCommit, pathspec, env, `${scratch}.attributes`);
  } finally {
    fs.rmSync(scratch, { force: true });
    fs.rmSync(`${scratch}.lock`, { force: true });
    fs.rmSync(`${scratch}.attributes`, { force: true });
  }
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
