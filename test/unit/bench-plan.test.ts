import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { allUnits, parseShard, shardUnits, streamOrder, unitId } from '../../src/bench/plan';
import { identityDifferences, loadUnits, saveUnit, type UnitRecord } from '../../src/bench/unit-store';
import type { StrategyName } from '../../src/bench/strategies';

const STRATEGIES: StrategyName[] = ['none', 'workflow', 'reasoningbank'];
const TASKS = Array.from({ length: 12 }, (_, i) => `t${i + 1}`);

describe('bench plan: units, shards, orders', () => {
  it('splits the units into N disjoint shards that together hold every unit once', () => {
    const units = allUnits(STRATEGIES, 4);
    assert.strictEqual(units.length, 12);
    assert.deepStrictEqual(units.slice(0, 2).map(unitId), ['none/stream-1', 'none/stream-2']);
    for (const count of [1, 2, 5, 12, 20]) {
      const shards = Array.from({ length: count }, (_, i) => shardUnits(units, { index: i + 1, count }).map(unitId));
      assert.deepStrictEqual(shards.flat().sort(), units.map(unitId).sort(), `${count} shards`);
      const sizes = shards.map((s) => s.length);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `balanced: ${sizes}`);
    }
    assert.deepStrictEqual(shardUnits(units, null), units);
  });

  it('parses --shard I/N and names what is wrong with a bad one', () => {
    assert.deepStrictEqual(parseShard('3/8'), { index: 3, count: 8 });
    for (const bad of ['0/2', '3/2', '1', 'a/b', '1/0', '-1/2', '1.5/2']) assert.throws(() => parseShard(bad), /expected I\/N with 1 <= I <= N/, bad);
  });

  it('orders: the suite order without a seed, a seeded permutation per stream with one', () => {
    assert.deepStrictEqual(streamOrder(TASKS, 1, null), TASKS);
    assert.deepStrictEqual(streamOrder(TASKS, 2, null), TASKS);
    const a = streamOrder(TASKS, 1, 42);
    assert.deepStrictEqual([...a].sort(), [...TASKS].sort());
    assert.deepStrictEqual(streamOrder(TASKS, 1, 42), a, 'reproducible');
    assert.notDeepStrictEqual(streamOrder(TASKS, 2, 42), a, 'another stream, another order');
    assert.notDeepStrictEqual(streamOrder(TASKS, 1, 43), a, 'another seed, another order');
  });
});

describe('bench unit store', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-units-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const record = (stream: number, seed: number | null = 1): UnitRecord => ({
    kind: 'reasoningbank-bench-unit',
    version: 1,
    suite: { name: 's', dir: '/a/s', tasks: ['t1'], digest: 'sha256:1' },
    settings: { strategies: ['none'], k: 1, mode: 'parallel', repeat: 1, streams: 2, seed, maxSteps: 30, model: 'm', embeddingModel: null, network: 'off' as const, sandboxed: true },
    unit: { strategy: 'none', stream },
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
    runs: [],
  });

  it('saves a unit with its memory and loads it back; an unreadable unit file is named', () => {
    const memory = path.join(dir, 'mem.sqlite');
    fs.writeFileSync(memory, 'bank');
    const report = path.join(dir, 'report');
    saveUnit(report, record(2), memory);
    assert.deepStrictEqual(loadUnits(report), [record(2)]);
    assert.strictEqual(fs.readFileSync(path.join(report, 'memory', 'none.stream-2.sqlite'), 'utf8'), 'bank');
    assert.deepStrictEqual(fs.readdirSync(path.join(report, 'units')), ['none.stream-2.json'], 'no temporary file left');
    assert.deepStrictEqual(loadUnits(path.join(dir, 'nothing-here')), []);
    fs.writeFileSync(path.join(report, 'units', 'none.stream-1.json'), '{"kind":');
    assert.throws(() => loadUnits(report), /none\.stream-1\.json is not valid JSON .*remove it to run that unit again/);
  });

  it('finds what differs between two runs, but not the folder the suite was in', () => {
    const a = record(1);
    assert.deepStrictEqual(identityDifferences(a, { ...a, suite: { ...a.suite, dir: '/elsewhere/s' } }), []);
    assert.deepStrictEqual(identityDifferences(a, record(1, 2)), ['seed 1 vs 2']);
    assert.deepStrictEqual(identityDifferences(a, { ...a, suite: { ...a.suite, digest: 'sha256:2' } }), ['suite contents (a task was edited)']);
    assert.deepStrictEqual(identityDifferences(a, { ...a, suite: { ...a.suite, name: 'x', tasks: ['t1', 't2'] } }), [
      'suite "s" vs "x"',
      'suite tasks (1 vs 2, or other names)',
    ]);
  });
});
