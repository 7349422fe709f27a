/**
 * The CLI end to end: dist/cli.js against real temp git repositories and the scripted OpenAI-compatible
 * server (the real openai client over real HTTP).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { type Script, type ScriptContext } from '../fixtures/scripted-server';
import { SUM_FIX, SUM_REPO, SUM_WRONG, cliHarness, git, makeRepo, runCli, tempDir } from '../fixtures/repos';

const judgeOk: NonNullable<Script['structured']>[string] = () => ({ json: { success: true, reason: 'the change fixes the sum' } });
const noLessons: NonNullable<Script['structured']>[string] = () => ({ json: { items: [] } });

function fixScript(edit = SUM_FIX): Script {
  return {
    agent: (ctx) => {
      switch (ctx.step) {
        case 0:
          return { toolCalls: [{ name: 'read_file', arguments: { path: 'src/sum.js' } }] };
        case 1:
          return { toolCalls: [{ name: 'edit_file', arguments: edit }] };
        case 2:
          return { toolCalls: [{ name: 'run_command', arguments: { command: 'node --test' } }] };
        default:
          return { toolCalls: [{ name: 'finish', arguments: { summary: 'changed the operator' } }] };
      }
    },
    structured: { judge: judgeOk, memory_items: noLessons },
  };
}

function worktreesOf(repo: string): string[] {
  return git(repo, 'worktree', 'list', '--porcelain')
    .split('\n')
    .filter((l) => l.startsWith('worktree '))
    .map((l) => l.slice('worktree '.length));
}

describe('CLI solve (end to end)', function () {
  this.timeout(120000);
  const h = cliHarness();

  it('fixes the bug, applies the patch with --apply, and prints the JSON contract', async () => {
    const repo = makeRepo(SUM_REPO);
    h.server.setScript(fixScript());
    const run = await runCli(['solve', '--repo', repo, '--issue', 'sum(2, 3) returns -1 instead of 5', '--test', 'node --test', '--apply', '--json'], { env: h.env });
    assert.strictEqual(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.strictEqual(result.status, 'resolved');
    assert.match(result.runId, /^\d{8}-\d{6}-[0-9a-f]{6}$/);
    assert.strictEqual(result.steps, 4);
    assert.ok(result.tokens.prompt > 0 && result.tokens.completion > 0);
    assert.match(result.patch, /-  return a - b;\n\+  return a \+ b;/);
    assert.strictEqual(result.applied, true);
    assert.deepStrictEqual(result.tests, { command: 'node --test', exitCode: 0, passed: 1, failed: 0 });
    assert.strictEqual(result.judge.success, true);
    assert.deepStrictEqual(Object.keys(result.memory).sort(), ['added', 'cited', 'recalled', 'retrieved', 'used']);
    assert.strictEqual(result.attempts.length, 1);
    assert.strictEqual(result.attempts[0].index, 0);
    assert.strictEqual(result.chosen, 0);
    // the fix landed in the user's tree and its tests pass
    assert.match(fs.readFileSync(path.join(repo, 'src/sum.js'), 'utf8'), /a \+ b/);
    execFileSync('node', ['--test'], { cwd: repo, stdio: 'pipe' });
    // the run record is kept and ignored by git
    const runDir = path.join(repo, '.reasoningbank', 'runs', result.runId);
    for (const f of ['result.json', 'patch.diff', 'trajectory.jsonl']) assert.ok(fs.existsSync(path.join(runDir, f)), f);
    assert.strictEqual(fs.readFileSync(path.join(runDir, 'trajectory.jsonl'), 'utf8').trim().split('\n').length, 4);
    assert.strictEqual(git(repo, 'status', '--porcelain'), ' M src/sum.js\n');
    assert.deepStrictEqual(worktreesOf(repo), [repo]);
    // progress went to stderr, nothing but the JSON object to stdout
    assert.match(run.stderr, /edit_file/);
    assert.strictEqual(run.stdout.trim().split('\n').length, 1);
  });

  it('reports an unresolved run with exit 1 and leaves the tree alone even with --apply', async () => {
    const repo = makeRepo(SUM_REPO);
    h.server.setScript({ ...fixScript(SUM_WRONG), structured: { judge: () => ({ json: { success: false, reason: 'multiplies' } }), memory_items: noLessons } });
    const run = await runCli(['solve', '--repo', repo, '--issue', 'sum(2, 3) returns -1 instead of 5', '--apply', '--json'], { env: h.env });
    assert.strictEqual(run.code, 1, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.strictEqual(result.status, 'unresolved');
    assert.strictEqual(result.applied, false);
    // detected from package.json
    assert.match(result.tests.command, /npm/);
    assert.ok(result.tests.exitCode !== 0);
    assert.match(result.patch, /a \* b/);
    assert.strictEqual(git(repo, 'status', '--porcelain'), '');
    assert.match(run.stderr, /not applied/);
  });

  it('without --json prints the patch on stdout and a summary on stderr', async () => {
    const repo = makeRepo(SUM_REPO);
    h.server.setScript(fixScript());
    const run = await runCli(['solve', '--repo', repo, '--issue', 'sum is wrong', '--test', 'node --test'], { env: h.env });
    assert.strictEqual(run.code, 0, run.stderr);
    assert.match(run.stdout, /^diff --git a\/src\/sum.js b\/src\/sum.js/);
    assert.match(run.stderr, /resolved: 4 steps/);
    assert.strictEqual(git(repo, 'status', '--porcelain'), '', 'no --apply: the working tree is untouched');
  });

  it('works with a streaming model (REASONINGBANK_STREAM=1)', async () => {
    const repo = makeRepo(SUM_REPO);
    h.server.setScript(fixScript());
    const run = await runCli(['solve', '--repo', repo, '--issue', 'sum is wrong', '--test', 'node --test', '--json'], { env: { ...h.env, REASONINGBANK_STREAM: '1' } });
    assert.strictEqual(run.code, 0, run.stderr);
    assert.ok(h.server.chat().every((r) => r.body.stream === true));
    assert.strictEqual(JSON.parse(run.stdout).status, 'resolved');
  });

  it('contains a hostile agent: escapes refused, hung commands killed with their children, no secrets in env', async () => {
    const repo = makeRepo(SUM_REPO);
    const outside = tempDir('rb-outside-');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'TOP-SECRET-CONTENT');
    const observations: string[] = [];
    h.server.setScript({
      agent: (ctx: ScriptContext) => {
        if (ctx.lastToolResult !== undefined) observations.push(ctx.lastToolResult);
        const steps = [
          { name: 'read_file', arguments: { path: '../../../../../../etc/passwd' } },
          { name: 'read_file', arguments: { path: path.join(outside, 'secret.txt') } },
          { name: 'run_command', arguments: { command: `ln -s ${outside} escape && echo linked` } },
          { name: 'read_file', arguments: { path: 'escape/secret.txt' } },
          { name: 'write_file', arguments: { path: 'escape/planted.txt', content: 'x' } },
          { name: 'run_command', arguments: { command: `bash -c 'sleep 301 & wait'`, timeout_s: 1 } },
          { name: 'run_command', arguments: { command: 'env' } },
        ];
        const s = steps[ctx.step];
        return s ? { toolCalls: [s] } : { toolCalls: [{ name: 'finish', arguments: { summary: 'tried' } }] };
      },
      structured: { judge: () => ({ json: { success: false, reason: 'no fix' } }), memory_items: noLessons },
    });
    const secrets = { OPENAI_API_KEY: 'sk-live-0123456789abcdefSECRET', GITHUB_TOKEN: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', MY_SERVICE_SECRET: 'hunter2hunter2' };
    const run = await runCli(['solve', '--repo', repo, '--issue', 'escape', '--test', 'node --test', '--json'], { env: { ...h.env, ...secrets } });
    assert.strictEqual(run.code, 1, run.stderr);
    assert.strictEqual(observations.length, 7);
    assert.match(observations[0]!, /^Error:/);
    assert.doesNotMatch(observations[0]!, /root:/);
    assert.match(observations[1]!, /^Error:/);
    assert.doesNotMatch(observations.join('\n'), /TOP-SECRET-CONTENT/);
    assert.match(observations[3]!, /^Error:/);
    assert.match(observations[4]!, /^Error:/);
    assert.ok(!fs.existsSync(path.join(outside, 'planted.txt')));
    assert.match(observations[5]!, /timed out/);
    // pids inside the sandbox mean nothing out here: look for the grandchild by its command line
    const survivors = execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('sleep 301'));
    assert.deepStrictEqual(survivors, [], 'the grandchild of the timed-out command is gone');
    for (const value of Object.values(secrets)) assert.ok(!observations[6]!.includes(value), 'env shows no secret');
    assert.match(observations[6]!, /PATH=/);
    assert.deepStrictEqual(worktreesOf(repo), [repo]);
  });

  it('retries a 500 from the endpoint and carries on', async () => {
    const repo = makeRepo(SUM_REPO);
    let failed = false;
    h.server.setScript({
      ...fixScript(),
      before: () => {
        if (failed) return undefined;
        failed = true;
        return { status: 500, body: { error: { message: 'overloaded' } } };
      },
    });
    const run = await runCli(['solve', '--repo', repo, '--issue', 'sum is wrong', '--test', 'node --test', '--json'], { env: h.env });
    assert.strictEqual(run.code, 0, run.stderr);
    assert.strictEqual(JSON.parse(run.stdout).status, 'resolved');
    assert.match(run.stderr, /retrying/);
  });

  it('turns a malformed tool call into an observation the model can correct', async () => {
    const repo = makeRepo(SUM_REPO);
    let sawError = '';
    h.server.setScript({
      agent: (ctx) => {
        if (ctx.step === 0) return { toolCalls: [{ name: 'edit_file', arguments: '{"path": "src/sum.js", "old_text": ' }] };
        if (ctx.step === 1) {
          sawError = ctx.lastToolResult ?? '';
          return { toolCalls: [{ name: 'no_such_tool', arguments: {} }] };
        }
        if (ctx.step === 2) return { toolCalls: [{ name: 'edit_file', arguments: SUM_FIX }] };
        return { toolCalls: [{ name: 'finish', arguments: { summary: 'fixed' } }] };
      },
      structured: { judge: judgeOk, memory_items: noLessons },
    });
    const run = await runCli(['solve', '--repo', repo, '--issue', 'sum is wrong', '--test', 'node --test', '--json'], { env: h.env });
    assert.strictEqual(run.code, 0, run.stderr);
    assert.match(sawError, /^Error:/);
    assert.strictEqual(JSON.parse(run.stdout).steps, 4);
  });

  it('Ctrl-C mid-run cancels, kills the command and removes the worktree', async () => {
    const repo = makeRepo(SUM_REPO);
    h.server.setScript({
      agent: () => ({ toolCalls: [{ name: 'run_command', arguments: { command: 'sleep 120' } }] }),
      structured: { judge: judgeOk, memory_items: noLessons },
    });
    let sent = false;
    const run = await runCli(['solve', '--repo', repo, '--issue', 'hang', '--test', 'node --test', '--json'], {
      env: h.env,
      onStderr: (text, child) => {
        if (!sent && /run_command/.test(text)) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 300);
        }
      },
    });
    assert.ok(sent, run.stderr);
    assert.strictEqual(run.code, 130, run.stderr);
    assert.strictEqual(JSON.parse(run.stdout).error.code, 'cancelled');
    assert.deepStrictEqual(worktreesOf(repo), [repo]);
    assert.strictEqual(git(repo, 'status', '--porcelain'), '');
  });

  it('names the endpoint and model when the endpoint is dead (exit 3)', async () => {
    const repo = makeRepo(SUM_REPO);
    await h.server.stop();
    const run = await runCli(['solve', '--repo', repo, '--issue', 'x', '--test', 'true', '--json'], { env: { ...h.env, REASONINGBANK_MAX_RETRIES: '1' } });
    assert.strictEqual(run.code, 3, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.strictEqual(out.status, 'error');
    assert.strictEqual(out.error.code, 'endpoint');
    assert.match(out.error.message, /scripted/);
    assert.ok(out.error.message.includes(h.server.url), out.error.message);
    assert.deepStrictEqual(worktreesOf(repo), [repo]);
    await h.server.start(); // afterEach stops it again
  });

  describe('bad usage exits 2 with one line', () => {
    const cases: [string, (repo: string, plain: string) => string[], RegExp][] = [
      ['a missing repo', () => ['solve', '--repo', '/no/such/dir', '--issue', 'x'], /no such folder/],
      ['a folder that is not a git repository', (_r, plain) => ['solve', '--repo', plain, '--issue', 'x'], /not inside a git work tree/i],
      ['no issue text', (repo) => ['solve', '--repo', repo], /no issue text/],
      ['an unknown flag', (repo) => ['solve', '--repo', repo, '--issue', 'x', '--frobnicate'], /frobnicate/],
      ['a bad k', (repo) => ['solve', '--repo', repo, '--issue', 'x', '--k', 'zero'], /--k must be/],
      ['a bad mode', (repo) => ['solve', '--repo', repo, '--issue', 'x', '--k', '2', '--mode', 'sideways'], /--mode/],
      ['a missing issue file', (repo) => ['solve', '--repo', repo, '--issue-file', 'nope.md'], /no such file/],
      ['an unknown command', () => ['frobnicate'], /unknown command/],
    ];
    for (const [name, args, message] of cases) {
      it(name, async () => {
        const repo = makeRepo(SUM_REPO);
        const plain = tempDir('rb-plain-');
        const run = await runCli(args(repo, plain), { env: h.env });
        assert.strictEqual(run.code, 2, run.stderr);
        assert.match(run.stderr, message);
        assert.strictEqual(run.stderr.trim().split('\n').length, 1, run.stderr);
        assert.strictEqual(h.server.requests.length, 0, 'validated before anything was sent');
      });
    }

    it('with --json the error is a JSON object', async () => {
      const run = await runCli(['solve', '--repo', '/no/such/dir', '--issue', 'x', '--json'], { env: h.env });
      assert.strictEqual(run.code, 2);
      assert.deepStrictEqual(JSON.parse(run.stdout), { status: 'error', error: { code: 'usage', message: '--repo /no/such/dir: no such folder' } });
    });

    it('asks for an API key only for the default OpenAI endpoint', async () => {
      const repo = makeRepo(SUM_REPO);
      const run = await runCli(['solve', '--repo', repo, '--issue', 'x'], { env: { HOME: h.env.HOME, TMPDIR: h.env.TMPDIR } });
      assert.strictEqual(run.code, 2);
      assert.match(run.stderr, /OPENAI_API_KEY/);
    });
  });
});
