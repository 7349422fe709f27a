import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensurePrivateDir, privateRoot } from '../../src/engine/git/private-dir';
import { EngineError } from '../../src/engine/errors';

describe('private worktree folder', () => {
  let root: string;
  beforeEach(() => (root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rb-private-')))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  const unsafe = (pattern: RegExp) => (err: unknown) => err instanceof EngineError && err.code === 'unsafe-folder' && err.exitCode === 3 && pattern.test(err.message);

  it('creates missing folders 0700 and returns the real path', () => {
    const dir = ensurePrivateDir(path.join(root, 'a', 'wt'));
    assert.strictEqual(dir, path.join(root, 'a', 'wt'));
    assert.strictEqual(fs.statSync(dir).mode & 0o777, 0o700);
  });

  it('the default root is per user, in the temp folder', () => {
    assert.strictEqual(path.basename(privateRoot()), `reasoningbank-${process.getuid!()}`);
  });

  it('refuses a symbolic link', () => {
    fs.mkdirSync(path.join(root, 'target'));
    fs.symlinkSync(path.join(root, 'target'), path.join(root, 'link'));
    assert.throws(() => ensurePrivateDir(path.join(root, 'link')), unsafe(/symbolic link/));
  });

  it('refuses a folder others can write', () => {
    fs.mkdirSync(path.join(root, 'open'));
    fs.chmodSync(path.join(root, 'open'), 0o777);
    assert.throws(() => ensurePrivateDir(path.join(root, 'open')), unsafe(/writable by other users/));
  });

  it('refuses a folder another user owns', function () {
    if (process.getuid!() !== 0) this.skip(); // only root can make a folder belong to someone else
    fs.mkdirSync(path.join(root, 'theirs'), { mode: 0o700 });
    fs.chownSync(path.join(root, 'theirs'), 65534, 65534);
    assert.throws(() => ensurePrivateDir(path.join(root, 'theirs')), unsafe(/another user/));
  });

  it('checks the default root itself before the folders under it', () => {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = root;
    try {
      fs.mkdirSync(path.join(root, `reasoningbank-${process.getuid!()}`), { mode: 0o777 });
      fs.chmodSync(path.join(root, `reasoningbank-${process.getuid!()}`), 0o777);
      assert.throws(() => ensurePrivateDir(path.join(privateRoot(), 'abc')), unsafe(/writable by other users/));
      assert.ok(!fs.existsSync(path.join(privateRoot(), 'abc')));
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });
});
