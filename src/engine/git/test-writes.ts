/**
 * Tracked files a test run rewrites (jest snapshots written with `-u`, a regenerated fixture or lockfile, a
 * coverage badge): the baseline test run records them with the content it left, and an attempt's patch
 * leaves out a file whose change is exactly that — the agent ran the tests too, it did not write it.
 *
 * A change is compared whole: the path, the mode and blob before, the mode and blob after (a deletion is the
 * zero blob). Only an identical change is left out, so a file the agent really edited ships even where the
 * tests touch it too; one whose test-run content differs every time (a timestamp) never matches and ships
 * as well — better a noisy file in the review than a real edit dropped. An agent that edits a file to the
 * very content the tests produce cannot be told apart from the tests: it is left out, named in a warning,
 * and its diff is kept in the run record.
 */
import { type WorktreeGit, worktreeGitRaw } from './git';

/** One entry of `git diff --raw`: a path and what it was and became (a zero blob: absent). */
export interface TrackedChange {
  path: string;
  srcMode: string;
  src: string;
  dstMode: string;
  dst: string;
  /** A added, M modified, D deleted, T type changed */
  status: string;
}

/** How an attempt's changes split against what the test run writes. */
export interface TestWriteSplit {
  /** changed exactly as the test run changes them: left out of the patch */
  leftOut: string[];
  /** changed by the attempt and by the test run, differently: they stay in the patch */
  kept: string[];
}

/**
 * The changes staged in `env`'s index against `base`, limited to `pathspec`. Full object ids, NUL separated
 * and no renames, so any path (spaces, newlines, quotes) comes through as it is.
 */
export async function stagedChanges(wt: WorktreeGit, base: string, pathspec: string[], env: Record<string, string>): Promise<TrackedChange[]> {
  const raw = await worktreeGitRaw(wt, ['diff', '--cached', '--raw', '-z', '--no-abbrev', '--no-renames', base, '--', ...pathspec], { env });
  return parseRawDiff(raw);
}

/** `:<srcMode> <dstMode> <src> <dst> <status>\0<path>\0` per change. */
export function parseRawDiff(raw: string): TrackedChange[] {
  const fields = raw.split('\0');
  const changes: TrackedChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const head = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])\d*$/.exec(fields[i]!);
    const file = fields[i + 1];
    if (!head || !file) break;
    changes.push({ path: file, srcMode: head[1]!, dstMode: head[2]!, src: head[3]!, dst: head[4]!, status: head[5]! });
  }
  return changes;
}

/** What a test run changed in files the base already had (new files are the untracked artifacts' business). */
export function trackedOnly(changes: TrackedChange[]): TrackedChange[] {
  return changes.filter((c) => c.status !== 'A');
}

export function splitTestWrites(changes: TrackedChange[], testWrites: TrackedChange[]): TestWriteSplit {
  const byPath = new Map(testWrites.map((w) => [w.path, w]));
  const split: TestWriteSplit = { leftOut: [], kept: [] };
  for (const change of changes) {
    const write = byPath.get(change.path);
    if (!write) continue;
    const same = write.srcMode === change.srcMode && write.src === change.src && write.dstMode === change.dstMode && write.dst === change.dst;
    (same ? split.leftOut : split.kept).push(change.path);
  }
  return split;
}
