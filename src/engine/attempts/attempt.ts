/**
 * One attempt from start to verdict: a worktree from the user's current state, the agent in it, the
 * patch, the tests, the judge. The worktree is removed whatever happens. Sequential refinement reuses
 * the same pieces round by round (see sequential.ts).
 */
import * as os from 'os';
import * as path from 'path';
import type { ChatMessage, ChatModel } from '../llm/model';
import type { EventSink } from '../events';
import type { AttemptMaterial } from '../lesson-memory';
import type { AttemptStatus, TestResult, TokenUsage, Verdict } from '../types';
import type { AgentOutcome, CommandApprover, RecallTool, TrajectoryStep } from '../agent/types';
import { Workspace } from '../agent/confined-worktree';
import { runAgent } from '../agent/loop';
import { summarizeTrajectory } from '../agent/trajectory';
import { createWorktree, type Worktree } from '../git/worktree';
import { diffWorktree } from '../git/patch';
import { runTests } from '../judge/run-tests';
import { llmJudge } from '../judge/llm-judge';
import { decideVerdict } from '../judge/verdict';
import { scrubEnv } from '../exec';
import { privateTempEnv } from '../sandbox/sandbox';
import type { Sandbox } from '../sandbox/types';
import { CancelledError, EngineError, type ErrorCode, errorMessage } from '../errors';

export interface AttemptContext {
  runId: string;
  repo: string;
  runDir: string;
  task: string;
  lessons: string;
  /** the memory layer's recall for the agent's `recall` tool; absent: nothing to recall */
  recall?: RecallTool;
  testCommand: string | null;
  maxSteps: number;
  model: ChatModel;
  linkedFolders?: string[];
  worktreeDir?: string;
  allowEnv?: string[];
  approveCommand?: CommandApprover;
  /** confines run_command and the test command (they run code the agent wrote) */
  sandbox: Sandbox;
  events: EventSink;
  signal?: AbortSignal;
  /** base for the PORT each attempt gets, so parallel dev servers do not collide */
  portBase: number;
}

export interface AttemptRun {
  material: AttemptMaterial;
  status: AttemptStatus;
  tokens: TokenUsage;
  baseline: TestResult | null;
  stop: AgentOutcome['reason'];
  error?: string;
  /** what kind of failure, for the run's error when every attempt failed */
  errorCode?: ErrorCode;
}

export interface Judged {
  patch: string;
  after: TestResult | null;
  verdict: Verdict;
}

export interface OpenAttempt {
  index: number;
  worktree: Worktree;
  workspace: Workspace;
  model: ChatModel;
  trajectoryFile: string;
  /** lessons the agent recalled or cited, over every round of this attempt */
  lessons: { recalled: Set<string>; cited: Set<string> };
}

export async function openAttempt(ctx: AttemptContext, index: number): Promise<OpenAttempt> {
  const worktree = await createWorktree({
    repo: ctx.repo,
    runId: ctx.runId,
    index,
    worktreeDir: ctx.worktreeDir,
    linkedFolders: ctx.linkedFolders,
  });
  ctx.events({ type: 'attempt-start', runId: ctx.runId, attempt: index, worktree: worktree.path });
  const workspace = new Workspace({
    root: worktree.path,
    env: commandEnv(ctx, worktree, index),
    gitDir: worktree.gitDir,
    sandbox: confinedTo(ctx, worktree),
    approve: ctx.approveCommand,
    attempt: index,
    signal: ctx.signal,
  });
  return {
    index,
    worktree,
    workspace,
    model: ctx.model.child(),
    trajectoryFile: path.join(ctx.runDir, `attempt-${index}.trajectory.jsonl`),
    lessons: { recalled: new Set(), cited: new Set() },
  };
}

/** The scrubbed environment of an attempt's commands: its own PORT, temp folder and caches. */
function commandEnv(ctx: AttemptContext, worktree: Worktree, index: number): NodeJS.ProcessEnv {
  return scrubEnv(process.env, ctx.allowEnv ?? [], { PORT: String(ctx.portBase + index), ...privateTempEnv(worktree.tmpDir) });
}

/** Writable: the worktree and its temp folder; the worktree's `.git` pointer stays read-only. */
function confinedTo(ctx: AttemptContext, worktree: Worktree) {
  return {
    sandbox: ctx.sandbox,
    confinement: {
      writable: [worktree.path, worktree.tmpDir],
      readOnly: [path.join(worktree.path, '.git')],
      // the admin folder is <common dir>/worktrees/<name>: git in the worktree reads the common dir
      visible: [worktree.repo, path.dirname(path.dirname(worktree.gitDir))],
      home: os.homedir(),
    },
  };
}

export async function runTestsIn(ctx: AttemptContext, open: OpenAttempt, phase: 'baseline' | 'after'): Promise<TestResult | null> {
  if (!ctx.testCommand) return null;
  const result = await runTests({
    command: ctx.testCommand,
    cwd: open.worktree.path,
    env: commandEnv(ctx, open.worktree, open.index),
    sandbox: confinedTo(ctx, open.worktree),
    signal: ctx.signal,
  });
  ctx.events({ type: 'tests', runId: ctx.runId, attempt: open.index, phase, result });
  return result;
}

/** The agent at work in an opened attempt; `more` continues a conversation (sequential refinement). */
export async function agentIn(
  ctx: AttemptContext,
  open: OpenAttempt,
  more: { messages?: ChatMessage[]; startStep?: number; maxSteps?: number } = {},
): Promise<AgentOutcome> {
  const outcome = await runAgent({
    model: open.model,
    workspace: open.workspace,
    task: ctx.task,
    lessons: ctx.lessons,
    recall: ctx.recall,
    maxSteps: more.maxSteps ?? ctx.maxSteps,
    signal: ctx.signal,
    events: ctx.events,
    runId: ctx.runId,
    attempt: open.index,
    trajectoryFile: open.trajectoryFile,
    messages: more.messages,
    startStep: more.startStep,
  });
  for (const id of outcome.recalled) open.lessons.recalled.add(id);
  for (const id of outcome.cited) open.lessons.cited.add(id);
  return outcome;
}

/** Patch, tests, judge: the tests decide where they ran; the LLM judge explains (or decides without tests). */
export async function judgeAttempt(
  ctx: AttemptContext,
  open: OpenAttempt,
  outcome: AgentOutcome,
  baseline: TestResult | null,
): Promise<Judged> {
  // the patch is taken before the tests run, so their artefacts never end up in it
  const patch = await diffWorktree(open.worktree, open.worktree.baseCommit);
  const after = await runTestsIn(ctx, open, 'after');
  let llm: { success: boolean; reason: string } | null = null;
  let llmError: string | undefined;
  try {
    llm = await llmJudge(open.model, {
      task: ctx.task,
      patch,
      tests: { baseline, after },
      trajectory: summarizeTrajectory(outcome.trajectory, 6000),
      signal: ctx.signal,
    });
  } catch (err) {
    if (ctx.signal?.aborted) throw err;
    llmError = errorMessage(err);
    ctx.events({ type: 'log', level: 'warn', runId: ctx.runId, message: `attempt ${open.index}: the LLM judge was unavailable (${llmError})` });
  }
  const verdict = decideVerdict({ patch, after, llm, llmError });
  ctx.events({ type: 'verdict', runId: ctx.runId, attempt: open.index, verdict });
  return { patch, after, verdict };
}

/** A single agent run in its own worktree (single and parallel mode). */
export async function runAttempt(ctx: AttemptContext, index: number, opts: { baseline?: boolean } = {}): Promise<AttemptRun> {
  let open: OpenAttempt | undefined;
  try {
    open = await openAttempt(ctx, index);
    const baseline = opts.baseline ? await runTestsIn(ctx, open, 'baseline') : null;
    const outcome = await agentIn(ctx, open);
    if (outcome.reason === 'cancelled') throw new CancelledError();
    const judged = await judgeAttempt(ctx, open, outcome, baseline);
    return finishedRun(ctx, open, outcome, judged, baseline, { steps: outcome.steps, trajectory: outcome.trajectory });
  } catch (err) {
    return failedRun(ctx, index, err, open);
  } finally {
    await open?.worktree.dispose();
  }
}

/** The record of an attempt that ran to a verdict; an agent that errored before changing anything is an error. */
export function finishedRun(
  ctx: AttemptContext,
  open: OpenAttempt,
  last: AgentOutcome,
  judged: Judged,
  baseline: TestResult | null,
  whole: { steps: number; trajectory: TrajectoryStep[]; rounds?: AttemptMaterial['rounds'] },
): AttemptRun {
  const status: AttemptStatus = last.reason === 'error' && !judged.patch.trim() ? 'error' : judged.verdict.success ? 'resolved' : 'unresolved';
  ctx.events({ type: 'attempt-end', runId: ctx.runId, attempt: open.index, status, steps: whole.steps, patch: judged.patch });
  return {
    material: {
      index: open.index,
      verdict: judged.verdict,
      steps: whole.steps,
      patch: judged.patch,
      trajectory: summarizeTrajectory(whole.trajectory, 8000),
      tests: judged.after,
      ...(whole.rounds ? { rounds: whole.rounds } : {}),
      recalled: [...open.lessons.recalled],
      cited: [...open.lessons.cited],
    },
    status,
    tokens: open.model.usage,
    baseline,
    stop: last.reason,
    error: last.error,
    // the loop turns model/endpoint failures into reason 'error'
    ...(last.reason === 'error' ? { errorCode: 'endpoint' as const } : {}),
  };
}

/** One crashing attempt is recorded as failed and the others go on; a cancel propagates. */
export function failedRun(ctx: AttemptContext, index: number, err: unknown, open?: OpenAttempt): AttemptRun {
  if (ctx.signal?.aborted || err instanceof CancelledError) throw err;
  const message = errorMessage(err);
  ctx.events({ type: 'log', level: 'error', runId: ctx.runId, message: `attempt ${index} failed: ${message}` });
  ctx.events({ type: 'attempt-end', runId: ctx.runId, attempt: index, status: 'error', steps: 0, patch: '' });
  return {
    material: { index, verdict: { success: false, reason: `attempt failed: ${message}`, decidedBy: 'none' }, steps: 0, patch: '', trajectory: '', tests: null },
    status: 'error',
    tokens: open?.model.usage ?? { prompt: 0, completion: 0 },
    baseline: null,
    stop: 'error',
    error: message,
    errorCode: err instanceof EngineError ? err.code : 'internal',
  };
}
