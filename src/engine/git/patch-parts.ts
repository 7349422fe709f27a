/**
 * Taking part of a patch: the parts a person can choose (each hunk of a changed text file; a new, deleted,
 * renamed, copied, mode-only or binary file as one part), and the patch of a chosen set of parts, which
 * `git apply` accepts even when earlier hunks of the same file were left out.
 *
 * The `diff` package reads each file's change (kind, names, hunk sizes); the text itself travels as it came
 * (git's extended headers, binary hunks, each hunk byte for byte), with only a kept hunk's new-side line
 * number moved when hunks before it were left out.
 */
import { parsePatch, type StructuredPatch, type StructuredPatchHunk } from 'diff';
import { badInput } from '../errors';

export interface PatchPart {
  /** names the part in `selectPatchParts`; valid for the patch it was listed from */
  id: string;
  /** path relative to the repository (a rename: the new path) */
  file: string;
  /** the old path of a rename or copy */
  from?: string;
  /** `hunk`: one hunk of a changed text file; the others are a whole file's change, taken as one part */
  kind: 'hunk' | 'new' | 'deleted' | 'renamed' | 'copied' | 'mode' | 'binary';
  /** a hunk's header as the patch gives it: `@@ -a,b +c,d @@` */
  hunk?: string;
  /** the first added or removed line of a hunk, without its +/- */
  firstChange?: string;
  /** a file mode change that comes with this part (with any hunk of its file): `100644 → 100755` */
  modeChange?: string;
  /** a new file that is a symbolic link: where it points is the change */
  symlink?: boolean;
}

/** One `diff --git` section: its text, what the `diff` package reads in it, and its hunk headers. */
interface Section {
  text: string;
  parsed: StructuredPatch;
  /** the text before the first hunk: `diff --git`, extended headers, `---` / `+++` */
  head: string;
  /** each hunk's text, header line included; null: the file's change is one part (no text hunks to choose among) */
  hunks: string[] | null;
  kind: PatchPart['kind'];
}

const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/;
const strip = (name: string | undefined) => (name ?? '').replace(/^[ab]\//, '');

function sections(patch: string): Section[] {
  if (!patch.trim()) return [];
  if (!patch.startsWith('diff --git ')) throw badInput('not a git patch: it must start with "diff --git" (made by `git diff`)');
  // a line of a hunk always starts with ' ', '+', '-' or '\', and a binary hunk's lines with a letter:
  // only a file's own header line starts with "diff --git "
  return patch.split(/^(?=diff --git )/m).map((text) => {
    let parsed: StructuredPatch[];
    try {
      parsed = parsePatch(text);
    } catch (err) {
      throw badInput(`the patch is malformed: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (parsed.length !== 1) throw badInput(`the patch is malformed near: ${text.split('\n', 1)[0]}`);
    const p = parsed[0]!;
    const lines = text.split('\n');
    const starts = lines.flatMap((l, n) => (HUNK_HEADER.test(l) ? [n] : []));
    const binary = p.isBinary || lines.includes('GIT binary patch');
    const kind: PatchPart['kind'] = p.isCreate
      ? 'new'
      : p.isDelete
        ? 'deleted'
        : p.isRename
          ? 'renamed'
          : p.isCopy
            ? 'copied'
            : binary
              ? 'binary'
              : p.hunks.length
                ? 'hunk'
                : 'mode';
    if (kind !== 'hunk') return { text, parsed: p, head: text, hunks: null, kind };
    if (starts.length !== p.hunks.length) throw badInput(`the patch is malformed near: ${lines[0]}`);
    // a text ending in a newline splits with a last '' line; each slice gets its own newline back
    const end = text.endsWith('\n') ? lines.length - 1 : lines.length;
    const hunks = starts.map((from, j) => lines.slice(from, starts[j + 1] ?? end).join('\n') + '\n');
    return { text, parsed: p, head: lines.slice(0, starts[0]).join('\n') + '\n', hunks, kind };
  });
}

function fileOf(p: StructuredPatch): string {
  return p.newFileName && p.newFileName !== '/dev/null' ? strip(p.newFileName) : strip(p.oldFileName);
}

/** What git's extended headers say about the file's mode: a change of it, or a new symbolic link. */
function modeOf(head: string): { modeChange?: string; symlink?: boolean } {
  const change = /^old mode (\d+)\nnew mode (\d+)$/m.exec(head);
  return {
    ...(change ? { modeChange: `${change[1]} → ${change[2]}` } : {}),
    ...(/^new file mode 120000$/m.test(head) ? { symlink: true } : {}),
  };
}

function firstChange(h: StructuredPatchHunk): string {
  const line = h.lines.find((l) => l.startsWith('+') || l.startsWith('-')) ?? '';
  return line.slice(1).replace(/\r$/, '').trim();
}

/** The parts of a git patch (`git diff --binary`), in patch order. */
export function patchParts(patch: string): PatchPart[] {
  return partsOf(sections(patch));
}

function partsOf(all: Section[]): PatchPart[] {
  return all.flatMap((s, i): PatchPart[] => {
    const file = fileOf(s.parsed);
    if (!s.hunks) {
      const from = s.kind === 'renamed' || s.kind === 'copied' ? strip(s.parsed.oldFileName) : undefined;
      return [{ id: String(i), file, ...(from !== undefined ? { from } : {}), kind: s.kind, ...modeOf(s.head) }];
    }
    const mode = modeOf(s.head);
    return s.parsed.hunks.map((h, j) => ({ id: `${i}.${j}`, file, kind: 'hunk' as const, hunk: HUNK_HEADER.exec(s.hunks![j]!)![0], firstChange: firstChange(h), ...mode }));
  });
}

/** The files a patch touches, in patch order (a rename: both paths). */
export function patchPartFiles(patch: string): string[] {
  return [...new Set(patchParts(patch).flatMap((p) => (p.from !== undefined ? [p.from, p.file] : [p.file])))];
}

/**
 * The patch of the parts named by `ids` ('' when none). A hunk kept after a left-out one of the same file
 * has its new-side line number moved by what the left-out hunks would have added or removed, so the result
 * is exactly the patch of the chosen changes.
 */
export function selectPatchParts(patch: string, ids: readonly string[]): string {
  const all = sections(patch);
  const known = new Set(partsOf(all).map((p) => p.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) throw badInput(`no such part of this patch: ${unknown.join(', ')}`);
  const wanted = new Set(ids);
  let out = '';
  all.forEach((s, i) => {
    if (!s.hunks) {
      if (wanted.has(String(i))) out += s.text;
      return;
    }
    let shift = 0;
    const kept: string[] = [];
    s.parsed.hunks.forEach((h, j) => {
      const hunk = s.hunks![j]!;
      if (!wanted.has(`${i}.${j}`)) shift += h.newLines - h.oldLines;
      else kept.push(shift ? hunk.replace(/^(@@ -\d+(?:,\d+)? \+)(\d+)/, (_, pre: string, start: string) => `${pre}${Number(start) - shift}`) : hunk);
    });
    if (kept.length) out += s.head + kept.join('');
  });
  return out;
}
