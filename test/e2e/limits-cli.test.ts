/**
 * Bad settings, silent endpoints, long runs, huge untracked files and a user who edits while the agent
 * works, through the built CLI.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { type Script, sequenceAgent } from '../fixtures/scripted-server';
import { SUM_FIX, SUM_REPO, cliHarness, git, makeRepo, runCli } from '../fixtures/repos';

const judgeOk: NonNullable<Script['structured']>[string] = () => ({ json: { success: true, reason: 'fixed' } });
const noLessons: NonNullable<Script['structured']>[string] = () => ({ json: { items: [] } });

function worktreeCount(repo: string): number {
  return git(repo, 'worktree', 'list').trim().split('\n').length;
}

describe('CLI solve limits and bad settings', function () {
  this.timeout(120000);
  const h = cliHarness();

  for (const [name, value, range] of [
    ['REASONINGBANK_CONCURRENCY', '0', '1 to 64'],
    ['REASONINGBANK_CONCURRENCY', 'abc', '1 to 64'],
    ['REASONINGBANK_MAX_RETRIES', 'abc', '0 to 10'],
    ['REASONINGBANK_MAX_RETRIES', '-1', '0 to 10'],
    ['REASONINGBANK_REQUEST_TIMEOUT_MS', 'abc', '1000 to 3600000'],
    ['REASONINGBANK_REQUEST_TIMEOUT_MS', '1e3', '1000 to 3600000'],
    ['REASONINGBANK_MAX_UNTRACKED_MB', '0.5', '1 to 1000000'],
  ]) {
    it(`${name}=${value} exits 2 naming the variable and its range, before anything runs`, async () => {
      const repo = makeRepo(SUM_REPO);
      const run = await runCli(['solve', '--repo', repo, '--issue', 'x', '--json'], { env: { ...h.env, [name]: value } });
      assert.strictEqual(run.code, 2, run.stderr);
      assert.match(run.stderr, new RegExp(`${name} must be a whole number from ${range} \\(got "${value.replace('.', '\\.')}"\\)`));
      assert.strictEqual(JSON.parse(run.stdout).error.code, 'usage');
      assert.strictEqual(h.server.chat().length, 0);
      assert.strictEqual(worktreeCount(repo), 1);
    });
  }

  it('a never-answering endpoint fails (exit 3) naming the endpoint and the model, after two tries', async () => {
    const repo = makeRepo(SUM_REPO);
    h.server.setScript({ agent: () => ({ hang: true }), structured: { judge: () => ({ hang: true }), memory_items: () => ({ hang: true }) } });
    const run = await runCli(['solve', '--repo', repo, '--issue', 'x', '--json'], {
      env: { ...h.env, REASONINGBANK_REQUEST_TIMEOUT_MS: '1000' },
      timeoutMs: 30000,
    });
    assert.strictEqual(run.code, 3, run.stderr);
    const error = JSON.parse(run.stdout).error;
    assert.strictEqual(error.code, 'endpoint');
    assert.match(error.message, new RegExp(`model "scripted" at ${h.server.url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} did not answer: no reply within 1 s, 2 times`));
    // the judge and distillation did not wait again: two requests in all
    assert.strictEqual(h.server.chat().length + h.server.structuredRequests().length, 2);
    assert.strictEqual(worktreeCount(repo), 1);
  });

  it('a 50-step run prints no warning on stderr', async () => {
    const repo = makeRepo(SUM_REPO);
    h.server.setScript({
      agent: (ctx) =>
        ctx.step < 48
          ? { toolCalls: [{ name: 'read_file', arguments: { path: 'src/sum.js' } }] }
          : ctx.step === 48
            ? { toolCalls: [{ name: 'edit_file', arguments: SUM_FIX }] }
            : { toolCalls: [{ name: 'finish', arguments: { summary: 'fixed' } }] },
      structured: { judge: judgeOk, memory_items: noLessons },
    });
    const run = await runCli(['solve', '--repo', repo, '--issue', 'sum subtracts', '--max-steps', '60', '--json'], { env: h.env });
    assert.strictEqual(run.code, 0, run.stderr);
    assert.strictEqual(JSON.parse(run.stdout).steps, 50);
    assert.doesNotMatch(run.stderr, /Warning|MaxListeners/);
  });

  it('leaves untracked files over the size cap out of the worktree and names them', async () => {
    const repo = makeRepo(SUM_REPO);
    fs.writeFileSync(path.join(repo, 'dump.bin'), Buffer.alloc(2 * 1024 * 1024, 1));
    fs.writeFileSync(path.join(repo, 'notes.txt'), 'small untracked file\n');
    let listing = '';
    h.server.setScript({
      agent: (ctx) => {
        if (ctx.step === 0) return { toolCalls: [{ name: 'list_files', arguments: {} }] };
        if (ctx.step === 1) listing = ctx.lastToolResult ?? '';
        return ctx.step === 1 ? { toolCalls: [{ name: 'edit_file', arguments: SUM_FIX }] } : { toolCalls: [{ name: 'finish', arguments: { summary: 'ok' } }] };
      },
      structured: { judge: judgeOk, memory_items: noLessons },
    });
    const run = await runCli(['solve', '--repo', repo, '--issue', 'sum subtracts', '--json'], { env: { ...h.env, REASONINGBANK_MAX_UNTRACKED_MB: '1' } });
    assert.strictEqual(run.code, 0, run.stderr);
    assert.match(run.stderr, /left out of the worktree \(untracked files over the size cap, or git repositories without a commit\): dump\.bin/);
    assert.match(listing, /notes\.txt/);
    assert.doesNotMatch(listing, /dump\.bin/);
    assert.doesNotMatch(JSON.parse(run.stdout).patch, /dump\.bin/);
    // nothing of it went into the user's object store
    assert.doesNotMatch(git(repo, 'count-objects', '-v'), /size: [1-9]\d{3,}/);
  });

  it('an --apply that conflicts after a resolved run prints the result with applied:false and applyError, exit 4', async () => {
    const repo = makeRepo(SUM_REPO);
    h.server.setScript({
      agent: (ctx) => {
        if (ctx.step === 0) {
          // the user edits the same line while the agent works
          fs.writeFileSync(path.join(repo, 'src/sum.js'), 'function sum(a, b) {\n  return b - a;\n}\n\nmodule.exports = { sum };\n');
          return { toolCalls: [{ name: 'edit_file', arguments: SUM_FIX }] };
        }
        return { toolCalls: [{ name: 'finish', arguments: { summary: 'ok' } }] };
      },
      structured: { judge: judgeOk, memory_items: noLessons },
    });
    const run = await runCli(['solve', '--repo', repo, '--issue', 'sum subtracts', '--test', 'node --test', '--apply', '--json'], { env: h.env });
    assert.strictEqual(run.code, 4, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.strictEqual(result.status, 'resolved');
    assert.strictEqual(result.applied, false);
    assert.match(result.applyError, /conflicts in src\/sum\.js/);
    assert.match(result.patch, /\+  return a \+ b;/);
    assert.match(fs.readFileSync(path.join(repo, 'src/sum.js'), 'utf8'), /return b - a;/, 'the user\'s change is untouched');
    assert.ok(fs.existsSync(path.join(result.runDir, 'patch.diff')));
    const record = JSON.parse(fs.readFileSync(path.join(result.runDir, 'result.json'), 'utf8'));
    assert.strictEqual(record.applyError, result.applyError);
  });

  it('keeps secrets out of the lessons, the stored task text and the run records', async () => {
    const password = 'hunter2hunter2';
    const awsSecret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const repo = makeRepo({ ...SUM_REPO, 'deploy.env': `AWS_REGION=eu-west-1\nAWS_SECRET_ACCESS_KEY=${awsSecret}\n` });
    h.server.setScript({
      agent: (ctx) =>
        ctx.step === 0
          ? { toolCalls: [{ name: 'read_file', arguments: { path: 'deploy.env' } }] }
          : ctx.step === 1
            ? { toolCalls: [{ name: 'run_command', arguments: { command: `echo "login with password ${password}"` } }] }
            : ctx.step === 2
              ? { toolCalls: [{ name: 'edit_file', arguments: SUM_FIX }] }
              : { toolCalls: [{ name: 'finish', arguments: { summary: `fixed; the password is ${password}` } }] },
      structured: {
        judge: () => ({ json: { success: true, reason: `fixed (used AWS secret ${awsSecret})` } }),
        memory_items: () => ({
          json: {
            items: [
              {
                title: 'Log in before testing',
                description: 'Use when the staging tests need a session.',
                content: `The password is ${password}; the AWS secret is ${awsSecret}. Then run the tests.`,
              },
            ],
          },
        }),
      },
    });
    const run = await runCli(['solve', '--repo', repo, '--issue', `sum subtracts; the password is ${password}`, '--json'], { env: h.env });
    assert.strictEqual(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    const stored = [fs.readFileSync(path.join(repo, '.reasoningbank', 'memory.sqlite')).toString('latin1')];
    for (const f of fs.readdirSync(result.runDir)) stored.push(fs.readFileSync(path.join(result.runDir, f), 'utf8'));
    for (const text of stored) {
      assert.ok(!text.includes(password), 'the password was stored');
      assert.ok(!text.includes(awsSecret), 'the AWS secret was stored');
    }
    const list = await runCli(['memory', 'list', '--json', '--repo', repo]);
    const [item] = JSON.parse(list.stdout);
    assert.match(item.content, /The password is \[REDACTED\]; the AWS secret is \[REDACTED\]/);
    const shown = await runCli(['memory', 'show', item.id, '--json', '--repo', repo]);
    assert.match(JSON.parse(shown.stdout).task, /the password is \[REDACTED\]/);
  });

  it('an attempt that fails after the agent finished keeps its steps in the error and the run record', async () => {
    const repo = makeRepo(SUM_REPO);
    h.server.setScript({
      agent: (ctx) =>
        ctx.step === 0
          ? { toolCalls: [{ name: 'edit_file', arguments: SUM_FIX }] }
          : ctx.step === 1
            ? // unconfined, the agent plants a filter driver: the engine refuses to run its own git on the worktree
              { toolCalls: [{ name: 'run_command', arguments: { command: 'git config filter.planted.clean cat' } }] }
            : { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] },
      structured: { judge: judgeOk, memory_items: noLessons },
    });
    const run = await runCli(['solve', '--repo', repo, '--issue', 'sum subtracts', '--no-sandbox', '--json'], { env: h.env });
    assert.strictEqual(run.code, 3, run.stderr);
    const error = JSON.parse(run.stdout).error;
    assert.match(error.message, /\(after 3 steps\)/);
    const runs = path.join(repo, '.reasoningbank', 'runs');
    const [runId] = fs.readdirSync(runs);
    assert.strictEqual(fs.readFileSync(path.join(runs, runId!, 'attempt-0.trajectory.jsonl'), 'utf8').trim().split('\n').length, 3);
    assert.strictEqual(worktreeCount(repo), 1);
  });

  it('cuts long tool arguments in the run record (the worktree got them whole)', async () => {
    const repo = makeRepo(SUM_REPO);
    const big = 'x'.repeat(200_000);
    h.server.setScript({
      agent: (ctx) =>
        ctx.step === 0
          ? { toolCalls: [{ name: 'write_file', arguments: { path: 'big.txt', content: big } }] }
          : ctx.step === 1
            ? { toolCalls: [{ name: 'edit_file', arguments: SUM_FIX }] }
            : { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] },
      structured: { judge: judgeOk, memory_items: noLessons },
    });
    const run = await runCli(['solve', '--repo', repo, '--issue', 'sum subtracts', '--json'], { env: h.env });
    assert.strictEqual(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.match(result.patch, /big\.txt/);
    const [first] = fs.readFileSync(path.join(result.runDir, 'trajectory.jsonl'), 'utf8').split('\n');
    const step = JSON.parse(first!);
    assert.ok(step.actions[0].args.length < 21_000, `recorded ${step.actions[0].args.length} chars`);
  });

  for (const presses of [1, 2]) {
    it(`Ctrl-C ${presses === 1 ? 'once' : 'twice'} during a long search exits 130 with one JSON object and no worktree left`, async () => {
      const repo = makeRepo(SUM_REPO);
      for (let i = 0; i < 200; i++) fs.writeFileSync(path.join(repo, `data${i}.txt`), ('x'.repeat(5000) + '\n').repeat(300));
      git(repo, 'add', '-A');
      git(repo, 'commit', '-q', '-m', 'data');
      h.server.setScript({ agent: () => ({ toolCalls: [{ name: 'search', arguments: { pattern: '(x+x+)+y' } }] }), structured: {} });
      let sent = false;
      const run = await runCli(['solve', '--repo', repo, '--issue', 'x', '--json'], {
        env: h.env,
        onStderr: (text, child) => {
          if (sent || !/search/.test(text)) return;
          sent = true;
          setTimeout(() => {
            child.kill('SIGINT');
            if (presses === 2) setTimeout(() => child.kill('SIGINT'), 20);
          }, 100);
        },
      });
      assert.ok(sent, run.stderr);
      assert.strictEqual(run.code, 130, run.stderr);
      assert.strictEqual(run.stdout.trim().split('\n').length, 1, run.stdout);
      assert.strictEqual(JSON.parse(run.stdout).error.code, 'cancelled');
      assert.strictEqual(worktreeCount(repo), 1);
    });
  }

  it('a git repository without a commit (the user\'s or one the agent creates) neither breaks the snapshot nor the patch', async () => {
    const repo = makeRepo(SUM_REPO);
    fs.mkdirSync(path.join(repo, 'scratch'));
    git(path.join(repo, 'scratch'), 'init', '-q');
    fs.writeFileSync(path.join(repo, 'scratch', 'notes.txt'), 'mine\n');
    h.server.setScript({
      agent: sequenceAgent([
        { name: 'run_command', arguments: { command: 'git init -q vendored && echo x > vendored/x.txt' } },
        { name: 'edit_file', arguments: SUM_FIX },
      ]),
      structured: { judge: judgeOk, memory_items: noLessons },
    });
    const run = await runCli(['solve', '--repo', repo, '--issue', 'sum subtracts', '--test', 'node --test', '--json'], { env: h.env });
    assert.strictEqual(run.code, 0, run.stderr);
    assert.match(run.stderr, /left out of the worktree .*: scratch/);
    const result = JSON.parse(run.stdout);
    assert.deepStrictEqual([...result.patch.matchAll(/^diff --git a\/(\S+) /gm)].map((m: RegExpMatchArray) => m[1]), ['src/sum.js']);
  });
});
