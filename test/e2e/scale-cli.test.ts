/** MaTTS through the CLI: parallel attempts in worktrees with self-contrast, and sequential refinement. */
import * as assert from 'assert';
import { contentText, type Script, type ScriptContext } from '../fixtures/scripted-server';
import { SUM_FIX, SUM_REPO, SUM_WRONG, cliHarness, git, makeRepo, runCli } from '../fixtures/repos';

const judge: NonNullable<Script['structured']>[string] = (ctx) => ({ json: { success: /a \+ b/.test(ctx.text), reason: 'judged by the scripted judge' } });
const lessons = (outcome: string) => () => ({
  json: { items: [{ title: `A ${outcome} lesson`, description: 'Use when an arithmetic helper returns wrong values.', content: 'Read the failing assertion first, then fix the operator at its source and rerun the tests.' }] },
});

type Plan = 'right' | 'wrong' | 'noop';
function planned(plan: (conversation: number) => Plan): Script['agent'] {
  return (ctx: ScriptContext) => {
    const p = plan(ctx.conversation);
    if (p === 'noop' || ctx.step >= 2) return { toolCalls: [{ name: 'finish', arguments: { summary: `${p} done` } }] };
    if (ctx.step === 0) return { toolCalls: [{ name: 'edit_file', arguments: p === 'right' ? SUM_FIX : SUM_WRONG }] };
    return { toolCalls: [{ name: 'run_command', arguments: { command: 'node --test' } }] };
  };
}

function clean(repo: string): void {
  const worktrees = git(repo, 'worktree', 'list').trim().split('\n');
  assert.strictEqual(worktrees.length, 1, worktrees.join('\n'));
  assert.strictEqual(git(repo, 'branch', '--list').trim(), '* main');
  assert.strictEqual(git(repo, 'status', '--porcelain'), '');
}

describe('CLI solve --k (MaTTS, end to end)', function () {
  this.timeout(180000);
  const h = cliHarness();

  it('parallel ×3: attempts run concurrently, the passing patch wins, one contrast call sees all attempts', async () => {
    const repo = makeRepo(SUM_REPO);
    const plans: Plan[] = ['wrong', 'right', 'noop'];
    h.server.setScript({
      latencyMs: 150,
      agent: planned((c) => plans[c % 3]!),
      structured: { judge, memory_items: lessons('contrast'), best_of_k: () => ({ json: { index: 0, reason: 'looks tidy' } }) },
    });
    const run = await runCli(['solve', '--repo', repo, '--issue', 'sum(2, 3) returns -1', '--test', 'node --test', '--k', '3', '--json'], { env: h.env });
    assert.strictEqual(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.strictEqual(result.status, 'resolved');
    assert.strictEqual(result.attempts.length, 3);
    result.attempts.forEach((a: { index: number }, i: number) => assert.strictEqual(a.index, i));
    const chosen = result.attempts[result.chosen];
    assert.strictEqual(chosen.status, 'resolved');
    assert.match(chosen.patch, /a \+ b/);
    assert.strictEqual(result.patch, chosen.patch);
    assert.deepStrictEqual(result.attempts.map((a: { status: string }) => a.status).sort(), ['resolved', 'unresolved', 'unresolved']);
    // a single passing attempt is chosen by the tests alone: the model is not asked
    assert.strictEqual(h.server.structuredRequests('best_of_k').length, 0);
    // one extraction call, with the material of all three attempts
    const extraction = h.server.structuredRequests('memory_items');
    assert.strictEqual(extraction.length, 1);
    const prompt = extraction[0]!.body.messages.map((m: { content: unknown }) => contentText(m.content)).join('\n');
    for (const i of [0, 1, 2]) assert.match(prompt, new RegExp(`Attempt ${i} `));
    assert.match(prompt, /PASSED/);
    assert.match(prompt, /FAILED/);
    // the three conversations' requests overlap in time
    const spans = [0, 1, 2].map((c) => {
      const rs = h.server.chat().filter((r) => r.conversation === c);
      return [Math.min(...rs.map((r) => r.startedAt)), Math.max(...rs.map((r) => r.endedAt!))];
    });
    const overlap = Math.min(...spans.map((s) => s[1]!)) - Math.max(...spans.map((s) => s[0]!));
    assert.ok(overlap > 0, `attempts did not overlap: ${JSON.stringify(spans)}`);
    assert.strictEqual(result.memory.added.length, 1);
    const listed = JSON.parse((await runCli(['memory', 'list', '--memory', `${repo}/.reasoningbank/memory.sqlite`, '--json'], { env: h.env })).stdout);
    assert.strictEqual(listed[0].outcome, 'contrast');
    assert.strictEqual(listed[0].source, 'parallel');
    clean(repo);
  });

  it('parallel: the tests outrank the model — a best-of-k reply naming a failing attempt is not followed', async () => {
    const repo = makeRepo(SUM_REPO);
    const plans: Plan[] = ['right', 'wrong', 'right'];
    let asked = '';
    h.server.setScript({
      agent: planned((c) => plans[c % 3]!),
      structured: {
        judge,
        memory_items: lessons('contrast'),
        best_of_k: (ctx) => {
          asked = ctx.text;
          const allowed = /one of: ([\d, ]+)\)/.exec(ctx.text)![1]!.split(',').map((s) => Number(s.trim()));
          const failing = [0, 1, 2].find((i) => !allowed.includes(i))!;
          return { json: { index: failing, reason: 'prefer this one' } };
        },
      },
    });
    const run = await runCli(['solve', '--repo', repo, '--issue', 'sum(2, 3) returns -1', '--test', 'node --test', '--k', '3', '--json'], { env: h.env });
    assert.strictEqual(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.ok(asked, `two passing attempts: the model was asked to choose\n${run.stderr}`);
    assert.strictEqual(result.attempts[result.chosen].status, 'resolved');
    assert.match(result.patch, /a \+ b/);
    clean(repo);
  });

  it('parallel: an attempt that crashes is recorded as an error and the others go on', async () => {
    const repo = makeRepo(SUM_REPO);
    h.server.setScript({
      agent: planned(() => 'right'),
      // conversation 1 is refused outright (not retryable): that attempt cannot go on
      before: (ctx) => (ctx.conversation === 1 && ctx.step === 0 ? { status: 400, body: { error: { message: 'context length exceeded' } } } : undefined),
      structured: { judge, memory_items: lessons('contrast'), best_of_k: () => ({ json: { index: 0, reason: 'first' } }) },
    });
    const run = await runCli(['solve', '--repo', repo, '--issue', 'sum(2, 3) returns -1', '--test', 'node --test', '--k', '2', '--json'], { env: h.env });
    assert.strictEqual(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    const statuses = result.attempts.map((a: { status: string }) => a.status).sort();
    assert.deepStrictEqual(statuses, ['error', 'resolved']);
    const crashed = result.attempts.find((a: { status: string }) => a.status === 'error');
    assert.match(crashed.error, /context length exceeded/);
    assert.strictEqual(result.attempts[result.chosen].status, 'resolved');
    clean(repo);
  });

  it('sequential: a wrong first finish is corrected in a refine round, and the correction becomes a lesson', async () => {
    const repo = makeRepo(SUM_REPO);
    h.server.setScript({
      agent: (ctx) => {
        const steps = [
          { name: 'edit_file', arguments: SUM_WRONG },
          { name: 'finish', arguments: { summary: 'multiplied' } },
          { name: 'edit_file', arguments: { path: 'src/sum.js', old_text: 'return a * b;', new_text: 'return a + b;' } },
          { name: 'finish', arguments: { summary: 'CONFIRMED: sum adds now' } },
        ];
        const s = steps[ctx.step];
        return s ? { toolCalls: [s] } : { content: 'done' };
      },
      structured: { judge, memory_items: lessons('refinement') },
    });
    const run = await runCli(['solve', '--repo', repo, '--issue', 'sum(2, 3) returns -1', '--test', 'node --test', '--k', '2', '--mode', 'sequential', '--json'], { env: h.env });
    assert.strictEqual(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.strictEqual(result.status, 'resolved');
    assert.strictEqual(result.attempts.length, 1);
    assert.strictEqual(result.steps, 4);
    assert.match(result.patch, /\+  return a \+ b;/);
    assert.doesNotMatch(result.patch, /a \* b/);
    // the refine prompt continued the same conversation
    const conversations = new Set(h.server.chat().map((r) => r.conversation));
    assert.deepStrictEqual([...conversations], [0]);
    const last = h.server.chat().at(-1)!.body.messages;
    assert.ok(last.some((m: { role: string; content: unknown }) => m.role === 'user' && /re-examine/.test(contentText(m.content))));
    const extraction = h.server.structuredRequests('memory_items');
    assert.strictEqual(extraction.length, 1);
    assert.match(contentText(extraction[0]!.body.messages[0].content), /Round 1/);
    const listed = JSON.parse((await runCli(['memory', 'list', '--memory', `${repo}/.reasoningbank/memory.sqlite`, '--json'], { env: h.env })).stdout);
    assert.deepStrictEqual([listed[0].outcome, listed[0].source], ['refinement', 'sequential']);
    clean(repo);
  });

  it('Ctrl-C during ×3 stops every attempt and removes every worktree', async () => {
    const repo = makeRepo(SUM_REPO);
    h.server.setScript({
      agent: () => ({ toolCalls: [{ name: 'run_command', arguments: { command: 'sleep 120' } }] }),
      structured: { judge, memory_items: lessons('x') },
    });
    let sent = false;
    const run = await runCli(['solve', '--repo', repo, '--issue', 'hang', '--test', 'true', '--k', '3', '--json'], {
      env: h.env,
      onStderr: (text, child) => {
        if (!sent && (text.match(/run_command/g) ?? []).length >= 3) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 300);
        }
      },
    });
    assert.ok(sent, run.stderr);
    assert.strictEqual(run.code, 130, run.stderr);
    clean(repo);
  });
});
