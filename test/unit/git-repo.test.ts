import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assertGitRepo } from '../../src/engine/git/repo';
import { EngineError } from '../../src/engine/errors';

const usage = (pattern: RegExp) => (err: unknown) => err instanceof EngineError && err.code === 'usage' && err.exitCode === 2 && pattern.test(err.message);

describe('assertGitRepo', () => {
  let root: string;
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rb-repo-')));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('returns the top-level folder, also from a subfolder', async () => {
    execFileSync('git', ['init', '-q'], { cwd: root });
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src', 'a.js'), '1;\n');
    execFileSync('git', ['add', '-A'], { cwd: root });
    execFileSync('git', ['-c', 'user.name=a', '-c', 'user.email=a@b', 'commit', '-q', '-m', 'init'], { cwd: root });
    assert.equal(await assertGitRepo(root), root);
    assert.equal(await assertGitRepo(path.join(root, 'src')), root);
  });

  it('rejects a folder that does not exist', async () => {
    await assert.rejects(assertGitRepo(path.join(root, 'missing')), usage(/does not exist/));
  });

  it('rejects a file', async () => {
    fs.writeFileSync(path.join(root, 'file.txt'), 'x');
    await assert.rejects(assertGitRepo(path.join(root, 'file.txt')), usage(/not a folder/));
  });

  it('rejects a folder outside any git work tree', async () => {
    await assert.rejects(assertGitRepo(root), usage(/not inside a git work tree.*git init/));
  });

  it('rejects a repository without a commit, saying what to do', async () => {
    execFileSync('git', ['init', '-q'], { cwd: root });
    await assert.rejects(assertGitRepo(root), usage(/no commit yet.*commit/));
  });
});
