/**
 * The folder attempts' worktrees live in belongs to this user alone. A shared, predictably named folder
 * (`/tmp/reasoningbank-worktrees`) could be created first by another local user, who could then swap in
 * a worktree of their own (their test code would run as us) or plant files we later delete.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EngineError } from '../errors';

/** `<tmpdir>/reasoningbank-<uid>`: per user, so two users on one machine never share it */
export function privateRoot(): string {
  const uid = typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username;
  return path.join(fs.realpathSync(os.tmpdir()), `reasoningbank-${uid}`);
}

/**
 * Creates `dir` (and, under the default root, the root itself) 0700 where missing, then checks each is
 * ours: a real folder, not a symbolic link, owned by this user, not writable by group or others.
 * Returns the folder's real path; throws EngineError (exit 3) naming the problem otherwise.
 */
export function ensurePrivateDir(dir: string): string {
  const resolved = path.resolve(dir);
  const root = privateRoot();
  const rel = path.relative(root, resolved);
  let chain: string[];
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
    const parts = rel.split(path.sep).filter(Boolean);
    chain = [root, ...parts.map((_, i) => path.join(root, ...parts.slice(0, i + 1)))];
  } else {
    // a folder the user chose: its parents are theirs to pick, the folder itself must be private
    fs.mkdirSync(path.dirname(resolved), { recursive: true });
    chain = [path.join(fs.realpathSync(path.dirname(resolved)), path.basename(resolved))];
  }
  for (const folder of chain) {
    try {
      fs.mkdirSync(folder, { mode: 0o700 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    checkPrivate(folder);
  }
  return chain[chain.length - 1]!;
}

export function checkPrivate(folder: string): void {
  const st = fs.lstatSync(folder);
  const refuse = (why: string) =>
    new EngineError(
      'unsafe-folder',
      `the worktree folder ${folder} ${why}; it is not safe to run attempts there. ` +
        'Remove it (or choose another with the worktreeDir setting) and try again.',
    );
  if (st.isSymbolicLink()) throw refuse('is a symbolic link');
  if (!st.isDirectory()) throw refuse('is not a folder');
  if (process.platform === 'win32') return; // no POSIX owners or modes; the per-user temp folder is private already
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) throw refuse(`belongs to another user (uid ${st.uid})`);
  if (st.mode & 0o022) throw refuse(`is writable by other users (mode ${(st.mode & 0o777).toString(8)})`);
}
