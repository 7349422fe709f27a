/**
 * A commit of the user's current state — HEAD plus staged and unstaged changes to tracked files plus
 * untracked files that are not ignored — built without touching their working tree, index, refs or stash.
 *
 * Why not `git stash create` plus copying untracked files into the worktree: stash create leaves untracked
 * files out of the base commit, so copied-in files would show up in every attempt's patch as "new files"
 * and the patch would then refuse to apply to the user's tree (where they already exist). Snapshotting them
 * into the base keeps the patch to exactly what the agent changed. Users expect the agent to see their
 * new, not-yet-added files, so they are included; ignored files (build output, secrets in .env) are not.
 *
 * How: a scratch copy of the user's index (so its stat cache spares rehashing unchanged files), `git add -A`
 * into that copy, `git write-tree`, `git commit-tree -p HEAD`. Only new objects are written.
 */
import * as fs from 'fs';
import * as path from 'path';
import { INTERNAL_COMMIT_ENV, git, gitRaw } from './git';

export interface SnapshotInput {
  /** work tree top-level folder */
  top: string;
  /** the work tree's own git dir (where its index lives) */
  gitDir: string;
  head: string;
  headTree: string;
  /** paths (relative to top) left out of the snapshot: untracked dependency folders we link instead */
  exclude: string[];
  /** untracked files larger than this are left out (named in the result) */
  maxUntrackedBytes: number;
  /** where the scratch index may be written (deleted afterwards) */
  scratchIndex: string;
  message: string;
}

/** The base commit (HEAD itself when nothing differs from it) and the untracked files left out for size. */
export async function snapshotWorkingState(input: SnapshotInput): Promise<{ commit: string; leftOut: string[] }> {
  const { top, scratchIndex } = input;
  try {
    try {
      fs.copyFileSync(`${input.gitDir}/index`, scratchIndex);
    } catch {
      // no index yet (fresh clone with nothing checked out): git add builds one from scratch
    }
    const env = { GIT_INDEX_FILE: scratchIndex };
    // ignored folders are skipped by `git add` anyway, and naming them (even to exclude them) is an error
    const ignored = new Set(input.exclude.length ? await ignoredPaths(top, input.exclude) : []);
    const kept = input.exclude.filter((p) => !ignored.has(p));
    const oversized = await oversizedUntracked(top, kept, input.maxUntrackedBytes);
    const commitless = await commitlessRepos(top, kept);
    const leftOut = [...oversized, ...commitless];
    const pathspec = ['.', ...[...kept, ...leftOut].map((p) => `:(exclude,literal)${p}`)];
    await gitRaw(top, ['add', '-A', '--', ...pathspec], { env });
    const tree = (await gitRaw(top, ['write-tree'], { env })).trim();
    if (tree === input.headTree) return { commit: input.head, leftOut };
    const commit = await gitRaw(
      top,
      ['commit-tree', '--no-gpg-sign', '-p', input.head, '-m', input.message, tree],
      { env: INTERNAL_COMMIT_ENV },
    );
    return { commit: commit.trim(), leftOut };
  } finally {
    fs.rmSync(scratchIndex, { force: true });
    fs.rmSync(`${scratchIndex}.lock`, { force: true });
  }
}

/** Untracked, not ignored files over `maxBytes` (outside the excluded folders), relative to `top`. */
async function oversizedUntracked(top: string, exclude: string[], maxBytes: number): Promise<string[]> {
  const pathspec = ['.', ...exclude.map((p) => `:(exclude,literal)${p}`)];
  const untracked = (await gitRaw(top, ['ls-files', '--others', '--exclude-standard', '-z', '--', ...pathspec])).split('\0').filter(Boolean);
  return untracked.filter((rel) => {
    try {
      return fs.lstatSync(path.join(top, rel)).size > maxBytes;
    } catch {
      return false; // gone meanwhile
    }
  });
}

/**
 * Untracked folders that are git repositories without a commit yet (a fresh `git init`, by the user or the
 * agent): `git add` refuses the whole tree over one of them, so they are left out, named, not fatal.
 */
export async function commitlessRepos(top: string, exclude: string[]): Promise<string[]> {
  const pathspec = ['.', ...exclude.map((p) => `:(exclude,literal)${p}`)];
  const dirs = (await gitRaw(top, ['ls-files', '--others', '--exclude-standard', '--directory', '-z', '--', ...pathspec]))
    .split('\0')
    .filter((d) => d.endsWith('/') && fs.existsSync(path.join(top, d, '.git')));
  const found: string[] = [];
  for (const dir of dirs) {
    // --quiet: no HEAD commit is an empty answer (and exit 1, which simple-git does not always report)
    const hasCommit = await gitRaw(path.join(top, dir), ['rev-parse', '--verify', '--quiet', 'HEAD']).then(
      (sha) => sha.trim() !== '',
      () => false,
    );
    if (!hasCommit) found.push(dir.slice(0, -1));
  }
  return found;
}

/** Which of `paths` git ignores (`git check-ignore` exits 1, quietly, when none is). */
export async function ignoredPaths(top: string, paths: string[]): Promise<string[]> {
  const out = await git(top, { input: paths.join('\0') + '\0' })
    .raw(['check-ignore', '-z', '--stdin'])
    .catch(() => '');
  return out.split('\0').filter(Boolean);
}
