/** list_files, read_file and write_file, plus the file listing that list_files and search share. */
import { isUtf8 } from 'buffer';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { ToolError, type Workspace } from '../confined-worktree';
import { HARDENED_CONFIG } from '../../git/git';

const execFileP = promisify(execFile);

const MAX_LIST_ENTRIES = 300;
const WALK_LIMIT = 50_000;
export const PAGE_LINES = 250;
// below the loop's cut of long observations, so a page is never split in the middle
const PAGE_CHARS = 9_000;
const MAX_LINE_CHARS = 1_000;

/**
 * Files under `dirAbs` (paths relative to it, with '/'), without what .gitignore excludes: git's own view
 * of tracked and untracked files; a plain walk that skips .git and node_modules where git has none.
 */
export async function workspaceFiles(ws: Workspace, dirAbs: string): Promise<string[]> {
  try {
    // addressed explicitly and hardened like every git call of the engine (see git/git.ts)
    const where = ws.gitDir ? [`--git-dir=${ws.gitDir}`, `--work-tree=${ws.root}`] : [];
    const hardened = HARDENED_CONFIG.flatMap((c) => ['-c', c]);
    const { stdout } = await execFileP('git', [...hardened, ...where, 'ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
      cwd: dirAbs,
      env: ws.env,
      maxBuffer: 256 * 1024 * 1024,
    });
    const seen = new Set<string>();
    for (const f of stdout.split('\0')) if (f) seen.add(f); // a conflicted file is listed once per stage
    return [...seen].sort();
  } catch {
    return walk(dirAbs);
  }
}

function walk(dirAbs: string): string[] {
  const out: string[] = [];
  const visit = (abs: string, rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= WALK_LIMIT) return;
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      // symlinked folders are not followed: they may lead out of the workspace or loop
      if (e.isDirectory()) visit(path.join(abs, e.name), childRel);
      else out.push(childRel);
    }
  };
  visit(dirAbs, '');
  return out.sort();
}

function requireDirectory(ws: Workspace, abs: string, given: string | undefined): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    throw new ToolError(`folder "${given}" does not exist. Call list_files without a path to see the repository.`);
  }
  if (!stat.isDirectory()) throw new ToolError(`"${given}" is a file, not a folder. Use read_file to read it.`);
}

export async function listFiles(ws: Workspace, args: { path?: string; depth?: number }): Promise<string> {
  const dirAbs = ws.resolve(args.path);
  requireDirectory(ws, dirAbs, args.path);
  const depth = Math.max(1, Math.min(args.depth ?? 3, 20));
  const prefix = ws.relative(dirAbs) === '.' ? '' : `${ws.relative(dirAbs)}/`;
  const files = await workspaceFiles(ws, dirAbs);
  if (files.length === 0) return `No files under "${prefix || '.'}" (or all are ignored by .gitignore).`;

  // files within `depth` levels are shown; deeper ones are counted under their folder at that depth
  const folded = new Map<string, number>();
  const lines: string[] = [];
  for (const f of files) {
    const parts = f.split('/');
    if (parts.length <= depth) {
      lines.push(prefix + f);
    } else {
      const dir = parts.slice(0, depth).join('/');
      folded.set(dir, (folded.get(dir) ?? 0) + 1);
    }
  }
  for (const [dir, n] of folded) lines.push(`${prefix}${dir}/ (${n} file${n === 1 ? '' : 's'})`);
  lines.sort();
  let out = lines.slice(0, MAX_LIST_ENTRIES).join('\n');
  if (lines.length > MAX_LIST_ENTRIES) {
    out += `\n[… ${lines.length - MAX_LIST_ENTRIES} more entries; list a subfolder with path, or lower depth]`;
  }
  if (folded.size) out += `\n(folders with a count hold more files: list_files with that path)`;
  return out;
}

export function isBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8000).includes(0);
}

/**
 * A text file as the tools see it. A file that is not valid UTF-8 (Latin-1, Windows-1252, a stray byte) is
 * decoded as Latin-1, which maps every byte to one character and back: an edit then rewrites only the
 * bytes it replaces, where a UTF-8 round trip would turn every such byte into EF BF BD.
 */
export interface TextFile {
  text: string;
  encoding: 'utf8' | 'latin1';
}

export function notUtf8Note(given: string): string {
  return `(${given} is not valid UTF-8: shown byte for byte as Latin-1; edits keep every other byte as it is)`;
}

export function readText(ws: Workspace, abs: string, given: string): TextFile {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    throw new ToolError(`file "${given}" does not exist. Use list_files or search to find the right path.`);
  }
  if (stat.isDirectory()) throw new ToolError(`"${given}" is a folder. Use list_files with path="${given}".`);
  const buf = fs.readFileSync(abs);
  if (isBinary(buf)) throw new ToolError(`"${given}" is a binary file (${buf.length} bytes); it cannot be shown as text.`);
  return isUtf8(buf) ? { text: buf.toString('utf8'), encoding: 'utf8' } : { text: buf.toString('latin1'), encoding: 'latin1' };
}

/** Writes text back in the encoding it was read in; a character the file's encoding cannot hold is refused. */
export function writeText(abs: string, text: string, encoding: TextFile['encoding'], given: string): void {
  if (encoding === 'latin1') {
     
    const wide = /[^\u0000-\u00ff]/.exec(text);
    if (wide) {
      throw new ToolError(
        `${given} is not UTF-8 (its bytes are kept as they are) and "${wide[0]}" cannot be written into it; nothing was written. ` +
          'Use only characters the file already uses, or rewrite the whole file with write_file (it is then saved as UTF-8).',
      );
    }
  }
  fs.writeFileSync(abs, Buffer.from(text, encoding));
}

/** Lines as the model sees them: numbered like `cat -n`, so it can name them, never copy the numbers. */
export function numberLines(lines: string[], firstLine: number): string {
  const width = String(firstLine + lines.length - 1).length;
  return lines
    .map((l, i) => {
      const text = l.length > MAX_LINE_CHARS ? `${l.slice(0, MAX_LINE_CHARS)}…[+${l.length - MAX_LINE_CHARS} chars]` : l;
      return `${String(firstLine + i).padStart(width)}\t${text}`;
    })
    .join('\n');
}

export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function readFile(ws: Workspace, args: { path: string; start_line?: number; end_line?: number }): string {
  const abs = ws.resolve(args.path);
  const { text, encoding } = readText(ws, abs, args.path);
  if (text.length === 0) return `(${args.path} is empty)`;
  const lines = splitLines(text);
  const total = lines.length;
  const start = Math.max(1, args.start_line ?? 1);
  if (start > total) throw new ToolError(`start_line ${start} is past the end: "${args.path}" has ${total} lines.`);
  const wantedEnd = Math.min(total, Math.max(start, args.end_line ?? total));
  let end = Math.min(wantedEnd, start + PAGE_LINES - 1);
  // keep the page under the character cap, but always show at least one line
  let chars = 0;
  for (let i = start; i <= end; i++) {
    chars += Math.min(lines[i - 1]!.length, MAX_LINE_CHARS) + 8;
    if (chars > PAGE_CHARS && i > start) {
      end = i - 1;
      break;
    }
  }
  let out = numberLines(lines.slice(start - 1, end), start);
  if (start > 1 || end < total) {
    out += `\n[lines ${start}-${end} of ${total}${end < total ? `; next page: read_file start_line=${end + 1}` : ''}]`;
  }
  return encoding === 'latin1' ? `${notUtf8Note(args.path)}\n${out}` : out;
}

export function writeFile(ws: Workspace, args: { path: string; content: string }): string {
  const abs = ws.resolve(args.path);
  if (abs === ws.root) throw new ToolError('write_file needs a file path, not the repository root.');
  let existed = false;
  try {
    const stat = fs.statSync(abs);
    if (stat.isDirectory()) throw new ToolError(`"${args.path}" is a folder; give a file path.`);
    existed = true;
  } catch (err) {
    if (err instanceof ToolError) throw err;
  }
  try {
    fs.mkdirSync(path.dirname(abs), { recursive: true });
  } catch (err) {
    throw new ToolError(`cannot create the folder for "${args.path}": ${(err as Error).message}`);
  }
  fs.writeFileSync(abs, args.content);
  const n = args.content === '' ? 0 : splitLines(args.content).length;
  return `${existed ? 'Overwrote' : 'Created'} ${ws.relative(abs)} (${n} line${n === 1 ? '' : 's'}).`;
}
