/** What confined a run, as the result JSON and the run-start event report it. */
export type SandboxKind = 'bwrap' | 'sandbox-exec' | 'none';
export type NetworkMode = 'on' | 'off';

export interface Sandbox {
  kind: SandboxKind;
  /** "on" for kind "none": nothing stops an unconfined command */
  network: NetworkMode;
}

/** The places one command may write; everything else is read-only inside the sandbox. */
export interface Confinement {
  cwd: string;
  /** writable folders (the attempt's worktree and its private temp folder) */
  writable: string[];
  /** files or folders inside a writable one that stay read-only (the worktree's `.git` pointer) */
  readOnly: string[];
  /**
   * read-only places the command must see even where the sandbox hides a folder (/tmp, /run): the user's
   * repository (linked dependency folders point into it) and its git folder
   */
  visible?: string[];
  /** the user's home folder: its credentials (~/.ssh, ~/.aws, ~/.npmrc, …) are hidden */
  home?: string;
}

export const UNSANDBOXED: Sandbox = { kind: 'none', network: 'on' };
