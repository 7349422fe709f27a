import { strict as assert } from 'assert';
import { ScriptedServer, contentText } from '../fixtures/scripted-server';
import { OpenAIChatModel, resolveLlmSettings } from '../../src/engine/llm/openai-model';
import { llmJudge } from '../../src/engine/judge/llm-judge';
import { decideVerdict } from '../../src/engine/judge/verdict';
import { EngineError, errorMessage } from '../../src/engine/errors';
import type { TestResult } from '../../src/engine/types';

const PATCH = 'diff --git a/src/sum.js b/src/sum.js\n--- a/src/sum.js\n+++ b/src/sum.js\n@@ -1 +1 @@\n-module.exports = (a, b) => a - b;\n+module.exports = (a, b) => a + b;\n';
const before: TestResult = { command: 'npm test --silent', exitCode: 1, passed: 2, failed: 1, timedOut: false, durationMs: 300, output: 'ℹ pass 2\nℹ fail 1\n' };
const after: TestResult = { ...before, exitCode: 0, passed: 3, failed: 0, output: '✔ adds (0.5ms)\nℹ pass 3\nℹ fail 0\n' };

describe('llmJudge against a scripted OpenAI-compatible server', function () {
  this.timeout(30000);
  let server: ScriptedServer;
  // no retries on 5xx: the failure test should fail fast
  const model = () =>
    OpenAIChatModel.create(resolveLlmSettings({ baseUrl: server.url, model: 'scripted' }, { REASONINGBANK_MAX_RETRIES: '0' }));

  beforeEach(async () => {
    server = new ScriptedServer();
    await server.start();
  });
  afterEach(() => server.stop());

  it('sends the issue, the patch, the test results and the trajectory, and returns the structured verdict', async () => {
    server.setScript({ structured: { judge: () => ({ json: { success: true, reason: 'the sign error is fixed and the failing test passes' } }) } });
    const reply = await llmJudge(model(), {
      task: 'sum(2, 3) returns -1 instead of 5',
      patch: PATCH,
      tests: { baseline: before, after },
      trajectory: 'read src/sum.js; edited the operator; ran npm test: 3 passed',
    });
    assert.deepEqual(reply, { success: true, reason: 'the sign error is fixed and the failing test passes' });

    const [req] = server.structuredRequests('judge');
    assert.ok(req);
    assert.equal(req.body.response_format.type, 'json_schema');
    assert.deepEqual(Object.keys(req.body.response_format.json_schema.schema.properties).sort(), ['reason', 'success']);
    const text = req.body.messages.map((m: { content: unknown }) => contentText(m.content)).join('\n');
    assert.match(text, /sum\(2, 3\) returns -1 instead of 5/);
    assert.match(text, /\+module\.exports = \(a, b\) => a \+ b;/);
    assert.match(text, /Before the attempt: tests fail \(1 failed, 2 passed, exit 1\)/);
    assert.match(text, /After the attempt: tests pass \(3 passed\)/);
    assert.match(text, /ran npm test: 3 passed/);
    assert.ok(!text.includes('{{'), 'every placeholder filled');
  });

  it('repairs a malformed first reply with one retry', async () => {
    let calls = 0;
    server.setScript({
      structured: {
        judge: () => (++calls === 1 ? { content: 'I think it works! success=yes' } : { json: { success: false, reason: 'the patch only adds a log line' } }),
      },
    });
    const reply = await llmJudge(model(), { task: 't', patch: PATCH, tests: { baseline: null, after: null }, trajectory: '' });
    assert.deepEqual(reply, { success: false, reason: 'the patch only adds a log line' });
    const reqs = server.structuredRequests('judge');
    assert.equal(reqs.length, 2);
    const repair = contentText(reqs[1]!.body.messages.at(-1).content);
    assert.match(repair, /does not match the required JSON schema "judge"/);
    assert.match(contentText(reqs[0]!.body.messages[0].content), /No test command/);
  });

  it('keeps a huge patch and trajectory within budget', async () => {
    server.setScript({ structured: { judge: () => ({ json: { success: true, reason: 'ok' } }) } });
    const bigPatch = PATCH + '+x\n'.repeat(50000);
    await llmJudge(model(), { task: 'task', patch: bigPatch, tests: { baseline: null, after: { ...after, output: 'y'.repeat(100000) } }, trajectory: 'z'.repeat(100000) });
    const text = contentText(server.structuredRequests('judge')[0]!.body.messages[0].content);
    assert.ok(text.length < 30000, `prompt is ${text.length} chars`);
    assert.match(text, /characters omitted/);
  });

  it('when the endpoint fails, the error surfaces and the tests still decide the verdict', async () => {
    server.setScript({ structured: { judge: () => ({ status: 500, body: { error: { message: 'boom' } } }) } });
    let llmError = '';
    let llm = null;
    try {
      llm = await llmJudge(model(), { task: 't', patch: PATCH, tests: { baseline: before, after }, trajectory: '' });
    } catch (err) {
      assert.ok(err instanceof EngineError);
      llmError = errorMessage(err);
    }
    assert.ok(llmError, 'the judge call failed');
    const verdict = decideVerdict({ patch: PATCH, after, llm, llmError });
    assert.equal(verdict.success, true);
    assert.equal(verdict.decidedBy, 'tests');
    assert.match(verdict.reason, /^tests pass \(3 passed\) — the LLM judge was unavailable/);
  });
});
