/**
 * The output of the test runs, kept in the run folder through the built CLI: which test failed and why is
 * in attempt-N.tests.txt (and the baseline's in baseline.tests.txt), secrets the tests print are redacted,
 * terminal escapes dropped, the --json result and result.json name the files, and an unresolved run says
 * where to look.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { sequenceAgent } from '../fixtures/scripted-server';
import { type CliRun, SUM_REPO, SUM_WRONG, cliHarness, makeRepo, runCli } from '../fixtures/repos';

/** a GitHub token's shape, built at run time so the repository's source does not hold it whole */
const TOKEN_TAIL = 'Zq7'.repeat(12);

/** SUM_REPO whose test prints a token and terminal escapes, and names its assertion */
const CHATTY_REPO: Record<string, string> = {
  ...SUM_REPO,
  'test/sum.test.js':
    "const test = require('node:test');\nconst assert = require('node:assert');\nconst { sum } = require('../src/sum');\n\n" +
    "test('adds two small numbers', () => {\n" +
    `  console.log('calling the API with ghp_' + '${TOKEN_TAIL}');\n` +
    "  console.log('\\x1b]0;window title from a test\\x07\\x1b[31mred\\x1b[0m');\n" +
    "  assert.strictEqual(sum(2, 3), 5, 'sum(2, 3) must be five');\n" +
    '});\n',
};

describe('CLI solve: the test runs\' output in the run folder', function () {
  this.timeout(120000);
  const h = cliHarness();

  async function solve(files: Record<string, string>, args: string[]): Promise<{ repo: string; run: CliRun }> {
    const repo = makeRepo(files);
    h.server.setScript({
      agent: sequenceAgent([{ name: 'edit_file', arguments: SUM_WRONG }], 'changed the operator'),
      structured: {
        judge: () => ({ json: { success: false, reason: 'still wrong' } }),
        memory_items: () => ({ json: { items: [] } }),
        best_of_k: () => ({ json: { index: 0, reason: 'first' } }),
      },
    });
    const run = await runCli(['solve', '--repo', repo, '--issue', 'sum(2, 3) returns -1', ...args], { env: h.env });
    assert.strictEqual(run.code, 1, run.stderr + run.stdout);
    return { repo, run };
  }

  it('keeps which test failed and why in attempt-0.tests.txt, redacted, and the JSON names it', async () => {
    const { run } = await solve(CHATTY_REPO, ['--test', 'node --test', '--json']);
    const result = JSON.parse(run.stdout);
    assert.strictEqual(result.status, 'unresolved');
    const file = path.join(result.runDir, 'attempt-0.tests.txt');
    assert.strictEqual(result.attempts[0].testOutput, file);
    assert.strictEqual(result.testOutput, file);
    assert.strictEqual(result.baselineTestOutput, path.join(result.runDir, 'baseline.tests.txt'));

    const text = fs.readFileSync(file, 'utf8');
    const [first] = text.split('\n');
    assert.match(first!, /^test run: command "node --test", exit code 1, 0 passed, 1 failed, \d+\.\d s, timed out: no$/);
    assert.match(text, /adds two small numbers/);
    assert.match(text, /sum\(2, 3\) must be five/);
    assert.match(text, /6 !== 5|actual: 6/);
    assert.ok(!text.includes(TOKEN_TAIL), 'the token the test printed is redacted');
    assert.match(text, /calling the API with \[REDACTED\]/);
    assert.ok(!text.includes('\x1b') && !text.includes('\x07'), 'no terminal escapes');
    assert.match(text, /red/);

    // before the change the same test failed with -1
    const baseline = fs.readFileSync(result.baselineTestOutput, 'utf8');
    assert.match(baseline, /^test run: command "node --test", exit code 1, 0 passed, 1 failed/);
    assert.match(baseline, /-1 !== 5|actual: -1/);
    assert.ok(!baseline.includes(TOKEN_TAIL));

    const recorded = JSON.parse(fs.readFileSync(path.join(result.runDir, 'result.json'), 'utf8'));
    assert.strictEqual(recorded.attempts[0].testOutput, file);
    assert.strictEqual(recorded.baselineTestOutput, result.baselineTestOutput);
  });

  it('names the test output file when a run ends unresolved', async () => {
    const { run } = await solve(CHATTY_REPO, ['--test', 'node --test']);
    const named = /^test output: (.+)$/m.exec(run.stderr);
    assert.ok(named, run.stderr);
    assert.match(named[1]!, /\.reasoningbank\/runs\/[^/]+\/attempt-0\.tests\.txt$/);
    assert.match(fs.readFileSync(named[1]!, 'utf8'), /sum\(2, 3\) must be five/);
  });

  it('keeps every refinement round\'s output in sequential mode, the last as the attempt\'s', async () => {
    const { run } = await solve(CHATTY_REPO, ['--test', 'node --test', '--json', '--k', '2', '--mode', 'sequential']);
    const result = JSON.parse(run.stdout);
    const files = fs.readdirSync(result.runDir).filter((f) => f.endsWith('.tests.txt')).sort();
    assert.deepStrictEqual(files, ['attempt-0.round-0.tests.txt', 'attempt-0.round-1.tests.txt', 'attempt-0.round-2.tests.txt', 'attempt-0.tests.txt', 'baseline.tests.txt']);
    const last = fs.readFileSync(path.join(result.runDir, 'attempt-0.round-2.tests.txt'), 'utf8');
    assert.strictEqual(fs.readFileSync(result.attempts[0].testOutput, 'utf8'), last);
  });

  it('keeps the output of a test command that cannot start', async () => {
    const { run } = await solve(SUM_REPO, ['--test', 'no-such-test-runner --all', '--json']);
    const result = JSON.parse(run.stdout);
    const text = fs.readFileSync(result.attempts[0].testOutput, 'utf8');
    assert.match(text, /^test run: command "no-such-test-runner --all", exit code 127, counts not reported, /);
    assert.match(text, /no-such-test-runner: command not found/);
  });
});
