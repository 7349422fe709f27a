/**
 * search: a regular expression over the files git considers part of the worktree (.gitignore respected).
 * The regex runs on RE2 (re2js), which matches in linear time: a pattern the model (or a hostile issue)
 * writes, such as `(a+)+$` over a long line, cannot pin the engine's thread. RE2 has no lookaround or
 * backreferences; such a pattern is searched as plain text, and the observation says so.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RE2JS } from 're2js';
import { setImmediate as yieldToEventLoop } from 'timers/promises';
import { CancelledError } from '../../errors';
import { ToolError, type Workspace } from '../confined-worktree';
import { isBinary, workspaceFiles } from './files';

const MAX_HITS = 100;
const MAX_HIT_CHARS = 200;
const MAX_FILE_BYTES = 2 * 1024 * 1024;

export async function search(ws: Workspace, args: { pattern: string; path?: string; glob?: string }): Promise<string> {
  if (args.pattern === '') throw new ToolError('pattern is empty; give a regular expression or a plain word.');
  let regex: RE2JS;
  let note = '';
  try {
    regex = RE2JS.compile(args.pattern);
  } catch (err) {
    // "foo(" is what models type most often: search it as text instead of failing the step
    regex = RE2JS.compile(RE2JS.quote(args.pattern));
    note = `(not a regex this search supports — ${(err as Error).message.replace(/^error parsing regexp: /, '')}; searched as plain text)\n`;
  }
  const prefilter = args.pattern.includes('$') ? null : RE2JS.compile(regex.pattern(), RE2JS.MULTILINE);
  const abs = ws.resolve(args.path);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    throw new ToolError(`"${args.path}" does not exist. Call list_files to see the repository.`);
  }
  let files: string[];
  if (stat.isDirectory()) {
    const prefix = ws.relative(abs) === '.' ? '' : `${ws.relative(abs)}/`;
    const match = args.glob ? globMatcher(args.glob) : () => true;
    files = (await workspaceFiles(ws, abs)).filter(match).map((f) => prefix + f);
  } else {
    files = [ws.relative(abs)];
  }

  const hits: string[] = [];
  const tooBig: string[] = [];
  let truncated = false;
  let lastYield = Date.now();
  outer: for (const rel of files) {
    // a long search lets a cancel (Ctrl-C, the editor's stop) through between files
    if (Date.now() - lastYield > 50) {
      await yieldToEventLoop();
      lastYield = Date.now();
      if (ws.signal?.aborted) throw new CancelledError();
    }
    let buf: Buffer;
    try {
      const file = path.join(ws.root, rel);
      if (fs.statSync(file).size > MAX_FILE_BYTES) {
        tooBig.push(rel);
        continue;
      }
      buf = fs.readFileSync(file);
    } catch {
      continue; // deleted, a submodule folder, unreadable
    }
    if (isBinary(buf)) continue;
    const text = buf.toString('utf8');
    // a whole-file test skips most files quickly; "$" would miss before "\r\n", so such patterns go line by line
    if (prefilter && !prefilter.test(text)) continue;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.replace(/\r$/, '');
      if (!regex.test(line)) continue;
      if (hits.length >= MAX_HITS) {
        truncated = true;
        break outer;
      }
      const shown = line.length > MAX_HIT_CHARS ? `${line.trim().slice(0, MAX_HIT_CHARS)}…` : line;
      hits.push(`${rel}:${i + 1}: ${shown}`);
    }
  }
  const where = `${args.path ?? '.'}${args.glob ? ` (${args.glob})` : ''}`;
  const skipped = tooBig.length
    ? `\n[not searched, over ${MAX_FILE_BYTES / 1024 / 1024} MB: ${tooBig.slice(0, 10).join(', ')}${tooBig.length > 10 ? ` and ${tooBig.length - 10} more` : ''}; read_file them in pages or run_command grep]`
    : '';
  if (hits.length === 0) {
    return `${note}No matches for /${args.pattern}/ in ${where} (${files.length - tooBig.length} files searched).${skipped}`;
  }
  return `${note}${hits.join('\n')}${truncated ? `\n[stopped at ${MAX_HITS} matches; narrow the search with path or glob]` : ''}${skipped}`;
}

/**
 * A glob without "/" matches file names anywhere ("*.ts"); with "/" it matches the path relative to the
 * searched folder ("src/**\/*.test.ts"). Supports *, **, ? and {a,b}.
 */
export function globMatcher(glob: string): (rel: string) => boolean {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') re += '(?:';
    else if (c === '}') re += ')';
    else if (c === ',' && glob.lastIndexOf('{', i) > glob.lastIndexOf('}', i)) re += '|';
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  const compiled = new RegExp(`^${re}$`);
  const byName = !glob.includes('/');
  return (rel) => compiled.test(byName ? rel.slice(rel.lastIndexOf('/') + 1) : rel);
}
