/**
 * Which test output files the extension may show: only a run record's `*.tests.txt` under
 * `<folder>/.reasoningbank/runs/<runId>/`, where <folder> is the workspace folder or the top of the git work
 * tree it sits in (the engine keeps run records at the work tree's top). The path comes from the engine's result,
 * and a URI of ours can be opened by anything: a path elsewhere, a link, or a folder of the record that is
 * a link is refused, so nothing can make the editor show an arbitrary file. No `vscode` import: unit tested.
 */
import * as fs from 'fs';
import * as path from 'path';

/** what a run folder's name looks like (run-record.ts newRunId) */
const RUN_ID = /^\d{8}-\d{6}-[0-9a-f]{6}$/;
/** baseline.tests.txt, attempt-N.tests.txt, attempt-N.round-R.tests.txt (run-record.ts testOutputName) */
const NAME = /^(?:baseline|attempt-\d{1,3}(?:\.round-\d{1,3})?)\.tests\.txt$/;
/** the engine keeps them to about 12,000 characters; anything much larger is not ours */
export const MAX_TEST_OUTPUT_BYTES = 256 * 1024;

export class TestOutputRefused extends Error {}

/**
 * The real path of `file` when it is a test output file of a run record of `workspaceFolder`; throws
 * TestOutputRefused saying why otherwise.
 */
export function checkTestOutputFile(file: string, workspaceFolder: string): string {
  const refuse = (why: string) => new TestOutputRefused(`not opening ${JSON.stringify(file)}: ${why}`);
  if (!path.isAbsolute(file)) throw refuse('not an absolute path');
  const lexical = path.resolve(file);
  const name = path.basename(lexical);
  const runDir = path.dirname(lexical);
  const runs = path.dirname(runDir);
  const state = path.dirname(runs);
  if (!NAME.test(name) || !RUN_ID.test(path.basename(runDir)) || path.basename(runs) !== 'runs' || path.basename(state) !== '.reasoningbank') {
    throw refuse('not a test output file of a run record (.reasoningbank/runs/<run>/*.tests.txt)');
  }
  let real: string;
  let top: string;
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(lexical);
    real = fs.realpathSync(lexical);
    top = fs.realpathSync(path.dirname(state));
  } catch {
    throw refuse('no such file (the run record may have been deleted)');
  }
  if (!stat.isFile()) throw refuse('not a regular file');
  if (stat.size > MAX_TEST_OUTPUT_BYTES) throw refuse(`larger than ${MAX_TEST_OUTPUT_BYTES} bytes`);
  // no link in .reasoningbank/runs/<run>/<name>: resolving them leaves the path as it was
  if (path.join(top, '.reasoningbank', 'runs', path.basename(runDir), name) !== real) throw refuse('the run record is reached through a link');
  let folder: string;
  try {
    folder = fs.realpathSync(workspaceFolder);
  } catch {
    throw refuse('the workspace folder is gone');
  }
  // the workspace folder's own record, or that of the git work tree it sits in
  const inside = folder === top || (folder.startsWith(top + path.sep) && fs.existsSync(path.join(top, '.git')));
  if (!inside) throw refuse('not a run record of this workspace');
  return real;
}
