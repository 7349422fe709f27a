/** Choosing the attempt to keep: the tests outrank the model; the model chooses among equals. */
import * as assert from 'assert';
import { ScriptedServer } from '../fixtures/scripted-server';
import { OpenAIChatModel, resolveLlmSettings } from '../../src/engine/llm/openai-model';
import { selectBest, tieBreak } from '../../src/engine/attempts/select';
import { diffSize, formatAttempts } from '../../src/engine/attempts/attempt-text';
import type { AttemptMaterial } from '../../src/engine/lesson-memory';

function attempt(index: number, success: boolean, steps: number, patchLines: number): AttemptMaterial {
  const patch = patchLines ? `diff --git a/x b/x\n--- a/x\n+++ b/x\n${'+line\n'.repeat(patchLines)}` : '';
  return { index, verdict: { success, reason: success ? 'tests pass' : 'tests fail', decidedBy: 'tests' }, steps, patch, trajectory: `steps of ${index}`, tests: null };
}

describe('best-of-k selection', () => {
  let server: ScriptedServer;
  let model: OpenAIChatModel;
  beforeEach(async () => {
    server = new ScriptedServer();
    await server.start();
    model = OpenAIChatModel.create({ ...resolveLlmSettings({ baseUrl: server.url, model: 'scripted' }, {}), maxRetries: 0 });
  });
  afterEach(() => server.stop());

  it('takes the only passing attempt without asking the model', async () => {
    const pick = await selectBest(model, 'task', [attempt(0, false, 3, 2), attempt(1, true, 9, 9), attempt(2, false, 1, 1)]);
    assert.strictEqual(pick.chosen, 1);
    assert.strictEqual(server.requests.length, 0);
  });

  it('asks the model among several passing attempts and shows it only those', async () => {
    server.setScript({ structured: { best_of_k: () => ({ json: { index: 2, reason: 'handles the edge case' } }) } });
    const pick = await selectBest(model, 'task', [attempt(0, true, 3, 2), attempt(1, false, 1, 1), attempt(2, true, 5, 4)]);
    assert.deepStrictEqual([pick.chosen, pick.byModel], [2, true]);
    assert.match(pick.reason, /handles the edge case/);
    const prompt = server.requests[0]!.body.messages[0].content as string;
    assert.match(prompt, /Attempt 0 — PASSED/);
    assert.match(prompt, /Attempt 2 — PASSED/);
    assert.doesNotMatch(prompt, /Attempt 1 /);
  });

  it('never follows a choice outside the candidates; the tie-break decides (fewer steps, then smaller diff)', async () => {
    server.setScript({ structured: { best_of_k: () => ({ json: { index: 1, reason: 'I like it' } }) } });
    const warnings: string[] = [];
    const pick = await selectBest(model, 'task', [attempt(0, true, 5, 2), attempt(1, false, 1, 1), attempt(2, true, 5, 1)], { onWarn: (m) => warnings.push(m) });
    assert.deepStrictEqual([pick.chosen, pick.byModel], [2, false]);
    assert.match(warnings[0]!, /not among the candidates/);
  });

  it('falls back to the tie-break when the model call fails', async () => {
    server.setScript({ structured: { best_of_k: () => ({ status: 500 }) } });
    const pick = await selectBest(model, 'task', [attempt(0, true, 7, 1), attempt(1, true, 4, 3)], { onWarn: () => {} });
    assert.strictEqual(pick.chosen, 1);
  });

  it('with no passing attempt, prefers attempts that changed something and lets the model pick the most promising', async () => {
    server.setScript({ structured: { best_of_k: () => ({ json: { index: 2, reason: 'closest' } }) } });
    const pick = await selectBest(model, 'task', [attempt(0, false, 1, 0), attempt(1, false, 3, 2), attempt(2, false, 4, 3)]);
    assert.strictEqual(pick.chosen, 2);
    assert.match(server.requests[0]!.body.messages[0].content, /one of: 1, 2\)/);
  });

  it('tie-break and diff size', () => {
    assert.strictEqual(tieBreak([attempt(0, true, 5, 5), attempt(1, true, 5, 2), attempt(2, true, 6, 1)]).index, 1);
    assert.strictEqual(diffSize('--- a/x\n+++ b/x\n-old\n+new\n+more\n context'), 3);
    assert.match(formatAttempts([attempt(0, false, 2, 0)], 2000), /\(no change\)/);
  });
});
