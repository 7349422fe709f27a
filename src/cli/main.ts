/**
 * `reasoningbank` — the engine in-process, for scripts and CI. Subcommands: solve, memory, bench.
 * Ctrl-C cancels the run: attempts stop, their commands are killed, worktrees removed; a second Ctrl-C
 * removes the worktrees at once and exits.
 */
import { solveCommand, SOLVE_USAGE } from './solve-command';
import { memoryCommand, MEMORY_USAGE } from './memory-command';
import { benchCommand, BENCH_USAGE } from './bench-command';
import type { CliIO } from './io';
import { disposeAllWorktrees } from '../engine/git/worktree';

const USAGE = `reasoningbank — a coding agent that learns from experience

${SOLVE_USAGE}
${MEMORY_USAGE.split('\n\n')[0]}
${BENCH_USAGE.split('\n\n')[0]}

Environment: OPENAI_BASE_URL, OPENAI_API_KEY, REASONINGBANK_MODEL, REASONINGBANK_EMBEDDING_MODEL.
Exit codes: 0 resolved, 1 unresolved, 2 bad usage or input, 3 runtime failure, 4 resolved but --apply failed, 130 cancelled.`;

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'solve':
      return solveCommand(rest, io);
    case 'memory':
      return memoryCommand(rest, io);
    case 'bench':
      return benchCommand(rest, io);
    case '--version':
    case '-v':
      io.stdout(`${version()}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.stdout(USAGE + '\n');
      return command === undefined ? 2 : 0;
    default:
      io.stderr(`reasoningbank: unknown command "${command}" (commands: solve, memory, bench; see reasoningbank --help)\n`);
      return 2;
  }
}

function version(): string {
  try {
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** How long a cancelled run may take to wind down by itself before its worktrees are removed and it exits. */
const CANCEL_GRACE_MS = 600;

if (require.main === module) {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (name: string) => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write(`\n${name}: cancelling — stopping attempts and removing worktrees (again to force)\n`);
      controller.abort();
      // whatever a tool or request is doing, the run ends within a second: past this, stop waiting for it
      setTimeout(forceExit, CANCEL_GRACE_MS).unref();
      return;
    }
    forceExit();
  };
  let printed = false;
  let forcing = false;
  const forceExit = () => {
    if (forcing) return;
    // from here on only this path writes stdout, so a run that ends meanwhile cannot print a second object
    forcing = true;
    void disposeAllWorktrees().finally(() => {
      // the --json contract holds on this path too: one object on stdout
      if (!printed && process.argv.includes('--json')) {
        process.stdout.write(JSON.stringify({ status: 'error', error: { code: 'cancelled', message: 'cancelled; worktrees removed' } }) + '\n');
      }
      process.stdout.write('', () => process.exit(130));
    });
  };
  process.on('SIGINT', () => onSignal('interrupted'));
  process.on('SIGTERM', () => onSignal('terminated'));
  // a closed pipe on stdout (e.g. `| head`) must not crash the run and leave worktrees behind
  process.stdout.on('error', () => {});
  main(process.argv.slice(2), {
    stdout: (s) => {
      if (forcing) return;
      printed = true;
      process.stdout.write(s);
    },
    stderr: (s) => process.stderr.write(s),
    cwd: process.cwd(),
    env: process.env,
    signal: controller.signal,
    isTTY: !!process.stderr.isTTY,
  }).then(
    // exit explicitly once stdout is flushed: idle keep-alive sockets must not hold the process open
    (code) => {
      // belt and braces: whatever path led here, no worktree of ours outlives the process
      void disposeAllWorktrees().finally(() => process.stdout.write('', () => process.exit(code)));
    },
    (err) => {
      process.stderr.write(`reasoningbank: internal error: ${err?.stack ?? err}\n`);
      process.stdout.write('', () => process.exit(3));
    },
  );
}
