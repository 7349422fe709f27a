import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { applyPatch, failedFiles } from '../../src/engine/git/apply';
import { createWorktree, disposeAllWorktrees } from '../../src/engine/git/worktree';
import { diffWorktree } from '../../src/engine/git/patch';
import { EngineError } from '../../src/engine/errors';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' });
}

const LINES = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`);

describe('applying a patch to the user\'s working tree', function () {
  this.timeout(60000);
  let root: string;
  let repo: string;

  /** a patch made the real way: in a worktree of the user's current state */
  async function agentPatch(edit: (wt: string) => void): Promise<string> {
    const wt = await createWorktree({ repo, runId: 'apply', index: Math.floor(Math.random() * 1e6), worktreeDir: path.join(root, 'wt') });
    edit(wt.path);
    const patch = await diffWorktree(wt, wt.baseCommit);
    await wt.dispose();
    return patch;
  }
  const state = () =>
    [git(repo, 'status', '--porcelain', '--untracked-files=all'), git(repo, 'ls-files', '-s'), fs.readFileSync(path.join(repo, 'f.txt'), 'utf8')].join('\n--\n');

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-apply-'));
    repo = path.join(root, 'repo');
    fs.mkdirSync(repo);
    git(repo, 'init', '-q');
    git(repo, 'config', 'user.email', 'dev@example.com');
    git(repo, 'config', 'user.name', 'Dev');
    git(repo, 'config', 'apply.whitespace', 'error'); // a strict user setting must not reject our patches
    fs.writeFileSync(path.join(repo, 'f.txt'), LINES.join('\n') + '\n');
    fs.writeFileSync(path.join(repo, 'gone.txt'), 'bye\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'init');
    // the user has an unstaged change when the run starts
    fs.writeFileSync(path.join(repo, 'f.txt'), LINES.join('\n').replace('line 2', 'line 2 (user)') + '\n');
  });
  afterEach(async () => {
    await disposeAllWorktrees();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('applies edits, new files and deletions and leaves the index alone', async () => {
    const patch = await agentPatch((wt) => {
      fs.writeFileSync(path.join(wt, 'f.txt'), fs.readFileSync(path.join(wt, 'f.txt'), 'utf8').replace('line 10', 'line 10 (agent)  '));
      fs.writeFileSync(path.join(wt, 'new.txt'), 'added\n');
      fs.rmSync(path.join(wt, 'gone.txt'));
    });
    const indexBefore = git(repo, 'ls-files', '-s');
    await applyPatch(repo, patch, { patchFile: path.join(root, 'patch.diff') });
    const f = fs.readFileSync(path.join(repo, 'f.txt'), 'utf8');
    assert.ok(f.includes('line 2 (user)') && f.includes('line 10 (agent)  '));
    assert.equal(fs.readFileSync(path.join(repo, 'new.txt'), 'utf8'), 'added\n');
    assert.ok(!fs.existsSync(path.join(repo, 'gone.txt')));
    assert.equal(git(repo, 'ls-files', '-s'), indexBefore, 'nothing staged');
  });

  it('merges three-way when the user changed the file elsewhere meanwhile', async () => {
    const patch = await agentPatch((wt) => {
      fs.writeFileSync(path.join(wt, 'f.txt'), fs.readFileSync(path.join(wt, 'f.txt'), 'utf8').replace('line 10', 'line 10 (agent)'));
    });
    // after the run started the user edits a line inside the patch's context: plain `git apply` cannot cope
    fs.writeFileSync(path.join(repo, 'f.txt'), fs.readFileSync(path.join(repo, 'f.txt'), 'utf8').replace('line 8', 'line 8 (user later)'));
    assert.throws(() => execFileSync('git', ['apply', '--check', '-'], { cwd: repo, input: patch, stdio: 'pipe' }), 'plain apply fails');
    const indexBefore = git(repo, 'ls-files', '-s');
    await applyPatch(repo, patch, { patchFile: path.join(root, 'patch.diff') });
    const f = fs.readFileSync(path.join(repo, 'f.txt'), 'utf8');
    assert.ok(f.includes('line 8 (user later)') && f.includes('line 10 (agent)') && f.includes('line 2 (user)'), f);
    assert.ok(!f.includes('<<<<<<<'));
    assert.equal(git(repo, 'ls-files', '-s'), indexBefore, 'nothing staged');
  });

  it('on a conflict changes nothing and names the file and the saved patch', async () => {
    const patch = await agentPatch((wt) => {
      fs.writeFileSync(path.join(wt, 'f.txt'), fs.readFileSync(path.join(wt, 'f.txt'), 'utf8').replace('line 10', 'line 10 (agent)'));
      fs.writeFileSync(path.join(wt, 'other.txt'), 'agent file\n');
    });
    fs.writeFileSync(path.join(repo, 'f.txt'), fs.readFileSync(path.join(repo, 'f.txt'), 'utf8').replace('line 10', 'line 10 (user, conflicting)'));
    const before = state();
    const patchFile = path.join(root, 'runs', 'r1', 'patch.diff');
    await assert.rejects(applyPatch(repo, patch, { patchFile }), (err: unknown) => {
      assert.ok(err instanceof EngineError);
      assert.equal(err.code, 'bad-input');
      assert.match(err.message, /conflicts in f\.txt/);
      assert.ok(err.message.includes(patchFile), err.message);
      assert.match(err.message, /Nothing was changed/);
      return true;
    });
    assert.equal(state(), before, 'working tree and index untouched');
    assert.ok(!fs.existsSync(path.join(repo, 'other.txt')), 'all or nothing: the clean part was not applied either');
    assert.equal(fs.readFileSync(patchFile, 'utf8'), patch, 'the patch is saved where the message says');
  });

  it('refuses a new file that already exists in the working tree, without touching it', async () => {
    const patch = await agentPatch((wt) => fs.writeFileSync(path.join(wt, 'new.txt'), 'agent version\n'));
    fs.writeFileSync(path.join(repo, 'new.txt'), 'user version\n');
    const before = state();
    await assert.rejects(applyPatch(repo, patch, { patchFile: path.join(root, 'patch.diff') }), (err: unknown) => err instanceof EngineError && /new\.txt/.test(err.message));
    assert.equal(state(), before);
    assert.equal(fs.readFileSync(path.join(repo, 'new.txt'), 'utf8'), 'user version\n');
  });

  it('rejects a malformed patch as bad input', async () => {
    const before = state();
    await assert.rejects(
      applyPatch(repo, 'diff --git a/f.txt b/f.txt\n--- a/f.txt\n+++ b/f.txt\n@@ -1,3 +1,3 @@\n garbage\n', { patchFile: path.join(root, 'bad.diff') }),
      (err: unknown) => err instanceof EngineError && err.code === 'bad-input',
    );
    assert.equal(state(), before);
  });

  it('does nothing for an empty patch', async () => {
    const before = state();
    await applyPatch(repo, '');
    assert.equal(state(), before);
  });

  it('reads file names out of git apply errors', () => {
    const msg = 'git apply failed in /r: error: patch failed: src/a b.js:12\nerror: src/a b.js: patch does not apply\nerror: new.txt: already exists in working directory';
    assert.deepEqual(failedFiles(msg), ['src/a b.js', 'new.txt']);
  });

  it('sees a same-size edit made in the same second as the commit: a conflict, never an overwrite', async () => {
    // git's stat cache compares whole seconds: an edit of the same size within the second of the commit
    // looks unchanged unless the file is hashed afresh. Retried until the edit lands in that second.
    for (let tries = 0; tries < 20; tries++) {
      const name = `racy-${tries}.txt`;
      const file = path.join(repo, name);
      // start right after a second begins, so commit, snapshot and edit fit in it
      await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
      fs.writeFileSync(file, 'bye\n');
      git(repo, 'add', name);
      git(repo, 'commit', '-q', '-m', name);
      const wt = await createWorktree({ repo, runId: 'racy', index: tries, worktreeDir: path.join(root, 'wt') });
      fs.writeFileSync(file, 'BYE\n'); // the user's edit while the agent works
      const seconds = [fs.statSync(path.join(repo, '.git', 'index')).mtimeMs, fs.statSync(file).ctimeMs].map((ms) => Math.floor(ms / 1000));
      if (seconds[0] !== seconds[1]) {
        await wt.dispose();
        continue;
      }
      fs.writeFileSync(path.join(wt.path, name), 'bye!\n');
      const patch = await diffWorktree(wt, wt.baseCommit);
      await wt.dispose();
      // the apply comes seconds later (tests, judge), so a fresh copy of the index is not "racy" any more
      await new Promise((r) => setTimeout(r, 1100));
      await assert.rejects(applyPatch(repo, patch, { patchFile: path.join(root, 'patch.diff') }), /conflicts in racy-\d+\.txt/);
      assert.equal(fs.readFileSync(file, 'utf8'), 'BYE\n');
      return;
    }
    assert.fail('could not fit commit, snapshot and edit into one second in 20 tries');
  });
});
