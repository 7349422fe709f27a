/**
 * Finished units in a report folder: `units/<strategy>.stream-<n>.json` (the unit's runs and the settings
 * they ran under) and `memory/…sqlite` (what the unit's memory learned). A unit file is written only when
 * the unit has run all its tasks, and atomically, so a crash leaves either a whole unit or none: that is
 * what `--resume` relies on. The settings check is shared by --resume and `bench merge`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { badInput } from '../engine/errors';
import type { BenchReport } from './report';
import type { BenchRun } from './runner';
import { type BenchUnit, unitId } from './plan';

export interface UnitRecord {
  kind: 'reasoningbank-bench-unit';
  version: 1;
  suite: BenchReport['suite'];
  settings: BenchReport['settings'];
  unit: BenchUnit;
  startedAt: string;
  finishedAt: string;
  runs: BenchRun[];
}

export const UNITS_DIR = 'units';
export const MEMORY_DIR = 'memory';

const unitFileName = (u: BenchUnit) => `${u.strategy}.stream-${u.stream}.json`;

/** One stream keeps the name the report always used (memory/<strategy>.sqlite). */
export const memoryFileName = (u: BenchUnit, streams: number) => (streams === 1 ? `${u.strategy}.sqlite` : `${u.strategy}.stream-${u.stream}.sqlite`);

/** Saves a finished unit (its memory first, then the record that says it is finished). */
export function saveUnit(reportDir: string, record: UnitRecord, memoryFile: string | null): void {
  if (memoryFile && fs.existsSync(memoryFile)) {
    const dest = path.join(reportDir, MEMORY_DIR, memoryFileName(record.unit, record.settings.streams));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(memoryFile, dest);
  }
  const file = path.join(reportDir, UNITS_DIR, unitFileName(record.unit));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(record) + '\n');
  fs.renameSync(tmp, file);
}

/** The finished units a report folder holds (none when it has no units/ folder). */
export function loadUnits(reportDir: string): UnitRecord[] {
  const dir = path.join(reportDir, UNITS_DIR);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      let record: UnitRecord;
      try {
        record = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as UnitRecord;
      } catch (err) {
        throw badInput(`${path.join(dir, f)} is not valid JSON (${(err as Error).message}); remove it to run that unit again`);
      }
      if (record?.kind !== 'reasoningbank-bench-unit' || !record.unit || !Array.isArray(record.runs)) {
        throw badInput(`${path.join(dir, f)} is not a bench unit record; remove it to run that unit again`);
      }
      return record;
    });
}

type RunIdentity = Pick<BenchReport, 'suite' | 'settings'>;

/**
 * What differs between two runs' suite and settings (the suite's folder may differ: shards run on different
 * machines); an empty list when their units can be combined.
 */
export function identityDifferences(a: RunIdentity, b: RunIdentity): string[] {
  const diffs: string[] = [];
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  if (a.suite.name !== b.suite.name) diffs.push(`suite ${JSON.stringify(a.suite.name)} vs ${JSON.stringify(b.suite.name)}`);
  if (!same(a.suite.tasks, b.suite.tasks)) diffs.push(`suite tasks (${a.suite.tasks.length} vs ${b.suite.tasks.length}, or other names)`);
  else if (a.suite.digest !== b.suite.digest) diffs.push('suite contents (a task was edited)');
  const keys = new Set([...Object.keys(a.settings), ...Object.keys(b.settings)]);
  for (const k of keys) {
    const x = (a.settings as Record<string, unknown>)[k];
    const y = (b.settings as Record<string, unknown>)[k];
    if (!same(x, y)) diffs.push(`${k} ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
  }
  return diffs;
}

/** The memory files of a report folder by name (without .sqlite): what each unit learned. */
export function memoryFiles(reportDir: string): Record<string, string> {
  const dir = path.join(reportDir, MEMORY_DIR);
  if (!fs.existsSync(dir)) return {};
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.sqlite'))
      .sort()
      .map((f) => [f.replace(/\.sqlite$/, ''), path.join(dir, f)]),
  );
}
