import { strict as assert } from 'assert';
import { ScriptedServer } from '../fixtures/scripted-server';
import { HANG_MARKER, integrationScript, LESSON, LESSONS_BY_MARKER, NEVER_VALID_MARKER, REPAIR_ONCE_MARKER } from '../integration/scripted-llm';
import { ForwardingChatModel, type CompleteForwarder } from '../../src/server/forwarding-model';
import { distillLessons } from '../../src/engine/memory/distill';
import { CancelledError, EngineError } from '../../src/engine/errors';
import type { AssistantReply } from '../../src/engine/llm/model';

/**
 * Provider "vscode-lm" outside VS Code: the forwarder stands where the extension's vscode.lm bridge
 * stands and hands each request, over HTTP, to the scripted server the integration tests use (the same
 * route the test-only provider extension takes). The Language Model API has no response_format, so the
 * schema travels in the prompt; this checks that the engine's instruction, the repair round and the
 * errors work on that route.
 */
describe('ForwardingChatModel (provider vscode-lm) against the scripted model', function () {
  this.timeout(30000);
  let server: ScriptedServer;

  const forward: CompleteForwarder = async (params, signal) => {
    const res = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: params.model, messages: params.messages, ...(params.tools?.length ? { tools: params.tools } : {}) }),
      signal,
    });
    const body = (await res.json()) as { error?: { message: string }; choices: { message: { content: string | null; tool_calls?: { id: string; function: { name: string; arguments: string } }[] } }[] };
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${body.error?.message}`);
    const m = body.choices[0]!.message;
    const toolCalls = (m.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments }));
    return { content: m.content, toolCalls, finishReason: toolCalls.length ? 'tool_calls' : 'stop', usage: { prompt: 10, completion: 5 } } satisfies AssistantReply;
  };

  const distill = (task: string) =>
    distillLessons(new ForwardingChatModel(forward, 'scripted'), { task, success: true, trajectory: 'read, edit, npm test', patch: '', testsSummary: '3 passed', judgeReason: 'tests pass' });

  beforeEach(async () => {
    server = new ScriptedServer(integrationScript());
    await server.start();
  });
  afterEach(() => server.stop());

  it('asks for the schema in the prompt (no response_format) and validates the reply', async () => {
    const drafts = await distill('fix the discount');
    assert.deepEqual(drafts, [LESSON]);
    const [req] = server.chat();
    assert.ok(req);
    assert.equal(req.body.response_format, undefined);
    assert.match(String(req.body.messages.at(-1).content), /^Reply with only one JSON value named "[a-z_]+" that matches this JSON schema/);
  });

  it('repairs a malformed reply once', async () => {
    const drafts = await distill(`fix the discount (${REPAIR_ONCE_MARKER})`);
    assert.deepEqual(drafts, [LESSONS_BY_MARKER[REPAIR_ONCE_MARKER]]);
    const reqs = server.chat();
    assert.equal(reqs.length, 2);
    assert.equal(reqs[1]!.body.messages.at(-2).role, 'assistant', 'the model sees its own malformed reply');
    assert.match(String(reqs[1]!.body.messages.at(-1).content), /does not match the required JSON schema "[a-z_]+": items: /);
  });

  it('gives up after the repair round with an error that names the model, the schema and the problem', async () => {
    await assert.rejects(distill(`fix the discount (${NEVER_VALID_MARKER})`), (err: unknown) => {
      assert.ok(err instanceof EngineError);
      assert.equal(err.code, 'model-reply');
      assert.match(err.message, /^VS Code language model "scripted" gave a "[a-z_]+" reply that does not match its schema, also after one repair request: items: /);
      return true;
    });
    assert.equal(server.chat().length, 2);
  });

  it('turns an abort into CancelledError and a failed forward into an endpoint error', async () => {
    const model = new ForwardingChatModel(forward, 'scripted');
    const ac = new AbortController();
    const pending = model.complete({ messages: [{ role: 'user', content: HANG_MARKER }], tools: [{ type: 'function', function: { name: 'finish', parameters: { type: 'object', properties: {} } } }], signal: ac.signal });
    while (server.chat().length === 0) await new Promise((r) => setTimeout(r, 10));
    ac.abort();
    await assert.rejects(pending, CancelledError);

    server.setScript({ agent: () => ({ status: 500, body: { error: { message: 'model overloaded' } } }) });
    await assert.rejects(model.complete({ messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'finish' } }] }), (err: unknown) => {
      assert.ok(err instanceof EngineError);
      assert.equal(err.code, 'endpoint');
      assert.match(err.message, /^VS Code language model "scripted": HTTP 500: model overloaded/);
      return true;
    });
  });
});
