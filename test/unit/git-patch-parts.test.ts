import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { applyPatch } from '../../src/engine/git/apply';
import { PORTABLE_DIFF_ARGS } from '../../src/engine/git/patch';
import { patchPartFiles, patchParts, selectPatchParts } from '../../src/engine/git/patch-parts';
import { EngineError } from '../../src/engine/errors';
import { cleanupTempDirs, git, makeRepo, tempDir } from '../fixtures/repos';

const LINES = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
const text = (lines: string[]) => lines.join('\n') + '\n';
const BINARY = Buffer.from([0, 1, 2, 3, 255, 254, 0, 9]);

describe('applying part of a patch', function () {
  this.timeout(60000);
  let root: string;
  let repo: string;
  const read = (f: string) => fs.readFileSync(path.join(repo, f), 'utf8');
  const exists = (f: string) => fs.existsSync(path.join(repo, f));

  /** the patch of `edit` as an attempt's patch is made (`git diff --binary` + PORTABLE_DIFF_ARGS); the tree is reset after */
  function patchOf(edit: () => void, extra: string[] = []): string {
    edit();
    git(repo, 'add', '-A');
    const patch = git(repo, 'diff', '--cached', ...PORTABLE_DIFF_ARGS, ...extra, 'HEAD');
    git(repo, 'reset', '-q', '--hard');
    git(repo, 'clean', '-fdq');
    return patch;
  }

  async function applyParts(patch: string, pick: (p: ReturnType<typeof patchParts>[number]) => boolean): Promise<string> {
    const reduced = selectPatchParts(patch, patchParts(patch).filter(pick).map((p) => p.id));
    await applyPatch(repo, reduced, { patchFile: path.join(root, 'part.diff') });
    return reduced;
  }

  beforeEach(() => {
    root = tempDir('rb-parts-');
    repo = makeRepo({ 'f.txt': text(LINES), 'gone.txt': 'bye\n' });
    fs.writeFileSync(path.join(repo, 'data.bin'), BINARY);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'binary');
  });
  after(() => cleanupTempDirs());

  it('takes only the second of two hunks of a file, though the first one changed the line count', async () => {
    const edited = [...LINES];
    edited.splice(2, 1, 'line 3 (a)', 'line 3 (b)', 'line 3 (c)');
    edited[edited.indexOf('line 25')] = 'line 25 (agent)';
    const patch = patchOf(() => fs.writeFileSync(path.join(repo, 'f.txt'), text(edited)));
    const parts = patchParts(patch);
    assert.deepStrictEqual(
      parts.map((p) => [p.id, p.file, p.kind, p.hunk, p.firstChange]),
      [
        ['0.0', 'f.txt', 'hunk', '@@ -1,6 +1,8 @@', 'line 3'],
        ['0.1', 'f.txt', 'hunk', '@@ -22,7 +24,7 @@', 'line 25'],
      ],
    );
    const reduced = await applyParts(patch, (p) => p.id === '0.1');
    assert.match(reduced, /^@@ -22,7 \+22,7 @@/m, 'the kept hunk is numbered as if the first were never there');
    const want = [...LINES];
    want[24] = 'line 25 (agent)';
    assert.strictEqual(read('f.txt'), text(want));
    assert.strictEqual(git(repo, 'status', '--porcelain'), ' M f.txt\n');
  });

  it('takes only the first hunk, and all the hunks give back the whole patch', async () => {
    const edited = LINES.map((l) => (l === 'line 2' || l === 'line 29' ? `${l}!` : l));
    const patch = patchOf(() => fs.writeFileSync(path.join(repo, 'f.txt'), text(edited)));
    assert.strictEqual(selectPatchParts(patch, patchParts(patch).map((p) => p.id)), patch);
    await applyParts(patch, (p) => p.id === '0.0');
    assert.strictEqual(read('f.txt'), text(LINES.map((l) => (l === 'line 2' ? `${l}!` : l))));
    // a patch that lost its last newline on the way still keeps its last line
    const head = patch.slice(0, patch.indexOf('@@ -1,'));
    const second = patch.slice(patch.indexOf('@@ -26'));
    assert.strictEqual(selectPatchParts(patch.slice(0, -1), ['0.1']), head + second);
  });

  it('takes a new file, a deleted file and a binary file each as one part, on its own', async () => {
    const patch = patchOf(() => {
      fs.writeFileSync(path.join(repo, 'new.txt'), 'added\n');
      fs.rmSync(path.join(repo, 'gone.txt'));
      fs.writeFileSync(path.join(repo, 'data.bin'), Buffer.concat([BINARY, BINARY]));
      fs.writeFileSync(path.join(repo, 'f.txt'), text(LINES.map((l) => (l === 'line 9' ? 'nine' : l))));
    });
    assert.deepStrictEqual(
      patchParts(patch).map((p) => [p.id, p.file, p.kind]),
      [
        ['0', 'data.bin', 'binary'],
        ['1.0', 'f.txt', 'hunk'],
        ['2', 'gone.txt', 'deleted'],
        ['3', 'new.txt', 'new'],
      ],
    );
    await applyParts(patch, (p) => p.kind === 'new');
    assert.strictEqual(git(repo, 'status', '--porcelain', '--untracked-files=all'), '?? new.txt\n');
    fs.rmSync(path.join(repo, 'new.txt'));
    await applyParts(patch, (p) => p.kind === 'deleted');
    assert.strictEqual(git(repo, 'status', '--porcelain', '--untracked-files=all'), ' D gone.txt\n');
    git(repo, 'checkout', '--', 'gone.txt');
    await applyParts(patch, (p) => p.kind === 'binary');
    assert.deepStrictEqual(fs.readFileSync(path.join(repo, 'data.bin')), Buffer.concat([BINARY, BINARY]));
    assert.strictEqual(git(repo, 'status', '--porcelain', '--untracked-files=all'), ' M data.bin\n');
    assert.deepStrictEqual(patchPartFiles(patch), ['data.bin', 'f.txt', 'gone.txt', 'new.txt']);
  });

  it('reads quoted file names (space, tab, non-ASCII, a newline that looks like a header) and applies their parts', async () => {
    const names = ['sp ace.txt', 'tab\there.txt', 'é ü.txt', 'x\n@@ -1 +1 @@\ndiff --git a b'];
    for (const n of names) fs.writeFileSync(path.join(repo, n), text(LINES));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'names');
    const patch = patchOf(() => {
      for (const n of names) fs.writeFileSync(path.join(repo, n), text(LINES.map((l) => (l === 'line 1' || l === 'line 30' ? `${l} ${n}` : l))));
      fs.writeFileSync(path.join(repo, 'new ü\t.txt'), 'new\n');
    });
    const parts = patchParts(patch);
    assert.deepStrictEqual([...new Set(parts.map((p) => p.file))].sort(), [...names, 'new ü\t.txt'].sort());
    assert.ok(!parts.some((p) => p.file === 'b' || p.file === 'a'), 'a name never splits the patch');
    await applyParts(patch, (p) => p.kind === 'new' || p.hunk?.startsWith('@@ -27') === true);
    for (const n of names) assert.strictEqual(read(n), text(LINES.map((l) => (l === 'line 30' ? `${l} ${n}` : l))), n);
    assert.strictEqual(read('new ü\t.txt'), 'new\n');
  });

  it('keeps "no newline at end of file" and CRLF lines byte for byte', async () => {
    fs.writeFileSync(path.join(repo, 'crlf.txt'), LINES.join('\r\n') + '\r\n');
    fs.writeFileSync(path.join(repo, 'noeol.txt'), LINES.join('\n'));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'eol');
    const patch = patchOf(() => {
      fs.writeFileSync(path.join(repo, 'crlf.txt'), LINES.map((l) => (l === 'line 2' || l === 'line 28' ? `${l}!` : l)).join('\r\n') + '\r\n');
      fs.writeFileSync(path.join(repo, 'noeol.txt'), ['first', ...LINES.slice(0, -1), 'last'].join('\n'));
    });
    await applyParts(patch, (p) => p.hunk !== undefined && !p.hunk.startsWith('@@ -1,'));
    assert.strictEqual(read('crlf.txt'), LINES.map((l) => (l === 'line 28' ? `${l}!` : l)).join('\r\n') + '\r\n');
    assert.strictEqual(read('noeol.txt'), [...LINES.slice(0, -1), 'last'].join('\n'));
  });

  it('takes a rename as one part', async () => {
    const patch = patchOf(() => fs.renameSync(path.join(repo, 'f.txt'), path.join(repo, 'moved.txt')), ['-M']);
    assert.deepStrictEqual(patchParts(patch), [{ id: '0', file: 'moved.txt', from: 'f.txt', kind: 'renamed' }]);
    assert.deepStrictEqual(patchPartFiles(patch), ['f.txt', 'moved.txt']);
    await applyParts(patch, () => true);
    assert.ok(!exists('f.txt'));
    assert.strictEqual(read('moved.txt'), text(LINES));
  });

  it('takes a mode-only change as one part', async () => {
    const patch = patchOf(() => fs.chmodSync(path.join(repo, 'gone.txt'), 0o755));
    assert.deepStrictEqual(patchParts(patch), [{ id: '0', file: 'gone.txt', kind: 'mode', modeChange: '100644 → 100755' }]);
    await applyParts(patch, () => true);
    assert.strictEqual(fs.statSync(path.join(repo, 'gone.txt')).mode & 0o111, 0o111);
  });

  it('says when a hunk carries its file\'s mode change, and marks a new symbolic link', async () => {
    const patch = patchOf(() => {
      fs.appendFileSync(path.join(repo, 'gone.txt'), 'more\n');
      fs.chmodSync(path.join(repo, 'gone.txt'), 0o755);
      fs.symlinkSync('/etc/passwd', path.join(repo, 'link'));
    });
    const parts = patchParts(patch);
    assert.deepStrictEqual(
      parts.map((p) => [p.file, p.kind, p.modeChange, p.symlink]),
      [
        ['gone.txt', 'hunk', '100644 → 100755', undefined],
        ['link', 'new', undefined, true],
      ],
    );
  });

  it('a part left out stays out when the file changed since: the three-way path applies only the chosen hunk', async () => {
    const patch = patchOf(() => fs.writeFileSync(path.join(repo, 'f.txt'), text(LINES.map((l) => (l === 'line 2' || l === 'line 29' ? `${l}!` : l)))));
    // the user edited a line of the chosen hunk's context meanwhile: the plain apply fails, the merge does not
    const user = LINES.map((l) => (l === 'line 5' ? 'line 5 (user)' : l));
    fs.writeFileSync(path.join(repo, 'f.txt'), text(user));
    const reduced = selectPatchParts(patch, ['0.0']);
    assert.throws(() => execFileSync('git', ['apply', '--check', '-'], { cwd: repo, input: reduced, stdio: 'pipe' }), /patch does not apply/);
    await applyParts(patch, (p) => p.id === '0.0');
    assert.strictEqual(read('f.txt'), text(user.map((l) => (l === 'line 2' ? `${l}!` : l))));
  });

  it('nothing chosen is an empty patch; an unknown part or a patch that is not git\'s is refused', () => {
    const patch = patchOf(() => fs.writeFileSync(path.join(repo, 'f.txt'), 'x\n'));
    assert.strictEqual(selectPatchParts(patch, []), '');
    assert.deepStrictEqual(patchParts(''), []);
    assert.throws(() => selectPatchParts(patch, ['7.0']), (err: unknown) => err instanceof EngineError && /no such part of this patch: 7\.0/.test(err.message));
    assert.throws(() => patchParts('--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n'), /not a git patch/);
  });
});
