import { strict as assert } from 'assert';
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  createWorktree,
  defaultWorktreeDir,
  disposeAllWorktrees,
  liveWorktrees,
  pruneStaleWorktrees,
} from '../../src/engine/git/worktree';
import { EngineError } from '../../src/engine/errors';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
}

/** A repository with a commit, an uncommitted tracked change, a staged change, an untracked file and deps. */
function makeRepo(root: string): string {
  const repo = path.join(root, 'repo');
  fs.mkdirSync(path.join(repo, 'src'), { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 'dev@example.com');
  git(repo, 'config', 'user.name', 'Dev');
  fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules/\n.venv/\n*.log\n');
  fs.writeFileSync(path.join(repo, 'src', 'sum.js'), 'module.exports = (a, b) => a - b;\n');
  fs.writeFileSync(path.join(repo, 'README.md'), '# demo\n');
  fs.writeFileSync(path.join(repo, 'staged.txt'), 'v1\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'init');
  // the user's uncommitted state
  fs.writeFileSync(path.join(repo, 'src', 'sum.js'), 'module.exports = (a, b) => a - b; // looked at this\n');
  fs.writeFileSync(path.join(repo, 'staged.txt'), 'v2\n');
  git(repo, 'add', 'staged.txt');
  fs.writeFileSync(path.join(repo, 'notes-new.md'), 'my new file, not added yet\n');
  fs.writeFileSync(path.join(repo, 'debug.log'), 'ignored\n');
  fs.mkdirSync(path.join(repo, 'node_modules', 'left-pad'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'node_modules', 'left-pad', 'index.js'), 'module.exports = 1;\n');
  fs.mkdirSync(path.join(repo, 'packages', 'web', 'node_modules', 'react'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'packages', 'web', 'package.json'), '{"name":"web"}\n');
  fs.writeFileSync(path.join(repo, 'packages', 'web', 'node_modules', 'react', 'index.js'), '// react\n');
  return fs.realpathSync(repo);
}

/** Everything a user could see of their repository's state. */
function userState(repo: string): string {
  return [
    git(repo, 'status', '--porcelain=v1', '--untracked-files=all', '--ignored'),
    git(repo, 'ls-files', '-s'),
    git(repo, 'rev-parse', 'HEAD'),
    git(repo, 'branch', '-a'),
    git(repo, 'stash', 'list'),
    fs.readFileSync(path.join(repo, 'src', 'sum.js'), 'utf8'),
  ].join('\n---\n');
}

describe('worktree', function () {
  this.timeout(60000);
  let root: string;
  let repo: string;
  let wtDir: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-worktree-'));
    repo = makeRepo(root);
    wtDir = path.join(root, 'worktrees');
  });
  afterEach(async () => {
    await disposeAllWorktrees();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('starts from the user state (uncommitted, staged and untracked files) and leaves their repo untouched', async () => {
    const before = userState(repo);
    const wt = await createWorktree({ repo, runId: 'r1', index: 0, worktreeDir: wtDir });
    assert.equal(userState(repo), before, 'the user\'s status, index, HEAD, branches and stash are unchanged');

    assert.ok(!path.relative(repo, wt.path).startsWith('src'), 'outside the repository');
    assert.ok(path.relative(repo, wt.path).startsWith('..'));
    assert.equal(fs.readFileSync(path.join(wt.path, 'src', 'sum.js'), 'utf8'), 'module.exports = (a, b) => a - b; // looked at this\n');
    assert.equal(fs.readFileSync(path.join(wt.path, 'staged.txt'), 'utf8'), 'v2\n');
    assert.equal(fs.readFileSync(path.join(wt.path, 'notes-new.md'), 'utf8'), 'my new file, not added yet\n');
    assert.ok(!fs.existsSync(path.join(wt.path, 'debug.log')), 'ignored files stay out');

    // detached at a commit whose parent is the user's HEAD
    assert.equal(git(wt.path, 'rev-parse', '--abbrev-ref', 'HEAD').trim(), 'HEAD');
    assert.equal(git(wt.path, 'rev-parse', 'HEAD').trim(), wt.baseCommit);
    assert.equal(git(repo, 'rev-parse', `${wt.baseCommit}^`).trim(), git(repo, 'rev-parse', 'HEAD').trim());
    assert.equal(git(wt.path, 'status', '--porcelain', '--untracked-files=no').trim(), '', 'the checkout equals its base');
  });

  it('uses HEAD itself as the base when there is nothing uncommitted', async () => {
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'everything');
    const wt = await createWorktree({ repo, runId: 'clean', index: 0, worktreeDir: wtDir });
    assert.equal(wt.baseCommit, git(repo, 'rev-parse', 'HEAD').trim());
  });

  it('links ignored dependency folders at the root and in monorepo package folders instead of copying them', async () => {
    const wt = await createWorktree({ repo, runId: 'r2', index: 1, worktreeDir: wtDir });
    const nm = path.join(wt.path, 'node_modules');
    assert.ok(fs.lstatSync(nm).isSymbolicLink());
    assert.equal(fs.realpathSync(nm), path.join(repo, 'node_modules'));
    assert.ok(fs.lstatSync(path.join(wt.path, 'packages', 'web', 'node_modules')).isSymbolicLink());
    assert.deepEqual(wt.linked.sort(), ['node_modules', 'packages/web/node_modules'].sort());
    assert.ok(fs.existsSync(path.join(wt.path, 'node_modules', 'left-pad', 'index.js')));
  });

  it('links a dependency folder that is not ignored without snapshotting it', async () => {
    fs.writeFileSync(path.join(repo, '.gitignore'), '*.log\n');
    const wt = await createWorktree({ repo, runId: 'r3', index: 0, worktreeDir: wtDir });
    assert.ok(fs.lstatSync(path.join(wt.path, 'node_modules')).isSymbolicLink());
    const tree = git(repo, 'ls-tree', '-r', '--name-only', wt.baseCommit);
    assert.ok(!tree.includes('node_modules'), tree);
    assert.ok(tree.includes('notes-new.md'));
  });

  it('dispose removes the folder, the worktree entry and every trace, keeps the linked originals, and is idempotent', async () => {
    const wt = await createWorktree({ repo, runId: 'r4', index: 0, worktreeDir: wtDir });
    fs.writeFileSync(path.join(wt.path, 'agent-made.txt'), 'x\n');
    assert.ok(git(repo, 'worktree', 'list').includes(wt.path));
    assert.ok(liveWorktrees().includes(wt.path));
    const branchesBefore = git(repo, 'branch', '-a');

    await wt.dispose();
    await wt.dispose();
    assert.ok(!fs.existsSync(wt.path));
    assert.equal(git(repo, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).length, 1);
    assert.equal(git(repo, 'branch', '-a'), branchesBefore);
    assert.deepEqual(fs.readdirSync(wtDir), [], 'no marker or scratch file left');
    assert.ok(!liveWorktrees().includes(wt.path));
    assert.ok(fs.existsSync(path.join(repo, 'node_modules', 'left-pad', 'index.js')), 'the linked folder itself survives');
    assert.ok(fs.existsSync(path.join(repo, 'packages', 'web', 'node_modules', 'react', 'index.js')));
  });

  it('dispose never throws, even when the folder is already gone', async () => {
    const wt = await createWorktree({ repo, runId: 'r5', index: 0, worktreeDir: wtDir });
    fs.rmSync(wt.path, { recursive: true, force: true });
    await wt.dispose();
    assert.ok(!git(repo, 'worktree', 'list').includes(wt.path));
  });

  it('disposeAllWorktrees removes every live worktree (the Ctrl-C path)', async () => {
    const a = await createWorktree({ repo, runId: 'r6', index: 0, worktreeDir: wtDir });
    const b = await createWorktree({ repo, runId: 'r6', index: 1, worktreeDir: wtDir });
    await disposeAllWorktrees();
    assert.ok(!fs.existsSync(a.path) && !fs.existsSync(b.path));
    assert.equal(liveWorktrees().length, 0);
    assert.ok(!git(repo, 'worktree', 'list').includes(wtDir));
  });

  it('a Ctrl-C while a worktree is still being created cancels it and leaves nothing behind', async () => {
    const creating = createWorktree({ repo, runId: 'midway', index: 0, worktreeDir: wtDir });
    while (liveWorktrees().length === 0) await new Promise((r) => setImmediate(r));
    await disposeAllWorktrees();
    const outcome = await creating.then(
      () => 'created',
      (err: unknown) => (err instanceof EngineError && err.code === 'cancelled' ? 'cancelled' : `failed: ${err}`),
    );
    assert.equal(outcome, 'cancelled');
    assert.ok(!git(repo, 'worktree', 'list').includes(wtDir));
    assert.deepEqual(fs.readdirSync(wtDir), []);
    assert.equal(liveWorktrees().length, 0);
  });

  it('creates parallel worktrees concurrently', async () => {
    const wts = await Promise.all([0, 1, 2].map((index) => createWorktree({ repo, runId: 'par', index, worktreeDir: wtDir })));
    assert.equal(new Set(wts.map((w) => w.path)).size, 3);
    for (const w of wts) assert.ok(fs.existsSync(path.join(w.path, 'notes-new.md')));
    await Promise.all(wts.map((w) => w.dispose()));
    assert.ok(!git(repo, 'worktree', 'list').includes(wtDir));
  });

  it('uses a per-repository folder under the temp dir by default', async () => {
    const wt = await createWorktree({ repo, runId: 'def', index: 0 });
    assert.equal(path.dirname(wt.path), fs.realpathSync(defaultWorktreeDir(repo)));
    await wt.dispose();
  });

  it('refuses a worktree folder inside the repository', async () => {
    await assert.rejects(
      createWorktree({ repo, runId: 'in', index: 0, worktreeDir: path.join(repo, 'wt') }),
      (err: unknown) => err instanceof EngineError && err.code === 'usage' && /inside the repository/.test(err.message),
    );
  });

  it('prunes worktrees of a dead process and keeps those of live runs', async () => {
    // a real process creates a worktree and exits without cleaning up (a crash)
    const script = `
      const { createWorktree } = require(${JSON.stringify(path.resolve(__dirname, '../../src/engine/git/worktree.ts'))});
      createWorktree({ repo: ${JSON.stringify(repo)}, runId: 'crashed', index: 0, worktreeDir: ${JSON.stringify(wtDir)} })
        .then((w) => { process.stdout.write(w.path); process.exit(0); });`;
    const crashedPath = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: path.resolve(__dirname, '../..') });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`child failed: ${err}`))));
    });
    assert.ok(fs.existsSync(crashedPath));
    const mine = await createWorktree({ repo, runId: 'alive', index: 0, worktreeDir: wtDir });
    // a worktree the user made themselves, in the same folder, without our marker
    const userWt = path.join(wtDir, 'users-own');
    git(repo, 'worktree', 'add', '-q', '--detach', userWt, 'HEAD');

    const removed = await pruneStaleWorktrees(repo, { worktreeDir: wtDir });
    assert.deepEqual(removed, [crashedPath]);
    assert.ok(!fs.existsSync(crashedPath));
    assert.ok(!fs.existsSync(`${crashedPath}.owner`));
    const list = git(repo, 'worktree', 'list');
    assert.ok(!list.includes(crashedPath));
    assert.ok(list.includes(mine.path) && fs.existsSync(mine.path), 'the live run\'s worktree is kept');
    assert.ok(list.includes(userWt) && fs.existsSync(userWt), 'the user\'s worktree is kept');
    assert.deepEqual(await pruneStaleWorktrees(repo, { worktreeDir: wtDir }), []);
  });
  it('never removes a path a marker names: only worktrees git registers in the folder', async () => {
    const victim = path.join(root, 'victim');
    fs.mkdirSync(victim);
    fs.writeFileSync(path.join(victim, 'precious.txt'), 'keep me');
    const wt = await createWorktree({ repo, runId: 'forged', index: 0, worktreeDir: wtDir });
    await wt.dispose();
    // a forged marker from a dead process, pointing at a folder of the attacker's choosing
    const forged = { pid: 999999, host: os.hostname(), repo: fs.realpathSync(repo), path: victim, createdAt: new Date().toISOString() };
    fs.writeFileSync(path.join(wtDir, 'evil-0.owner'), JSON.stringify(forged));
    fs.mkdirSync(path.join(wtDir, 'evil-0'));
    assert.deepEqual(await pruneStaleWorktrees(repo, { worktreeDir: wtDir }), []);
    assert.strictEqual(fs.readFileSync(path.join(victim, 'precious.txt'), 'utf8'), 'keep me');
    assert.ok(fs.existsSync(path.join(wtDir, 'evil-0')), 'an unregistered folder is not ours to remove');
  });

  it('creates the worktree folder private to the user and refuses one others can write', async () => {
    const wt = await createWorktree({ repo, runId: 'priv', index: 0, worktreeDir: wtDir });
    assert.strictEqual(fs.statSync(wtDir).mode & 0o777, 0o700);
    assert.strictEqual(fs.statSync(wt.tmpDir).mode & 0o777, 0o700);
    await wt.dispose();
    assert.ok(!fs.existsSync(wt.tmpDir), 'the private temp folder goes with the worktree');
    fs.chmodSync(wtDir, 0o777);
    await assert.rejects(
      createWorktree({ repo, runId: 'priv', index: 1, worktreeDir: wtDir }),
      (err: unknown) => err instanceof EngineError && err.code === 'unsafe-folder' && /writable by other users/.test(err.message),
    );
  });
});

describe('worktree snapshot of an edit made in the second of the last commit', function () {
  this.timeout(60000);
  it('holds the edit, not the committed text (git\'s stat cache compares whole seconds)', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-racy-'));
    try {
      const repo = path.join(root, 'repo');
      fs.mkdirSync(repo);
      execFileSync('git', ['init', '-q'], { cwd: repo });
      for (let tries = 0; tries < 20; tries++) {
        const name = `f${tries}.txt`;
        const file = path.join(repo, name);
        await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
        fs.writeFileSync(file, 'old\n');
        execFileSync('git', ['add', name], { cwd: repo });
        execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', name], { cwd: repo });
        fs.writeFileSync(file, 'new\n'); // same size, same second
        const seconds = [fs.statSync(path.join(repo, '.git', 'index')).mtimeMs, fs.statSync(file).ctimeMs].map((ms) => Math.floor(ms / 1000));
        if (seconds[0] !== seconds[1]) continue;
        // the run starts a moment later: a copy of the index stamped "now" would no longer look racy
        await new Promise((r) => setTimeout(r, 1100));
        const wt = await createWorktree({ repo, runId: 'racy', index: tries, worktreeDir: path.join(root, 'wt') });
        try {
          assert.equal(fs.readFileSync(path.join(wt.path, name), 'utf8'), 'new\n');
        } finally {
          await wt.dispose();
        }
        return;
      }
      assert.fail('could not fit commit and edit into one second in 20 tries');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
