/** `reasoningbank bench merge --report OUT DIR…`: the partial reports of sharded runs joined into one. */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'node:util';
import type { CliIO } from './io';
import { failure } from './errors';
import { usageError } from '../engine/errors';
import { mergeReports, readPartialReport } from '../bench/merge';
import { renderMarkdown } from '../bench/report';
import { writeReportFiles } from '../bench/report-files';
import { MEMORY_DIR, memoryFiles } from '../bench/unit-store';

export const BENCH_MERGE_USAGE = 'usage: reasoningbank bench merge --report OUT [--json] DIR...';

export async function benchMergeCommand(argv: string[], io: CliIO): Promise<number> {
  let json = argv.includes('--json');
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { report: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    json = !!values.json;
    if (values.help) {
      io.stdout(`${BENCH_MERGE_USAGE}\n\n  Merges the report folders of \`bench --shard I/N --report DIR\` runs into OUT.\n`);
      return 0;
    }
    if (!values.report) throw usageError('--report OUT is required (the folder the merged report is written to)');
    if (positionals.length === 0) throw usageError('name the partial report folders to merge, for example: bench merge --report out shard-1 shard-2');
    const dirs = positionals.map((d) => path.resolve(io.cwd, d));
    const out = path.resolve(io.cwd, values.report);
    if (dirs.includes(out)) throw usageError(`--report ${values.report} is one of the folders being merged; choose a new folder`);
    if (fs.existsSync(out) && (!fs.statSync(out).isDirectory() || fs.readdirSync(out).length > 0)) {
      throw usageError(`--report ${values.report}: exists and is not an empty folder; choose a new folder so nothing is overwritten`);
    }
    const report = mergeReports(dirs.map((dir) => ({ dir, report: readPartialReport(dir) })));
    const written = writeReportFiles(out, report);
    // each unit's memory, as the unsharded run would have kept it
    for (const dir of dirs) {
      const from = path.join(dir, MEMORY_DIR);
      if (!fs.existsSync(from)) continue;
      for (const f of fs.readdirSync(from).filter((x) => x.endsWith('.sqlite'))) {
        const dest = path.join(out, MEMORY_DIR, f);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        fs.copyFileSync(path.join(from, f), dest);
      }
    }
    io.stderr(`merged ${dirs.length} report(s): ${report.runs.length} runs in ${report.units.length} unit(s)\nreport: ${written.markdown}\n        ${written.json}\n        ${written.svg}\n`);
    if (json) io.stdout(JSON.stringify({ ...report, files: { ...written, memory: memoryFiles(out) } }) + '\n');
    else io.stdout(renderMarkdown(report, { svgFile: written.svg }));
    return 0;
  } catch (err) {
    return failure(err, io, json, 'reasoningbank bench merge --help');
  }
}
