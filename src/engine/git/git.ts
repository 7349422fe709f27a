/**
 * One way to run git for the engine, over simple-git. simple-git strips ambient GIT_* variables (so a
 * GIT_DIR inherited from a hook cannot redirect us) and refuses risky config and environment unless
 * allowed; the few GIT_* variables we set on purpose (a scratch GIT_INDEX_FILE, an author for internal
 * commits) are allow-listed here.
 *
 * Hardened: git runs with the scrubbed environment (no API keys or tokens for anything git may start),
 * and with hooks and fsmonitor off — an attempt's worktree shares config and hooks with the user's
 * repository, and nothing there may run code on the engine's behalf.
 */
import { simpleGit, type SimpleGit } from 'simple-git';
import { EngineError, errorMessage } from '../errors';
import { scrubEnv } from '../exec';

export const HARDENED_CONFIG = ['core.hooksPath=/dev/null', 'core.fsmonitor=false'];

export interface GitOptions {
  /** extra variables (e.g. GIT_INDEX_FILE); the rest of the environment is inherited, minus GIT_* */
  env?: Record<string, string>;
  signal?: AbortSignal;
  /** `-c key=value` pairs for every command of this instance */
  config?: string[];
  /** written to the command's stdin */
  input?: string;
  /** the arguments name --git-dir/--work-tree (simple-git refuses those unless told) */
  addressed?: boolean;
}

// Variables simple-git refuses to pass through (it would throw on them) and the GIT_* family it strips.
const GUARDED = /^(git_.*|editor|visual|pager|prefix|ssh_askpass)$/i;

export function git(dir: string, opts: GitOptions = {}): SimpleGit {
  const extra = opts.env ?? {};
  const instance = simpleGit({
    baseDir: dir,
    maxConcurrentProcesses: 8,
    trimmed: false,
    config: [...HARDENED_CONFIG, ...(opts.config ?? [])],
    abort: opts.signal,
    ...(opts.input !== undefined ? { input: () => opts.input } : {}),
    allowEnvironment: Object.keys(extra),
    // both are set only to switch them off (HARDENED_CONFIG)
    unsafe: { allowUnsafeHooksPath: true, allowUnsafeFsMonitor: true, allowUnsafeConfigPaths: !!opts.addressed },
  });
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(scrubEnv(process.env))) {
    if (value !== undefined && !GUARDED.test(name)) env[name] = value;
  }
  instance.env({ ...env, ...extra });
  return instance;
}

/** An attempt's repository as the engine addresses it: never through the worktree's `.git` file. */
export interface WorktreeGit {
  /** the worktree folder */
  path: string;
  /** its admin folder (`<common dir>/worktrees/<name>`), recorded before the agent could touch anything */
  gitDir: string;
  /** driverConfig() when the worktree was created; checked before the engine runs git on it again */
  drivers?: string;
}

/** `git <args>` on an attempt's worktree, addressed with --git-dir/--work-tree. */
export function worktreeGitRaw(wt: WorktreeGit, args: string[], opts: GitOptions = {}): Promise<string> {
  return gitRaw(wt.path, [`--git-dir=${wt.gitDir}`, `--work-tree=${wt.path}`, ...args], { ...opts, addressed: true });
}

/** `git <args>` in `dir`, stdout as text; failures become EngineError('git') naming the command. */
export async function gitRaw(dir: string, args: string[], opts: GitOptions = {}): Promise<string> {
  try {
    return await git(dir, opts).raw(args);
  } catch (err) {
    throw new EngineError('git', `git ${args.join(' ')} failed in ${dir}: ${errorMessage(err).trim()}`, { cause: err });
  }
}

/** Identity and signing settings for the internal commits we create: they must work in a bare CI box. */
export const INTERNAL_COMMIT_ENV: Record<string, string> = {
  GIT_AUTHOR_NAME: 'reasoningbank',
  GIT_AUTHOR_EMAIL: 'reasoningbank@localhost',
  GIT_COMMITTER_NAME: 'reasoningbank',
  GIT_COMMITTER_EMAIL: 'reasoningbank@localhost',
};

/**
 * Config that makes git run programs on file content (filters, diff and merge drivers, an attributes
 * file): the engine refuses to run git on a worktree where it changed since creation — an unconfined
 * command could have added a driver there for our own `git add` to run.
 */
export async function driverConfig(wt: WorktreeGit): Promise<string> {
  return worktreeGitRaw(wt, ['config', '--get-regexp', '^(filter|diff|merge)\\.|^core\\.attributesfile$']).catch(() => '');
}

export async function assertDriversUnchanged(wt: WorktreeGit): Promise<void> {
  if (wt.drivers === undefined) return;
  const now = await driverConfig(wt);
  if (now !== wt.drivers) {
    throw new EngineError(
      'git',
      `the git configuration of ${wt.path} gained filters or diff drivers during the attempt; the engine does not run git there. ` +
        `Check the repository's .git/config for entries you did not add:\n${now.trim()}`,
    );
  }
}
