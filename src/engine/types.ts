/** Shapes shared by the engine's layers and by its consumers (CLI, server, extension). */
import type { Sandbox } from './sandbox/types';

/** How k > 1 attempts relate: side by side, or one attempt refining its own work. */
export type ScaleMode = 'parallel' | 'sequential';
/** How a run went: one attempt, or k in one of the scale modes. */
export type RunMode = 'single' | ScaleMode;
/** How lessons were ranked: embeddings fused with BM25, BM25 alone, or nothing retrieved. */
export type RetrievalMethod = 'hybrid' | 'lexical' | 'none';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

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
  /** where the run record keeps this output (redacted); absent: not kept */
  file?: string;
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
  /** tracked files left out of `patch` because the test run itself rewrites them to that content; absent: none */
  testWrites?: string[];
  /** not part of the public JSON contract's required fields, but useful to consumers */
  judge?: { success: boolean; reason: string };
  tokens?: TokenUsage;
  error?: string;
  /** the file in the run folder with the output of this attempt's last test run; absent: the tests did not run */
  testOutput?: string;
}

/** The `solve --json` object (a public contract: docs/CLI.md, "The --json result"). */
export interface SolveResult {
  status: RunStatus;
  runId: string;
  steps: number;
  tokens: TokenUsage;
  patch: string;
  /** the chosen attempt's files left out of `patch`: the test run itself rewrites them to that content; absent: none */
  testWrites?: string[];
  applied: boolean;
  /** set when --apply was asked for a resolved run and the patch did not apply (exit 4) */
  applyError?: string;
  tests: ResultTests | null;
  /** the file in the run folder with the output of the chosen attempt's last test run; absent: the tests did not run */
  testOutput?: string;
  /** the file in the run folder with the output of the test run before any change; absent: it did not run */
  baselineTestOutput?: string;
  judge: { success: boolean; reason: string };
  /**
   * retrieved: put before the agent (the best in full, the rest as index lines); used: shown in full,
   * recalled or cited, the items credited with this run's outcome; recalled/cited: what the agent opened
   * with `recall` and named in `finish`
   */
  memory: { retrieved: string[]; added: string[]; used?: string[]; recalled?: string[]; cited?: string[] };
  attempts: AttemptResult[];
  chosen: number;
  /** what confined the agent's commands and the tests */
  sandbox?: Sandbox;
  /** where the run record was written */
  runDir?: string;
  error?: { code: string; message: string };
}
