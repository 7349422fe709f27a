/** Shapes shared by the engine's layers and by its consumers (CLI, server, extension). */

export interface TokenUsage {
  prompt: number;
  completion: number;
}

export interface TestResult {
  command: string;
  exitCode: number | null;
  passed: number | null;
  failed: number | null;
  timedOut: boolean;
  durationMs: number;
  /** head+tail of the combined output */
  output: string;
}

export interface Verdict {
  success: boolean;
  reason: string;
  /** who decided: the tests where they ran, the LLM judge otherwise */
  decidedBy: 'tests' | 'llm' | 'none';
}

export type AttemptStatus = 'resolved' | 'unresolved' | 'error';
export type RunStatus = 'resolved' | 'unresolved' | 'error';

export interface ResultTests {
  command: string;
  exitCode: number | null;
  passed: number | null;
  failed: number | null;
}

export interface AttemptResult {
  index: number;
  status: AttemptStatus;
  steps: number;
  tests: ResultTests | null;
  patch: string;
  /** not part of the public JSON contract's required fields, but useful to consumers */
  judge?: { success: boolean; reason: string };
  tokens?: TokenUsage;
  error?: string;
}

/** The `solve --json` object (DESIGN.md contract). */
export interface SolveResult {
  status: RunStatus;
  runId: string;
  steps: number;
  tokens: TokenUsage;
  patch: string;
  applied: boolean;
  /** set when --apply was asked for a resolved run and the patch did not apply (exit 4) */
  applyError?: string;
  tests: ResultTests | null;
  judge: { success: boolean; reason: string };
  memory: { retrieved: string[]; added: string[] };
  attempts: AttemptResult[];
  chosen: number;
  /** where the run record was written */
  runDir?: string;
  error?: { code: string; message: string };
}

/** Everything one `solve` needs; the CLI and the server build it from flags and settings. */
export interface SolveOptions {
  /** folder inside a git work tree */
  repo: string;
  /** the issue text */
  task: string;
  /** undefined: detect; null: no tests (the LLM judge decides) */
  testCommand?: string | null;
  /** memory file; default <repo>/.reasoningbank/memory.sqlite */
  memoryFile?: string;
  /** vanilla agent: no retrieval, no distillation */
  noMemory?: boolean;
  k?: number;
  mode?: 'parallel' | 'sequential';
  maxSteps?: number;
  /** apply a resolved patch to the working tree */
  apply?: boolean;
  model: import('./llm/model').ChatModel;
  /** dependency folders symlinked into each worktree */
  linkedFolders?: string[];
  worktreeDir?: string;
  /** untracked files larger than this are left out of the attempts' snapshot (default 50 MB) */
  maxUntrackedBytes?: number;
  /** environment variable names commands may see despite the secret filter */
  allowEnv?: string[];
  /** asked before each agent command; absent = allowed (the CLI is headless) */
  approveCommand?: import('./agent/types').CommandApprover;
  /** lessons retrieved per task (default 3) */
  retrieveK?: number;
  /** what to remember and inject; default ReasoningBank over the memory file (the bench swaps strategies) */
  lessonMemory?: import('./lesson-memory').LessonMemory;
  /** warnings about the memory file (quarantined corrupt file, lexical fallback) */
  events?: import('./events').EventSink;
  signal?: AbortSignal;
}
