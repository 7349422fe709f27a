/**
 * Every task of the starter suite is a real bug: its visible tests and its hidden tests fail on the code
 * as given, and both pass once the reference fix (solution.patch, never shown to the agent) is applied.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { filesUnder, loadSuite } from '../../src/bench/suite';
import { judgeTask, prepareTaskRepo } from '../../src/bench/task-repo';
import { runCommand, scrubEnv } from '../../src/engine/exec';

const SUITE = path.resolve(__dirname, '..', '..', 'bench', 'suites', 'starter');

async function run(command: string, cwd: string) {
  return runCommand({ command, cwd, timeoutMs: 60_000, env: scrubEnv(process.env) });
}

describe('bench starter suite', function () {
  this.timeout(180_000);
  const suite = loadSuite(SUITE);
  let work: string;
  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-starter-'));
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('has at least 30 tasks in at least 6 bug families, each with hidden tests and a reference fix', () => {
    assert.ok(suite.tasks.length >= 30, `${suite.tasks.length} tasks`);
    const families = new Set(suite.tasks.map((t) => t.family));
    assert.ok(!families.has(null), 'every task names its bug family');
    assert.ok(families.size >= 6, [...families].join(', '));
    for (const task of suite.tasks) {
      assert.strictEqual(task.testCommand, 'node --test', task.name);
      assert.ok(task.hiddenDir, `${task.name} has hidden tests`);
      assert.ok(fs.existsSync(path.join(task.dir, 'solution.patch')), `${task.name} has solution.patch`);
    }
  });

  for (const task of suite.tasks) {
    it(`${task.name}: fails as given, passes with the reference fix`, async () => {
      const dir = path.join(work, task.name);
      // what the agent gets: the repository only — no hidden tests, no solution
      const repo = await prepareTaskRepo(task, path.join(dir, 'agent'));
      const hiddenFiles = filesUnder(task.hiddenDir!);
      for (const f of [...hiddenFiles, 'solution.patch', 'issue.md', 'task.json']) {
        assert.ok(!fs.existsSync(path.join(repo, f)), `${f} is not in the agent's repository`);
      }
      const visible = await run(task.testCommand!, repo);
      assert.notStrictEqual(visible.exitCode, 0, `visible tests should fail as given:\n${visible.output}`);

      // the hidden tests on their own also catch the bug
      fs.cpSync(task.hiddenDir!, repo, { recursive: true });
      const hiddenOnly = await run(`node --test ${hiddenFiles.map((f) => JSON.stringify(f)).join(' ')}`, repo);
      assert.notStrictEqual(hiddenOnly.exitCode, 0, `hidden tests should fail as given:\n${hiddenOnly.output}`);

      const unfixed = await judgeTask(task, '', path.join(dir, 'judge-unfixed'), { agentResolved: false });
      assert.strictEqual(unfixed.resolved, false);

      const patch = fs.readFileSync(path.join(task.dir, 'solution.patch'), 'utf8');
      const fixed = await judgeTask(task, patch, path.join(dir, 'judge-fixed'), { agentResolved: true });
      assert.strictEqual(fixed.patchError, undefined);
      assert.strictEqual(fixed.resolved, true, `hidden + visible tests should pass with the fix:\n${fixed.output}`);
      assert.strictEqual(fixed.decidedBy, 'hidden');
      assert.ok((fixed.passed ?? 0) > 0 && fixed.failed === 0, `${fixed.passed} passed, ${fixed.failed} failed`);
    });
  }
});
