/**
 * Turns engine events into readable lines on stderr. On a terminal a status line (attempt, step, last
 * action) is redrawn in place; elsewhere (CI logs, pipes) every event is one plain line.
 */
import type { EngineEvent, EventSink } from '../engine/events';
import { testsLine } from '../engine/attempts/attempt-text';

const oneLine = (s: string, max = 100) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
};

export function describeEvent(e: EngineEvent): string | null {
  const who = 'attempt' in e && typeof e.attempt === 'number' ? `[${e.attempt}] ` : '';
  switch (e.type) {
    case 'run-start':
      return `run ${e.runId}: ${e.mode}${e.k > 1 ? ` ×${e.k}` : ''} in ${e.repo} (${e.sandbox.kind === 'none' ? 'unsandboxed' : `sandbox: ${e.sandbox.kind}, network ${e.sandbox.network}`})`;
    case 'memory-retrieved':
      return e.items.length
        ? `memory (${e.method}): ${e.items.length} lesson(s) — ${e.items.map((i) => `"${oneLine(i.title, 50)}"`).join(', ')}`
        : e.method === 'none'
          ? 'memory: off'
          : e.unmatched
            ? `memory: no lesson matched the task's words; the agent may recall one of ${e.unmatched}`
            : 'memory: no relevant lessons yet';
    case 'attempt-start':
      return `${who}worktree ${e.worktree}`;
    case 'step':
      return null;
    case 'assistant':
      return `${who}step ${e.step}: ${oneLine(e.text, 120)}`;
    case 'tool-call':
      return `${who}step ${e.step}: ${e.name} ${oneLine(e.args, 100)}`;
    case 'tool-result':
      return e.isError ? `${who}  ↳ ${oneLine(e.output, 110)}` : null;
    case 'tests':
      return `${who}tests (${e.phase}): ${testsLine(e.result)}`;
    case 'verdict':
      return `${who}verdict: ${e.verdict.success ? 'resolved' : 'unresolved'} (${e.verdict.decidedBy}) — ${oneLine(e.verdict.reason, 140)}`;
    case 'refine':
      return `${who}refine round ${e.round}`;
    case 'attempt-end':
      return `${who}${e.status} after ${e.steps} step(s)`;
    case 'selection':
      return `chose attempt ${e.chosen}: ${oneLine(e.reason, 140)}`;
    case 'memory-added':
      return `memory: ${e.items.map((i) => `${i.merged ? 'merged' : 'added'} ${i.outcome} "${oneLine(i.title, 50)}"`).join('; ')}`;
    case 'log':
      return e.level === 'debug' ? null : `${e.level === 'info' ? '' : `${e.level}: `}${e.message}`;
    case 'run-end':
      return `run ${e.runId}: ${e.status}`;
  }
}

export function progressPrinter(write: (s: string) => void, isTTY: boolean): EventSink {
  if (!isTTY) {
    return (e) => {
      const line = describeEvent(e);
      if (line) write(line + '\n');
    };
  }
  // on a terminal, steps and tool calls only redraw the status line; everything else is printed above it
  let status = '';
  return (e) => {
    if (e.type === 'step' || e.type === 'tool-call') {
      status = e.type === 'step' ? `… [${e.attempt}] step ${e.step}` : `… [${e.attempt}] step ${e.step}: ${e.name} ${oneLine(e.args, 60)}`;
      write(`\r\x1b[2K${status}`);
      return;
    }
    const line = describeEvent(e);
    if (!line) return;
    write(`\r\x1b[2K${line}\n`);
    if (e.type === 'run-end') status = '';
    else if (status) write(status);
  };
}
