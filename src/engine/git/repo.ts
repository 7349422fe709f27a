/** Checks that a folder the user named is something we can work on: an existing git work tree with a commit. */
import * as fs from 'fs';
import * as path from 'path';
import { EngineError, errorMessage } from '../errors';
import { git } from './git';

/** Returns the work tree's top-level folder (real path); throws EngineError('usage') with what to do otherwise. */
export async function assertGitRepo(dir: string): Promise<string> {
  const abs = path.resolve(dir);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    throw new EngineError('usage', `repository folder ${abs} does not exist`);
  }
  if (!stat.isDirectory()) throw new EngineError('usage', `${abs} is not a folder (expected a git repository)`);

  let top: string;
  try {
    top = (await git(abs).raw(['rev-parse', '--show-toplevel'])).trim();
  } catch (err) {
    const message = errorMessage(err);
    if (/ENOENT|spawn git/i.test(message)) {
      throw new EngineError('usage', 'git is not installed or not on PATH; install git and try again');
    }
    throw new EngineError('usage', `${abs} is not inside a git work tree: run \`git init\` there and commit your code first`);
  }
  if (!top) {
    // a bare repository or the inside of .git: no work tree to edit
    throw new EngineError('usage', `${abs} is not inside a git work tree (a bare repository or a .git folder?)`);
  }
  // with --quiet a missing HEAD is exit 1 and no output (simple-git reports no error for a silent failure)
  const head = await git(top)
    .raw(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])
    .catch(() => '');
  if (!head.trim()) {
    throw new EngineError(
      'usage',
      `the git repository at ${top} has no commit yet: commit your code first (git add -A && git commit -m "initial")`,
    );
  }
  return fs.realpathSync(top);
}
