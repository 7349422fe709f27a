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
import { type GitOptions, type WorktreeGit, INTERNAL_COMMIT_ENV, git, gitRaw, worktreeGitRaw } from './git';

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
    // no index yet (fresh clone with nothing checked out): git add builds one from scratch
    copyIndex(`${input.gitDir}/index`, scratchIndex);
    const env = { GIT_INDEX_FILE: scratchIndex };
    // ignored folders are skipped by `git add` anyway, and naming them (even to exclude them) is an error
    const ignored = new Set(input.exclude.length ? await ignoredPaths(top, input.exclude) : []);
    const kept = input.exclude.filter((p) => !ignored.has(p));
    const leftOut = await untrackedToLeaveOut(top, kept, input.maxUntrackedBytes);
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

/**
 * What of the untracked, not ignored files must stay out of a snapshot or patch, from one listing: files
 * over `maxBytes` (hashing a 500 MB file into the user's object store and copying it into every worktree
 * helps nobody), and folders that are git repositories without a commit yet (a fresh `git init`, by the
 * user or the agent), over which `git add` would refuse the whole tree. git lists a nested repository as
 * one `dir/` entry.
 */
export async function untrackedToLeaveOut(repo: string | WorktreeGit, exclude: string[], maxBytes = Infinity): Promise<string[]> {
  const top = typeof repo === 'string' ? repo : repo.path;
  const pathspec = ['.', ...exclude.map((p) => `:(exclude,literal)${p}`)];
  const entries = (await gitIn(repo, ['ls-files', '--others', '--exclude-standard', '-z', '--', ...pathspec])).split('\0').filter(Boolean);
  const out: string[] = [];
  for (const rel of entries) {
    if (rel.endsWith('/')) {
      if (await isCommitlessRepo(path.join(top, rel))) out.push(rel.slice(0, -1));
      continue;
    }
    try {
      if (fs.lstatSync(path.join(top, rel)).size > maxBytes) out.push(rel);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

async function isCommitlessRepo(dir: string): Promise<boolean> {
  if (!fs.existsSync(path.join(dir, '.git'))) return false;
  // --quiet: no HEAD commit is an empty answer (and exit 1, which simple-git does not always report)
  const head = await gitRaw(dir, ['rev-parse', '--verify', '--quiet', 'HEAD']).catch(() => '');
  return head.trim() === '';
}

/**
 * A scratch copy of an index that keeps the original's timestamps: git's racy-clean check compares file
 * mtimes with the index file's, and a copy stamped "now" would make a same-size edit from the second of the
 * last index write look unchanged. Returns false when there is no index to copy.
 */
export function copyIndex(index: string, scratch: string): boolean {
  try {
    fs.copyFileSync(index, scratch);
    const { atime, mtime } = fs.statSync(index);
    fs.utimesSync(scratch, atime, mtime);
    return true;
  } catch {
    return false;
  }
}

/** Which of `paths` git ignores (`git check-ignore` exits 1, quietly, when none is). */
export async function ignoredPaths(repo: string | WorktreeGit, paths: string[]): Promise<string[]> {
  // exit 1 when none is ignored
  const out = await gitIn(repo, ['check-ignore', '-z', '--stdin'], { input: paths.join('\0') + '\0' }).catch(() => '');
  return out.split('\0').filter(Boolean);
}

/** The user's repository by its folder; an attempt's worktree addressed explicitly, never through its `.git` file. */
function gitIn(repo: string | WorktreeGit, args: string[], opts: GitOptions = {}): Promise<string> {
  return typeof repo === 'string' ? gitRaw(repo, args, opts) : worktreeGitRaw(repo, args, opts);
}
