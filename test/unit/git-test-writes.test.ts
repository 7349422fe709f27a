/**
 * Tracked files a test run rewrites, on real worktrees: the baseline's writes are recorded with their
 * content, and an attempt's patch leaves out exactly the changes that match them — and nothing else.
 */
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createWorktree, disposeAllWorktrees, type Worktree } from '../../src/engine/git/worktree';
import { attemptPatch, testRunWrites } from '../../src/engine/git/patch';
import { parseRawDiff, splitTestWrites } from '../../src/engine/git/test-writes';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' });
}

const BINARY_BEFORE = Buffer.from([0, 1, 2, 3, 255]);
const BINARY_AFTER = Buffer.from([0, 9, 9, 9, 254, 0]);
const ODD_NAME = 'fixtures/odd "name"\twith\nnewline.json';

/** What the project's test run does to the tree it runs in: rewrites a snapshot, a fixture, a badge, deletes a cache. */
function testRun(dir: string, stamp = 'fixed'): void {
  fs.writeFileSync(path.join(dir, '__snapshots__', 'sum.test.js.snap'), 'exports[`sum 1`] = `5`;\n');
  fs.writeFileSync(path.join(dir, 'coverage.svg'), BINARY_AFTER);
  fs.writeFileSync(path.join(dir, ODD_NAME), '{"regenerated": true}\n');
  fs.writeFileSync(path.join(dir, 'last-run.txt'), `ran at ${stamp}\n`);
  fs.rmSync(path.join(dir, 'stale.cache'));
  fs.writeFileSync(path.join(dir, 'report.xml'), '<testsuite/>\n');
}

describe('files the test run itself rewrites', function () {
  this.timeout(60000);
  let root: string;
  let repo: string;
  let baseline: Worktree;
  let attempt: Worktree;

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-testwrites-'));
    repo = path.join(root, 'repo');
    fs.mkdirSync(path.join(repo, '__snapshots__'), { recursive: true });
    fs.mkdirSync(path.join(repo, 'fixtures'), { recursive: true });
    git(repo, 'init', '-q');
    git(repo, 'config', 'user.email', 'dev@example.com');
    git(repo, 'config', 'user.name', 'Dev');
    fs.writeFileSync(path.join(repo, 'sum.js'), 'module.exports = (a, b) => a - b;\n');
    fs.writeFileSync(path.join(repo, '__snapshots__', 'sum.test.js.snap'), 'exports[`sum 1`] = `-1`;\n');
    fs.writeFileSync(path.join(repo, 'coverage.svg'), BINARY_BEFORE);
    fs.writeFileSync(path.join(repo, ODD_NAME), '{"regenerated": false}\n');
    fs.writeFileSync(path.join(repo, 'last-run.txt'), 'never\n');
    fs.writeFileSync(path.join(repo, 'stale.cache'), 'old\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'init');
    baseline = await createWorktree({ repo, runId: 'tw', index: '0-baseline', worktreeDir: path.join(root, 'wt') });
    attempt = await createWorktree({ repo, runId: 'tw', index: 0, worktreeDir: path.join(root, 'wt') });
  });
  afterEach(async () => {
    await disposeAllWorktrees();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('records what the baseline run changed in tracked files (modified, deleted, binary, odd names), not its new files', async () => {
    testRun(baseline.path, 'one o\'clock');
    const writes = await testRunWrites(baseline, baseline.baseCommit);
    assert.deepEqual(writes.map((w) => w.path).sort(), ['__snapshots__/sum.test.js.snap', 'coverage.svg', ODD_NAME, 'last-run.txt', 'stale.cache'].sort());
    const deleted = writes.find((w) => w.path === 'stale.cache')!;
    assert.equal(deleted.status, 'D');
    assert.match(deleted.dst, /^0{40}$/);
    const snap = writes.find((w) => w.path === '__snapshots__/sum.test.js.snap')!;
    assert.equal(snap.dst, git(baseline.path, 'hash-object', '__snapshots__/sum.test.js.snap').trim());
    // the baseline's own index is untouched: recording stages nothing for real
    assert.equal(git(baseline.path, 'diff', '--cached', '--name-only'), '');
  });

  it('leaves out of the attempt\'s patch what the agent\'s own test run rewrote the same way, and keeps its fix', async () => {
    testRun(baseline.path, 'one o\'clock');
    const writes = await testRunWrites(baseline, baseline.baseCommit);
    // the agent fixes the bug, then runs the tests itself; the timestamp it leaves differs from the baseline's
    fs.writeFileSync(path.join(attempt.path, 'sum.js'), 'module.exports = (a, b) => a + b;\n');
    testRun(attempt.path, 'two o\'clock');

    const made = await attemptPatch(attempt, attempt.baseCommit, { leaveOut: ['report.xml'], testWrites: writes });
    const touched = [...made.patch.matchAll(/^diff --git a\/(\S+) /gm)].map((m) => m[1]);
    assert.deepEqual(touched, ['last-run.txt', 'sum.js'], made.patch);
    assert.deepEqual(made.testWrites.leftOut.sort(), ['__snapshots__/sum.test.js.snap', 'coverage.svg', ODD_NAME, 'stale.cache'].sort());
    // a file whose test-run content changes every run cannot be matched: it ships, and is named as kept
    assert.deepEqual(made.testWrites.kept, ['last-run.txt']);

    // what was left out is a byte-exact patch of its own (binary and deletion included) for the run record
    assert.match(made.leftOutPatch, /^diff --git a\/coverage\.svg b\/coverage\.svg\n(?:.*\n)*?GIT binary patch/m);
    assert.match(made.leftOutPatch, /^deleted file mode 100644/m);
    const check = path.join(root, 'check');
    git(repo, 'worktree', 'add', '-q', '--detach', check, attempt.baseCommit);
    fs.writeFileSync(path.join(root, 'left-out.diff'), made.leftOutPatch);
    git(check, 'apply', path.join(root, 'left-out.diff'));
    assert.deepEqual([...fs.readFileSync(path.join(check, 'coverage.svg'))], [...BINARY_AFTER]);
    assert.ok(!fs.existsSync(path.join(check, 'stale.cache')));
    git(repo, 'worktree', 'remove', '--force', check);
  });

  it('keeps an edit the agent made to a file the tests also rewrite, and a deletion the tests do not make', async () => {
    testRun(baseline.path);
    const writes = await testRunWrites(baseline, baseline.baseCommit);
    fs.writeFileSync(path.join(attempt.path, '__snapshots__', 'sum.test.js.snap'), 'exports[`sum 1`] = `5`;\nexports[`sum 2`] = `7`;\n');
    fs.writeFileSync(path.join(attempt.path, 'coverage.svg'), Buffer.from([0, 9, 9, 9, 254, 1]));
    fs.rmSync(path.join(attempt.path, ODD_NAME));
    // the test run deletes this; the agent rewrites it instead
    fs.writeFileSync(path.join(attempt.path, 'stale.cache'), 'kept on purpose\n');

    const made = await attemptPatch(attempt, attempt.baseCommit, { testWrites: writes });
    assert.deepEqual(made.testWrites.leftOut, []);
    assert.equal(made.leftOutPatch, '');
    assert.deepEqual(made.testWrites.kept.sort(), ['__snapshots__/sum.test.js.snap', 'coverage.svg', ODD_NAME, 'stale.cache'].sort());
    assert.match(made.patch, /^\+exports\[`sum 2`\] = `7`;$/m);
    assert.match(made.patch, /^\+kept on purpose$/m);
    assert.match(made.patch, /^deleted file mode 100644/m);
  });

  it('compares the starting content too: a file that differs in the attempt\'s base is never matched', () => {
    const write = { path: 'a.snap', srcMode: '100644', src: 'a'.repeat(40), dstMode: '100644', dst: 'b'.repeat(40), status: 'M' };
    assert.deepEqual(splitTestWrites([{ ...write }], [write]), { leftOut: ['a.snap'], kept: [] });
    assert.deepEqual(splitTestWrites([{ ...write, src: 'c'.repeat(40) }], [write]), { leftOut: [], kept: ['a.snap'] });
    assert.deepEqual(splitTestWrites([{ ...write, dstMode: '100755' }], [write]), { leftOut: [], kept: ['a.snap'] });
    assert.deepEqual(splitTestWrites([{ ...write, path: 'b.snap' }], [write]), { leftOut: [], kept: [] });
  });

  it('parses git\'s raw NUL-separated listing, odd names included', () => {
    const zero = '0'.repeat(40);
    const raw = `:100644 100644 ${'a'.repeat(40)} ${'b'.repeat(40)} M\0${ODD_NAME}\0:100644 000000 ${'c'.repeat(40)} ${zero} D\0gone\0`;
    assert.deepEqual(parseRawDiff(raw).map((c) => [c.path, c.status]), [[ODD_NAME, 'M'], ['gone', 'D']]);
    assert.deepEqual(parseRawDiff(''), []);
  });
});
