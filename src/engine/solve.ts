/**
 * One task end to end: retrieve → attempt(s) → judge → select → distill → consolidate → result.
 * k = 1 is a single attempt; k > 1 runs MaTTS, in parallel worktrees or as sequential refinement.
 * Worktrees are removed on every exit path (attempt.ts disposes its own in `finally`).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { AttemptResult, ResultTests, SolveOptions, SolveResult, TestResult } from './types';
import type { LessonMemory, RetrievedForPrompt } from './lesson-memory';
import type { AddedItem } from './memory/types';
import { fanOut, noEvents } from './events';
import { CancelledError, EngineError, errorMessage, usageError } from './errors';
import { assertGitRepo } from './git/repo';
import { applyPatch } from './git/apply';
import { detectTestCommand } from './judge/detect';
import { pruneStaleWorktrees } from './git/worktree';
import { type AttemptContext, type AttemptRun, runAttempt } from './attempts/attempt';
import { runSequential } from './attempts/sequential';
import { selectBest } from './attempts/select';
import { MemoryBank, defaultMemoryPath, redact } from './memory';
import { ReasoningBankMemory } from './memory/reasoningbank';
import { createRunDir, newRunId, writeRunRecord } from './run-record';

export const DEFAULT_MAX_STEPS = 50;
export const MAX_K = 8;

export async function solve(opts: SolveOptions): Promise<SolveResult> {
  const events = fanOut(opts.events ?? noEvents);
  const task = opts.task?.trim();
  if (!task) throw usageError('the issue text is empty: pass --issue TEXT or --issue-file FILE');
  const k = opts.k ?? 1;
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) throw usageError(`k must be a whole number from 1 to ${MAX_K} (got ${k})`);
  const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw usageError(`max steps must be a positive whole number (got ${maxSteps})`);
  const repoTop = await assertGitRepo(opts.repo);
  const mode = k === 1 ? 'single' : (opts.mode ?? 'parallel');
  const signal = opts.signal;
  const warn = (message: string) => events({ type: 'log', level: 'warn', message });

  await pruneStaleWorktrees(repoTop).catch((err) => warn(`could not prune stale worktrees: ${errorMessage(err)}`));
  const runId = newRunId();
  const runDir = createRunDir(repoTop, runId);
  events({ type: 'run-start', runId, task, k, mode, repo: repoTop });

  const testCommand = opts.testCommand === undefined ? await detectTestCommand(repoTop) : opts.testCommand || null;
  events({
    type: 'log',
    level: 'info',
    runId,
    message: testCommand ? `test command: ${testCommand}` : 'no test command found: the LLM judge decides',
  });

  let memory: LessonMemory | null = null;
  if (!opts.noMemory) {
    memory =
      opts.lessonMemory ??
      new ReasoningBankMemory(await MemoryBank.open(opts.memoryFile ?? defaultMemoryPath(repoTop), { model: opts.model, onWarn: warn }));
  }
  let retrieved: RetrievedForPrompt = { ids: [], prompt: '', method: 'none', items: [] };
  if (memory) {
    try {
      retrieved = await memory.retrieve(task, { k: opts.retrieveK ?? 3, signal });
    } catch (err) {
      if (signal?.aborted) throw new CancelledError();
      warn(`memory retrieval failed (${errorMessage(err)}); going on without lessons`);
    }
  }
  events({ type: 'memory-retrieved', runId, method: retrieved.method, items: retrieved.items });

  const ctx: AttemptContext = {
    runId,
    repo: repoTop,
    runDir,
    task,
    lessons: retrieved.prompt,
    testCommand,
    maxSteps,
    model: opts.model,
    linkedFolders: opts.linkedFolders,
    worktreeDir: opts.worktreeDir,
    maxUntrackedBytes: opts.maxUntrackedBytes,
    allowEnv: opts.allowEnv,
    approveCommand: opts.approveCommand,
    events,
    signal,
    portBase: 3100 + Math.floor(Math.random() * 50) * 10,
  };

  try {
    let runs: AttemptRun[];
    if (mode === 'sequential') {
      runs = [await runSequential(ctx, k)];
    } else {
      // all attempts start together; the shared limiter in the model caps concurrent requests
      // allSettled, not all: on cancel every attempt must finish removing its worktree before we return
      const settled = await Promise.allSettled(Array.from({ length: k }, (_, i) => runAttempt(ctx, i, { baseline: i === 0 })));
      const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (rejected) throw rejected.reason;
      runs = settled.map((s) => (s as PromiseFulfilledResult<AttemptRun>).value);
    }
    if (signal?.aborted) throw new CancelledError();

    if (runs.every((r) => r.status === 'error')) {
      const first = runs.find((r) => r.error);
      throw new EngineError(first?.errorCode ?? 'internal', first?.error ?? 'every attempt failed');
    }

    let chosen = 0;
    let chosenReason = 'single attempt';
    if (runs.length > 1) {
      const selection = await selectBest(
        opts.model,
        task,
        runs.filter((r) => r.status !== 'error').map((r) => r.material),
        { signal, onWarn: warn },
      );
      chosen = selection.chosen;
      chosenReason = selection.reason;
      events({ type: 'selection', runId, chosen, reason: chosenReason });
    }
    const best = runs[chosen]!;
    const status = best.status === 'resolved' ? 'resolved' : 'unresolved';

    let added: AddedItem[] = [];
    if (memory) {
      try {
        added = await memory.learn({
          task,
          mode,
          attempts: runs.filter((r) => r.status !== 'error').map((r) => r.material),
          chosen,
          model: opts.model,
          signal,
        });
        if (added.length) events({ type: 'memory-added', runId, items: added.map((a) => ({ id: a.id, title: a.title, outcome: a.outcome, merged: a.merged })) });
      } catch (err) {
        if (signal?.aborted) throw new CancelledError();
        warn(`could not distill lessons from this run (${errorMessage(err)}); the result stands, nothing was stored`);
      }
    }

    const tokens = opts.model.usage;
    const result: SolveResult = {
      status,
      runId,
      steps: best.material.steps,
      tokens,
      patch: best.material.patch,
      applied: false,
      tests: publicTests(best.material.tests),
      judge: { success: best.material.verdict.success, reason: best.material.verdict.reason },
      memory: { retrieved: retrieved.ids, added: added.map((a) => a.id) },
      attempts: runs.map((r, i): AttemptResult => ({
        index: i,
        status: r.status,
        steps: r.material.steps,
        tests: publicTests(r.material.tests),
        patch: r.material.patch,
        judge: { success: r.material.verdict.success, reason: r.material.verdict.reason },
        tokens: r.tokens,
        ...(r.error ? { error: r.error } : {}),
      })),
      chosen,
      runDir,
    };

    if (memory) {
      await memory
        .recordRun({ runId, task, status, steps: result.steps, tokens, retrieved: retrieved.ids, added: result.memory.added })
        .catch((err) => warn(`could not record the run's evidence in the memory bank: ${errorMessage(err)}`));
    }

    if (opts.apply) {
      if (status !== 'resolved') {
        warn('not applied: the patch did not resolve the issue (it is saved in the run record)');
      } else if (!result.patch.trim()) {
        warn('not applied: the patch is empty');
      } else {
        fs.writeFileSync(path.join(runDir, 'patch.diff'), result.patch);
        try {
          await applyPatch(repoTop, result.patch, { patchFile: path.join(runDir, 'patch.diff') });
          result.applied = true;
        } catch (err) {
          if (signal?.aborted) throw new CancelledError();
          // the run's work stands: the result is reported (and recorded) with the reason it was not applied
          result.applyError = errorMessage(err);
          warn(`not applied: ${result.applyError}`);
        }
      }
    }
    writeRunRecord(runDir, result);
    events({ type: 'run-end', runId, status });
    return result;
  } catch (err) {
    const cancelled = signal?.aborted || err instanceof CancelledError;
    events({ type: 'run-end', runId, status: 'error' });
    const message = cancelled ? 'cancelled' : errorMessage(err);
    fs.writeFileSync(path.join(runDir, 'error.txt'), redact(message) + '\n');
    if (cancelled) throw err instanceof CancelledError ? err : new CancelledError();
    throw err;
  }
}

function publicTests(t: TestResult | null): ResultTests | null {
  return t ? { command: t.command, exitCode: t.exitCode, passed: t.passed, failed: t.failed } : null;
}
