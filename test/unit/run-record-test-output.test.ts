/** What a kept test output file says: its first line, the output as plain text, redacted; written only as a new file. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRunDir, testOutputName, testOutputText, writeTestOutput } from '../../src/engine/run-record';
import { runTests } from '../../src/engine/judge/run-tests';
import { plainText } from '../../src/engine/text';
import type { TestResult } from '../../src/engine/types';

const RESULT: TestResult = { command: 'npm test', exitCode: 1, passed: 3, failed: 1, timedOut: false, durationMs: 2345, output: 'not ok 1 - parses dates\n' };

describe('run record: test output files', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-record-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('never writes run records through a .reasoningbank or runs link that leads out of the repository', () => {
    const repo = path.join(dir, 'repo');
    const outside = path.join(dir, 'outside');
    fs.mkdirSync(repo);
    fs.mkdirSync(outside);
    fs.symlinkSync('../outside', path.join(repo, '.reasoningbank'));
    assert.throws(() => createRunDir(repo, 'r1'), (err: Error & { code?: string }) => err.code === 'unsafe-folder' && /outside the repository/.test(err.message));
    assert.deepStrictEqual(fs.readdirSync(outside), [], 'no ignore file, no runs folder out there');
    fs.unlinkSync(path.join(repo, '.reasoningbank'));
    fs.mkdirSync(path.join(repo, '.reasoningbank'));
    fs.symlinkSync(outside, path.join(repo, '.reasoningbank', 'runs'));
    assert.throws(() => createRunDir(repo, 'r2'), /outside the repository/);
    assert.deepStrictEqual(fs.readdirSync(outside), []);
    // a link that stays inside the repository is followed
    fs.unlinkSync(path.join(repo, '.reasoningbank', 'runs'));
    fs.mkdirSync(path.join(repo, 'records'));
    fs.symlinkSync('../records', path.join(repo, '.reasoningbank', 'runs'));
    createRunDir(repo, 'r3');
    assert.ok(fs.statSync(path.join(repo, 'records', 'r3')).isDirectory());
  });

  it('names the baseline\'s, an attempt\'s and a refinement round\'s file', () => {
    assert.strictEqual(testOutputName({ phase: 'baseline' }), 'baseline.tests.txt');
    assert.strictEqual(testOutputName({ phase: 'after', attempt: 2 }), 'attempt-2.tests.txt');
    assert.strictEqual(testOutputName({ phase: 'after', attempt: 0, round: 1 }), 'attempt-0.round-1.tests.txt');
  });

  it('starts with one line of command, exit code, counts, duration and timeout', () => {
    assert.strictEqual(testOutputText(RESULT), 'test run: command "npm test", exit code 1, 3 passed, 1 failed, 2.3 s, timed out: no\n\nnot ok 1 - parses dates\n');
    const killed = testOutputText({ ...RESULT, command: 'make\ntest', exitCode: null, passed: null, failed: null, timedOut: true, output: '' });
    assert.strictEqual(killed, 'test run: command "make\\ntest", exit code none (killed), counts not reported, 2.3 s, timed out: yes\n\n(no output)\n');
  });

  it('redacts secrets and drops terminal escapes the tests printed', () => {
    const text = testOutputText({ ...RESULT, command: 'API_TOKEN=sk-proj-abcdefghijklmnopqrstuvwx npm test', output: '\x1b[31mfail\x1b[0m\r\n\x1b]0;title\x07AKIAABCDEFGHIJKLMNOP\tok\x00\n' });
    assert.ok(!text.includes('abcdefghijklmnopqrstuvwx') && !text.includes('AKIAABCDEFGHIJKLMNOP'), text);
    assert.ok(!/[\x00-\x08\x0b-\x1f\x7f]/.test(text), JSON.stringify(text));
    assert.match(text, /\n\nfail\n\[REDACTED\]\tok\n$/);
  });

  it('keeps plain text as it is', () => {
    const plain = 'line 1\n\tindented — ünïcode ✔\n';
    assert.strictEqual(plainText(plain), plain);
  });

  it('writes a new file, replacing a link that stands where it goes instead of writing through it', () => {
    const target = path.join(dir, 'target.txt');
    fs.writeFileSync(target, 'keep me\n');
    fs.symlinkSync(target, path.join(dir, 'attempt-0.tests.txt'));
    const file = writeTestOutput(dir, 'attempt-0.tests.txt', RESULT);
    assert.strictEqual(fs.readFileSync(target, 'utf8'), 'keep me\n');
    assert.ok(!fs.lstatSync(file).isSymbolicLink());
    assert.match(fs.readFileSync(file, 'utf8'), /^test run: command "npm test"/);
  });

  it('keeps a timed-out run\'s output with what it printed before it was killed', async () => {
    const result = await runTests({ command: 'echo started; sleep 30', cwd: dir, env: { PATH: process.env.PATH }, timeoutMs: 300 });
    const text = fs.readFileSync(writeTestOutput(dir, 'baseline.tests.txt', result), 'utf8');
    assert.match(text, /^test run: command "echo started; sleep 30", exit code none \(killed\), counts not reported, \d+\.\d s, timed out: yes\n\nstarted\n$/);
  });
});
