/** The agent loop's inputs and outputs (see loop.ts). */
import type { ChatMessage } from '../llm/model';
import type { TokenUsage } from '../types';
import type { RecallRequest, Recalled } from '../lesson-memory';

/** The memory layer's recall, as the agent's `recall` tool calls it. */
export type RecallTool = (request: RecallRequest, signal?: AbortSignal) => Promise<Recalled>;

export interface TrajectoryStep {
  step: number;
  /** assistant text of this step, if any */
  thought: string | null;
  actions: { id: string; name: string; args: string; output: string; isError: boolean }[];
  tokens: TokenUsage;
  at: string;
}

export type StopReason = 'finish' | 'no-tool-call' | 'max-steps' | 'cancelled' | 'error';

export interface AgentOutcome {
  reason: StopReason;
  /** the finish summary, or the final assistant text */
  summary: string;
  /** steps taken in this call (a continued conversation numbers its steps from startStep + 1) */
  steps: number;
  /** the whole conversation, so sequential refinement can continue it */
  messages: ChatMessage[];
  trajectory: TrajectoryStep[];
  /** full ids of the lessons `recall` returned in this call */
  recalled: string[];
  /** ids (full or short, as the agent wrote them) of the lessons it cited in `finish` */
  cited: string[];
  error?: string;
}

/** Asked before every run_command (VS Code's "ask" approval); the CLI allows everything. */
/** What a command to approve is for: the agent's own, or the test run that judges it (asked only without a sandbox). */
export type CommandPurpose = 'agent' | 'tests-baseline' | 'tests-after';
export type CommandApprover = (request: { command: string; attempt: number; purpose?: CommandPurpose }) => Promise<{ allowed: boolean; reason?: string }>;
