/**
 * One attempt from start to verdict: a worktree from the user's current state, the agent in it, the
 * patch, the tests, the judge. The worktree is removed whatever happens. Sequential refinement reuses
 * the same pieces round by round (see sequential.ts).
 */
import * as fs from 'fs';
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
import { attemptPatch, diffWorktree, newFiles, testRunWrites } from '../git/patch';
import type { TrackedChange } from '../git/test-writes';
import { runTests } from '../judge/run-tests';
import { llmJudge } from '../judge/llm-judge';
import { decideVerdict } from '../judge/verdict';
import { scrubEnv } from '../exec';
import { privateTempEnv } from '../sandbox/sandbox';
import type { Sandbox } from '../sandbox/types';
import { CancelledError, EngineError, type ErrorCode, errorMessage } from '../errors';
import { testOutputName, writeTestOutput } from '../run-record';

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

/** The tests after an attempt's change; `round`: which refinement round (sequential mode). */
export async function runTestsIn(ctx: AttemptContext, open: OpenAttempt, round?: number): Promise<TestResult | null> {
  const after = await testsAt(ctx, open.worktree, open.index, 'after', ctx.portBase + open.index, round);
  // a refinement round whose tests did not run must not leave an earlier round's output as the attempt's
  if (!after) fs.rmSync(path.join(ctx.runDir, testOutputName({ phase: 'after', attempt: open.index })), { force: true });
  return after;
}

async function testsAt(
  ctx: AttemptContext,
  worktree: Worktree,
  attempt: number,
  phase: 'baseline' | 'after',
  port: number,
  round?: number,
): Promise<TestResult | null> {
  if (!ctx.testCommand) return null;
  if (!(await testsMayRun(ctx, attempt, phase))) return null;
  const result = await runTests({
    command: ctx.testCommand,
    cwd: worktree.path,
    env: commandEnv(ctx, worktree, port - ctx.portBase),
    sandbox: confinedTo(ctx, worktree),
    signal: ctx.signal,
  });
  keepOutput(ctx, result, attempt, phase, round);
  ctx.events({ type: 'tests', runId: ctx.runId, attempt, phase, result });
  return result;
}

/**
 * The run's output into the run folder (`result.file` says where): the baseline's, the attempt's latest
 * after-run, and in sequential mode each round's too. A file that cannot be written costs the record,
 * never the run.
 */
function keepOutput(ctx: AttemptContext, result: TestResult, attempt: number, phase: 'baseline' | 'after', round?: number): void {
  try {
    if (phase === 'after' && round !== undefined) writeTestOutput(ctx.runDir, testOutputName({ phase, attempt, round }), result);
    result.file = writeTestOutput(ctx.runDir, testOutputName(phase === 'baseline' ? { phase } : { phase, attempt }), result);
  } catch (err) {
    ctx.events({ type: 'log', level: 'warn', runId: ctx.runId, message: `attempt ${attempt}: could not keep the ${phase} test output in the run folder (${errorMessage(err)})` });
  }
}

/**
 * Without an OS sandbox the tests run unconfined, and after an attempt they run code the agent wrote (it can
 * rewrite the test script with a file tool, which asks nobody): where someone can be asked (VS Code), they
 * are asked first; declined, the tests do not run and the LLM judge decides. With a sandbox, or headless
 * with --no-sandbox (the user chose it), they just run.
 */
async function testsMayRun(ctx: AttemptContext, attempt: number, phase: 'baseline' | 'after'): Promise<boolean> {
  if (ctx.sandbox.kind !== 'none' || !ctx.approveCommand || !ctx.testCommand) return true;
  const answer = await ctx.approveCommand({ command: ctx.testCommand, attempt, purpose: phase === 'after' ? 'tests-after' : 'tests-baseline' });
  if (answer.allowed) return true;
  ctx.events({ type: 'log', level: 'warn', runId: ctx.runId, message: `attempt ${attempt}: the ${phase} test run was declined; the LLM judge decides` });
  return false;
}

/** The tests before any change, and what that run wrote: the patches leave it out. */
export interface Baseline {
  tests: TestResult | null;
  writes: TestRunWrites;
}

export interface TestRunWrites {
  /** new files it left behind (reports, caches) */
  artifacts: string[];
  /** files of the base it changed or deleted (snapshots, fixtures, badges), with the content it left */
  tracked: TrackedChange[];
}

const NO_WRITES: TestRunWrites = { artifacts: [], tracked: [] };

const baselines = new WeakMap<AttemptContext, Promise<Baseline>>();

/**
 * The baseline test run, once per run (the first attempt to ask starts it): in a throwaway worktree of its
 * own, while the agent starts, so nothing it writes can reach a patch. What it wrote is left out of every
 * attempt's patch too — the same writes appear when the agent runs the tests itself: the new files it left
 * behind whatever they hold, the tracked files it changed only where the attempt's content is the same
 * (git/test-writes.ts). A baseline that
 * cannot run is a warning, not a failed attempt. Never rejects except on cancel.
 */
export function runBaseline(ctx: AttemptContext, attempt: number): Promise<Baseline> {
  let run = baselines.get(ctx);
  if (!run) {
    run = baselineNow(ctx, attempt);
    // awaited by every attempt on every path; this keeps an early failure from leaving it unhandled
    run.catch(() => {});
    baselines.set(ctx, run);
  }
  return run;
}

async function baselineNow(ctx: AttemptContext, attempt: number): Promise<Baseline> {
  if (!ctx.testCommand) return { tests: null, writes: NO_WRITES };
  let worktree: Worktree | undefined;
  try {
    worktree = await createWorktree({
      repo: ctx.repo,
      runId: ctx.runId,
      index: `${attempt}-baseline`,
      worktreeDir: ctx.worktreeDir,
      linkedFolders: ctx.linkedFolders,
      maxUntrackedBytes: ctx.maxUntrackedBytes,
    });
    // attempts use portBase + 0..MAX_K-1; the baseline takes the last port of the block
    const tests = await testsAt(ctx, worktree, attempt, 'baseline', ctx.portBase + 9);
    return { tests, writes: await writesOf(ctx, worktree, attempt) };
  } catch (err) {
    if (ctx.signal?.aborted || err instanceof CancelledError) throw err;
    ctx.events({ type: 'log', level: 'warn', runId: ctx.runId, message: `attempt ${attempt}: the baseline test run failed (${errorMessage(err)})` });
    return { tests: null, writes: NO_WRITES };
  } finally {
    await worktree?.dispose();
  }
}

/** What the baseline run wrote; not knowing it costs cleaner patches, never the baseline's result. */
async function writesOf(ctx: AttemptContext, worktree: Worktree, attempt: number): Promise<TestRunWrites> {
  try {
    return { artifacts: await newFiles(worktree), tracked: await testRunWrites(worktree, worktree.baseCommit) };
  } catch (err) {
    if (ctx.signal?.aborted || err instanceof CancelledError) throw err;
    ctx.events({
      type: 'log',
      level: 'warn',
      runId: ctx.runId,
      message: `attempt ${attempt}: could not tell what the baseline test run wrote (${errorMessage(err)}); files the tests write may show in the patches`,
    });
    return NO_WRITES;
  }
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
