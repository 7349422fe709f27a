/**
 * Tracked files the project's own test run rewrites, through the built CLI: the tests regenerate a
 * checked-in fixture and delete a committed cache file. When the agent runs the tests itself, those changes
 * are the test run's, not the agent's: the fix ships, they do not (named in a warning and in the result,
 * their diff kept in the run folder). A file the agent really edits ships even though the tests touch it.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { sequenceAgent } from '../fixtures/scripted-server';
import { type CliRun, SUM_FIX, SUM_REPO, cliHarness, git, makeRepo, runCli } from '../fixtures/repos';

const TABLE_REGENERATED = JSON.stringify({ rows: [[1, 2], [3, 4]] }, null, 2) + '\n';

/** SUM_REPO whose tests first regenerate fixtures/table.json (committed stale) and remove fixtures/stale.cache. */
const REWRITING_REPO: Record<string, string> = {
  ...SUM_REPO,
  'fixtures/table.json': '{"rows":[[1,2],[3,4]]}\n',
  'fixtures/stale.cache': 'left from an old run\n',
  'test/fixtures.test.js':
    "const test = require('node:test');\nconst fs = require('fs');\nconst path = require('path');\n\n" +
    "test('the fixture is regenerated', () => {\n" +
    "  const dir = path.join(__dirname, '..', 'fixtures');\n" +
    `  fs.writeFileSync(path.join(dir, 'table.json'), ${JSON.stringify(TABLE_REGENERATED)});\n` +
    "  fs.rmSync(path.join(dir, 'stale.cache'), { force: true });\n" +
    '});\n',
};

type Step = { name: string; arguments: object };
/** The agent fixes the sum and checks its work: the run rewrites the fixture and deletes the cache in its worktree. */
const FIX_THEN_TEST: Step[] = [
  { name: 'edit_file', arguments: SUM_FIX },
  { name: 'run_command', arguments: { command: 'node --test' } },
];

function touchedFiles(patch: string): string[] {
  return [...patch.matchAll(/^diff --git a\/(\S+) /gm)].map((m) => m[1]!);
}

describe('CLI solve: files the test run itself rewrites', function () {
  this.timeout(120000);
  const h = cliHarness();

  /** A solve of `files` with `node --test` by an agent taking `steps`; a resolved run expected. */
  async function solve(files: Record<string, string>, steps: Step[], args: string[] = []): Promise<{ repo: string; run: CliRun; result: any }> {
    const repo = makeRepo(files);
    h.server.setScript({
      agent: sequenceAgent(steps, 'CONFIRMED: fixed'),
      structured: {
        judge: () => ({ json: { success: true, reason: 'fixed' } }),
        memory_items: () => ({ json: { items: [] } }),
        best_of_k: () => ({ json: { index: 0, reason: 'first' } }),
      },
    });
    const run = await runCli(['solve', '--repo', repo, '--issue', 'sum(2, 3) returns -1', '--test', 'node --test', '--json', ...args], { env: h.env });
    assert.strictEqual(run.code, 0, run.stderr + run.stdout);
    return { repo, run, result: JSON.parse(run.stdout) };
  }

  it('ships the agent\'s fix without the fixture and cache its own test run rewrote, and says so', async () => {
    const { repo, run, result } = await solve(REWRITING_REPO, FIX_THEN_TEST, ['--apply']);
    assert.strictEqual(result.status, 'resolved');
    assert.deepStrictEqual(touchedFiles(result.patch), ['src/sum.js'], result.patch);
    assert.deepStrictEqual([...result.testWrites].sort(), ['fixtures/stale.cache', 'fixtures/table.json']);
    assert.deepStrictEqual(result.attempts[0].testWrites, result.testWrites);
    assert.match(run.stderr, /warn: attempt 0: left out of the patch: rewritten by the test run itself: fixtures\/\S+, fixtures\/\S+ \(their diff is saved at .*attempt-0\.test-writes\.diff\)/);

    // the run record keeps what was left out, so nothing the agent did is lost
    const saved = fs.readFileSync(path.join(result.runDir, 'attempt-0.test-writes.diff'), 'utf8');
    assert.deepStrictEqual(touchedFiles(saved).sort(), ['fixtures/stale.cache', 'fixtures/table.json']);
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(result.runDir, 'result.json'), 'utf8')).testWrites, result.testWrites);

    // --apply wrote the fix alone into the user's repository
    assert.strictEqual(result.applied, true);
    assert.strictEqual(git(repo, 'status', '--porcelain'), ' M src/sum.js\n');
    assert.strictEqual(fs.readFileSync(path.join(repo, 'fixtures/table.json'), 'utf8'), REWRITING_REPO['fixtures/table.json']);
    assert.ok(fs.existsSync(path.join(repo, 'fixtures/stale.cache')));
  });

  for (const mode of ['parallel', 'sequential']) {
    it(`leaves them out of every attempt's patch with --k 2 --mode ${mode}`, async () => {
      const { result } = await solve(REWRITING_REPO, FIX_THEN_TEST, ['--k', '2', '--mode', mode]);
      assert.strictEqual(result.attempts.length, mode === 'parallel' ? 2 : 1);
      for (const attempt of result.attempts) {
        assert.deepStrictEqual(touchedFiles(attempt.patch), ['src/sum.js'], attempt.patch);
        assert.deepStrictEqual([...attempt.testWrites].sort(), ['fixtures/stale.cache', 'fixtures/table.json']);
        assert.ok(fs.existsSync(path.join(result.runDir, `attempt-${attempt.index}.test-writes.diff`)));
      }
      assert.deepStrictEqual(result.testWrites, result.attempts[result.chosen].testWrites);
    });
  }

  it('ships an edit the agent made on purpose to a file the tests also rewrite', async () => {
    const intended = JSON.stringify({ rows: [[1, 2], [3, 4], [5, 6]] }, null, 2) + '\n';
    // after the tests rewrote it, the agent changes the fixture to what the issue asks for
    const { repo, run, result } = await solve(REWRITING_REPO, [...FIX_THEN_TEST, { name: 'write_file', arguments: { path: 'fixtures/table.json', content: intended } }]);
    // the fixture ships with the agent's content; the deleted cache was the test run's alone
    assert.deepStrictEqual(touchedFiles(result.patch), ['fixtures/table.json', 'src/sum.js'], result.patch);
    assert.match(result.patch, /^\+ +5,$/m);
    assert.deepStrictEqual(result.testWrites, ['fixtures/stale.cache']);
    assert.match(run.stderr, /attempt 0: kept in the patch though the test run also rewrites them \(the attempt's content differs from what it writes\): fixtures\/table\.json/);
    assert.strictEqual(git(repo, 'status', '--porcelain'), '', 'no --apply: the working tree is untouched');
  });

  it('leaves out an edit identical to the test run\'s (indistinguishable from it) but keeps it in the run record', async () => {
    // without running the tests, the agent writes exactly what they would write
    const { result } = await solve(REWRITING_REPO, [FIX_THEN_TEST[0]!, { name: 'write_file', arguments: { path: 'fixtures/table.json', content: TABLE_REGENERATED } }]);
    assert.deepStrictEqual(touchedFiles(result.patch), ['src/sum.js']);
    assert.deepStrictEqual(result.testWrites, ['fixtures/table.json']);
    const saved = fs.readFileSync(path.join(result.runDir, 'attempt-0.test-writes.diff'), 'utf8');
    assert.deepStrictEqual(touchedFiles(saved), ['fixtures/table.json']);
    assert.match(saved, /^\+ {2}"rows": \[$/m);
  });

  it('reports nothing left out when the tests rewrite nothing tracked', async () => {
    const { run, result } = await solve(SUM_REPO, FIX_THEN_TEST);
    assert.deepStrictEqual(touchedFiles(result.patch), ['src/sum.js']);
    assert.ok(!('testWrites' in result) && !('testWrites' in result.attempts[0]), run.stdout);
    assert.doesNotMatch(run.stderr, /rewritten by the test run/);
    assert.ok(!fs.existsSync(path.join(result.runDir, 'attempt-0.test-writes.diff')));
  });
});
