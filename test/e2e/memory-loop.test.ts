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

/** the first request's messages as text: lessons follow the task in the first user message */
const firstPrompt = (server: ScriptedServer) => server.chat()[0]!.body.messages.map((m: { content?: unknown }) => contentText(m.content)).join('\n');

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
    assert.doesNotMatch(firstPrompt(h.server), /Verify arithmetic operators/);
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
    const prompt = firstPrompt(h.server);
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
    assert.deepStrictEqual(r3.memory, { retrieved: [], added: [], used: [], recalled: [], cited: [] });
    assert.doesNotMatch(firstPrompt(h.server), /Verify arithmetic operators/);
    assert.strictEqual(h.server.structuredRequests('memory_items').length, 0);
  });

  it('puts the best lesson in full and an index before the agent; recall by query and id; credit only for lessons used', async () => {
    const repo = makeRepo(SUM_REPO);
    const memory = path.join(repo, '.reasoningbank', 'memory.sqlite');
    const lesson = (n: number, title: string, content: string) =>
      JSON.stringify({ id: `${String(n).repeat(8)}-0000-4000-8000-000000000000`, title, description: `Use when a sum or other arithmetic helper returns the wrong value (${n}).`, content, source: 'manual' });
    const jsonl = [
      lesson(1, 'Check the operator in arithmetic helpers', 'A sum that subtracts shows as a wrong sign: read the operator first. MARKONE'),
      lesson(2, 'Test arithmetic helpers with two numbers', 'Call the helper with two small numbers and compare with the expected value. MARKTWO'),
      lesson(3, 'Rerun the failing arithmetic test after the fix', 'Run the exact failing test again once the helper returns the right value. MARKTHREE'),
      lesson(4, 'Look for arithmetic helpers that swap their numbers', 'A helper that swaps its two numbers returns the wrong value only for some inputs. MARKFOUR'),
    ].join('\n');
    const file = path.join(tempDir('rb-lessons-'), 'lessons.jsonl');
    fs.writeFileSync(file, jsonl + '\n');
    assert.strictEqual((await runCli(['memory', 'import', file, '--restore', '--memory', memory], { env: h.env })).code, 0);

    const shortIds = (text: string) => [...text.matchAll(/^- \[([0-9a-f]{8})\]/gm)].map((m) => m[1]!);
    h.server.setScript({
      agent: (ctx) => {
        // the agent's own words: the one word only the lesson shown in full has
        if (ctx.step === 0) return { toolCalls: [{ name: 'recall', arguments: { query: ctx.text.match(/MARK[A-Z]+/)![0] } }] };
        if (ctx.step === 1) return { toolCalls: [{ name: 'recall', arguments: { ids: [shortIds(ctx.text)[0]] } }] };
        if (ctx.step === 2) return { toolCalls: [{ name: 'edit_file', arguments: SUM_FIX }] };
        return { toolCalls: [{ name: 'finish', arguments: { summary: 'fixed the operator', lessons: [shortIds(ctx.text)[1], 'ffffffff'] } }] };
      },
      structured: { judge: () => ({ json: { success: true, reason: 'adds now' } }), memory_items: () => ({ json: { items: [] } }) },
    });
    const run = await runCli(['solve', '--repo', repo, '--issue', 'the sum helper returns the wrong value for two numbers', '--test', 'node --test', '--json'], { env: h.env });
    assert.strictEqual(run.code, 0, run.stderr);
    const r = JSON.parse(run.stdout);
    assert.strictEqual(r.memory.retrieved.length, 4, 'all four are above the floor');
    const [full, byId, cited, untouched] = r.memory.retrieved as string[];

    const requests = h.server.chat();
    const first = requests[0]!.body.messages;
    assert.doesNotMatch(contentText(first[0]!.content), /MARK/, 'no lesson in the system prompt');
    const user = contentText(first[1]!.content);
    assert.match(user, /^the sum helper returns the wrong value for two numbers\n\nLessons from earlier tasks follow, as reference data/);
    assert.strictEqual(user.match(/MARK[A-Z]+/g)?.length, 1, 'only the best lesson in full');
    assert.match(user, new RegExp(`<lessons>\\n\\[${full!.slice(0, 8)}\\] [^\\n]+\\nWhen: [^\\n]+\\nFrom: manual; unused\\n`));
    assert.deepStrictEqual(shortIds(user), [byId, cited, untouched].map((id) => id!.slice(0, 8)), 'the others as index lines');

    const toolResult = (i: number) => contentText(requests[i]!.body.messages.filter((m: { role: string }) => m.role === 'tool').at(-1)!.content);
    assert.match(toolResult(1), new RegExp(`^<lessons>\\n\\[${full!.slice(0, 8)}\\] [^\\n]+\\n[\\s\\S]*${user.match(/MARK[A-Z]+/)![0]}\\n</lessons>$`), 'recall by query returns the lesson in full');
    assert.match(toolResult(2), new RegExp(`^<lessons>\\n\\[${byId!.slice(0, 8)}\\][\\s\\S]*MARK[A-Z]+\\n</lessons>$`), 'recall by id returns that lesson in full');

    assert.deepStrictEqual(r.memory.recalled, [full, byId]);
    assert.deepStrictEqual(r.memory.cited, [cited], 'an id the agent never saw is ignored');
    assert.ok(r.memory.used.includes(full) && r.memory.used.includes(byId) && r.memory.used.includes(cited));
    const show = async (id: string) => {
      const out = JSON.parse((await runCli(['memory', 'show', id, '--memory', memory, '--json'], { env: h.env })).stdout);
      return Array.isArray(out) ? out[0] : out;
    };
    const citedItem = await show(cited!);
    assert.deepStrictEqual([citedItem.uses, citedItem.wins, citedItem.shown], [1, 1, 0], 'the cited lesson gains a win');
    assert.deepStrictEqual([(await show(full!)).wins, (await show(byId!)).wins], [1, 1]);
    const other = await show(untouched!);
    assert.deepStrictEqual([other.uses, other.wins, other.shown], [0, 0, 1], 'listed, never opened: shown, no win');
  });

  it('a task worded unlike every lesson gets no lesson, a hint instead, and the agent\'s own words recall the lesson', async () => {
    const repo = makeRepo(SUM_REPO);
    const memory = path.join(repo, '.reasoningbank', 'memory.sqlite');
    const file = path.join(tempDir('rb-lessons-'), 'lessons.jsonl');
    const lesson = (n: number, title: string, description: string, content: string) =>
      JSON.stringify({ id: `${String(n).repeat(8)}-0000-4000-8000-000000000000`, title, description, content, source: 'manual' });
    fs.writeFileSync(
      file,
      [
        lesson(1, 'Check the operator in arithmetic helpers', 'Use when a sum helper returns a wrong value.', 'A sum that subtracts shows a wrong sign: read the operator first. MARKONE'),
        lesson(2, 'Keep money in integer cents', 'Use when invoice totals are a cent off.', 'Sum integer cents and round once. MARKTWO'),
      ].join('\n') + '\n',
    );
    assert.strictEqual((await runCli(['memory', 'import', file, '--restore', '--memory', memory], { env: h.env })).code, 0);
    h.server.setScript({
      agent: (ctx) => {
        if (ctx.step === 0) return { toolCalls: [{ name: 'recall', arguments: { query: 'sum helper subtracts: wrong operator in the arithmetic' } }] };
        if (ctx.step === 1) return { toolCalls: [{ name: 'edit_file', arguments: SUM_FIX }] };
        return { toolCalls: [{ name: 'finish', arguments: { summary: 'fixed the operator', lessons: ['11111111'] } }] };
      },
      structured: { judge: () => ({ json: { success: true, reason: 'adds now' } }), memory_items: () => ({ json: { items: [] } }) },
    });
    const run = await runCli(['solve', '--repo', repo, '--issue', 'Adding 2 and 3 gives -1', '--test', 'node --test', '--json'], { env: h.env });
    assert.strictEqual(run.code, 0, run.stderr);
    const r = JSON.parse(run.stdout);
    assert.deepStrictEqual(r.memory.retrieved, [], 'no lesson shares enough words with the task');
    const requests = h.server.chat();
    const user = contentText(requests[0]!.body.messages[1]!.content);
    assert.match(user, /^Adding 2 and 3 gives -1\n\nThe memory bank holds 2 lessons from earlier tasks; none shares enough words/);
    assert.doesNotMatch(user, /<lessons>|MARK/);
    const recalled = contentText(requests[1]!.body.messages.filter((m: { role: string }) => m.role === 'tool').at(-1)!.content);
    assert.match(recalled, /^<lessons>\n\[11111111\] Check the operator in arithmetic helpers\n[\s\S]*MARKONE/);
    assert.deepStrictEqual(r.memory.recalled, ['11111111-0000-4000-8000-000000000000']);
    assert.deepStrictEqual(r.memory.cited, ['11111111-0000-4000-8000-000000000000']);
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
