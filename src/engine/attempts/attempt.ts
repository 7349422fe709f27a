/**
 * One attempt from start to verdict: a worktree from the user's current state, the agent in it, the
 * patch, the tests, the judge. The worktree is removed whatever happens. Sequential refinement reuses
 * the same pieces round by round (see sequential.ts).
 */
import * as fs from 'fs';
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
import { attemptPatch, diffWorktree } from '../git/patch';
import { llmJudge } from '../judge/llm-judge';
import { decideVerdict } from '../judge/verdict';
import type { Sandbox } from '../sandbox/types';
import { CancelledError, EngineError, type ErrorCode, errorMessage } from '../errors';
import { NO_WRITES, type TestRunWrites, runBaseline } from './baseline';
import { commandEnv, confinedTo, runTestsIn } from './test-runs';

export interface AttemptContext {
  runId: string;
  repo: string;
  runDir: string;
  task: string;
  lessons: string;
  /** lessons in the bank when none was put before the agent (see RetrievedForPrompt.unmatched) */
  unmatchedLessons?: number;
  /** the memory layer's recall for the agent's `recall` tool; absent: nothing to recall */
  recall?: RecallTool;
  testCommand: string | null;
  maxSteps: number;
  model: ChatModel;
  linkedFolders?: string[];
  worktreeDir?: string;
  maxUntrackedBytes?: number;
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
  /** tracked files left out of the patch: the attempt changed them exactly as the test run itself does */
  testWrites: string[];
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
    maxUntrackedBytes: ctx.maxUntrackedBytes,
  });
  ctx.events({ type: 'attempt-start', runId: ctx.runId, attempt: index, worktree: worktree.path });
  if (worktree.leftOut.length) {
    ctx.events({
      type: 'log',
      level: 'warn',
      runId: ctx.runId,
      message: `attempt ${index}: left out of the worktree (untracked files over the size cap, or git repositories without a commit): ${worktree.leftOut.join(', ')}`,
    });
  }
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
    unmatchedLessons: ctx.unmatchedLessons,
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
  writes: TestRunWrites = NO_WRITES,
  round?: number,
): Promise<Judged> {
  // the patch is taken before the tests run, so their artefacts never end up in it
  const { patch, testWrites } = await patchWithoutTestWrites(ctx, open, writes);
  const after = await runTestsIn(ctx, open, round);
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
  return { patch, testWrites, after, verdict };
}

/**
 * The attempt's patch without what the test run itself writes. Whatever is left out is named in a warning
 * and its diff kept in the run folder: an agent that wrote the very content the tests write cannot be told
 * apart from them, and its edit must not be lost without a word.
 */
async function patchWithoutTestWrites(ctx: AttemptContext, open: OpenAttempt, writes: TestRunWrites): Promise<{ patch: string; testWrites: string[] }> {
  const made = await attemptPatch(open.worktree, open.worktree.baseCommit, { leaveOut: writes.artifacts, testWrites: writes.tracked });
  const { leftOut, kept } = made.testWrites;
  const saved = path.join(ctx.runDir, `attempt-${open.index}.test-writes.diff`);
  if (leftOut.length) {
    fs.writeFileSync(saved, made.leftOutPatch);
    ctx.events({
      type: 'log',
      level: 'warn',
      runId: ctx.runId,
      message: `attempt ${open.index}: left out of the patch: rewritten by the test run itself: ${leftOut.join(', ')} (their diff is saved at ${saved})`,
    });
  } else {
    // a later refinement round may have changed them back: the record holds only what the final patch left out
    fs.rmSync(saved, { force: true });
  }
  if (kept.length) {
    ctx.events({
      type: 'log',
      level: 'info',
      runId: ctx.runId,
      message: `attempt ${open.index}: kept in the patch though the test run also rewrites them (the attempt's content differs from what it writes): ${kept.join(', ')}`,
    });
  }
  return { patch: made.patch, testWrites: leftOut };
}

/** A single agent run in its own worktree (single and parallel mode). */
export async function runAttempt(ctx: AttemptContext, index: number, opts: { baseline?: boolean } = {}): Promise<AttemptRun> {
  let open: OpenAttempt | undefined;
  let outcome: AgentOutcome | undefined;
  const baselineRun = runBaseline(ctx, index);
  try {
    open = await openAttempt(ctx, index);
    outcome = await agentIn(ctx, open);
    if (outcome.reason === 'cancelled') throw new CancelledError();
    const { tests, writes } = await baselineRun;
    // the baseline's result belongs to one attempt's record (the others' would repeat it)
    const baseline = opts.baseline ? tests : null;
    const judged = await judgeAttempt(ctx, open, outcome, baseline, writes);
    return finishedRun(ctx, open, outcome, judged, baseline, { steps: outcome.steps, trajectory: outcome.trajectory });
  } catch (err) {
    return failedRun(ctx, index, err, open, open && (await partialWork(ctx.runDir, open, outcome?.trajectory ?? [])));
  } finally {
    await open?.worktree.dispose();
    await baselineRun.catch(() => null);
  }
}

export interface PartialWork {
  steps: number;
  trajectory: TrajectoryStep[];
  patch: string;
}

/**
 * What a failed attempt got done: its steps and whatever its worktree holds, so the work is not lost.
 * The patch is also saved beside the trajectory in the run folder.
 */
export async function partialWork(runDir: string, open: Pick<OpenAttempt, 'index' | 'worktree'>, trajectory: TrajectoryStep[]): Promise<PartialWork> {
  let patch = '';
  try {
    patch = await diffWorktree(open.worktree, open.worktree.baseCommit);
    if (patch.trim()) fs.writeFileSync(path.join(runDir, `attempt-${open.index}.partial.diff`), patch);
  } catch {
    // the patch itself may be what failed; the trajectory file still holds every step
  }
  return { steps: trajectory.length, trajectory, patch };
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
      ...(judged.testWrites.length ? { testWrites: judged.testWrites } : {}),
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

/** One crashing attempt is recorded as failed, with what it got done, and the others go on; a cancel propagates. */
export function failedRun(ctx: AttemptContext, index: number, err: unknown, open?: OpenAttempt, partial?: PartialWork): AttemptRun {
  if (ctx.signal?.aborted || err instanceof CancelledError) throw err;
  const steps = partial?.steps ?? 0;
  const patch = partial?.patch ?? '';
  const saved = patch.trim() ? `; its partial patch is saved at ${path.join(ctx.runDir, `attempt-${index}.partial.diff`)}` : '';
  const message = `${errorMessage(err)} (after ${steps} step${steps === 1 ? '' : 's'}${saved})`;
  ctx.events({ type: 'log', level: 'error', runId: ctx.runId, message: `attempt ${index} failed: ${message}` });
  ctx.events({ type: 'attempt-end', runId: ctx.runId, attempt: index, status: 'error', steps, patch });
  return {
    material: {
      index,
      verdict: { success: false, reason: `attempt failed: ${message}`, decidedBy: 'none' },
      steps,
      patch,
      trajectory: summarizeTrajectory(partial?.trajectory ?? [], 8000),
      tests: null,
    },
    status: 'error',
    tokens: open?.model.usage ?? { prompt: 0, completion: 0 },
    baseline: null,
    stop: 'error',
    error: message,
    errorCode: err instanceof EngineError ? err.code : 'internal',
  };
}
