/** search: a JavaScript regex over the files git considers part of the worktree (.gitignore respected). */
import * as fs from 'fs';
import * as path from 'path';
import { ToolError, type Workspace } from '../confined-worktree';
import { isBinary, workspaceFiles } from './files';

const MAX_HITS = 100;
const MAX_HIT_CHARS = 200;
const MAX_FILE_BYTES = 2 * 1024 * 1024;

export async function search(ws: Workspace, args: { pattern: string; path?: string; glob?: string }): Promise<string> {
  if (args.pattern === '') throw new ToolError('pattern is empty; give a regular expression or a plain word.');
  let regex: RegExp;
  let note = '';
  try {
    regex = new RegExp(args.pattern);
  } catch (err) {
    // "foo(" is what models type most often: search it as text instead of failing the step
    regex = new RegExp(args.pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    note = `(not a valid regex — ${(err as Error).message.replace(/^Invalid regular expression: /, '')}; searched as plain text)\n`;
  }
  const prefilter = regex.source.includes('$') ? null : new RegExp(regex.source, 'm');
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
  let truncated = false;
  outer: for (const rel of files) {
    let buf: Buffer;
    try {
      const file = path.join(ws.root, rel);
      if (fs.statSync(file).size > MAX_FILE_BYTES) continue;
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
  if (hits.length === 0) return `${note}No matches for ${regex} in ${where} (${files.length} files searched).`;
  return `${note}${hits.join('\n')}${truncated ? `\n[stopped at ${MAX_HITS} matches; narrow the search with path or glob]` : ''}`;
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
