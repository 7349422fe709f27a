/**
 * `bench merge`: partial reports (one per shard, from any machines) joined into the report the same run
 * would have produced unsharded. Refused when the parts do not belong together (suite, settings, seed) or
 * do not add up to the whole run (a unit missing, or the same unit twice); nothing is written then.
 */
import * as fs from 'fs';
import * as path from 'path';
import { badInput } from '../engine/errors';
import { type BenchReport, buildReport } from './report';
import { allUnits, unitId } from './plan';
import { identityDifferences } from './unit-store';

export function readPartialReport(dir: string): BenchReport {
  const file = path.join(dir, 'report.json');
  if (!fs.existsSync(file)) throw badInput(`${dir}: no report.json (a folder written by \`reasoningbank bench --report DIR\`)`);
  let report: BenchReport;
  try {
    report = JSON.parse(fs.readFileSync(file, 'utf8')) as BenchReport;
  } catch (err) {
    throw badInput(`${file} is not valid JSON (${(err as Error).message})`);
  }
  if (report?.kind !== 'reasoningbank-bench' || !Array.isArray(report.runs) || !Array.isArray(report.units) || !report.settings?.streams) {
    throw badInput(`${file} is not a bench report this version can merge (it needs "units" and "settings.streams")`);
  }
  if (!report.completed) {
    throw badInput(`${dir} is a run that stopped part-way; finish it first with the same command plus --resume`);
  }
  return report;
}

/** The merged report; throws (exit 2) naming every problem when the parts do not make one run. */
export function mergeReports(parts: { dir: string; report: BenchReport }[]): BenchReport {
  if (parts.length === 0) throw badInput('bench merge needs at least one report folder');
  const [first, ...rest] = parts;
  const problems: string[] = [];
  for (const p of rest) {
    const diffs = identityDifferences(first!.report, p.report);
    if (diffs.length) problems.push(`${p.dir} is from a different run than ${first!.dir}: ${diffs.join('; ')}`);
  }
  if (problems.length) throw badInput(`cannot merge:\n  ${problems.join('\n  ')}`);

  const holder = new Map<string, string[]>();
  for (const p of parts) for (const id of p.report.units) holder.set(id, [...(holder.get(id) ?? []), p.dir]);
  const { strategies, streams } = first!.report.settings;
  const expected = allUnits(strategies, streams).map(unitId);
  const duplicated = [...holder].filter(([, dirs]) => dirs.length > 1);
  const missing = expected.filter((id) => !holder.has(id));
  const unknown = [...holder.keys()].filter((id) => !expected.includes(id));
  for (const [id, dirs] of duplicated) problems.push(`unit ${id} is in ${dirs.length} reports (${dirs.join(', ')}); keep it in one`);
  if (missing.length) problems.push(`missing unit(s): ${missing.join(', ')} (run the shard that holds them, with --resume if it stopped)`);
  for (const id of unknown) problems.push(`unit ${id} does not belong to this run's strategies and streams`);
  if (problems.length) throw badInput(`cannot merge:\n  ${problems.join('\n  ')}`);

  const runs = parts.flatMap((p) => p.report.runs.filter((r) => p.report.units.includes(unitId(r))));
  const times = (k: 'startedAt' | 'finishedAt') => parts.map((p) => Date.parse(p.report[k]));
  return buildReport(runs, {
    suite: first!.report.suite,
    settings: first!.report.settings,
    startedAt: new Date(Math.min(...times('startedAt'))),
    finishedAt: new Date(Math.max(...times('finishedAt'))),
    completed: true,
    shard: null,
    units: expected,
  });
}
