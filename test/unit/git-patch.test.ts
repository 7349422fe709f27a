import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createWorktree, disposeAllWorktrees, type Worktree } from '../../src/engine/git/worktree';
import { diffWorktree } from '../../src/engine/git/patch';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' });
}

describe('git patch of a worktree', function () {
  this.timeout(60000);
  let root: string;
  let repo: string;
  let wt: Worktree;

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-patch-'));
    repo = path.join(root, 'repo');
    fs.mkdirSync(path.join(repo, 'src'), { recursive: true });
    git(repo, 'init', '-q');
    git(repo, 'config', 'user.email', 'dev@example.com');
    git(repo, 'config', 'user.name', 'Dev');
    // deliberately unfriendly user settings: the patch must come out portable anyway
    git(repo, 'config', 'diff.noprefix', 'true');
    git(repo, 'config', 'color.diff', 'always');
    fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules/\nbuild/\n');
    fs.writeFileSync(path.join(repo, 'src', 'sum.js'), 'module.exports = (a, b) => a - b;\n');
    fs.writeFileSync(path.join(repo, 'old.txt'), 'to be deleted\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'init');
    fs.writeFileSync(path.join(repo, 'user-untracked.md'), 'the user\'s own new file\n');
    fs.mkdirSync(path.join(repo, 'node_modules', 'dep'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'node_modules', 'dep', 'index.js'), '1;\n');
    wt = await createWorktree({ repo, runId: 'patch', index: 0, worktreeDir: path.join(root, 'wt') });
  });
  afterEach(async () => {
    await disposeAllWorktrees();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('is empty when nothing changed', async () => {
    assert.equal(await diffWorktree(wt, wt.baseCommit), '');
  });

  it('has edits, new files (text and binary) and deletions, but not ignored files, the linked folders or the user\'s untracked files', async () => {
    fs.writeFileSync(path.join(wt.path, 'src', 'sum.js'), 'module.exports = (a, b) => a + b;\n');
    fs.writeFileSync(path.join(wt.path, 'src', 'sum.test.js'), 'require("assert").equal(require("./sum")(2, 3), 5);\n');
    fs.writeFileSync(path.join(wt.path, 'logo.bin'), Buffer.from([0, 1, 2, 255, 0, 7]));
    fs.rmSync(path.join(wt.path, 'old.txt'));
    fs.mkdirSync(path.join(wt.path, 'build'));
    fs.writeFileSync(path.join(wt.path, 'build', 'out.js'), 'artefact\n');
    assert.ok(fs.lstatSync(path.join(wt.path, 'node_modules')).isSymbolicLink());

    const patch = await diffWorktree(wt, wt.baseCommit);
    assert.match(patch, /^diff --git a\/src\/sum\.js b\/src\/sum\.js$/m);
    assert.match(patch, /^\+module\.exports = \(a, b\) => a \+ b;$/m);
    assert.match(patch, /^diff --git a\/src\/sum\.test\.js b\/src\/sum\.test\.js\nnew file mode 100644/m);
    assert.match(patch, /^diff --git a\/logo\.bin b\/logo\.bin\nnew file mode 100644\nindex 0+\.\.[0-9a-f]+\nGIT binary patch/m);
    assert.match(patch, /^deleted file mode 100644/m);
    assert.ok(!patch.includes('node_modules'), 'the linked folder is not part of the patch');
    assert.ok(!patch.includes('build/out.js'), 'ignored files are not part of the patch');
    assert.ok(!patch.includes('user-untracked.md'), 'the user\'s untracked files are in the base, not in the patch');
    assert.ok(!patch.includes('\x1b['), 'no color codes');

    // the agent's index was not touched: its own `git status` still shows unstaged work
    assert.match(git(wt.path, 'status', '--porcelain'), /^ M src\/sum\.js$/m);

    // the patch applies to the base it was made against
    const check = path.join(root, 'check');
    git(repo, 'worktree', 'add', '-q', '--detach', check, wt.baseCommit);
    fs.writeFileSync(path.join(root, 'p.diff'), patch);
    git(check, 'apply', path.join(root, 'p.diff'));
    assert.equal(fs.readFileSync(path.join(check, 'src', 'sum.js'), 'utf8'), 'module.exports = (a, b) => a + b;\n');
    assert.deepEqual([...fs.readFileSync(path.join(check, 'logo.bin'))], [0, 1, 2, 255, 0, 7]);
    assert.ok(!fs.existsSync(path.join(check, 'old.txt')));
    git(repo, 'worktree', 'remove', '--force', check);
  });

  it('includes changes the agent committed inside the worktree', async () => {
    fs.writeFileSync(path.join(wt.path, 'src', 'sum.js'), 'module.exports = (a, b) => a + b;\n');
    git(wt.path, 'add', '-A');
    execFileSync('git', ['-c', 'user.email=a@b', '-c', 'user.name=agent', 'commit', '-q', '-m', 'fix'], { cwd: wt.path });
    const patch = await diffWorktree(wt, wt.baseCommit);
    assert.match(patch, /^\+module\.exports = \(a, b\) => a \+ b;$/m);
  });
});

describe('git patch with linked folders under any ignore rules', function () {
  this.timeout(120000);
  const variants = [
    '',
    'node_modules',
    '/node_modules',
    'node_modules/',
    '/node_modules/',
    '**/node_modules',
    '**/node_modules/',
    'node_modules/*',
    'node_modules\n!node_modules',
    '*\n!*.js\n!.gitignore\n!*/',
    '.venv\nnode_modules',
  ];
  for (const rules of variants) {
    it(`leaves the linked folders out and keeps the edit with .gitignore ${JSON.stringify(rules)}`, async () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-patch-ignore-'));
      try {
        const repo = path.join(root, 'repo');
        fs.mkdirSync(path.join(repo, 'web'), { recursive: true });
        git(repo, 'init', '-q');
        fs.writeFileSync(path.join(repo, '.gitignore'), rules.replace(/\\n/g, '\n') + '\n');
        fs.writeFileSync(path.join(repo, 'a.js'), 'module.exports = 1;\n');
        fs.writeFileSync(path.join(repo, 'web', 'b.js'), 'module.exports = 2;\n');
        git(repo, 'add', '-A');
        execFileSync('git', ['-c', 'user.email=a@b', '-c', 'user.name=dev', 'commit', '-q', '-m', 'init'], { cwd: repo });
        for (const dep of ['node_modules/dep', 'web/node_modules/dep', '.venv/lib']) {
          fs.mkdirSync(path.join(repo, dep), { recursive: true });
          fs.writeFileSync(path.join(repo, dep, 'index.js'), '1;\n');
        }
        const wt = await createWorktree({ repo, runId: 'ignore', index: 0, worktreeDir: path.join(root, 'wt') });
        try {
          assert.deepEqual([...wt.linked].sort(), ['.venv', 'node_modules', 'web/node_modules']);
          fs.writeFileSync(path.join(wt.path, 'a.js'), 'module.exports = 3;\n');
          const patch = await diffWorktree(wt, wt.baseCommit);
          assert.match(patch, /^\+module\.exports = 3;$/m);
          assert.ok(!/node_modules|\.venv/.test(patch), patch);
        } finally {
          await wt.dispose();
        }
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  }
});
