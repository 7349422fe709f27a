/**
 * One way to run git for the engine, over simple-git. simple-git strips ambient GIT_* variables (so a
 * GIT_DIR inherited from a hook cannot redirect us) and refuses risky config and environment unless
 * allowed; the few GIT_* variables we set on purpose (a scratch GIT_INDEX_FILE, an author for internal
 * commits) are allow-listed here.
 */
import { simpleGit, type SimpleGit } from 'simple-git';
import { EngineError, errorMessage } from '../errors';

export interface GitOptions {
  /** extra variables (e.g. GIT_INDEX_FILE); the rest of the environment is inherited, minus GIT_* */
  env?: Record<string, string>;
  signal?: AbortSignal;
  /** `-c key=value` pairs for every command of this instance */
  config?: string[];
  /** written to the command's stdin */
  input?: string;
}

// Variables simple-git refuses to pass through (it would throw on them) and the GIT_* family it strips.
const GUARDED = /^(git_.*|editor|visual|pager|prefix|ssh_askpass)$/i;

export function git(dir: string, opts: GitOptions = {}): SimpleGit {
  const extra = opts.env ?? {};
  const instance = simpleGit({
    baseDir: dir,
    maxConcurrentProcesses: 8,
    trimmed: false,
    config: opts.config ?? [],
    abort: opts.signal,
    ...(opts.input !== undefined ? { input: () => opts.input } : {}),
    allowEnvironment: Object.keys(extra),
    unsafe: { allowUnsafeHooksPath: true },
  });
  if (opts.env) {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (value !== undefined && !GUARDED.test(name)) env[name] = value;
    }
    instance.env({ ...env, ...extra });
  }
  return instance;
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
