/** The learning loop through the CLI: a failure lesson is stored, retrieved for the next similar task. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ScriptedServer, contentText, type Script } from '../fixtures/scripted-server';
import { SUM_FIX, SUM_REPO, SUM_WRONG, cliHarness, makeRepo, runCli, tempDir } from '../fixtures/repos';

const LESSON = {
  title: 'Verify arithmetic operators against the failing assertion',
  description: 'Use when a numeric helper returns values that are off by a sign or a factor.',
  content: 'Compare the expected and actual values in the failing test before editing; a wrong operator shows as a consistent transformation. Rerun the exact failing test after the change.',
};

function script(edit: typeof SUM_FIX, success: boolean): Script {
  return {
    agent: (ctx) => {
      if (ctx.step === 0) return { toolCalls: [{ name: 'edit_file', arguments: edit }] };
      return { toolCalls: [{ name: 'finish', arguments: { summary: 'changed the operator' } }] };
    },
    structured: {
      judge: () => ({ json: { success, reason: success ? 'adds now' : 'still wrong' } }),
      memory_items: () => ({ json: { items: [LESSON] } }),
    },
  };
}

const systemPrompt = (server: ScriptedServer) => contentText(server.chat()[0]!.body.messages[0].content);

describe('memory loop through the CLI (end to end)', function () {
  this.timeout(120000);
  const h = cliHarness();

  it('stores a failure lesson, retrieves it for the next similar task, and --no-memory injects nothing', async () => {
    const repo = makeRepo(SUM_REPO);
    const memory = path.join(repo, '.reasoningbank', 'memory.sqlite');

    h.server.setScript(script(SUM_WRONG, false));
    const first = await runCli(['solve', '--repo', repo, '--issue', 'sum(2, 3) returns -1 instead of 5', '--test', 'node --test', '--json'], { env: h.env });
    assert.strictEqual(first.code, 1, first.stderr);
    const r1 = JSON.parse(first.stdout);
    assert.deepStrictEqual(r1.memory.retrieved, []);
    assert.strictEqual(r1.memory.added.length, 1);
    assert.ok(fs.existsSync(memory));
    assert.doesNotMatch(systemPrompt(h.server), /Verify arithmetic operators/);
    const extraction = h.server.structuredRequests('memory_items');
    assert.strictEqual(extraction.length, 1);
    assert.match(contentText(extraction[0]!.body.messages.map((m: { content: unknown }) => contentText(m.content)).join('\n')), /fail/i);

    const listed = JSON.parse((await runCli(['memory', 'list', '--memory', memory, '--json'], { env: h.env })).stdout);
    assert.strictEqual(listed.length, 1);
    assert.strictEqual(listed[0].id, r1.memory.added[0]);
    assert.strictEqual(listed[0].outcome, 'failure');
    assert.strictEqual(listed[0].source, 'single');
    assert.strictEqual(listed[0].title, LESSON.title);

    // a similar task: the lesson is in the very first prompt
    h.server = await restart(h.server, script(SUM_FIX, true));
    h.env.OPENAI_BASE_URL = h.server.url;
    const second = await runCli(['solve', '--repo', repo, '--issue', 'sum of two numbers returns the wrong value', '--test', 'node --test', '--json'], { env: h.env });
    assert.strictEqual(second.code, 0, second.stderr);
    const r2 = JSON.parse(second.stdout);
    assert.deepStrictEqual(r2.memory.retrieved, [r1.memory.added[0]]);
    const prompt = systemPrompt(h.server);
    assert.match(prompt, /Verify arithmetic operators against the failing assertion/);
    assert.match(prompt, /a consistent transformation/);
    // evidence: the retrieved lesson was used once and the run was won
    const after = JSON.parse((await runCli(['memory', 'show', r1.memory.added[0], '--memory', memory, '--json'], { env: h.env })).stdout);
    const item = Array.isArray(after) ? after[0] : after;
    assert.strictEqual(item.uses, 1);
    assert.strictEqual(item.wins, 1);

    // the vanilla agent: nothing retrieved, nothing distilled
    h.server = await restart(h.server, script(SUM_FIX, true));
    h.env.OPENAI_BASE_URL = h.server.url;
    const third = await runCli(['solve', '--repo', repo, '--issue', 'sum of two numbers returns the wrong value', '--test', 'node --test', '--no-memory', '--json'], { env: h.env });
    assert.strictEqual(third.code, 0, third.stderr);
    const r3 = JSON.parse(third.stdout);
    assert.deepStrictEqual(r3.memory, { retrieved: [], added: [] });
    assert.doesNotMatch(systemPrompt(h.server), /Verify arithmetic operators/);
    assert.strictEqual(h.server.structuredRequests('memory_items').length, 0);
  });

  it('export then import into a new file gives the same items', async () => {
    const repo = makeRepo(SUM_REPO);
    const memory = path.join(repo, '.reasoningbank', 'memory.sqlite');
    h.server.setScript(script(SUM_WRONG, false));
    await runCli(['solve', '--repo', repo, '--issue', 'sum(2, 3) returns -1 instead of 5', '--test', 'node --test', '--json'], { env: h.env });
    const exported = path.join(tempDir('rb-export-'), 'bank.jsonl');
    const ex = await runCli(['memory', 'export', exported, '--memory', memory], { env: h.env });
    assert.strictEqual(ex.code, 0, ex.stderr);
    const target = path.join(tempDir('rb-import-'), 'other.sqlite');
    const im = await runCli(['memory', 'import', exported, '--memory', target], { env: h.env });
    assert.strictEqual(im.code, 0, im.stderr);
    const a = JSON.parse((await runCli(['memory', 'list', '--memory', memory, '--json'], { env: h.env })).stdout);
    const b = JSON.parse((await runCli(['memory', 'list', '--memory', target, '--json'], { env: h.env })).stdout);
    const pick = (items: Record<string, unknown>[]) => items.map((i) => [i.id, i.title, i.description, i.content, i.outcome]);
    assert.deepStrictEqual(pick(b), pick(a));
  });
});

async function restart(old: ScriptedServer, script: Script): Promise<ScriptedServer> {
  await old.stop();
  const fresh = new ScriptedServer(script);
  await fresh.start();
  return fresh;
}
