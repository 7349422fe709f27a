/**
 * The run the window is working on (one at a time) and the last finished one: what the run view, the
 * status bar, diff review and Apply/Discard read. Engine events arrive here tagged with the run's ticket.
 */
import * as vscode from 'vscode';
import type { Sandbox } from '../engine/sandbox/types';
import type { EngineEvent } from '../engine/events';
import { solveErrorOf, type SolveOutcome } from '../server/protocol';
import type { RunMode } from '../engine/types';

export type RunPhase = 'running' | 'resolved' | 'unresolved' | 'error' | 'cancelled';

export interface AttemptView {
  index: number;
  /** 'cancelled': the run stopped (cancel or failure) before this attempt ended */
  status: 'running' | 'resolved' | 'unresolved' | 'error' | 'cancelled';
  steps: number;
  tests: string | null;
  verdict: string | null;
  patch: string;
  /** the run record's file with the output of this attempt's latest test run */
  testOutput?: string;
}

export interface RunState {
  ticket: string;
  issue: string;
  folder: string;
  k: number;
  mode: RunMode;
  startedAt: number;
  endedAt?: number;
  runId?: string;
  phase: RunPhase;
  /** the latest events, capped (the run record on disk has all of them) */
  events: EngineEvent[];
  attempts: AttemptView[];
  retrieved: { id: string; title: string; score: number }[];
  /** nothing matched but the bank holds this many lessons: the agent was told it may recall one */
  unmatchedLessons?: number;
  added: { id: string; title: string; outcome: string; merged: boolean }[];
  chosen?: number;
  /** why the chosen attempt was kept ("the only attempt whose tests pass", or the model's reason) */
  chosenReason?: string;
  /** the attempt whose patch went into the working tree */
  appliedAttempt?: number;
  /** only some parts of its patch went in (Apply Part of Patch) */
  appliedPartially?: boolean;
  /** where commands ran, when the engine reports it (`run-start`'s optional `sandbox`) */
  sandbox?: Sandbox;
  /** the test command the engine runs on its own before and after each attempt (from the first `tests` event) */
  testCommand?: string;
  result?: SolveOutcome;
  error?: string;
  applied: boolean;
  discarded: boolean;
}

const MAX_EVENTS = 400;

function testsText(t: { exitCode: number | null; passed: number | null; failed: number | null }): string {
  return `exit ${t.exitCode}${t.passed !== null ? `, ${t.passed} passed` : ''}${t.failed !== null ? `, ${t.failed} failed` : ''}`;
}

/** what confined the run: on `run-start`, and in the result (absent from an error result) */
function sandboxOf(from: EngineEvent | SolveOutcome): Sandbox | undefined {
  return 'sandbox' in from ? from.sandbox : undefined;
}

export class RunController implements vscode.Disposable {
  private current: RunState | undefined;
  private source: vscode.CancellationTokenSource | undefined;
  private readonly changed = new vscode.EventEmitter<RunState | undefined>();
  readonly onDidChange = this.changed.event;

  /** the running run, if any */
  get active(): RunState | undefined {
    return this.current?.phase === 'running' ? this.current : undefined;
  }

  /** the running or last finished run */
  get last(): RunState | undefined {
    return this.current;
  }

  begin(init: { ticket: string; issue: string; folder: string; k: number; mode: RunState['mode'] }): vscode.CancellationToken {
    if (this.active) throw new Error('a ReasoningBank run is already in progress: cancel it first (ReasoningBank: Cancel run)');
    this.source?.dispose();
    this.source = new vscode.CancellationTokenSource();
    this.current = {
      ...init,
      startedAt: Date.now(),
      phase: 'running',
      events: [],
      attempts: [],
      retrieved: [],
      added: [],
      applied: false,
      discarded: false,
    };
    this.changed.fire(this.current);
    return this.source.token;
  }

  event(ticket: string, e: EngineEvent): void {
    const run = this.current;
    if (!run || run.ticket !== ticket) return;
    run.events.push(e);
    if (run.events.length > MAX_EVENTS) run.events.splice(0, run.events.length - MAX_EVENTS);
    const attempt = (i: number): AttemptView => {
      let a = run.attempts.find((x) => x.index === i);
      if (!a) {
        a = { index: i, status: 'running', steps: 0, tests: null, verdict: null, patch: '' };
        run.attempts.push(a);
        run.attempts.sort((x, y) => x.index - y.index);
      }
      return a;
    };
    switch (e.type) {
      case 'run-start': {
        run.runId = e.runId;
        const sandbox = sandboxOf(e);
        if (sandbox) run.sandbox = sandbox;
        // known before any command is asked about: the approval modal says the test command runs on its own
        run.testCommand = e.testCommand ?? undefined;
        break;
      }
      case 'memory-retrieved':
        run.retrieved = e.items;
        run.unmatchedLessons = e.unmatched;
        break;
      case 'attempt-start':
        attempt(e.attempt);
        break;
      case 'step':
        attempt(e.attempt).steps = e.step;
        break;
      case 'tests':
        run.testCommand ??= e.result.command;
        if (e.phase === 'after') {
          const a = attempt(e.attempt);
          a.tests = e.result.timedOut ? 'timed out' : testsText(e.result);
          a.testOutput = e.result.file;
        }
        break;
      case 'verdict':
        attempt(e.attempt).verdict = `${e.verdict.success ? 'success' : 'failure'} (${e.verdict.decidedBy}): ${e.verdict.reason}`;
        break;
      case 'attempt-end': {
        const a = attempt(e.attempt);
        a.status = e.status;
        a.steps = e.steps;
        a.patch = e.patch;
        break;
      }
      case 'selection':
        run.chosen = e.chosen;
        run.chosenReason = e.reason;
        break;
      case 'memory-added':
        run.added = [...run.added, ...e.items];
        break;
      default:
        break;
    }
    this.changed.fire(run);
  }

  finish(ticket: string, result: SolveOutcome): void {
    const run = this.current;
    if (!run || run.ticket !== ticket) return;
    run.result = result;
    run.endedAt = Date.now();
    run.sandbox = sandboxOf(result) ?? run.sandbox;
    const error = solveErrorOf(result);
    if (error || result.status === 'error') {
      run.phase = error?.code === 'cancelled' ? 'cancelled' : 'error';
      run.error = error?.message;
      // no attempt-end will come for these: they stopped with the run
      for (const a of run.attempts) if (a.status === 'running') a.status = 'cancelled';
    } else {
      run.phase = result.status;
      run.chosen = result.chosen;
      run.applied = result.applied;
      // the result is authoritative (events may have been capped)
      run.attempts = result.attempts.map((a) => ({
        index: a.index,
        status: a.status,
        steps: a.steps,
        tests: a.tests ? testsText(a.tests) : null,
        verdict: a.judge ? `${a.judge.success ? 'success' : 'failure'}: ${a.judge.reason}` : (run.attempts.find((x) => x.index === a.index)?.verdict ?? null),
        patch: a.patch,
        ...(a.testOutput ? { testOutput: a.testOutput } : {}),
      }));
    }
    this.source?.dispose();
    this.source = undefined;
    this.changed.fire(run);
  }

  /** marks the run failed before the engine answered (e.g. the engine did not start) */
  fail(ticket: string, message: string): void {
    this.finish(ticket, { status: 'error', error: { code: 'internal', message } });
  }

  cancel(): boolean {
    if (!this.active || !this.source) return false;
    this.source.cancel();
    return true;
  }

  /** records the apply on the run it was for (`ticket`), not on a run started since */
  markApplied(ticket: string, attempt: number, partially = false): void {
    if (this.current?.ticket === ticket) {
      this.current.applied = true;
      this.current.appliedAttempt = attempt;
      this.current.appliedPartially = partially;
      this.changed.fire(this.current);
    }
  }

  markDiscarded(): void {
    if (this.current) {
      this.current.discarded = true;
      this.changed.fire(this.current);
    }
  }

  /** the attempt whose patch Apply uses by default: the chosen one */
  patchOf(attempt?: number): { index: number; patch: string } | undefined {
    const run = this.current;
    if (!run || run.discarded) return undefined;
    const index = attempt ?? run.chosen ?? 0;
    const a = run.attempts.find((x) => x.index === index);
    return a && a.patch.trim() ? { index, patch: a.patch } : undefined;
  }

  dispose(): void {
    this.source?.dispose();
    this.changed.dispose();
  }
}
