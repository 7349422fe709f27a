/**
 * One attempt's worktree as the agent sees it: every path is confined to the root (checked on the real
 * path, so a symlink cannot lead out), and every command runs inside it with the scrubbed environment,
 * a timeout that kills the whole process tree, and the user's approval where one is required.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runCommand, type RunOptions, type RunOutcome } from '../exec';
import type { CommandApprover } from './types';

export interface WorkspaceOptions {
  root: string;
  /** already scrubbed by the caller (scrubEnv) */
  env: NodeJS.ProcessEnv;
  defaultTimeoutS?: number;
  maxTimeoutS?: number;
  approve?: CommandApprover;
  /** the worktree's admin folder: the tools' own git calls address it directly, never through `.git` */
  gitDir?: string;
  /** the OS sandbox commands run in; absent: unconfined (unit tests of the tools) */
  sandbox?: RunOptions['sandbox'];
  attempt?: number;
  signal?: AbortSignal;
}

export type CommandResult =
  | ({ ran: true; timeoutS: number; clamped: boolean } & RunOutcome)
  | { ran: false; denied: true; reason: string };

/** A problem the model caused and can fix: its message is written for the model to act on. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

export class Workspace {
  /** the real path of the root (symlinks resolved) */
  readonly root: string;
  readonly env: NodeJS.ProcessEnv;
  readonly defaultTimeoutS: number;
  readonly maxTimeoutS: number;
  readonly attempt: number;
  readonly gitDir?: string;
  readonly signal?: AbortSignal;
  private readonly approve?: CommandApprover;
  private readonly sandbox?: RunOptions['sandbox'];
  /** the root as given, so absolute paths the model copied from `pwd` output are recognised */
  private readonly givenRoot: string;

  constructor(opts: WorkspaceOptions) {
    this.givenRoot = path.resolve(opts.root);
    try {
      this.root = fs.realpathSync(this.givenRoot);
    } catch {
      throw new Error(`workspace root ${this.givenRoot} does not exist`);
    }
    if (!fs.statSync(this.root).isDirectory()) throw new Error(`workspace root ${this.root} is not a directory`);
    this.env = opts.env;
    this.maxTimeoutS = opts.maxTimeoutS ?? 600;
    this.defaultTimeoutS = Math.min(opts.defaultTimeoutS ?? 120, this.maxTimeoutS);
    this.approve = opts.approve;
    this.sandbox = opts.sandbox;
    this.gitDir = opts.gitDir;
    this.attempt = opts.attempt ?? 0;
    this.signal = opts.signal;
  }

  /**
   * The absolute real path of `p` (relative to the root). Refuses paths that leave the root lexically
   * (`..`), absolute paths outside it, and paths whose real location (symlinks followed, through the
   * nearest existing ancestor for files not created yet) is outside it.
   */
  resolve(p: string | undefined): string {
    const raw = (p ?? '').trim() || '.';
    if (raw.includes('\0')) throw new ToolError(`path ${JSON.stringify(raw)} contains a NUL byte`);
    let rel: string;
    if (path.isAbsolute(raw)) {
      const inside = [this.root, this.givenRoot].map((r) => path.relative(r, path.resolve(raw))).find((r) => !escapes(r));
      if (inside === undefined) {
        throw new ToolError(`path "${raw}" is outside the repository. Use paths relative to the repository root (e.g. "src/index.ts").`);
      }
      rel = inside;
    } else {
      rel = path.normalize(raw);
      if (escapes(rel)) {
        throw new ToolError(`path "${raw}" leads outside the repository ("..") and was refused. Use paths relative to the repository root.`);
      }
    }
    const lexical = path.join(this.root, rel);
    const real = realPathOf(lexical);
    if (real === null) {
      throw new ToolError(`path "${raw}" is a broken symbolic link; it was refused.`);
    }
    if (escapes(path.relative(this.root, real))) {
      throw new ToolError(`path "${raw}" is a symbolic link (or lies under one) that leads outside the repository; it was refused.`);
    }
    // git's metadata is the engine's: a rewritten `.git` file or config would make our own git run the attempt's code
    if (hasGitComponent(rel) || hasGitComponent(path.relative(this.root, real))) {
      throw new ToolError(`path "${raw}" is inside git's metadata (.git), which the tools do not read or write. Work on the project's files.`);
    }
    return real;
  }

  /** the path of an absolute location inside the root, as the model should write it */
  relative(abs: string): string {
    const rel = path.relative(this.root, abs);
    return rel === '' ? '.' : rel.split(path.sep).join('/');
  }

  /** Runs a shell command in the root; asks for approval first where an approver is set. */
  async exec(command: string, timeoutS?: number, signal?: AbortSignal): Promise<CommandResult> {
    if (this.approve) {
      const answer = await this.approve({ command, attempt: this.attempt });
      if (!answer.allowed) return { ran: false, denied: true, reason: answer.reason ?? 'the user did not allow it' };
    }
    const wanted = timeoutS ?? this.defaultTimeoutS;
    const effective = Math.max(1, Math.min(wanted, this.maxTimeoutS));
    const signals = [this.signal, signal].filter((s): s is AbortSignal => !!s);
    const outcome = await runCommand({
      command,
      cwd: this.root,
      timeoutMs: effective * 1000,
      env: this.env,
      signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
      maxOutputChars: 10_000,
      sandbox: this.sandbox,
    });
    return { ran: true, timeoutS: effective, clamped: effective !== wanted, ...outcome };
  }
}

/** `.GIT` too: on case-insensitive file systems (macOS, Windows) it is the same entry */
function hasGitComponent(rel: string): boolean {
  return rel.split(/[\\/]/).some((part) => part.toLowerCase() === '.git');
}

function escapes(rel: string): boolean {
  return rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
}

/**
 * The real path of `p`, following symlinks: for a path that does not exist yet, the real path of its
 * nearest existing ancestor plus the remaining segments. null for a dangling symlink (writing through it
 * would create its target wherever it points).
 */
function realPathOf(p: string): string | null {
  const rest: string[] = [];
  let current = p;
  for (;;) {
    try {
      const real = fs.realpathSync(current);
      return rest.length ? path.join(real, ...rest.reverse()) : real;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    try {
      fs.lstatSync(current);
      return null; // it exists as a link, but its target does not
    } catch {
      // truly absent: look at the parent
    }
    const parent = path.dirname(current);
    if (parent === current) return p;
    rest.push(path.basename(current));
    current = parent;
  }
}
