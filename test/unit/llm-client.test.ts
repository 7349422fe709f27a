/** The LLM layer against the scripted server: real openai client, real HTTP. */
import * as assert from 'assert';
import { z } from 'zod';
import { ScriptedServer } from '../fixtures/scripted-server';
import { OpenAIChatModel, resolveLlmSettings, type LlmSettings } from '../../src/engine/llm/openai-model';
import { RequestLimiter, backoffDelay, parseRetryAfter } from '../../src/engine/llm/limiter';
import { extractJson, toStrictJsonSchema } from '../../src/engine/llm/structured';
import { type EngineError } from '../../src/engine/errors';

function settings(url: string, extra: Partial<LlmSettings> = {}): LlmSettings {
  return { ...resolveLlmSettings({ baseUrl: url, model: 'scripted' }, {}), maxRetries: 3, ...extra };
}

describe('LLM client', function () {
  this.timeout(30000);
  let server: ScriptedServer;
  beforeEach(async () => {
    server = new ScriptedServer();
    await server.start();
  });
  afterEach(() => server.stop());

  describe('settings', () => {
    it('needs an API key only for the default OpenAI endpoint', () => {
      assert.throws(() => resolveLlmSettings({}, {}), /OPENAI_API_KEY/);
      assert.strictEqual(resolveLlmSettings({}, { OPENAI_API_KEY: 'sk-x' }).baseURL, 'https://api.openai.com/v1');
      const local = resolveLlmSettings({ baseUrl: 'http://127.0.0.1:1/v1/' }, {});
      assert.strictEqual(local.baseURL, 'http://127.0.0.1:1/v1');
    });
    it('lets flags win over the environment and rejects a URL that is not one', () => {
      const s = resolveLlmSettings({ model: 'flag-model' }, { OPENAI_BASE_URL: 'http://h/v1', REASONINGBANK_MODEL: 'env-model', REASONINGBANK_EMBEDDING_MODEL: 'emb' });
      assert.deepStrictEqual([s.baseURL, s.model, s.embeddingModel], ['http://h/v1', 'flag-model', 'emb']);
      assert.throws(() => resolveLlmSettings({ baseUrl: 'not a url' }, {}), /not a URL/);
    });
  });

  it('assembles tool calls from a stream and counts tokens per child meter', async () => {
    server.setScript({ agent: () => ({ content: 'thinking', toolCalls: [{ name: 'read_file', arguments: { path: 'a.js' } }, { name: 'finish', arguments: { summary: 's' } }] }) });
    const root = OpenAIChatModel.create(settings(server.url, { stream: true }));
    const child = root.child();
    let streamed = '';
    const reply = await child.complete({ messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'read_file', parameters: { type: 'object' } } }], onText: (d) => (streamed += d) });
    assert.strictEqual(reply.content, 'thinking');
    assert.strictEqual(streamed, 'thinking');
    assert.deepStrictEqual(reply.toolCalls.map((c) => [c.name, JSON.parse(c.arguments)]), [['read_file', { path: 'a.js' }], ['finish', { summary: 's' }]]);
    assert.ok(reply.usage.prompt > 0);
    assert.deepStrictEqual(child.usage, root.usage, 'the child counts into its parent');
    await root.complete({ messages: [{ role: 'user', content: 'again' }] });
    assert.ok(root.usage.prompt > child.usage.prompt, 'the parent counts its own requests too; the child does not');
  });

  it('retries 5xx and 429, honouring Retry-After', async () => {
    let n = 0;
    server.setScript({
      before: () => {
        n++;
        if (n === 1) return { status: 503 };
        if (n === 2) return { status: 429, headers: { 'retry-after-ms': '400' } };
        return undefined;
      },
      agent: () => ({ content: 'ok' }),
    });
    const warnings: string[] = [];
    const model = OpenAIChatModel.create(settings(server.url), { onWarn: (m) => warnings.push(m) });
    const reply = await model.complete({ messages: [{ role: 'user', content: 'x' }] });
    assert.strictEqual(reply.content, 'ok');
    assert.strictEqual(server.requests.length, 3);
    const gap = server.requests[2]!.startedAt - server.requests[1]!.startedAt;
    assert.ok(gap >= 390, `waited ${gap} ms after a 429 asking for 400 ms`);
    assert.strictEqual(warnings.length, 2);
    assert.match(warnings[1]!, /retrying in 400 ms/);
  });

  it('an endpoint that stops answering fails the rest of its run at once, and a new run tries it again', async () => {
    let hang = true;
    server.setScript({ agent: () => (hang ? { hang: true } : { content: 'back' }) });
    const root = OpenAIChatModel.create(settings(server.url, { timeoutMs: 300 }));
    const run = root.child();
    const ask = (m: typeof root | ReturnType<typeof root.child>) => m.complete({ messages: [{ role: 'user', content: 'hi' }] });
    await assert.rejects(ask(run), /did not answer: no reply within 0 s, 2 times/);
    const seen = server.chat().length;
    hang = false;
    await assert.rejects(ask(run.child()), /did not answer/, 'the same run does not wait again');
    assert.strictEqual(server.chat().length, seen);
    const reply = await ask(root.child({ newRun: true }));
    assert.strictEqual(reply.content, 'back');
  });

  it('does not retry a 400, and names the endpoint and the model', async () => {
    server.setScript({ before: () => ({ status: 400, body: { error: { message: 'bad request body' } } }) });
    const model = OpenAIChatModel.create(settings(server.url));
    await assert.rejects(model.complete({ messages: [{ role: 'user', content: 'x' }] }), (err: EngineError) => {
      assert.strictEqual(err.code, 'endpoint');
      assert.ok(err.message.includes('"scripted"') && err.message.includes(server.url), err.message);
      return true;
    });
    assert.strictEqual(server.requests.length, 1);
  });

  it('explains a 404 (unknown model) and an unreachable endpoint', async () => {
    server.setScript({ before: () => ({ status: 404, body: { error: { message: 'model not found' } } }) });
    await assert.rejects(OpenAIChatModel.create(settings(server.url)).complete({ messages: [{ role: 'user', content: 'x' }] }), /not found \(404\).*model name/);
    const url = server.url;
    await server.stop();
    await assert.rejects(
      OpenAIChatModel.create(settings(url, { maxRetries: 1 })).complete({ messages: [{ role: 'user', content: 'x' }] }),
      (err: EngineError) => err.code === 'endpoint' && /cannot reach/.test(err.message) && err.message.includes(url),
    );
    await server.start();
  });

  describe('structured replies', () => {
    const schema = z.object({ success: z.boolean(), reason: z.string() });

    it('sends a strict json_schema response format and validates the reply', async () => {
      server.setScript({ structured: { verdict: () => ({ content: '```json\n{"success": true, "reason": "ok"}\n```' }) } });
      const model = OpenAIChatModel.create(settings(server.url));
      assert.deepStrictEqual(await model.structured({ name: 'verdict', schema, messages: [{ role: 'user', content: 'judge' }] }), { success: true, reason: 'ok' });
      const sent = server.requests[0]!.body.response_format;
      assert.strictEqual(sent.type, 'json_schema');
      assert.strictEqual(sent.json_schema.strict, true);
      assert.strictEqual(sent.json_schema.schema.additionalProperties, false);
      assert.deepStrictEqual(sent.json_schema.schema.required, ['success', 'reason']);
    });

    it('repairs once, showing the model what was wrong', async () => {
      let n = 0;
      server.setScript({ structured: { verdict: () => (n++ === 0 ? { json: { success: 'yes' } } : { json: { success: false, reason: 'fixed' } }) } });
      const model = OpenAIChatModel.create(settings(server.url));
      assert.deepStrictEqual(await model.structured({ name: 'verdict', schema, messages: [{ role: 'user', content: 'judge' }] }), { success: false, reason: 'fixed' });
      const repair = server.requests[1]!.body.messages.at(-1).content as string;
      assert.match(repair, /does not match the required JSON schema "verdict"/);
      assert.match(repair, /success/);
    });

    it('gives a clear error after the repair also fails', async () => {
      server.setScript({ structured: { verdict: () => ({ content: 'I think it is fine.' }) } });
      const model = OpenAIChatModel.create(settings(server.url));
      await assert.rejects(model.structured({ name: 'verdict', schema, messages: [{ role: 'user', content: 'judge' }] }), (err: EngineError) => {
        assert.strictEqual(err.code, 'model-reply');
        assert.match(err.message, /"verdict" reply that does not match its schema, also after one repair request: not valid JSON/);
        return true;
      });
      assert.strictEqual(server.requests.length, 2);
    });

    it('closes every nested object in the schema', () => {
      const json = toStrictJsonSchema(z.object({ items: z.array(z.object({ title: z.string(), content: z.string() })).max(3) })) as any;
      assert.strictEqual(json.additionalProperties, false);
      assert.strictEqual(json.properties.items.items.additionalProperties, false);
      assert.deepStrictEqual(json.properties.items.items.required, ['title', 'content']);
      assert.deepStrictEqual(extractJson('Sure! {"a": [1]} hope that helps'), { a: [1] });
    });
  });

  it('embeddings: vectors when served, null and one warning when not', async () => {
    server.setScript({ embeddings: (input) => input.map((t) => [t.length, 1, 0]) });
    const warnings: string[] = [];
    const model = OpenAIChatModel.create({ ...settings(server.url), embeddingModel: 'emb' }, { onWarn: (m) => warnings.push(m) });
    assert.deepStrictEqual(await model.embed(['ab', 'abcd']), [[2, 1, 0], [4, 1, 0]]);
    server.setScript({});
    assert.strictEqual(await model.embed(['x']), null);
    assert.strictEqual(await model.embed(['y']), null);
    assert.strictEqual(model.embeddingModel, null, 'a failing embeddings endpoint is not asked again');
    assert.strictEqual(warnings.filter((w) => /lexical/.test(w)).length, 1);
    const none = OpenAIChatModel.create(settings(server.url));
    assert.strictEqual(await none.embed(['x']), null);
  });
});

describe('request limiter and backoff', () => {
  it('caps requests in flight and lets the rest wait their turn', async () => {
    const limiter = new RequestLimiter(2);
    let inFlight = 0;
    let most = 0;
    const job = () =>
      limiter.run(async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
      });
    await Promise.all(Array.from({ length: 6 }, job));
    assert.strictEqual(most, 2);
  });

  it('a pause holds back every later request', async () => {
    const limiter = new RequestLimiter(4);
    limiter.pause(150);
    const started = Date.now();
    await limiter.run(async () => undefined);
    assert.ok(Date.now() - started >= 140);
  });

  it('a queued request can be cancelled', async () => {
    const limiter = new RequestLimiter(1);
    let release!: () => void;
    const first = limiter.run(() => new Promise<void>((r) => (release = r)));
    const ac = new AbortController();
    const second = limiter.run(async () => 'ran', ac.signal);
    ac.abort(new Error('stop'));
    await assert.rejects(second, /stop/);
    release();
    await first;
  });

  it('backs off exponentially with jitter under a cap, and prefers Retry-After', () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const d = backoffDelay(attempt);
      const ceiling = Math.min(30000, 500 * 2 ** attempt);
      assert.ok(d >= ceiling / 2 && d <= ceiling, `${attempt}: ${d}`);
    }
    assert.strictEqual(backoffDelay(3, 1234), 1234);
    const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n] ?? null });
    assert.strictEqual(parseRetryAfter(headers({ 'retry-after': '2' })), 2000);
    assert.strictEqual(parseRetryAfter(headers({ 'retry-after-ms': '150' })), 150);
    assert.strictEqual(parseRetryAfter(headers({})), undefined);
    const inAMinute = new Date(Date.now() + 60000).toUTCString();
    const ms = parseRetryAfter(headers({ 'retry-after': inAMinute }))!;
    assert.ok(ms > 50000 && ms <= 60000);
  });
});
