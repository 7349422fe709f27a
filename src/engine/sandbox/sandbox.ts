/**
 * Finds the OS sandbox this machine offers and turns a command into its confined form.
 *
 * Why our own module and not @anthropic-ai/sandbox-runtime: that package declares Node >= 22.12, and the
 * VS Code extension host (where the engine may run in-process for tests) and many users' Node are 20.
 * What we need of it is small — one bwrap command line, one Seatbelt profile — so we drive them directly.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { usageError } from '../errors';
import { bwrapArgs } from './bwrap';
import { sandboxExecArgs } from './macos-profile';
import type { Confinement, NetworkMode, Sandbox } from './types';

export const SANDBOX_EXEC = '/usr/bin/sandbox-exec';

/** `argv` as it runs confined: the program and its arguments. Kind "none" runs it as given. */
export function confinedArgv(sandbox: Sandbox, conf: Confinement, argv: string[]): string[] {
  switch (sandbox.kind) {
    case 'bwrap':
      return ['bwrap', ...bwrapArgs(conf, sandbox.network, argv)];
    case 'sandbox-exec':
      return [SANDBOX_EXEC, ...sandboxExecArgs(conf, sandbox.network, argv)];
    case 'none':
      return argv;
  }
}

/**
 * The sandbox for this platform, started once for real to prove it works (bwrap may be installed where
 * user namespaces are off). Throws a usage error (exit 2) naming what to install when none can start;
 * `otherwise` ends that message with what the caller offers instead (the CLI: --no-sandbox).
 */
export async function detectSandbox(
  network: NetworkMode,
  opts: { platform?: NodeJS.Platform; otherwise?: string } = {},
): Promise<Sandbox> {
  const platform = opts.platform ?? process.platform;
  const otherwise = opts.otherwise ? ` ${opts.otherwise}` : '';
  if (platform === 'linux') {
    const problem = await probeOnce(`bwrap:${process.env.PATH}`, () => probeBwrap());
    if (problem === null) return { kind: 'bwrap', network };
    throw usageError(
      `no sandbox can start on this machine: ${problem}. Commands the agent runs (and the tests) must be confined: ` +
        'install bubblewrap (Debian/Ubuntu: `sudo apt-get install bubblewrap`, Fedora: `sudo dnf install bubblewrap`).' +
        otherwise,
    );
  }
  if (platform === 'darwin') {
    if (fs.existsSync(SANDBOX_EXEC)) return { kind: 'sandbox-exec', network };
    throw usageError(`no sandbox: ${SANDBOX_EXEC} is missing on this Mac.${otherwise}`);
  }
  throw usageError(
    `no OS sandbox is supported on ${platform}: commands the agent runs cannot be confined here. ` +
      `Run it in WSL or a Linux container with bubblewrap installed.${otherwise}`,
  );
}

const probes = new Map<string, Promise<string | null>>();

/** A working sandbox is probed once per process; a failure is probed again (the user may install it meanwhile). */
function probeOnce(key: string, probe: () => Promise<string | null>): Promise<string | null> {
  let found = probes.get(key);
  if (!found) {
    probes.set(key, (found = probe()));
    void found.then((problem) => problem !== null && probes.delete(key));
  }
  return found;
}

/** null when `bwrap` starts a sandbox like the ones we use; otherwise what went wrong, for the user. */
function probeBwrap(): Promise<string | null> {
  const tmp = fs.realpathSync(os.tmpdir());
  const args = bwrapArgs({ cwd: tmp, writable: [tmp], readOnly: [], home: os.homedir() }, 'off', ['/bin/true']);
  return new Promise((resolve) => {
    let stderr = '';
    const child = spawn('bwrap', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err: NodeJS.ErrnoException) =>
      resolve(err.code === 'ENOENT' ? 'bubblewrap (bwrap) is not installed' : `bwrap failed to start (${err.message})`),
    );
    child.on('exit', (code) =>
      resolve(code === 0 ? null : `bwrap is installed but cannot create a sandbox here (${stderr.trim() || `exit ${code}`}); unprivileged user namespaces may be disabled`),
    );
  });
}

/**
 * Variables that send caches and temp files to the attempt's private temp folder: the home folder is
 * read-only in the sandbox, and tools that cache there (Go's build cache, npm's logs) would fail.
 */
export function privateTempEnv(tmpDir: string): Record<string, string> {
  return {
    TMPDIR: tmpDir,
    TMP: tmpDir,
    TEMP: tmpDir,
    XDG_CACHE_HOME: path.join(tmpDir, 'cache'),
    GOCACHE: path.join(tmpDir, 'cache', 'go-build'),
    npm_config_cache: path.join(tmpDir, 'cache', 'npm'),
    PYTHONPYCACHEPREFIX: path.join(tmpDir, 'cache', 'pycache'),
  };
}
