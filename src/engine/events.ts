/**
 * Typed progress events. Every engine layer reports through an EventSink; the CLI prints them,
 * the server forwards them to the extension, tests collect them.
 */
import type { AttemptStatus, LogLevel, RetrievalMethod, RunMode, RunStatus, TestResult, Verdict } from './types';
import type { Sandbox } from './sandbox/types';

export type EngineEvent =
  | { type: 'run-start'; runId: string; task: string; k: number; mode: RunMode; repo: string; sandbox: Sandbox; testCommand: string | null }
  | {
      type: 'memory-retrieved';
      runId: string;
      method: RetrievalMethod;
      items: { id: string; title: string; score: number }[];
      /** none matched, but the bank holds this many lessons (the agent is told recall may find one) */
      unmatched?: number;
    }
  | { type: 'attempt-start'; runId: string; attempt: number; worktree: string }
  | { type: 'step'; runId: string; attempt: number; step: number }
  | { type: 'assistant'; runId: string; attempt: number; step: number; text: string }
  | { type: 'tool-call'; runId: string; attempt: number; step: number; id: string; name: string; args: string }
  | { type: 'tool-result'; runId: string; attempt: number; step: number; id: string; name: string; output: string; isError: boolean }
  | { type: 'tests'; runId: string; attempt: number; phase: 'baseline' | 'after'; result: TestResult }
  | { type: 'verdict'; runId: string; attempt: number; verdict: Verdict }
  | { type: 'refine'; runId: string; attempt: number; round: number }
  | { type: 'attempt-end'; runId: string; attempt: number; status: AttemptStatus; steps: number; patch: string }
  | { type: 'selection'; runId: string; chosen: number; reason: string }
  | { type: 'memory-added'; runId: string; items: { id: string; title: string; outcome: string; merged: boolean }[] }
  | { type: 'log'; level: LogLevel; message: string; runId?: string }
  | { type: 'run-end'; runId: string; status: RunStatus };

export type EventSink = (event: EngineEvent) => void;

export const noEvents: EventSink = () => {};

/** Fan one event stream out to several consumers; a throwing consumer never breaks the run. */
export function fanOut(...sinks: (EventSink | undefined)[]): EventSink {
  const live = sinks.filter((s): s is EventSink => !!s);
  return (event) => {
    for (const sink of live) {
      try {
        sink(event);
      } catch {
        // a broken listener (closed pipe, disposed webview) must not stop the agent
      }
    }
  };
}

/** Emits a warning only the first time a given key is seen (e.g. "no embeddings endpoint"). */
export function onceLogger(sink: EventSink): (key: string, message: string) => void {
  const seen = new Set<string>();
  return (key, message) => {
    if (seen.has(key)) return;
    seen.add(key);
    sink({ type: 'log', level: 'warn', message });
  };
}
