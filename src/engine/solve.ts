/**
 * One task end to end: retrieve → attempt(s) → judge → select → distill → consolidate → apply → result.
 * k = 1 is a single attempt; k > 1 runs MaTTS, in parallel worktrees or as sequential refinement.
 * Each step below is one function; `solve` only strings them together. Worktrees are removed on every
 * exit path (attempt.ts disposes its own in `finally`).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { AttemptResult, ResultTests, RunMode, ScaleMode, SolveResult, TestResult } from './types';
import type { LessonMemory, RetrievedForPrompt } from './lesson-memory';
import type { AddedItem } from './memory/types';
import type { ChatModel } from './llm/model';
import type { CommandApprover } from './agent/types';
import { type EventSink, fanOut, noEvents } from './events';
import { CancelledError, EngineError, errorMessage, usageError } from './errors';
import { assertGitRepo } from './git/repo';
import { applyPatch } from './git/apply';
import { detectTestCommand } from './judge/detect';
import { pruneStaleWorktrees } from './git/worktree';
import { type AttemptContext, type AttemptRun, runAttempt } from './attempts/attempt';
import { runBaseline } from './attempts/baseline';
import { runSequential } from './attempts/sequential';
import { selectBest } from './attempts/select';
import { MemoryBank, defaultMemoryPath, redact } from './memory';
import { ReasoningBankMemory } from './memory/reasoningbank';
import { resolveId } from './memory/lesson-index';
import { createRunDir, newRunId, writeRunRecord } from './run-record';
import { detectSandbox } from './sandbox/sandbox';
import { UNSANDBOXED, type NetworkMode, type Sandbox } from './sandbox/types';
import { assertTrustedBank } from './memory/trust';

export const DEFAULT_MAX_STEPS = 50;
/** candidates above the relevance floor put before the agent: the best in full, the others as index lines */
export const DEFAULT_INDEX_K = 8;
export const MAX_K = 8;

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
  mode?: ScaleMode;
  maxSteps?: number;
  /** apply a resolved patch to the working tree */
  apply?: boolean;
  model: ChatModel;
  /** dependency folders symlinked into each worktree */
  linkedFolders?: string[];
  worktreeDir?: string;
  /** untracked files larger than this are left out of the attempts' snapshot (default 50 MB) */
  maxUntrackedBytes?: number;
  /** environment variable names commands may see despite the secret filter */
  allowEnv?: string[];
  /** asked before each agent command; absent = allowed (the CLI is headless) */
  /** network for sandboxed commands (default "off"; the sandbox's own loopback always works) */
  network?: NetworkMode;
  /** run commands unconfined (no OS sandbox); said once as a warning */
  noSandbox?: boolean;
  /** use the memory bank even if git tracks it or another user created it */
  trustMemory?: boolean;
  /** the identity of the bank the user confirmed (VS Code): trusted while the bank still has it (memory/trust.ts) */
  trustedMemory?: string;
  approveCommand?: CommandApprover;
  /** lessons put before the agent per task: one in full, the rest as index lines (default 8) */
  retrieveK?: number;
  /** what to remember and inject; default ReasoningBank over the memory file (the bench swaps strategies) */
  lessonMemory?: LessonMemory;
  /** warnings about the memory file (quarantined corrupt file, lexical fallback) */
  events?: EventSink;
  signal?: AbortSignal;
}

/** The checked inputs of one run. */
interface Plan {
  task: string;
  k: number;
  mode: RunMode;
  maxSteps: number;
  repoTop: string;
}

const NOTHING_RETRIEVED: RetrievedForPrompt = { ids: [], prompt: '', method: 'none', items: [] };

export async function solve(opts: SolveOptions): Promise<SolveResult> {
  const events = fanOut(opts.events ?? noEvents);
  const warn = (message: string) => events({ type: 'log', level: 'warn', message });
  const signal = opts.signal;
  const plan = await checkInputs(opts);

  const sandbox = await chooseSandbox(opts, warn);
  const memoryFile = opts.memoryFile ?? defaultMemoryPath(plan.repoTop);
  if (!opts.noMemory && !opts.lessonMemory && !opts.trustMemory) await assertTrustedBank(memoryFile, opts.trustedMemory);

  await pruneStaleWorktrees(plan.repoTop, { worktreeDir: opts.worktreeDir }).catch((err) => warn(`could not prune stale worktrees: ${errorMessage(err)}`));
  const runId = newRunId();
  const runDir = createRunDir(plan.repoTop, runId);
  const testCommand = await resolveTestCommand(opts, plan.repoTop);
  events({ type: 'run-start', runId, task: plan.task, k: plan.k, mode: plan.mode, repo: plan.repoTop, sandbox, testCommand });
  events({ type: 'log', level: 'info', runId, message: testCommand ? `test command: ${testCommand}` : 'no test command found: the LLM judge decides' });

  const opened = opts.noMemory ? null : await openLessonMemory(opts, memoryFile, warn);
  const memory = opened?.memory ?? null;
  try {
    const retrieved = await retrieveLessons(memory, plan.task, opts, warn);
    events({ type: 'memory-retrieved', runId, method: retrieved.method, items: retrieved.items, ...(retrieved.unmatched ? { unmatched: retrieved.unmatched } : {}) });

    const ctx: AttemptContext = {
      runId,
      repo: plan.repoTop,
      runDir,
      task: plan.task,
      lessons: retrieved.prompt,
      unmatchedLessons: retrieved.unmatched,
      recall: memory?.recall ? (request, sig) => memory.recall!(request, sig) : undefined,
      testCommand,
      maxSteps: plan.maxSteps,
      model: opts.model,
      linkedFolders: opts.linkedFolders,
      worktreeDir: opts.worktreeDir,
      maxUntrackedBytes: opts.maxUntrackedBytes,
      allowEnv: opts.allowEnv,
      approveCommand: opts.approveCommand,
      sandbox,
      events,
      signal,
      portBase: 3100 + Math.floor(Math.random() * 50) * 10,
    };

    const runs = await runAttempts(ctx, plan);
    // every attempt awaited the one baseline run: this is its settled result
    const baseline = (await runBaseline(ctx, 0)).tests;
    const { chosen } = await selectAttempt(runs, plan.task, opts.model, ctx);
    const added = memory ? await distillLessons(memory, runs, chosen, plan, opts.model, ctx) : [];
    const result = buildResult(runId, runDir, runs, chosen, opts.model, retrieved, added, sandbox, baseline);
    if (memory) await recordEvidence(memory, result, plan.task, warn);
    if (opts.apply) await applyResolved(result, plan.repoTop, runDir, warn, signal);
    writeRunRecord(runDir, result);
    events({ type: 'run-end', runId, status: result.status });
    return result;
  } catch (err) {
    const cancelled = signal?.aborted || err instanceof CancelledError;
    events({ type: 'run-end', runId, status: 'error' });
    fs.writeFileSync(path.join(runDir, 'error.txt'), (cancelled ? 'cancelled' : redact(errorMessage(err))) + '\n');
    if (cancelled) throw err instanceof CancelledError ? err : new CancelledError();
    throw err;
  } finally {
    opened?.close();
  }
}

/** Refuses what cannot run, before anything is created (CLI exit 2). */
async function checkInputs(opts: SolveOptions): Promise<Plan> {
  const task = opts.task?.trim();
  if (!task) throw usageError('the issue text is empty: pass --issue TEXT or --issue-file FILE');
  const k = opts.k ?? 1;
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) throw usageError(`k must be a whole number from 1 to ${MAX_K} (got ${k})`);
  const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw usageError(`max steps must be a positive whole number (got ${maxSteps})`);
  const repoTop = await assertGitRepo(opts.repo);
  return { task, k, maxSteps, repoTop, mode: k === 1 ? 'single' : (opts.mode ?? 'parallel') };
}

/** undefined: detect; '' or null: no tests (the LLM judge decides). */
async function resolveTestCommand(opts: SolveOptions, repoTop: string): Promise<string | null> {
  return opts.testCommand === undefined ? detectTestCommand(repoTop) : opts.testCommand || null;
}

/** The OS sandbox for this run; unconfined only when asked for, and then said once. */
async function chooseSandbox(opts: SolveOptions, warn: (message: string) => void): Promise<Sandbox> {
  if (opts.noSandbox) {
    warn("no sandbox: the agent's commands and the tests run unconfined, with your permissions, files and network");
    return UNSANDBOXED;
  }
  return detectSandbox(opts.network ?? 'off', { otherwise: 'Or pass --no-sandbox to run them unconfined.' });
}

/** The caller's lesson memory (it closes it), or the bank's, which this run opens and closes. */
async function openLessonMemory(opts: SolveOptions, memoryFile: string, warn: (m: string) => void): Promise<{ memory: LessonMemory; close(): void }> {
  if (opts.lessonMemory) return { memory: opts.lessonMemory, close: () => {} };
  const bank = await MemoryBank.open(memoryFile, { model: opts.model, onWarn: warn });
  return { memory: new ReasoningBankMemory(bank), close: () => bank.close() };
}

/** A failed retrieval costs the lessons, not the run. */
async function retrieveLessons(memory: LessonMemory | null, task: string, opts: SolveOptions, warn: (m: string) => void): Promise<RetrievedForPrompt> {
  if (!memory) return NOTHING_RETRIEVED;
  try {
    return await memory.retrieve(task, { k: opts.retrieveK ?? DEFAULT_INDEX_K, signal: opts.signal });
  } catch (err) {
    if (opts.signal?.aborted) throw new CancelledError();
    warn(`memory retrieval failed (${errorMessage(err)}); going on without lessons`);
    return NOTHING_RETRIEVED;
  }
}

/** k attempts side by side, or one refining itself; an error only when every attempt failed. */
async function runAttempts(ctx: AttemptContext, plan: Plan): Promise<AttemptRun[]> {
  let runs: AttemptRun[];
  if (plan.mode === 'sequential') {
    runs = [await runSequential(ctx, plan.k)];
  } else {
    // all attempts start together; the shared limiter in the model caps concurrent requests.
    // allSettled, not all: on cancel every attempt must finish removing its worktree before we return
    const settled = await Promise.allSettled(Array.from({ length: plan.k }, (_, i) => runAttempt(ctx, i, { baseline: i === 0 })));
    const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (rejected) throw rejected.reason;
    runs = settled.map((s) => (s as PromiseFulfilledResult<AttemptRun>).value);
  }
  if (ctx.signal?.aborted) throw new CancelledError();
  if (runs.every((r) => r.status === 'error')) {
    const first = runs.find((r) => r.error);
    throw new EngineError(first?.errorCode ?? 'internal', first?.error ?? 'every attempt failed');
  }
  return runs;
}

/** Best-of-k: the tests outrank the model's preference (select.ts). */
async function selectAttempt(runs: AttemptRun[], task: string, model: ChatModel, ctx: AttemptContext): Promise<{ chosen: number; reason: string }> {
  if (runs.length === 1) return { chosen: 0, reason: 'single attempt' };
  const judged = runs.filter((r) => r.status !== 'error').map((r) => r.material);
  const selection = await selectBest(model, task, judged, { signal: ctx.signal, onWarn: (m) => ctx.events({ type: 'log', level: 'warn', message: m }) });
  ctx.events({ type: 'selection', runId: ctx.runId, chosen: selection.chosen, reason: selection.reason });
  return selection;
}

/** Distillation and consolidation; a failure here keeps the result and stores nothing. */
async function distillLessons(memory: LessonMemory, runs: AttemptRun[], chosen: number, plan: Plan, model: ChatModel, ctx: AttemptContext): Promise<AddedItem[]> {
  try {
    const added = await memory.learn({
      task: plan.task,
      mode: plan.mode,
      attempts: runs.filter((r) => r.status !== 'error').map((r) => r.material),
      chosen,
      model,
      signal: ctx.signal,
    });
    if (added.length) ctx.events({ type: 'memory-added', runId: ctx.runId, items: added.map((a) => ({ id: a.id, title: a.title, outcome: a.outcome, merged: a.merged })) });
    return added;
  } catch (err) {
    if (ctx.signal?.aborted) throw new CancelledError();
    ctx.events({ type: 'log', level: 'warn', message: `could not distill lessons from this run (${errorMessage(err)}); the result stands, nothing was stored` });
    return [];
  }
}

function buildResult(
  runId: string,
  runDir: string,
  runs: AttemptRun[],
  chosen: number,
  model: ChatModel,
  retrieved: RetrievedForPrompt,
  added: AddedItem[],
  sandbox: Sandbox,
  baseline: TestResult | null,
): SolveResult {
  const best = runs[chosen]!;
  return {
    status: best.status === 'resolved' ? 'resolved' : 'unresolved',
    runId,
    steps: best.material.steps,
    tokens: model.usage,
    patch: best.material.patch,
    ...(best.material.testWrites ? { testWrites: best.material.testWrites } : {}),
    applied: false,
    tests: publicTests(best.material.tests),
    ...(best.material.tests?.file ? { testOutput: best.material.tests.file } : {}),
    ...(baseline?.file ? { baselineTestOutput: baseline.file } : {}),
    judge: { success: best.material.verdict.success, reason: best.material.verdict.reason },
    memory: { retrieved: retrieved.ids, added: added.map((a) => a.id), ...lessonsUsed(retrieved, runs) },
    attempts: runs.map((r, i): AttemptResult => ({
      index: i,
      status: r.status,
      steps: r.material.steps,
      tests: publicTests(r.material.tests),
      ...(r.material.tests?.file ? { testOutput: r.material.tests.file } : {}),
      patch: r.material.patch,
      ...(r.material.testWrites ? { testWrites: r.material.testWrites } : {}),
      judge: { success: r.material.verdict.success, reason: r.material.verdict.reason },
      tokens: r.tokens,
      ...(r.error ? { error: r.error } : {}),
    })),
    chosen,
    sandbox,
    runDir,
  };
}

/** Each used lesson's win or loss, the others' showing (curation and auto-archive read this). */
async function recordEvidence(memory: LessonMemory, result: SolveResult, task: string, warn: (m: string) => void): Promise<void> {
  const { runId, status, steps, tokens } = result;
  await memory
    .recordRun({ runId, task, status, steps, tokens, retrieved: result.memory.retrieved, added: result.memory.added, used: result.memory.used })
    .catch((err) => warn(`could not record the run's evidence in the memory bank: ${errorMessage(err)}`));
}

/**
 * --apply: only a resolved, non-empty patch, all or nothing (git/apply.ts). A patch that does not apply
 * leaves the run's work standing: the result carries why (`applyError`; the CLI exits 4).
 */
async function applyResolved(result: SolveResult, repoTop: string, runDir: string, warn: (m: string) => void, signal?: AbortSignal): Promise<void> {
  if (result.status !== 'resolved') return warn('not applied: the patch did not resolve the issue (it is saved in the run record)');
  if (!result.patch.trim()) return warn('not applied: the patch is empty');
  const patchFile = path.join(runDir, 'patch.diff');
  fs.writeFileSync(patchFile, result.patch);
  try {
    await applyPatch(repoTop, result.patch, { patchFile });
    result.applied = true;
  } catch (err) {
    if (signal?.aborted) throw new CancelledError();
    result.applyError = errorMessage(err);
    warn(`not applied: ${result.applyError}`);
  }
}

/**
 * Which lessons the run used: the one shown in full, those recalled, and those cited in `finish` (by full
 * or short id; an id the agent was never shown is ignored). Over every attempt of the run.
 */
export function lessonsUsed(retrieved: RetrievedForPrompt, runs: AttemptRun[]): { used: string[]; recalled: string[]; cited: string[] } {
  const recalled = [...new Set(runs.flatMap((r) => r.material.recalled ?? []))];
  const seen = [...new Set([...retrieved.ids, ...recalled])];
  const cited = [...new Set(runs.flatMap((r) => r.material.cited ?? []).map((raw) => resolveId(raw, seen)))].filter((id): id is string => !!id);
  const used = [...new Set([...(retrieved.full ?? retrieved.ids), ...recalled, ...cited])];
  return { used, recalled, cited };
}

function publicTests(t: TestResult | null): ResultTests | null {
  return t ? { command: t.command, exitCode: t.exitCode, passed: t.passed, failed: t.failed } : null;
}
