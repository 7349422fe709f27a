/**
 * The search tool on RE2 (re2js): time per search over a repository of 1,000 source files (~12 MB) for
 * typical patterns, next to the same scan with V8's backtracking RegExp (what search used before), and the
 * catastrophic pattern `(a+)+$` over a 100,000-character line, which RE2 answers in linear time (V8 would
 * not return; it is not run).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { search } from '../src/engine/agent/tools/search';
import { Workspace } from '../src/engine/agent/confined-worktree';
import { scrubEnv } from '../src/engine/exec';

const FILES = 1000;
const LINES = 300;
const RUNS = 5;

function makeRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-perf-search-'));
  for (let f = 0; f < FILES; f++) {
    const lines: string[] = [];
    for (let l = 0; l < LINES; l++) lines.push(`  const value${l} = compute(input.items[${l}], options); // file ${f} line ${l}`);
    if (f % 97 === 0) lines.push('function paginate(items, pageSize) { return items.slice(0, pageSize); }');
    fs.mkdirSync(path.join(dir, `src/m${f % 20}`), { recursive: true });
    fs.writeFileSync(path.join(dir, `src/m${f % 20}/f${f}.js`), lines.join('\n') + '\n');
  }
  fs.writeFileSync(path.join(dir, 'long.txt'), 'a'.repeat(100_000) + 'b\n');
  execFileSync('git', ['init', '-q'], { cwd: dir });
  execFileSync('git', ['add', '-A'], { cwd: dir });
  return dir;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.floor(s.length / 2)]! * 10) / 10;
}

async function timeRe2(ws: Workspace, pattern: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await search(ws, { pattern });
    times.push(performance.now() - t);
  }
  return median(times);
}

/** The old scan: the same files, V8 RegExp per line after a whole-file test. */
function timeV8(dir: string, pattern: string): number {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: dir, encoding: 'utf8' }).split('\0').filter((f) => f && f !== 'long.txt');
  const regex = new RegExp(pattern);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    let hits = 0;
    for (const f of files) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      if (!pattern.includes('$') && !new RegExp(pattern, 'm').test(text)) continue;
      for (const line of text.split('\n')) if (regex.test(line)) hits++;
    }
    times.push(performance.now() - t);
    if (hits < 0) throw new Error('unreachable');
  }
  return median(times);
}

export async function run(): Promise<object> {
  const dir = makeRepo();
  try {
    const ws = new Workspace({ root: dir, env: scrubEnv(process.env) });
    const patterns = { literal: 'paginate', class: 'items\\[\\d+7\\]', anchored: 'pageSize\\); \\}$' };
    const out: Record<string, unknown> = { files: FILES, megabytes: Math.round((FILES * LINES * 60) / 1e6) };
    for (const [name, pattern] of Object.entries(patterns)) {
      out[name] = { pattern, re2Ms: await timeRe2(ws, pattern), v8Ms: timeV8(dir, pattern) };
    }
    const t = performance.now();
    await search(ws, { pattern: '(a+)+$', path: 'long.txt' });
    out.catastrophic = { pattern: '(a+)+$ over 100,000 a\'s', re2Ms: Math.round(performance.now() - t), v8Ms: 'does not return' };
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
