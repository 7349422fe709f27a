import { strict as assert } from 'assert';
import { decideVerdict, describeTests, testsPassed } from '../../src/engine/judge/verdict';
import type { TestResult } from '../../src/engine/types';

const PATCH = 'diff --git a/sum.js b/sum.js\n--- a/sum.js\n+++ b/sum.js\n@@ -1 +1 @@\n-a - b\n+a + b\n';

function tests(over: Partial<TestResult>): TestResult {
  return { command: 'npm test --silent', exitCode: 0, passed: 12, failed: 0, timedOut: false, durationMs: 900, output: '', ...over };
}

describe('decideVerdict', () => {
  it('passing tests and a patch: success, decided by the tests, with the LLM reason kept', () => {
    const v = decideVerdict({ patch: PATCH, after: tests({}), llm: { success: true, reason: 'the sign is fixed' } });
    assert.deepEqual(v, { success: true, reason: 'tests pass (12 passed) — the sign is fixed', decidedBy: 'tests' });
  });

  it('the tests outrank a dissenting LLM in both directions', () => {
    const pass = decideVerdict({ patch: PATCH, after: tests({}), llm: { success: false, reason: 'looks hacky' } });
    assert.equal(pass.success, true);
    assert.equal(pass.decidedBy, 'tests');
    assert.match(pass.reason, /looks hacky/);
    const fail = decideVerdict({ patch: PATCH, after: tests({ exitCode: 1, passed: 11, failed: 1 }), llm: { success: true, reason: 'fine' } });
    assert.deepEqual(fail, { success: false, reason: 'tests fail (1 failed, 11 passed, exit 1) — fine', decidedBy: 'tests' });
  });

  it('an empty patch is never a success, even with passing tests', () => {
    const v = decideVerdict({ patch: '  \n', after: tests({}), llm: { success: true, reason: 'ok' } });
    assert.equal(v.success, false);
    assert.equal(v.decidedBy, 'tests');
    assert.match(v.reason, /empty patch/);
    const llmOnly = decideVerdict({ patch: '', after: null, llm: { success: true, reason: 'ok' } });
    assert.equal(llmOnly.success, false);
  });

  it('a timeout or a kill is a failure', () => {
    const v = decideVerdict({ patch: PATCH, after: tests({ exitCode: null, timedOut: true, durationMs: 600000, passed: null, failed: null }), llm: null });
    assert.equal(v.success, false);
    assert.match(v.reason, /^tests timed out after 600 s/);
  });

  it('exit 0 with failures counted is still a failure (a runner behind `|| true`)', () => {
    assert.equal(testsPassed(tests({ exitCode: 0, failed: 2 })), false);
    assert.equal(decideVerdict({ patch: PATCH, after: tests({ failed: 2, passed: 3 }), llm: null }).success, false);
  });

  it('without counts the exit code speaks', () => {
    assert.equal(describeTests(tests({ passed: null, failed: null })), 'tests pass (exit 0)');
    assert.equal(describeTests(tests({ exitCode: 2, passed: null, failed: null })), 'tests fail (exit 2)');
  });

  it('when the LLM judge failed, the tests still decide and the reason says so', () => {
    const v = decideVerdict({ patch: PATCH, after: tests({}), llm: null, llmError: 'endpoint down' });
    assert.deepEqual(v, { success: true, reason: 'tests pass (12 passed) — the LLM judge was unavailable (endpoint down)', decidedBy: 'tests' });
  });

  it('without a test command the LLM decides', () => {
    const yes = decideVerdict({ patch: PATCH, after: null, llm: { success: true, reason: 'addresses the cause' } });
    assert.deepEqual([yes.success, yes.decidedBy], [true, 'llm']);
    assert.match(yes.reason, /addresses the cause/);
    const no = decideVerdict({ patch: PATCH, after: null, llm: { success: false, reason: 'only adds a log line' } });
    assert.deepEqual([no.success, no.decidedBy], [false, 'llm']);
  });

  it('with neither tests nor a judge nothing decides, and that is not a success', () => {
    const v = decideVerdict({ patch: PATCH, after: null, llm: null });
    assert.deepEqual([v.success, v.decidedBy], [false, 'none']);
    assert.match(v.reason, /no test command and the LLM judge was unavailable/);
  });
});
