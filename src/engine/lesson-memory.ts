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
  /** ids of the stored items put before the agent, in full or as index lines (reported as memory.retrieved) */
  ids: string[];
  /** of those, the ids shown in full (they count as used); absent: every one was shown in full */
  full?: string[];
  /** the lessons text given to the agent as reference data after the task ('' for nothing) */
  prompt: string;
  method: RetrievalMethod;
  items: { id: string; title: string; score: number }[];
  /** nothing cleared the floor but the bank holds this many lessons: the agent is told `recall` may find one */
  unmatched?: number;
}

/** One judged attempt, as the learning step sees it. */
export interface AttemptMaterial {
  index: number;
  verdict: Verdict;
  steps: number;
  patch: string;
  /** tracked files left out of `patch`: the attempt changed them exactly as the test run itself does */
  testWrites?: string[];
  /** compact text of the trajectory (summarizeTrajectory) */
  trajectory: string;
  tests: TestResult | null;
  /** lessons the agent opened with `recall` (full ids) and cited in `finish` (as it wrote them) */
  recalled?: string[];
  cited?: string[];
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

/** The agent's `recall` tool: lessons by id (full or short), or a search with the agent's own words. */
export interface RecallRequest {
  ids?: string[];
  query?: string;
}

export interface Recalled {
  /** the lessons in full, or a sentence saying none was found */
  text: string;
  /** full ids of the lessons returned */
  ids: string[];
}

export interface LessonMemory {
  retrieve(task: string, opts: { k: number; signal?: AbortSignal }): Promise<RetrievedForPrompt>;
  /** absent: this strategy has nothing the agent could recall */
  recall?(request: RecallRequest, signal?: AbortSignal): Promise<Recalled>;
  learn(input: LearnInput): Promise<AddedItem[]>;
  /** evidence: uses/wins/losses of what was retrieved */
  recordRun(run: RunRecord): Promise<void>;
}
