/**
 * edit_file: replace text that occurs exactly once. When it occurs zero or several times nothing is
 * written and the model is shown where its text is (or nearly is), with line numbers, so the retry
 * can succeed.
 */
import { ToolError, type Workspace } from '../confined-worktree';
import { notUtf8Note, numberLines, readText, splitLines, writeText } from './files';

const CONTEXT_LINES = 2;
const MAX_SHOWN_LINES = 40;
/** Past this size the closest-region search (a window over every line) would cost seconds and gigabytes. */
export const MAX_CLOSEST_REGION_CHARS = 4 * 1024 * 1024;

export function editFile(ws: Workspace, args: { path: string; old_text: string; new_text: string }): string {
  if (args.old_text === '') {
    throw new ToolError('old_text is empty. Give the exact text to replace, or use write_file to write a whole file.');
  }
  const abs = ws.resolve(args.path);
  const { text: content, encoding } = readText(ws, abs, args.path);
  let oldText = args.old_text;
  let newText = args.new_text;
  // models write \n; a file with Windows line endings still matches, and keeps its endings
  if (!content.includes(oldText) && content.includes('\r\n') && !oldText.includes('\r')) {
    oldText = oldText.replace(/\n/g, '\r\n');
    newText = newText.replace(/\r?\n/g, '\r\n');
  }
  const positions = occurrences(content, oldText);
  const note = encoding === 'latin1' ? `${notUtf8Note(args.path)} ` : '';

  if (positions.length === 0) {
    let shown = '';
    if (content.length > MAX_CLOSEST_REGION_CHARS) {
      shown = `(${args.path} is ${Math.round(content.length / 1024 / 1024)} MB: too big to look for the closest region; search it for a distinctive line instead.)\n`;
    } else {
      const lines = splitLines(content);
      const region = closestRegion(lines, splitLines(args.old_text));
      if (region) shown = `The closest region is lines ${region.start}-${region.end} (similarity ${Math.round(region.score * 100)}%):\n${show(lines, region.start, region.end)}\n`;
    }
    throw new ToolError(
      `old_text was not found in ${args.path}; nothing was written. ${note}${shown}` +
        'Copy old_text exactly from the file (whitespace included, without the line numbers), or read_file the region first.',
    );
  }
  if (positions.length > 1) {
    const oldLines = splitLines(args.old_text).length;
    const starts = positions.map((p) => lineOf(content, p));
    const lines = splitLines(content);
    const regions = starts.slice(0, 3).map((s) => show(lines, s, s + oldLines - 1)).join('\n---\n');
    throw new ToolError(
      `old_text matches ${positions.length} times in ${args.path} (starting at lines ${starts.slice(0, 10).join(', ')}${starts.length > 10 ? ', …' : ''}); nothing was written. ` +
        `Include more surrounding lines in old_text so it matches exactly once.\n${regions}`,
    );
  }

  const at = positions[0]!;
  const updated = content.slice(0, at) + newText + content.slice(at + oldText.length);
  writeText(abs, updated, encoding, args.path);
  const start = lineOf(updated, at);
  const newLines = updated.length ? splitLines(updated) : [];
  const end = Math.max(start, start + splitLines(newText).length - 1);
  return `${note}Edited ${ws.relative(abs)}. Lines ${start}-${end} now read:\n${show(newLines, start, end)}`;
}

function occurrences(haystack: string, needle: string): number[] {
  const out: number[] = [];
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + 1)) out.push(i);
  return out;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** lines start..end (1-based) with a little context, numbered, capped */
function show(lines: string[], start: number, end: number): string {
  const from = Math.max(1, start - CONTEXT_LINES);
  const to = Math.min(lines.length, end + CONTEXT_LINES, from + MAX_SHOWN_LINES - 1);
  if (to < from) return '(end of file)';
  return numberLines(lines.slice(from - 1, to), from);
}

/**
 * The window of the file (as many lines as old_text has) that looks most like old_text: the mean of
 * per-line bigram similarities (indentation ignored). Cheap enough for files of many thousand lines.
 */
export function closestRegion(lines: string[], wanted: string[]): { start: number; end: number; score: number } | null {
  const want = wanted.map((l) => bigrams(l.trim()));
  const have = lines.map((l) => bigrams(l.trim()));
  const k = Math.min(want.length, lines.length);
  if (k === 0) return null;
  let best = { start: 1, end: k, score: -1 };
  for (let i = 0; i + k <= lines.length; i++) {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += dice(have[i + j]!, want[j]!);
    const score = sum / want.length;
    if (score > best.score) best = { start: i + 1, end: i + k, score };
  }
  return best.score > 0 ? best : null;
}

interface Bigrams {
  counts: Map<string, number>;
  total: number;
}

function bigrams(s: string): Bigrams {
  const counts = new Map<string, number>();
  if (s.length === 1) counts.set(s, 1);
  for (let i = 0; i + 1 < s.length; i++) {
    const g = s.slice(i, i + 2);
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  return { counts, total: Math.max(0, s.length - 1) || s.length };
}

function dice(a: Bigrams, b: Bigrams): number {
  if (a.total === 0 && b.total === 0) return 1;
  const [small, large] = a.counts.size < b.counts.size ? [a.counts, b.counts] : [b.counts, a.counts];
  let common = 0;
  for (const [g, n] of small) common += Math.min(n, large.get(g) ?? 0);
  return (2 * common) / (a.total + b.total);
}
