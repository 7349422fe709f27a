/**
 * The per-worktree admin folder git keeps under `<common dir>/worktrees/<name>/` (its index, HEAD, and the
 * `gitdir` file pointing back at the worktree). We keep a little of our own state there too, so it goes
 * away with the worktree.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Read from the worktree's `.git` file ("gitdir: <admin>"); null when the worktree folder is gone. */
export function adminDirOf(worktreePath: string): string | null {
  try {
    const text = fs.readFileSync(path.join(worktreePath, '.git'), 'utf8');
    const hit = /^gitdir:\s*(.+)$/m.exec(text);
    return hit ? path.resolve(worktreePath, hit[1]!.trim()) : null;
  } catch {
    return null;
  }
}

/** Admin folders of `commonDir` whose `gitdir` file points into `worktreePath`: found even after the folder is gone. */
export function adminDirsPointingTo(commonDir: string, worktreePath: string): string[] {
  const root = path.join(commonDir, 'worktrees');
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return [];
  }
  const target = path.resolve(worktreePath, '.git');
  const hits: string[] = [];
  for (const name of names) {
    try {
      const pointer = fs.readFileSync(path.join(root, name, 'gitdir'), 'utf8').trim();
      if (path.resolve(pointer) === target) hits.push(path.join(root, name));
    } catch {
      // not a worktree entry we can read: not ours to judge
    }
  }
  return hits;
}

/** Linked dependency folders of a worktree (relative paths), recorded at creation so patches can leave them out. */
export const LINKED_FILE = 'reasoningbank-linked.json';

/** `admin`: the worktree's admin folder (never found through its `.git` file, which the attempt could rewrite) */
export function readLinked(admin: string): string[] {
  try {
    const list = JSON.parse(fs.readFileSync(path.join(admin, LINKED_FILE), 'utf8'));
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
