/**
 * Sandbox start-up added per command (goal ≤ 25 ms at p50): 50 runs of `true` through runCommand, plain
 * and under the OS sandbox with the confinement an attempt uses, interleaved so background load affects
 * both alike. Reports p50/p90 of each, the ms added at p50 and the ratio.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCommand, scrubEnv } from '../src/engine/exec';
import { detectSandbox, privateTempEnv } from '../src/engine/sandbox/sandbox';

const RUNS = Number(process.env.BENCH_SANDBOX_RUNS ?? 50);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function run(): Promise<object> {
  const sandbox = await detectSandbox('off');
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rb-perf-sandbox-')));
  const wt = path.join(root, 'wt');
  const tmp = path.join(root, 'wt.tmp');
  fs.mkdirSync(wt);
  fs.mkdirSync(tmp);
  fs.writeFileSync(path.join(wt, '.git'), 'gitdir: /nowhere\n');
  const env = scrubEnv(process.env, [], privateTempEnv(tmp));
  const base = { command: 'true', cwd: wt, timeoutMs: 30_000, env };
  const confined = { ...base, sandbox: { sandbox, confinement: { writable: [wt, tmp], readOnly: [path.join(wt, '.git')] } } };
  const plain: number[] = [];
  const boxed: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      plain.push(await timed(() => runCommand(base)));
      boxed.push(await timed(() => runCommand(confined)));
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  const round = (n: number) => Math.round(n * 10) / 10;
  const p50Plain = percentile(plain, 50);
  const p50Boxed = percentile(boxed, 50);
  return {
    sandbox: sandbox.kind,
    runs: RUNS,
    unsandboxedP50Ms: round(p50Plain),
    unsandboxedP90Ms: round(percentile(plain, 90)),
    sandboxedP50Ms: round(p50Boxed),
    sandboxedP90Ms: round(percentile(boxed, 90)),
    addedP50Ms: round(p50Boxed - p50Plain),
    ratioP50: round(p50Boxed / p50Plain),
    goalAddedP50Ms: 25,
  };
}
