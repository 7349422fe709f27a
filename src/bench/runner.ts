/**
 * The stream runner: for each unit (strategy × stream), the suite's tasks in the stream's order (`repeat`
 * passes), each in a fresh repository, through the same solve() as the product; then the hidden tests
 * decide. Memory accumulates across the passes of one unit and never crosses units: every stream of every
 * strategy starts from an empty memory. A task that fails or errors is recorded and the stream goes on;
 * only cancellation stops it (and the runs so far are still returned).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ChatModel } from '../engine/llm/model';
import type { ScaleMode, SolveResult, TokenUsage } from '../engine/types';
import type { NetworkMode } from '../engine/sandbox/types';
import type { EngineEvent, EventSink } from '../engine/events';
import { CancelledError, EngineError, errorMessage, isCancelled } from '../engine/errors';
import { solve } from '../engine/solve';
import type { BenchSuite, BenchTask } from './suite';
import { judgeTask, prepareTaskRepo } from './task-repo';
import { type StrategyName, memoryForTask } from './strategies';
import { type BenchUnit, allUnits, streamOrder } from './plan';

export interface BenchRun {
  strategy: StrategyName;
  /** 1-based; every stream has its own task order and its own memory */
  stream: number;
  /** 1-based, within the stream */
  pass: number;
  /** 1-based position in this stream (across passes) */
  position: number;
  task: string;
  /** the bench verdict: hidden tests where the task has them */
  status: 'resolved' | 'unresolved' | 'error';
  /** what solve() itself concluded from the visible tests */
  agentStatus: 'resolved' | 'unresolved' | 'error';
  decidedBy: 'hidden' | 'visible' | 'agent' | 'none';
  steps: number;
  /** attempts solve() made (k with MaTTS) */
  attempts: number;
  tokens: TokenUsage;
  wallMs: number;
  /** ids of the memory items put before the agent (the best in full, the rest as index lines): "shown" */
  retrieved: string[];
  /** ids the agent opened with `recall`, and those it cited in `finish` (absent in records of older benches) */
  recalled?: string[];
  cited?: string[];
  /** nothing was shown, but the agent was told the bank holds lessons it may recall (absent in older records) */
  hinted?: boolean;
  /** ids of the memory items this run added (merged ones included) */
  added: string[];
  /** the subset of `added` that was merged into an item that already existed */
  merged: string[];
  judge: { command: string | null; exitCode: number | null; passed: number | null; failed: number | null; timedOut: boolean; patchError?: string } | null;
  runId: string | null;
  error?: string;
}

export type BenchProgress =
  | { type: 'unit-start'; unit: BenchUnit; streams: number; index: number; count: number }
  | { type: 'task-start'; strategy: StrategyName; stream: number; pass: number; position: number; total: number; task: string }
  | { type: 'task-end'; run: BenchRun; total: number; resolvedSoFar: number }
  | { type: 'engine'; strategy: StrategyName; task: string; event: EngineEvent };

export interface BenchOptions {
  suite: BenchSuite;
  strategies: StrategyName[];
  model: ChatModel;
  /** repositories and memories go here; the caller owns (and removes) it */
  workDir: string;
  k?: number;
  mode?: ScaleMode;
  repeat?: number;
  /** independent streams per strategy (default 1) */
  streams?: number;
  /** null: the suite's order (one stream); a number: a seeded shuffle per stream */
  seed?: number | null;
  /** the units to run (a shard, or what --resume left); default: every unit */
  units?: BenchUnit[];
  /** called when a unit has run all its tasks, before the next starts: the moment it can be saved */
  onUnitDone?: (done: { unit: BenchUnit; runs: BenchRun[]; memoryDir: string }) => void;
  maxSteps?: number;
  /** what confines the agent's commands and the hidden tests (default: the OS sandbox, network off) */
  network?: NetworkMode;
  noSandbox?: boolean;
  retrieveK?: number;
  /** keep each task's repositories (for debugging a task); default: removed after judging */
  keepRepos?: boolean;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onProgress?: (p: BenchProgress) => void;
}

export interface BenchOutcome {
  runs: BenchRun[];
  /** false when cancelled before the end */
  completed: boolean;
}

export async function runBench(opts: BenchOptions): Promise<BenchOutcome> {
  const repeat = opts.repeat ?? 1;
  const streams = opts.streams ?? 1;
  const total = opts.suite.tasks.length * repeat;
  const progress = opts.onProgress ?? (() => {});
  const units = opts.units ?? allUnits(opts.strategies, streams);
  const byName = new Map(opts.suite.tasks.map((t) => [t.name, t]));
  const runs: BenchRun[] = [];
  try {
    for (const [ui, unit] of units.entries()) {
      progress({ type: 'unit-start', unit, streams, index: ui, count: units.length });
      const memoryDir = path.join(opts.workDir, 'memory', unit.strategy, `stream-${unit.stream}`);
      fs.mkdirSync(memoryDir, { recursive: true });
      const order = streamOrder(opts.suite.tasks.map((t) => t.name), unit.stream, opts.seed ?? null);
      const mine: BenchRun[] = [];
      let resolvedSoFar = 0;
      for (let pass = 1; pass <= repeat; pass++) {
        for (const [ti, name] of order.entries()) {
          const at = { ...unit, pass, position: (pass - 1) * order.length + ti + 1 };
          progress({ type: 'task-start', ...at, total, task: name });
          const run = await runOne(opts, at, byName.get(name)!, memoryDir);
          if (run.status === 'resolved') resolvedSoFar++;
          runs.push(run);
          mine.push(run);
          progress({ type: 'task-end', run, total, resolvedSoFar });
        }
      }
      opts.onUnitDone?.({ unit, runs: mine, memoryDir });
    }
    return { runs, completed: true };
  } catch (err) {
    if (isCancelled(err, opts.signal)) return { runs, completed: false };
    throw err;
  }
}

async function runOne(
  opts: BenchOptions,
  at: BenchUnit & { pass: number; position: number },
  task: BenchTask,
  memoryDir: string,
): Promise<BenchRun> {
  const { strategy, stream, pass, position } = at;
  const root = path.join(opts.workDir, 'runs', strategy, `s${stream}-p${pass}-${task.name}`);
  // a run of its own: an endpoint that stalled during an earlier task is tried again
  const model = opts.model.child({ newRun: true });
  const started = Date.now();
  // what the events said, for the record of a run that ends in an error
  const seen = { retrieved: [] as string[], hinted: false, added: [] as string[], merged: new Set<string>(), steps: 0 };
  const events: EventSink = (event) => {
    if (event.type === 'memory-retrieved') {
      seen.retrieved = event.items.map((i) => i.id);
      seen.hinted = !!event.unmatched;
    }
    if (event.type === 'memory-added') {
      for (const item of event.items) {
        seen.added.push(item.id);
        if (item.merged) seen.merged.add(item.id);
      }
    }
    if (event.type === 'step') seen.steps = Math.max(seen.steps, event.step);
    opts.onProgress?.({ type: 'engine', strategy, task: task.name, event });
  };
  const warn = (message: string) => events({ type: 'log', level: 'warn', message });
  const base = { strategy, stream, pass, position, task: task.name };
  // A signal of the run's own, following the bench's: whatever listeners the HTTP client and the commands
  // leave behind go with it, instead of piling up on one signal over hundreds of runs.
  const run = new AbortController();
  const follow = () => run.abort(opts.signal?.reason);
  if (opts.signal?.aborted) follow();
  opts.signal?.addEventListener('abort', follow, { once: true });
  const signal = run.signal;
  try {
    const repo = await prepareTaskRepo(task, path.join(root, 'repo'));
    const memory = await memoryForTask(strategy, { memoryDir, task: task.issue, model, onWarn: warn });
    let result: SolveResult;
    try {
      result = await solve({
        repo,
        task: task.issue,
        testCommand: task.testCommand,
        noMemory: memory.noMemory,
        lessonMemory: memory.noMemory ? undefined : memory.lessonMemory,
        k: opts.k ?? 1,
        mode: opts.mode,
        maxSteps: opts.maxSteps,
        retrieveK: opts.retrieveK,
        model,
        linkedFolders: [],
        network: opts.network,
        noSandbox: opts.noSandbox,
        events,
        signal,
      });
    } finally {
      memory.close();
    }
    const judged = await judgeTask(task, result.patch, path.join(root, 'judge'), {
      agentResolved: result.status === 'resolved',
      sandbox: result.sandbox,
      signal,
      env: opts.env,
    });
    if (opts.signal?.aborted) throw new CancelledError();
    return {
      ...base,
      status: judged.resolved ? 'resolved' : 'unresolved',
      agentStatus: result.status,
      decidedBy: judged.decidedBy,
      steps: result.steps,
      attempts: result.attempts.length,
      tokens: model.usage,
      wallMs: Date.now() - started,
      retrieved: result.memory.retrieved,
      recalled: result.memory.recalled ?? [],
      cited: result.memory.cited ?? [],
      ...(seen.hinted ? { hinted: true } : {}),
      added: result.memory.added,
      merged: result.memory.added.filter((id) => seen.merged.has(id)),
      judge: {
        command: judged.command,
        exitCode: judged.exitCode,
        passed: judged.passed,
        failed: judged.failed,
        timedOut: judged.timedOut,
        ...(judged.patchError ? { patchError: judged.patchError } : {}),
      },
      runId: result.runId,
    };
  } catch (err) {
    if (isCancelled(err, opts.signal)) throw err instanceof CancelledError ? err : new CancelledError();
    const message = err instanceof EngineError ? `${err.code}: ${err.message}` : errorMessage(err);
    warn(`task ${task.name} failed: ${message}`);
    return {
      ...base,
      status: 'error',
      agentStatus: 'error',
      decidedBy: 'none',
      steps: seen.steps,
      attempts: 0,
      tokens: model.usage,
      wallMs: Date.now() - started,
      retrieved: seen.retrieved,
      recalled: [],
      cited: [],
      ...(seen.hinted ? { hinted: true } : {}),
      added: seen.added,
      merged: [...seen.merged],
      judge: null,
      runId: null,
      error: message,
    };
  } finally {
    opts.signal?.removeEventListener('abort', follow);
    if (!opts.keepRepos) fs.rmSync(root, { recursive: true, force: true });
  }
}
