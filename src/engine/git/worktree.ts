/**
 * Throwaway git worktrees for attempts: created outside the repository from the user's current state
 * (see git/snapshot.ts), detached (no branch to clean up), dependency folders linked rather than
 * reinstalled, and removed afterwards whatever happens — on dispose, on Ctrl-C through
 * disposeAllWorktrees(), and after a crash by pruneStaleWorktrees() at the next start.
 *
 * Each worktree has an owner marker `<worktreeDir>/<name>.owner` (pid, host, repository) written before
 * the worktree exists, so a crash at any point leaves something the next start can attribute. Markers only
 * say whether the creator still runs: what gets removed is decided by the repository's own worktree list.
 *
 * The folder they live in is private (see private-dir.ts): another local user who could plant or swap a
 * worktree there would have their code run as us.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CancelledError, EngineError, errorMessage } from '../errors';
import { fnv1a } from '../text';
import { type WorktreeGit, driverConfig, gitRaw, worktreeGitRaw } from './git';
import { LINKED_FILE, adminDirOf, adminDirsPointingTo } from './admin';
import { snapshotWorkingState } from './snapshot';
import { ensurePrivateDir, privateRoot } from './private-dir';

export interface Worktree extends WorktreeGit {
  /** absolute path of the worktree folder */
  path: string;
  /** the attempt's private temp folder (TMPDIR and caches of its commands), removed with the worktree */
  tmpDir: string;
  /** the commit the worktree was checked out at: the user's state when it was created */
  baseCommit: string;
  /** top-level folder of the user's repository */
  repo: string;
  /** dependency folders symlinked in, relative to the worktree */
  linked: string[];
  /** untracked files over the size cap and untracked repositories without a commit, left out of the snapshot */
  leftOut: string[];
  /** removes the worktree and its admin entry; idempotent, never throws */
  dispose(): Promise<void>;
}

export interface CreateWorktreeOptions {
  repo: string;
  runId: string;
  /** the attempt number, or a name for a helper worktree (e.g. "0-baseline") */
  index: number | string;
  /** default: <tmpdir>/reasoningbank-<uid>/<hash of the repository path> */
  worktreeDir?: string;
  /** default ['node_modules', '.venv'] */
  linkedFolders?: string[];
  /** default DEFAULT_MAX_UNTRACKED_BYTES */
  maxUntrackedBytes?: number;
}

interface OwnerMarker {
  pid: number;
  host: string;
  repo: string;
  path: string;
  createdAt: string;
}

export const DEFAULT_LINKED_FOLDERS = ['node_modules', '.venv'];
/** A 500 MB untracked file would be hashed into the user's object store and copied into every worktree. */
export const DEFAULT_MAX_UNTRACKED_BYTES = 50 * 1024 * 1024;

export function defaultWorktreeDir(repoTop: string): string {
  return path.join(privateRoot(), fnv1a(repoTop));
}

const live = new Map<string, Worktree>();

/** Paths of the worktrees this process created and has not disposed yet. */
export function liveWorktrees(): string[] {
  return [...live.keys()];
}

/** Removes every live worktree of this process; for SIGINT/SIGTERM handlers. Never throws. */
export async function disposeAllWorktrees(): Promise<void> {
  await Promise.all([...live.values()].map((w) => w.dispose()));
}

export async function createWorktree(opts: CreateWorktreeOptions): Promise<Worktree> {
  const cwd = path.resolve(opts.repo);
  const [topRaw, gitDir, commonRaw, head, headTree] = (
    await gitRaw(cwd, ['rev-parse', '--show-toplevel', '--absolute-git-dir', '--git-common-dir', 'HEAD', 'HEAD^{tree}'])
  )
    .trim()
    .split('\n');
  if (!topRaw || !gitDir || !commonRaw || !head || !headTree) {
    throw new EngineError('usage', `${opts.repo} is not a git work tree with a commit`);
  }
  const top = fs.realpathSync(topRaw);
  const commonDir = path.resolve(cwd, commonRaw);
  const dir = prepareWorktreeDir(opts.worktreeDir ?? defaultWorktreeDir(top), top);
  const name = `${opts.runId.replace(/[^A-Za-z0-9._-]/g, '_')}-${opts.index}`;
  const wtPath = path.join(dir, name);
  if (fs.existsSync(wtPath)) throw new EngineError('internal', `worktree folder ${wtPath} already exists`);

  const marker: OwnerMarker = { pid: process.pid, host: os.hostname(), repo: top, path: wtPath, createdAt: new Date().toISOString() };
  fs.writeFileSync(markerPath(wtPath), JSON.stringify(marker) + '\n');

  let disposing: Promise<void> | undefined;
  const remove = () => removeWorktree(top, commonDir, wtPath).catch(() => {});
  const worktree: Worktree = {
    path: wtPath,
    gitDir: '',
    tmpDir: `${wtPath}.tmp`,
    baseCommit: head,
    repo: top,
    linked: [],
    leftOut: [],
    dispose: () => (disposing ??= remove().finally(() => live.delete(wtPath))),
  };
  // registered before anything exists on disk, so a Ctrl-C during creation still cleans up
  live.set(wtPath, worktree);

  try {
    const candidates = linkCandidates(top, opts.linkedFolders ?? DEFAULT_LINKED_FOLDERS);
    const snapshot = await snapshotWorkingState({
      top,
      gitDir,
      head,
      headTree,
      exclude: candidates,
      maxUntrackedBytes: opts.maxUntrackedBytes ?? DEFAULT_MAX_UNTRACKED_BYTES,
      scratchIndex: `${wtPath}.index`,
      message: `reasoningbank: working state for run ${opts.runId}`,
    });
    worktree.baseCommit = snapshot.commit;
    worktree.leftOut = snapshot.leftOut;
    const base = worktree.baseCommit;
    // Registering is serialized per repository: a concurrent `git worktree add` reads every admin entry
    // and fails on one another add is still writing ("failed to read .git/worktrees/<name>/commondir").
    // Hooks off: a post-checkout hook (husky, custom installs) has no business in a scratch checkout.
    await serialized(commonDir, () => addWorktree(top, wtPath, base));
    // read once, now, while only git has written the worktree: later the engine never goes through its `.git` file
    worktree.gitDir = registeredAdminDir(commonDir, wtPath);
    fs.mkdirSync(worktree.tmpDir, { mode: 0o700 });
    // the checkout itself runs in parallel with other attempts' (it only touches this worktree)
    await worktreeGitRaw(worktree, ['reset', '--hard', '--quiet']);
    worktree.drivers = await driverConfig(worktree);
    worktree.linked = linkDependencies(top, wtPath, candidates);
    fs.writeFileSync(path.join(worktree.gitDir, LINKED_FILE), JSON.stringify(worktree.linked));
    // disposed (Ctrl-C) while git was still creating it: the catch below removes what git finished since
    if (disposing) throw new CancelledError('worktree creation was cancelled');
    return worktree;
  } catch (err) {
    const cancelledMidway = disposing !== undefined;
    await worktree.dispose();
    if (cancelledMidway) await remove(); // git may have finished a step after the first removal
    throw err instanceof EngineError
      ? err
      : new EngineError('git', `could not create a worktree of ${top} at ${wtPath}: ${errorMessage(err)}`, { cause: err });
  }
}

/**
 * Removes worktrees of `repo` left behind by processes that no longer run (a crash, a kill -9): only those
 * the repository's own `git worktree list` registers inside our worktree folder, and of those only ones
 * whose creator is gone. Worktrees of live runs (any process) and anything else are left alone. Returns
 * the removed paths.
 */
export async function pruneStaleWorktrees(repo: string, opts: { worktreeDir?: string } = {}): Promise<string[]> {
  const cwd = path.resolve(repo);
  const [topRaw, commonRaw] = (await gitRaw(cwd, ['rev-parse', '--show-toplevel', '--git-common-dir'])).trim().split('\n');
  const top = fs.realpathSync(topRaw!);
  const commonDir = path.resolve(cwd, commonRaw!);
  const wanted = opts.worktreeDir ? path.resolve(opts.worktreeDir) : defaultWorktreeDir(top);
  if (!fs.existsSync(wanted)) return [];
  const dir = ensurePrivateDir(wanted);
  const registered = (await gitRaw(top, ['worktree', 'list', '--porcelain', '-z']))
    .split('\0')
    .filter((line) => line.startsWith('worktree '))
    .map((line) => line.slice('worktree '.length))
    .filter((p) => path.dirname(p) === dir);
  const removed: string[] = [];
  for (const wtPath of registered) {
    if (liveOwner(wtPath, top)) continue;
    await removeWorktree(top, commonDir, wtPath).catch(() => {});
    removed.push(wtPath);
  }
  return removed;
}

/**
 * Whether `wtPath` is not ours to remove: its creator may still run, or it has no readable marker of ours
 * (a worktree the user added there themselves).
 */
function liveOwner(wtPath: string, top: string): boolean {
  let owner: OwnerMarker;
  try {
    owner = JSON.parse(fs.readFileSync(markerPath(wtPath), 'utf8')) as OwnerMarker;
  } catch {
    return true;
  }
  if (owner.repo !== top || owner.host !== os.hostname()) return true;
  return isAlive(owner.pid);
}

/**
 * `git worktree add` without the checkout. Another process adding a worktree at the same moment (a second
 * run, the user) can still trip it over a half-written entry: that transient failure is retried.
 */
async function addWorktree(top: string, wtPath: string, base: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await gitRaw(top, ['worktree', 'add', '--no-checkout', '--detach', '--quiet', wtPath, base], {
        config: ['core.hooksPath=/dev/null'],
      });
      return;
    } catch (err) {
      if (attempt >= 3 || !/failed to read .*worktrees|worktrees\/[^ ]*: (No such file|Success)/i.test(errorMessage(err))) throw err;
      fs.rmSync(wtPath, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 150));
    }
  }
}

const queues = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier call with the same key has settled (an in-process lock per repository). */
function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(fn, fn);
  const settled = run.then(
    () => {},
    () => {},
  );
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return run;
}

function markerPath(wtPath: string): string {
  return `${wtPath}.owner`;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else — alive all the same
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The admin folder git registered for `wtPath`, checked to lie in the repository's own worktrees folder. */
function registeredAdminDir(commonDir: string, wtPath: string): string {
  const admin = adminDirOf(wtPath);
  const registered = adminDirsPointingTo(commonDir, wtPath);
  if (!admin || !registered.some((r) => path.resolve(r) === path.resolve(admin))) {
    throw new EngineError('git', `git did not register the worktree ${wtPath} under ${path.join(commonDir, 'worktrees')}`);
  }
  return admin;
}

function prepareWorktreeDir(wanted: string, top: string): string {
  const dir = ensurePrivateDir(wanted);
  const rel = path.relative(top, dir);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
    throw new EngineError(
      'usage',
      `the worktree folder ${dir} is inside the repository ${top}; choose one outside it (setting reasoningbank.worktreeDir)`,
    );
  }
  return dir;
}

/**
 * Dependency folders present at the repository root and in package folders one or two levels down
 * (monorepos: `web/node_modules`, `packages/web/node_modules`). Hidden folders and the dependency folders
 * themselves are not searched.
 */
function linkCandidates(top: string, names: string[]): string[] {
  const wanted = names.map((n) => n.replace(/^[/\\]+|[/\\]+$/g, '')).filter((n) => n && !n.includes('..'));
  if (wanted.length === 0) return [];
  const isDir = (p: string) => {
    try {
      return fs.statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  const subdirs = (rel: string): string[] => {
    try {
      return fs
        .readdirSync(path.join(top, rel), { withFileTypes: true })
        .filter((d) => d.isDirectory() && !d.name.startsWith('.') && !wanted.includes(d.name))
        .map((d) => path.posix.join(rel, d.name));
    } catch {
      return [];
    }
  };
  const found: string[] = [];
  const level1 = subdirs('');
  for (const base of ['', ...level1, ...level1.flatMap(subdirs)]) {
    for (const name of wanted) {
      // forward slashes: these become git pathspecs
      const rel = path.posix.join(base, name);
      if (isDir(path.join(top, rel))) found.push(rel);
    }
  }
  return found;
}

/** Symlinks each candidate into the worktree unless the checkout already has it (a vendored, tracked folder). */
function linkDependencies(top: string, wtPath: string, candidates: string[]): string[] {
  const linked: string[] = [];
  for (const rel of candidates) {
    const dest = path.join(wtPath, rel);
    if (fs.existsSync(dest) || !fs.existsSync(path.dirname(dest))) continue;
    try {
      // junctions need no privileges on Windows
      fs.symlinkSync(path.join(top, rel), dest, process.platform === 'win32' ? 'junction' : 'dir');
      linked.push(rel);
    } catch {
      // a folder we cannot link is reinstalled by the agent if it needs it; not worth failing the attempt
    }
  }
  return linked;
}

/**
 * `git worktree remove --force`, then whatever is left on disk, then our admin entry. Only our own admin
 * entry is pruned: a global `git worktree prune` would also drop the user's entries for worktrees that are
 * merely unreachable right now (an unmounted drive).
 */
async function removeWorktree(top: string, commonDir: string, wtPath: string): Promise<void> {
  try {
    // not serialized with adds: when a concurrent add trips it up, the manual removal below does the job
    await gitRaw(top, ['worktree', 'remove', '--force', '--force', wtPath]);
  } catch {
    // not registered (creation failed early), submodules inside, or already gone: clean up by hand below
  }
  try {
    // never follows symlinks: the linked dependency folders themselves are untouched
    fs.rmSync(wtPath, { recursive: true, force: true });
  } catch {
    // e.g. a file held open on some platforms; the marker stays so the next start retries
    return;
  }
  for (const admin of adminDirsPointingTo(commonDir, wtPath)) {
    try {
      fs.rmSync(admin, { recursive: true, force: true });
    } catch {
      // left for git's own gc-time pruning
    }
  }
  fs.rmSync(`${wtPath}.tmp`, { recursive: true, force: true });
  fs.rmSync(`${wtPath}.index`, { force: true });
  fs.rmSync(markerPath(wtPath), { force: true });
}
