import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '../../src/engine/judge/run-tests';
import { scrubEnv } from '../../src/engine/exec';
import { CancelledError } from '../../src/engine/errors';

const MOCHA_BIN = path.resolve(__dirname, '../../node_modules/.bin/mocha');

describe('runTests with real runners', function () {
  this.timeout(60000);
  let dir: string;
  const env = scrubEnv(process.env);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-runtests-'));
    fs.writeFileSync(
      path.join(dir, 'sum.test.js'),
      `const test = require('node:test');
const assert = require('assert');
const sum = (a, b) => a - b;
test('adds', () => assert.strictEqual(sum(2, 3), 5));
test('zero', () => assert.strictEqual(sum(0, 0), 0));
test('same', () => assert.strictEqual(sum(1, 1), 2));
`,
    );
    fs.writeFileSync(
      path.join(dir, 'sum.spec.js'),
      `const assert = require('assert');
describe('sum', () => {
  it('adds', () => assert.strictEqual(2 + 3, 5));
  it('breaks', () => assert.strictEqual(2 - 3, 5));
  it('zero', () => assert.strictEqual(0 + 0, 0));
});
`,
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('node --test, spec reporter', async () => {
    const r = await runTests({ command: 'node --test --test-reporter=spec sum.test.js', cwd: dir, env });
    assert.equal(r.exitCode, 1);
    assert.deepEqual([r.passed, r.failed], [1, 2]);
    assert.equal(r.timedOut, false);
    assert.match(r.output, /ℹ fail 2/);
  });

  it('node --test, TAP reporter', async () => {
    const r = await runTests({ command: 'node --test --test-reporter=tap sum.test.js', cwd: dir, env });
    assert.deepEqual([r.exitCode, r.passed, r.failed], [1, 1, 2]);
  });

  it('mocha', async () => {
    const r = await runTests({ command: `${MOCHA_BIN} --no-config sum.spec.js`, cwd: dir, env });
    assert.deepEqual([r.exitCode, r.passed, r.failed], [1, 2, 1]);
  });

  it('pytest', async function () {
    try {
      execFileSync('python3', ['-m', 'pytest', '--version'], { stdio: 'ignore' });
    } catch {
      this.skip(); // no pytest on this machine
    }
    fs.writeFileSync(path.join(dir, 'test_calc.py'), 'def test_a():\n    assert 1 + 1 == 2\n\ndef test_b():\n    assert 1 - 1 == 2\n');
    const r = await runTests({ command: 'python3 -m pytest -q -p no:cacheprovider test_calc.py', cwd: dir, env });
    assert.deepEqual([r.exitCode, r.passed, r.failed], [1, 1, 1]);
  });

  it('a passing run', async () => {
    const r = await runTests({ command: 'node --test --test-reporter=spec --test-name-pattern=zero sum.test.js', cwd: dir, env });
    assert.equal(r.exitCode, 0);
    assert.equal(r.failed, 0);
    assert.equal(r.passed, 1);
  });

  it('counts are null when the output has no summary; the exit code stays', async () => {
    const r = await runTests({ command: 'echo building; exit 3', cwd: dir, env });
    assert.deepEqual([r.exitCode, r.passed, r.failed], [3, null, null]);
    assert.equal(r.command, 'echo building; exit 3');
  });

  it('times out and says so', async () => {
    const r = await runTests({ command: 'sleep 30', cwd: dir, env, timeoutMs: 300 });
    assert.equal(r.timedOut, true);
    assert.equal(r.exitCode, null);
  });

  it('throws CancelledError when cancelled', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    await assert.rejects(runTests({ command: 'sleep 30', cwd: dir, env, signal: ac.signal }), CancelledError);
  });
});
