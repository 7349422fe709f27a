/**
 * The seam between solving and remembering. `solve` asks a LessonMemory for what to inject before the
 * attempts and hands it every judged attempt afterwards; what gets stored and how it is rendered is the
 * strategy's business. ReasoningBank (success + failure lessons, contrast, refinement) is the product's
 * strategy; the bench adds the paper's baselines (trajectory exemplars, induced workflows) behind the
 * same seam, so the agent and the plumbing are identical and only memory differs.
 */
import type { ChatModel } from './llm/model';
import type { RetrievalMethod, RunMode, TestResult, Verdict } from './types';
import type { AddedItem, RunRecord } from './memory/types';

export interface RetrievedForPrompt {
  /** ids of the stored items injected (reported as memory.retrieved) */
  ids: string[];
  /** the text injected into the agent's system prompt ('' for nothing) */
  prompt: string;
  method: RetrievalMethod;
  items: { id: string; title: string; score: number }[];
}

/** One judged attempt, as the learning step sees it. */
export interface AttemptMaterial {
  index: number;
  verdict: Verdict;
  steps: number;
  patch: string;
  /** compact text of the trajectory (summarizeTrajectory) */
  trajectory: string;
  tests: TestResult | null;
  /** sequential mode: what the agent changed between refine rounds */
  rounds?: { round: number; patch: string; tests: TestResult | null; summary: string }[];
}

export interface LearnInput {
  task: string;
  mode: RunMode;
  attempts: AttemptMaterial[];
  chosen: number;
  model: ChatModel;
  signal?: AbortSignal;
}

export interface LessonMemory {
  retrieve(task: string, opts: { k: number; signal?: AbortSignal }): Promise<RetrievedForPrompt>;
  learn(input: LearnInput): Promise<AddedItem[]>;
  /** evidence: uses/wins/losses of what was retrieved */
  recordRun(run: RunRecord): Promise<void>;
}
