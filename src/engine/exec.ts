/**
 * Runs shell commands for the agent and the judge: in a given folder, in their own process group so a
 * timeout or a cancel kills the whole tree (grandchildren included), with a scrubbed environment.
 */
import { spawn } from 'child_process';
import { truncateMiddle } from './text';
import { confinedArgv } from './sandbox/sandbox';
import type { Confinement, Sandbox } from './sandbox/types';

export interface RunOptions {
  command: string;
  cwd: string;
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** cap on the text returned (head+tail kept) */
  maxOutputChars?: number;
  /** written to the command's stdin, then closed; commands never wait on a terminal */
  input?: string;
  /** runs the command inside this OS sandbox, writable only where `confinement` says */
  sandbox?: { sandbox: Sandbox; confinement: Omit<Confinement, 'cwd'> };
}

export interface RunOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
  durationMs: number;
  output: string;
  /** total characters produced before truncation */
  outputChars: number;
}

// Kept in memory while the command runs; beyond this only the tail keeps rolling.
const CAPTURE_LIMIT = 4 * 1024 * 1024;

export function runCommand(opts: RunOptions): Promise<RunOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    // --norc: Node's stdio pipes are sockets, and bash sources ~/.bashrc for a "remote" shell on a socket;
    // a user's rc (pyenv/nvm init, a stale rehash lock) must not slow down or hang every command
    const shell = ['/bin/bash', '--norc', '-c', opts.command];
    const [file, ...args] = opts.sandbox
      ? confinedArgv(opts.sandbox.sandbox, { cwd: opts.cwd, ...opts.sandbox.confinement }, shell)
      : shell;
    const child = spawn(file!, args, {
      cwd: opts.cwd,
      env: opts.env,
      detached: true, // new process group: kill(-pid) reaches every descendant that stays in it
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let head = '';
    let tail = '';
    let total = 0;
    const collect = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      total += text.length;
      if (head.length < CAPTURE_LIMIT / 2) {
        head += text;
        if (head.length > CAPTURE_LIMIT / 2) {
          tail = head.slice(CAPTURE_LIMIT / 2);
          head = head.slice(0, CAPTURE_LIMIT / 2);
        }
      } else {
        tail = (tail + text).slice(-CAPTURE_LIMIT / 2);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');

    let timedOut = false;
    let cancelled = false;
    let finished = false;
    const killTree = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        try {
          child.kill('SIGKILL');
        } catch {
          // already gone
        }
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killTree();
    }, opts.timeoutMs);
    const onAbort = () => {
      cancelled = true;
      killTree();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) onAbort();

    const done = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      // a daemonised grandchild may still hold the pipes open: do not wait for it
      child.stdout.destroy();
      child.stderr.destroy();
      // timeouts and cancels are reported through the flags: each caller words them for its reader
      const output = head + (tail ? `\n[… output continued …]\n${tail}` : '');
      resolve({
        exitCode,
        signal,
        timedOut,
        cancelled,
        durationMs: Date.now() - started,
        output: truncateMiddle(output, opts.maxOutputChars ?? 20000),
        outputChars: total,
      });
    };
    child.on('error', (err) => {
      collect(Buffer.from(`failed to start: ${err.message}`));
      done(127, null);
    });
    // 'exit' rather than 'close': close waits for every holder of the pipes, which a hung grandchild may be
    child.on('exit', (code, signal) => {
      // give the pipes a moment to drain what was already written
      setTimeout(() => {
        if (!timedOut && !cancelled) killTree(); // leftovers of a finished command die with it
        done(code, signal);
      }, 30);
    });
  });
}

/** Variables commands keep by default: what build tools and test runners need, nothing that authenticates. */
const SAFE_NAMES = new Set([
  'PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'TERM', 'TZ', 'TMPDIR', 'TMP', 'TEMP',
  'COLORTERM', 'NODE_PATH', 'NODE_ENV', 'NVM_DIR', 'NVM_BIN', 'PYENV_ROOT', 'PYENV_VERSION', 'VIRTUAL_ENV',
  'CONDA_PREFIX', 'GOPATH', 'GOROOT', 'GOCACHE', 'GOFLAGS', 'CARGO_HOME', 'RUSTUP_HOME', 'JAVA_HOME',
  'MAVEN_HOME', 'GRADLE_HOME', 'DOTNET_ROOT', 'PYTHONPATH', 'XDG_CACHE_HOME', 'XDG_CONFIG_HOME',
  'XDG_DATA_HOME', 'CI', 'npm_config_cache', 'npm_config_nodedir', 'npm_config_prefix',
]);

const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|AUTH|COOKIE|SESSION|PRIVATE)/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) || /^OPENAI_/i.test(name) || /^AWS_/i.test(name);
}

/**
 * The environment a command sees: the safe variables of `base`, LC_* locale settings, the names the user
 * allow-listed (their choice overrides the secret filter), plus `extra` (e.g. PORT for parallel attempts).
 */
export function scrubEnv(
  base: NodeJS.ProcessEnv,
  allow: readonly string[] = [],
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const allowed = new Set(allow);
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (allowed.has(name)) {
      env[name] = value;
    } else if ((SAFE_NAMES.has(name) || name.startsWith('LC_')) && !isSecretName(name)) {
      env[name] = value;
    }
  }
  // nothing a command starts should stop to wait for a human
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_PAGER = 'cat';
  env.PAGER = 'cat';
  env.NO_COLOR = '1';
  env.FORCE_COLOR = '0';
  if (!env.PATH) env.PATH = '/usr/local/bin:/usr/bin:/bin';
  return { ...env, ...extra };
}
