import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { loadSuite, loadTask, suiteDigest } from '../../src/bench/suite';
import { countTests, judgeTask, prepareTaskRepo } from '../../src/bench/task-repo';
import { EngineError } from '../../src/engine/errors';
import { detectSandbox } from '../../src/engine/sandbox/sandbox';

const made: string[] = [];
function tmp(prefix = 'rb-bench-suite-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  made.push(dir);
  return dir;
}
function write(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
}

const TASK = {
  'repo/package.json': '{"name":"t","version":"1.0.0","scripts":{"test":"node --test"}}\n',
  'repo/src/inc.js': 'module.exports = { inc: (n) => n + 2 };\n',
  'repo/test/inc.test.js': "const test = require('node:test');\nconst assert = require('node:assert');\nconst { inc } = require('../src/inc');\ntest('inc', () => assert.strictEqual(inc(1), 2));\n",
  'hidden/test/inc.hidden.test.js': "const test = require('node:test');\nconst assert = require('node:assert');\nconst { inc } = require('../src/inc');\ntest('inc 0', () => assert.strictEqual(inc(0), 1));\n",
  'issue.md': '# inc adds two\n\ninc(1) should be 2.\n',
  'task.json': '{ "test": "node --test", "hidden": "hidden" }\n',
};
const FIX = '--- a/src/inc.js\n+++ b/src/inc.js\n@@ -1 +1 @@\n-module.exports = { inc: (n) => n + 2 };\n+module.exports = { inc: (n) => n + 1 };\n';
// passes the visible test (inc(1) === 2) but not the hidden one (inc(0) === 1)
const OVERFIT = '--- a/src/inc.js\n+++ b/src/inc.js\n@@ -1 +1 @@\n-module.exports = { inc: (n) => n + 2 };\n+module.exports = { inc: (n) => (n === 1 ? 2 : n + 2) };\n';

describe('bench suite loader', () => {
  after(() => {
    for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('digests every file of every task: the same suite anywhere gives the same digest, an edit changes it', () => {
    const a = tmp();
    const b = tmp();
    for (const root of [a, b]) write(root, Object.fromEntries(Object.entries(TASK).map(([f, t]) => [`01-inc/${f}`, t])));
    const digest = suiteDigest(loadSuite(a).tasks);
    assert.match(digest, /^sha256:[0-9a-f]{64}$/);
    assert.strictEqual(suiteDigest(loadSuite(b).tasks), digest, 'the folder it lives in does not count');
    fs.appendFileSync(path.join(b, '01-inc', 'hidden', 'test', 'inc.hidden.test.js'), '// edited\n');
    assert.notStrictEqual(suiteDigest(loadSuite(b).tasks), digest);
    assert.strictEqual(loadTask(path.join(a, '01-inc')).family, null);
  });

  it('loads tasks in name order with their settings', () => {
    const suite = tmp();
    write(path.join(suite, 'b-second'), TASK);
    write(path.join(suite, 'a-first'), { ...TASK, 'task.json': '{ "test": "npm test", "hiddenTest": "node --test test", "timeoutSec": 7 }\n' });
    fs.mkdirSync(path.join(suite, '.git'));
    const loaded = loadSuite(suite);
    assert.deepStrictEqual(loaded.tasks.map((t) => t.name), ['a-first', 'b-second']);
    const [a, b] = loaded.tasks;
    assert.strictEqual(a!.testCommand, 'npm test');
    assert.strictEqual(a!.judgeCommand, 'node --test test');
    assert.strictEqual(a!.judgeTimeoutMs, 7000);
    assert.strictEqual(a!.hiddenDir, path.join(suite, 'a-first', 'hidden'), 'hidden/ is picked up without being named');
    assert.strictEqual(b!.judgeCommand, 'node --test');
    assert.strictEqual(b!.title, 'inc adds two');
    assert.ok(b!.issue.startsWith('# inc adds two'));
  });

  it('reports every invalid task at once and runs nothing', () => {
    const suite = tmp();
    write(path.join(suite, '01-ok'), TASK);
    write(path.join(suite, '02-no-issue'), { 'repo/a.js': 'x\n' });
    write(path.join(suite, '03-bad-json'), { ...TASK, 'task.json': '{ test: ' });
    write(path.join(suite, '04-unknown-key'), { ...TASK, 'task.json': '{ "tset": "node --test" }' });
    write(path.join(suite, '05-no-repo'), { 'issue.md': 'x' });
    write(path.join(suite, '06-hidden-no-command'), { ...TASK, 'task.json': '{}' });
    write(path.join(suite, '07-missing-hidden'), { ...TASK, 'task.json': '{ "test": "node --test", "hidden": "secret" }' });
    assert.throws(
      () => loadSuite(suite),
      (err: unknown) => {
        assert.ok(err instanceof EngineError && err.code === 'bad-input' && err.exitCode === 2);
        const m = err.message;
        assert.match(m, /6 invalid task/);
        assert.match(m, /02-no-issue: issue\.md is missing/);
        assert.match(m, /03-bad-json: task\.json is not valid JSON/);
        assert.match(m, /04-unknown-key: task\.json/);
        assert.match(m, /05-no-repo: has neither repo\/ .* nor repo\.bundle/);
        assert.match(m, /06-hidden-no-command: has hidden tests but no command/);
        assert.match(m, /07-missing-hidden: .*"secret\/"/);
        assert.doesNotMatch(m, /01-ok/);
        return true;
      },
    );
  });

  it('refuses a missing or empty suite folder', () => {
    assert.throws(() => loadSuite(path.join(tmp(), 'nope')), /no such folder/);
    assert.throws(() => loadSuite(tmp()), /no task folders/);
  });

  it('prepares a fresh repository with one commit and without hidden tests or other task files', async () => {
    const suite = tmp();
    write(path.join(suite, 't'), { ...TASK, 'solution.patch': FIX });
    const task = loadTask(path.join(suite, 't'));
    const repo = await prepareTaskRepo(task, path.join(tmp(), 'repo'));
    const log = execFileSync('git', ['log', '--oneline'], { cwd: repo, encoding: 'utf8' }).trim().split('\n');
    assert.strictEqual(log.length, 1);
    assert.strictEqual(execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' }), '');
    assert.deepStrictEqual(fs.readdirSync(repo).sort(), ['.git', 'package.json', 'src', 'test']);
    assert.deepStrictEqual(fs.readdirSync(path.join(repo, 'test')), ['inc.test.js']);
  });

  it('clones a repo.bundle', async () => {
    const src = tmp();
    write(src, { 'a.txt': 'hello\n' });
    const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: src });
    execFileSync('git', ['add', '-A'], { cwd: src });
    execFileSync('git', ['commit', '-qm', 'one'], { cwd: src, env });
    const suite = tmp();
    fs.mkdirSync(path.join(suite, 't'));
    execFileSync('git', ['bundle', 'create', path.join(suite, 't', 'repo.bundle'), '--all'], { cwd: src, stdio: 'ignore' });
    fs.writeFileSync(path.join(suite, 't', 'issue.md'), 'say hello\n');
    const task = loadSuite(suite).tasks[0]!;
    assert.ok(task.repoBundle && !task.repoDir);
    const repo = await prepareTaskRepo(task, path.join(tmp(), 'clone'));
    assert.strictEqual(fs.readFileSync(path.join(repo, 'a.txt'), 'utf8'), 'hello\n');
  });

  it('lets the hidden tests decide: an overfit patch passes the visible tests and still fails', async () => {
    const suite = tmp();
    write(path.join(suite, 't'), TASK);
    const task = loadTask(path.join(suite, 't'));
    const work = tmp();
    const good = await judgeTask(task, FIX, path.join(work, 'good'), { agentResolved: true });
    assert.strictEqual(good.resolved, true);
    assert.strictEqual(good.decidedBy, 'hidden');
    assert.deepStrictEqual([good.passed, good.failed], [2, 0]);
    const overfit = await judgeTask(task, OVERFIT, path.join(work, 'overfit'), { agentResolved: true });
    assert.strictEqual(overfit.resolved, false);
    assert.deepStrictEqual([overfit.passed, overfit.failed], [1, 1]);
    const none = await judgeTask(task, '', path.join(work, 'none'), { agentResolved: false });
    assert.strictEqual(none.resolved, false);
  });

  it('hidden files win over what the agent wrote, and a patch that does not apply is unresolved', async () => {
    const suite = tmp();
    write(path.join(suite, 't'), TASK);
    const task = loadTask(path.join(suite, 't'));
    const sneaky =
      FIX +
      '--- /dev/null\n+++ b/test/inc.hidden.test.js\n@@ -0,0 +1 @@\n+// the agent replaced the hidden test with nothing\n';
    const judged = await judgeTask(task, sneaky, path.join(tmp(), 'j'), { agentResolved: true });
    assert.strictEqual(judged.resolved, true);
    assert.deepStrictEqual([judged.passed, judged.failed], [2, 0], 'the real hidden test ran');
    const broken = await judgeTask(task, '--- a/src/nope.js\n+++ b/src/nope.js\n@@ -1 +1 @@\n-a\n+b\n', path.join(tmp(), 'b'), { agentResolved: true });
    assert.strictEqual(broken.resolved, false);
    assert.ok(broken.patchError);
  });

  it('runs the hidden tests in the sandbox: the agent\'s code cannot write outside the judge folder', async () => {
    const suite = tmp();
    write(path.join(suite, 't'), TASK);
    const task = loadTask(path.join(suite, 't'));
    const outside = path.join(tmp('rb-outside-'), 'pwned');
    const planted =
      FIX +
      `--- /dev/null\n+++ b/test/zz-plant.test.js\n@@ -0,0 +1 @@\n+require('fs').writeFileSync(${JSON.stringify(outside)}, 'x');\n`;
    const sandbox = await detectSandbox('off');
    const judged = await judgeTask(task, planted, path.join(tmp(), 'j'), { agentResolved: true, sandbox });
    assert.strictEqual(fs.existsSync(outside), false, 'nothing written outside');
    assert.strictEqual(judged.resolved, false, 'the planted test fails on the read-only file system');
    assert.match(judged.output, /EROFS|ENOENT|read-only/i, 'the write failed inside the sandbox (/tmp is empty there, the rest read-only)');
  });

  it('without any command the agent verdict stands', async () => {
    const suite = tmp();
    write(path.join(suite, 't'), { 'repo/a.txt': 'x\n', 'issue.md': 'do it\n' });
    const task = loadTask(path.join(suite, 't'));
    assert.strictEqual(task.testCommand, undefined, 'no "test": solve detects one');
    const judged = await judgeTask(task, '', path.join(tmp(), 'j'), { agentResolved: true });
    assert.deepStrictEqual([judged.resolved, judged.decidedBy], [true, 'agent']);
  });

  it('counts tests from common runner summaries', () => {
    assert.deepStrictEqual(countTests('# tests 3\n# pass 2\n# fail 1\n'), { passed: 2, failed: 1 });
    assert.deepStrictEqual(countTests('ℹ tests 4\nℹ pass 4\nℹ fail 0\n'), { passed: 4, failed: 0 });
    assert.deepStrictEqual(countTests('Tests:       1 failed, 5 passed, 6 total'), { passed: 5, failed: 1 });
    assert.deepStrictEqual(countTests('  7 passing (20ms)\n  2 failing\n'), { passed: 7, failed: 2 });
    assert.deepStrictEqual(countTests('==== 1 failed, 3 passed in 0.1s ===='), { passed: 3, failed: 1 });
    assert.deepStrictEqual(countTests('ok'), { passed: null, failed: null });
  });
});
