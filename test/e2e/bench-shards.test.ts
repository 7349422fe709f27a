/**
 * Streams, shards, merge and resume end to end: the built CLI, real git repositories, the real openai client
 * against the scripted server. Three tasks, none vs reasoningbank, two streams with seed 7 (stream 1 runs
 * overfit, beta, alpha; stream 2 runs beta, alpha, overfit).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ScriptedServer, contentText } from '../fixtures/scripted-server';
import { injectedBlock, markerOf, script, writeSuite } from '../fixtures/bench-suite';
import { cleanupTempDirs, ensureBuilt, runCli, tempDir } from '../fixtures/repos';
import type { BenchReport } from '../../src/bench/report';
import type { BenchRun } from '../../src/bench/runner';

const TASK_NAMES = ['1-alpha', '2-beta', '4-overfit'];
const BASE = ['--strategy', 'none,reasoningbank', '--streams', '2', '--seed', '7', '--max-steps', '5'];

/**
 * What differs between two executions of the same run: time, the ids of run records and memory items
 * (random; renamed here in order of appearance within each unit, which keeps which item came back when), and
 * tokens (the scripted server counts characters, and node's test output quotes its own timings).
 */
function stable(runs: BenchRun[]) {
  const names = new Map<string, string>();
  const rename = (r: BenchRun, id: string) => {
    const k = `${r.strategy}/${r.stream}/${id}`;
    if (!names.has(k)) names.set(k, `item-${names.size + 1}`);
    return names.get(k)!;
  };
  return runs.map((r) => ({
    ...r,
    wallMs: 0,
    runId: null,
    tokens: null,
    added: r.added.map((id) => rename(r, id)),
    retrieved: r.retrieved.map((id) => rename(r, id)),
    merged: r.merged.map((id) => rename(r, id)),
  }));
}
const stableStats = (report: BenchReport) =>
  report.strategies.map((s) => ({ ...s, wallMs: null, tokens: null, vsNone: s.vsNone ? { ...s.vsNone, meanWallMs: null, meanTokens: null, tokens: null } : null }));

describe('reasoningbank bench: streams, shards, merge, resume (end to end)', function () {
  this.timeout(900_000);
  let server: ScriptedServer;
  let suiteDir: string;
  let out: string;
  let env: NodeJS.ProcessEnv;
  let whole: BenchReport;
  /** how many chat requests the server had seen when the current step began */
  let mark = 0;
  const chat = () => server.chat().slice(mark);
  /** the first agent request of each conversation, in order, since the mark */
  const firsts = () =>
    chat()
      .filter((r) => r.step === 0 && r.body.tools?.length)
      .map((r) => ({ marker: markerOf(contentText(r.body.messages.find((m: { role: string }) => m.role === 'user')?.content)), injected: injectedBlock(contentText(r.body.messages.find((m: { role: string }) => m.role === 'user')?.content)) }));
  const bench = (args: string[], opts: Parameters<typeof runCli>[1] = {}) =>
    runCli(['bench', '--suite', suiteDir, ...args], { env, timeoutMs: 400_000, ...opts });

  before(async () => {
    ensureBuilt();
    server = new ScriptedServer(script);
    await server.start();
    suiteDir = tempDir('rb-bench-suite-');
    writeSuite(suiteDir, TASK_NAMES);
    out = tempDir('rb-bench-out-');
    const home = tempDir('rb-home-');
    env = { OPENAI_BASE_URL: server.url, REASONINGBANK_MODEL: 'scripted', HOME: home, TMPDIR: home };
  });
  after(async () => {
    await server?.stop();
    cleanupTempDirs();
  });

  it('runs two streams per strategy in different seeded orders, each with a fresh memory', async () => {
    const r = await bench([...BASE, '--report', path.join(out, 'whole'), '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    whole = JSON.parse(r.stdout);
    assert.deepStrictEqual(whole.orders, [
      { stream: 1, tasks: ['4-overfit', '2-beta', '1-alpha'] },
      { stream: 2, tasks: ['2-beta', '1-alpha', '4-overfit'] },
    ]);
    assert.deepStrictEqual(whole.units, ['none/stream-1', 'none/stream-2', 'reasoningbank/stream-1', 'reasoningbank/stream-2']);
    // every run says its stream and pass, and runs in its stream's order
    assert.strictEqual(whole.runs.length, 12);
    for (const run of whole.runs) assert.strictEqual(run.task, whole.orders[run.stream - 1]!.tasks[run.position - 1], `${run.strategy} s${run.stream} #${run.position}`);
    assert.ok(whole.runs.every((x) => x.pass === 1));
    // the agent really saw the tasks in those orders: unit by unit, none s1, none s2, rb s1, rb s2
    const seen = firsts();
    const markers = { '1-alpha': 'ALPHA', '2-beta': 'BETA', '4-overfit': 'OVERFIT' } as Record<string, string>;
    assert.deepStrictEqual(seen.map((f) => f.marker), [1, 2, 1, 2].flatMap((s) => whole.orders[s - 1]!.tasks.map((t) => markers[t])));
    // separate memories: reasoningbank's second stream starts empty although the first learned a matching lesson
    const rb1 = seen.slice(6, 9);
    const rb2 = seen.slice(9, 12);
    assert.match(rb1[2]!.injected, /LESSON-BETA/, 'stream 1: alpha (third) gets what beta taught');
    assert.doesNotMatch(rb2[0]!.injected, /Lessons from earlier tasks|LESSON-/, 'stream 2 starts from an empty memory');
    assert.match(rb2[1]!.injected, /LESSON-BETA/);
    assert.doesNotMatch(rb2[1]!.injected, /LESSON-OVERFIT/, 'stream 2 has not seen overfit yet; stream 1 had');
    assert.deepStrictEqual(whole.leaveOneOut.violations, []);
    const memory = fs.readdirSync(path.join(out, 'whole', 'memory')).sort();
    assert.deepStrictEqual(memory, ['reasoningbank.stream-1.sqlite', 'reasoningbank.stream-2.sqlite']);
    // the statistics: paired over 6 task × stream pairs, reproducible from the runs
    const v = whole.strategies[1]!.vsNone!;
    assert.strictEqual(v.pairs, 6);
    assert.deepStrictEqual([v.successRatePoints, v.ci95, v.mcnemarP], [0, [0, 0], 1]);
    assert.ok(v.steps.ci95 && v.tokens.ci95, 'intervals for steps and tokens');
    assert.ok(v.tokens.ci95![0] <= v.tokens.meanDiff && v.tokens.meanDiff <= v.tokens.ci95![1]);
    const md = fs.readFileSync(path.join(out, 'whole', 'report.md'), 'utf8');
    assert.match(md, /3 task\(s\) × 1 pass\(es\) × 2 streams \(seed 7\)/);
    assert.match(md, /\| \*\*reasoningbank\*\* \| 4\/6 \| 67% \| ±0\.0 pp \(±0\) \[±0\.0, ±0\.0\] p = 1 \|/);
    const svg = fs.readFileSync(path.join(out, 'whole', 'learning-curve.svg'), 'utf8');
    assert.strictEqual((svg.match(/<polygon /g) ?? []).length, 2, 'a band over the streams per strategy');
  });

  it('two shards merged equal the unsharded run: runs and statistics', async () => {
    mark = server.chat().length;
    const one = await bench([...BASE, '--shard', '1/2', '--report', path.join(out, 'shard-1')]);
    assert.strictEqual(one.code, 0, one.stderr);
    assert.match(one.stderr, /shard 1\/2: 2 of 4 unit\(s\)/);
    const two = await bench([...BASE, '--shard', '2/2', '--report', path.join(out, 'shard-2')]);
    assert.strictEqual(two.code, 0, two.stderr);
    assert.strictEqual(firsts().length, 12, 'between them the shards ran every unit once');
    const partial: BenchReport = JSON.parse(fs.readFileSync(path.join(out, 'shard-1', 'report.json'), 'utf8'));
    assert.deepStrictEqual(partial.shard, { index: 1, count: 2 });
    assert.deepStrictEqual(partial.units, ['none/stream-1', 'reasoningbank/stream-1']);

    const merged = await runCli(['bench', 'merge', '--report', path.join(out, 'merged'), path.join(out, 'shard-2'), path.join(out, 'shard-1'), '--json'], { env });
    assert.strictEqual(merged.code, 0, merged.stderr);
    const report: BenchReport = JSON.parse(merged.stdout);
    assert.deepStrictEqual(stable(report.runs), stable(whole.runs));
    assert.deepStrictEqual(stableStats(report), stableStats(whole));
    assert.deepStrictEqual([report.units, report.shard, report.completed], [whole.units, null, true]);
    assert.deepStrictEqual(fs.readdirSync(path.join(out, 'merged', 'memory')).sort(), ['reasoningbank.stream-1.sqlite', 'reasoningbank.stream-2.sqlite']);
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(out, 'merged', 'report.json'), 'utf8')).runs, report.runs);
  });

  it('refuses to merge reports of different settings, or with units missing or twice, and writes nothing', async () => {
    const other = await bench([...BASE.slice(0, -4), '--seed', '8', '--max-steps', '5', '--limit', '2', '--shard', '2/2', '--report', path.join(out, 'other')]);
    assert.strictEqual(other.code, 0, other.stderr);
    const refuse = async (dirs: string[], pattern: RegExp) => {
      const dest = path.join(out, `refused-${dirs.length}-${Math.random().toString(36).slice(2)}`);
      const r = await runCli(['bench', 'merge', '--report', dest, ...dirs.map((d) => path.join(out, d)), '--json'], { env });
      assert.strictEqual(r.code, 2, r.stderr);
      assert.match(JSON.parse(r.stdout).error.message, pattern);
      assert.ok(!fs.existsSync(dest), 'nothing written');
    };
    await refuse(['shard-1', 'other'], /different run .*suite tasks \(3 vs 2.*seed 7 vs 8/s);
    await refuse(['shard-1'], /missing unit\(s\): none\/stream-2, reasoningbank\/stream-2/);
    await refuse(['shard-1', 'shard-2', 'whole'], /unit none\/stream-1 is in 2 reports/);
  });

  it('--resume after a crash re-runs only the unit that had not finished', async () => {
    mark = server.chat().length;
    const dir = path.join(out, 'crashed');
    // shard 1/2 is none/stream-1 then reasoningbank/stream-1; kill the process once the second unit has started
    const crashed = await bench([...BASE, '--shard', '1/2', '--report', dir], {
      onStderr: (text, child) => {
        if (/── unit 2\/2/.test(text) && child.exitCode === null && !child.killed) child.kill('SIGKILL');
      },
    });
    assert.strictEqual(crashed.code, null, 'killed');
    assert.deepStrictEqual(fs.readdirSync(path.join(dir, 'units')), ['none.stream-1.json']);
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'units', 'none.stream-1.json'), 'utf8')).runs as BenchRun[];

    const again = await bench([...BASE, '--shard', '1/2', '--report', dir]);
    assert.strictEqual(again.code, 2, 'a folder with finished units needs --resume');
    assert.match(again.stderr, /already holds 1 finished unit\(s\).*add --resume/);

    mark = server.chat().length;
    const resumed = await bench([...BASE, '--shard', '1/2', '--report', dir, '--resume', '--json']);
    assert.strictEqual(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /resuming: 1 unit\(s\) already finished \(none\/stream-1\)/);
    assert.strictEqual(firsts().length, 3, 'only reasoningbank/stream-1 ran');
    const report: BenchReport = JSON.parse(resumed.stdout);
    assert.deepStrictEqual(report.units, ['none/stream-1', 'reasoningbank/stream-1']);
    assert.deepStrictEqual(report.runs.filter((r) => r.strategy === 'none'), saved, 'the finished unit is taken as it was');

    mark = server.chat().length;
    const nothingLeft = await bench([...BASE, '--shard', '1/2', '--report', dir, '--resume']);
    assert.strictEqual(nothingLeft.code, 0, nothingLeft.stderr);
    assert.strictEqual(chat().length, 0, 'a finished run resumes without a single model call');

    const mismatch = await bench([...BASE.slice(0, -4), '--seed', '9', '--max-steps', '5', '--shard', '1/2', '--report', dir, '--resume']);
    assert.strictEqual(mismatch.code, 2);
    assert.match(mismatch.stderr, /holds unit none\/stream-1 of a different run \(seed 7 vs 9\)/);

    // the resumed shard merges with the other one into the same runs as the unsharded run
    const merged = await runCli(['bench', 'merge', '--report', path.join(out, 'merged-resumed'), dir, path.join(out, 'shard-2'), '--json'], { env });
    assert.strictEqual(merged.code, 0, merged.stderr);
    assert.deepStrictEqual(stable((JSON.parse(merged.stdout) as BenchReport).runs), stable(whole.runs));
  });

  it('does not keep a unit whose every run errored (the endpoint, not the strategy): --resume runs it again', async () => {
    const broken = tempDir('rb-bench-suite-');
    writeSuite(broken, ['3-broken']);
    const dir = path.join(out, 'broken');
    const args = ['bench', '--suite', broken, '--strategy', 'none', '--report', dir];
    const first = await runCli(args, { env, timeoutMs: 120_000 });
    assert.strictEqual(first.code, 3, first.stderr);
    assert.match(first.stderr, /every run of none\/stream-1 failed with an error; it is not kept as finished/);
    assert.ok(!fs.existsSync(path.join(dir, 'units')));
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')).units, []);
    mark = server.chat().length;
    const again = await runCli([...args, '--resume'], { env, timeoutMs: 120_000 });
    assert.strictEqual(again.code, 3, again.stderr);
    assert.ok(chat().length > 0, 'tried again');
  });

  it('rejects a bad --shard, and --shard or --resume without --report', async () => {
    for (const [args, pattern] of [
      [['--shard', '3/2', '--report', path.join(out, 'x')], /--shard 3\/2: expected I\/N/],
      [['--shard', '1/2'], /--shard needs --report DIR/],
      [['--resume'], /--resume needs --report DIR/],
      [['--streams', '0'], /--streams must be a whole number from 1/],
    ] as const) {
      const r = await bench([...args]);
      assert.strictEqual(r.code, 2, r.stderr);
      assert.match(r.stderr, pattern);
    }
  });
});
