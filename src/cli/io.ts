/** What a CLI command writes to and reads from; main.ts passes the process's, tests their own buffers. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** stderr is a terminal: progress may redraw a status line */
  isTTY?: boolean;
}
