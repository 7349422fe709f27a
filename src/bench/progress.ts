/**
 * The bench's progress display on stderr: one line per finished task (verdict, steps, tokens, time,
 * memory, running success rate of the strategy). On a terminal a status line (task i of n, strategy,
 * the agent's current step) is redrawn in place while a task runs. Engine detail only when a describer is given (--verbose).
 */
import type { EngineEvent } from '../engine/events';
import type { BenchProgress } from './runner';

export interface BenchProgressOptions {
  isTTY: boolean;
  /** prints the engine's own events (steps, tool calls, verdicts) with this describer */
  describeEvent?: (e: EngineEvent) => string | null;
}

export function benchProgressPrinter(write: (s: string) => void, opts: BenchProgressOptions): (p: BenchProgress) => void {
  let status = '';
  let running = '';
  let tally = '';
  let streams = 1;
  // with several streams, which one a line belongs to
  const label = (r: { strategy: string; stream: number }) => (streams > 1 ? `${r.strategy} s${r.stream}` : r.strategy);
  const warned = new Set<string>();
  const line = (text: string) => {
    write(opts.isTTY ? `\r\x1b[2K${text}\n${status}` : `${text}\n`);
  };
  const setStatus = (text: string) => {
    status = text;
    if (opts.isTTY) write(`\r\x1b[2K${status}`);
  };
  return (p) => {
    switch (p.type) {
      case 'unit-start':
        running = '';
        status = '';
        tally = '';
        streams = p.streams;
        line(`── ${p.count > 1 ? `unit ${p.index + 1}/${p.count}: ` : ''}${p.unit.strategy}${streams > 1 ? `, stream ${p.unit.stream}/${streams}` : ''} ──`);
        return;
      case 'task-start': {
        const head = `[${label(p)} ${p.position}/${p.total}] ${p.task}${p.total > 1 && p.pass > 1 ? ` (pass ${p.pass})` : ''}`;
        running = head;
        if (opts.isTTY) setStatus(`… ${head}${tally}`);
        else line(`${head} …`);
        return;
      }
      case 'task-end': {
        const r = p.run;
        const mark = r.status === 'resolved' ? '✓' : r.status === 'unresolved' ? '✗' : '!';
        const by = r.decidedBy === 'hidden' ? 'hidden tests' : r.decidedBy === 'visible' ? 'tests' : r.decidedBy === 'agent' ? 'agent' : 'error';
        const mem = r.strategy === 'none' ? '' : ` · memory ${r.retrieved.length} used, ${r.added.length} added`;
        const detail = r.status === 'error' ? ` — ${oneLine(r.error ?? '', 160)}` : '';
        status = '';
        tally = ` — so far ${p.resolvedSoFar}/${r.position} resolved`;
        line(
          `${mark} [${label(r)} ${r.position}/${p.total}] ${r.task}: ${r.status} (${by}) · ${r.steps} steps · ${r.tokens.prompt + r.tokens.completion} tokens · ${(r.wallMs / 1000).toFixed(1)} s${mem}${detail}` +
            ` — ${label(r)}: ${p.resolvedSoFar}/${r.position} resolved (${Math.round((100 * p.resolvedSoFar) / r.position)}%)`,
        );
        return;
      }
      case 'engine': {
        const e = p.event;
        if (opts.isTTY && (e.type === 'step' || e.type === 'tool-call')) {
          setStatus(`… ${running} · [${e.attempt}] step ${e.step}${e.type === 'tool-call' ? `: ${e.name}` : ''}`);
          return;
        }
        if (e.type === 'log' && (e.level === 'warn' || e.level === 'error')) {
          // every task opens its memory afresh; a warning that repeats each time is said once
          if (e.level === 'warn' && warned.has(e.message)) return;
          warned.add(e.message);
          line(`  ${e.level}: ${oneLine(e.message, 300)}`);
          return;
        }
        if (opts.describeEvent) {
          const text = opts.describeEvent(e);
          if (text) line(`  ${text}`);
        }
        return;
      }
    }
  };
}

function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}
