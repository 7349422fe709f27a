import * as assert from 'assert';
import { benchProgressPrinter } from '../../src/bench/progress';
import type { BenchRun } from '../../src/bench/runner';

const RUN: BenchRun = {
  strategy: 'reasoningbank', stream: 1, pass: 1, position: 2, task: '02-x', status: 'resolved', agentStatus: 'resolved', decidedBy: 'hidden',
  steps: 7, attempts: 1, tokens: { prompt: 900, completion: 100 }, wallMs: 12_345, retrieved: ['a'], added: ['b', 'c'], merged: [], judge: null, runId: 'r',
};

describe('bench progress display', () => {
  it('prints one line per task with the running success rate, and a repeated warning once', () => {
    let out = '';
    const p = benchProgressPrinter((s) => (out += s), { isTTY: false });
    p({ type: 'unit-start', unit: { strategy: 'reasoningbank', stream: 1 }, streams: 1, index: 1, count: 2 });
    p({ type: 'task-start', strategy: 'reasoningbank', stream: 1, pass: 1, position: 2, total: 26, task: '02-x' });
    for (let i = 0; i < 3; i++) p({ type: 'engine', strategy: 'reasoningbank', task: '02-x', event: { type: 'log', level: 'warn', message: 'no embeddings' } });
    p({ type: 'engine', strategy: 'reasoningbank', task: '02-x', event: { type: 'step', runId: 'r', attempt: 0, step: 1 } });
    p({ type: 'task-end', run: RUN, total: 26, resolvedSoFar: 1 });
    p({ type: 'task-end', run: { ...RUN, position: 3, task: '03-y', status: 'error', error: 'endpoint: down' }, total: 26, resolvedSoFar: 1 });
    assert.deepStrictEqual(out.trim().split('\n'), [
      '── unit 2/2: reasoningbank ──',
      '[reasoningbank 2/26] 02-x …',
      '  warn: no embeddings',
      '✓ [reasoningbank 2/26] 02-x: resolved (hidden tests) · 7 steps · 1000 tokens · 12.3 s · memory 1 used, 2 added — reasoningbank: 1/2 resolved (50%)',
      '! [reasoningbank 3/26] 03-y: error (hidden tests) · 7 steps · 1000 tokens · 12.3 s · memory 1 used, 2 added — endpoint: down — reasoningbank: 1/3 resolved (33%)',
    ]);
  });

  it('on a terminal redraws a status line with the agent\'s step and prints finished tasks above it', () => {
    let out = '';
    const p = benchProgressPrinter((s) => (out += s), { isTTY: true });
    p({ type: 'task-start', strategy: 'none', stream: 1, pass: 1, position: 1, total: 3, task: '01-a' });
    p({ type: 'engine', strategy: 'none', task: '01-a', event: { type: 'tool-call', runId: 'r', attempt: 0, step: 4, id: 'c', name: 'read_file', args: '{}' } });
    assert.ok(out.endsWith('\r\x1b[2K… [none 1/3] 01-a · [0] step 4: read_file'), JSON.stringify(out));
    p({ type: 'task-end', run: { ...RUN, strategy: 'none', position: 1, task: '01-a' }, total: 3, resolvedSoFar: 1 });
    assert.match(out, /\r\x1b\[2K✓ \[none 1\/3\] 01-a: resolved .* — none: 1\/1 resolved \(100%\)\n$/);
  });

  it('with several streams, names the stream on every line', () => {
    let out = '';
    const p = benchProgressPrinter((s) => (out += s), { isTTY: false });
    p({ type: 'unit-start', unit: { strategy: 'none', stream: 3 }, streams: 4, index: 2, count: 8 });
    p({ type: 'task-start', strategy: 'none', stream: 3, pass: 1, position: 1, total: 26, task: '01-a' });
    p({ type: 'task-end', run: { ...RUN, strategy: 'none', stream: 3, position: 1, task: '01-a' }, total: 26, resolvedSoFar: 1 });
    assert.deepStrictEqual(out.trim().split('\n'), [
      '── unit 3/8: none, stream 3/4 ──',
      '[none s3 1/26] 01-a …',
      '✓ [none s3 1/26] 01-a: resolved (hidden tests) · 7 steps · 1000 tokens · 12.3 s — none s3: 1/1 resolved (100%)',
    ]);
  });
});
