/**
 * `reasoningbank bench` end to end: the built CLI, real git repositories, the real openai client against the
 * scripted server. A four-task suite (two similar pagination bugs, one task whose requests the endpoint
 * refuses, one where the agent's patch overfits the visible test) runs twice per strategy.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ScriptedServer, contentText } from '../fixtures/scripted-server';
import { TASKS, injectedBlock, markerOf, script, writeSuite } from '../fixtures/bench-suite';
import { cleanupTempDirs, ensureBuilt, runCli, tempDir } from '../fixtures/repos';
import type { BenchReport } from '../../src/bench/report';

const STRATEGIES = ['none', 'trajectory', 'workflow', 'reasoningbank'] as const;

describe('reasoningbank bench (end to end)', function () {
  this.timeout(600_000);
  let server: ScriptedServer;
  let suiteDir: string;
  let reportDir: string;
  let result: { code: number | null; stdout: string; stderr: string };
  let report: BenchReport;
  /** the first agent request of every conversation that reached the agent, in order */
  let firsts: { marker: string; injected: string; conversation: number }[];
  let home: string;

  before(async () => {
    ensureBuilt();
    server = new ScriptedServer(script);
    await server.start();
    suiteDir = tempDir('rb-bench-suite-');
    writeSuite(suiteDir);
    reportDir = path.join(tempDir('rb-bench-out-'), 'report');
    home = tempDir('rb-home-');
    result = await runCli(
      ['bench', '--suite', suiteDir, '--strategy', STRATEGIES.join(','), '--repeat', '2', '--max-steps', '5', '--report', reportDir, '--json'],
      { env: { OPENAI_BASE_URL: server.url, REASONINGBANK_MODEL: 'scripted', HOME: home, TMPDIR: home }, timeoutMs: 540_000 },
    );
    firsts = server
      .chat()
      .filter((r) => r.step === 0 && r.body.tools?.length)
      .map((r) => ({
        marker: markerOf(contentText(r.body.messages.find((m: { role: string }) => m.role === 'user')?.content)),
        // what memory injected: the lessons block that follows the task in the first user message
        injected: injectedBlock(contentText(r.body.messages.find((m: { role: string }) => m.role === 'user')?.content)),
        conversation: r.conversation,
      }))
      .filter((f) => f.marker !== 'BROKEN');
  });

  after(async () => {
    await server?.stop();
    cleanupTempDirs();
  });

  it('prints exactly one JSON object and exits 0', () => {
    assert.strictEqual(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /MaxListenersExceededWarning/, 'each run has a signal of its own');
    const lines = result.stdout.trim().split('\n');
    assert.strictEqual(lines.length, 1);
    report = JSON.parse(lines[0]!);
    assert.strictEqual(report.kind, 'reasoningbank-bench');
    assert.strictEqual(report.completed, true);
    assert.deepStrictEqual(report.suite.tasks, Object.keys(TASKS));
  });

  it('runs every task of every pass for every strategy: a failing task does not stop the stream', () => {
    assert.strictEqual(report.runs.length, STRATEGIES.length * 2 * 4);
    for (const strategy of STRATEGIES) {
      const mine = report.runs.filter((r) => r.strategy === strategy);
      assert.deepStrictEqual(mine.map((r) => r.position), [1, 2, 3, 4, 5, 6, 7, 8]);
      assert.deepStrictEqual(
        mine.map((r) => `${r.task}:${r.status}`),
        [1, 2].flatMap(() => ['1-alpha:resolved', '2-beta:resolved', '3-broken:error', '4-overfit:unresolved']),
        strategy,
      );
      for (const broken of mine.filter((r) => r.task === '3-broken')) assert.match(broken.error!, /refused by the test server/);
    }
    // progress on stderr: task i of n, strategy, running success rate
    assert.match(result.stderr, /\[reasoningbank 4\/8\] 4-overfit: unresolved \(hidden tests\)/);
    assert.match(result.stderr, /reasoningbank: 2\/3 resolved \(67%\)/);
    assert.match(result.stderr, /! \[none 3\/8\] 3-broken: error/);
  });

  it('lets the hidden tests decide the verdict', () => {
    for (const r of report.runs.filter((x) => x.task === '4-overfit')) {
      assert.strictEqual(r.agentStatus, 'resolved', 'the visible tests passed, so the agent thought it was done');
      assert.strictEqual(r.status, 'unresolved');
      assert.strictEqual(r.decidedBy, 'hidden');
      assert.deepStrictEqual([r.judge!.passed, r.judge!.failed], [1, 1]);
    }
    for (const r of report.runs.filter((x) => x.status === 'resolved')) {
      assert.strictEqual(r.decidedBy, 'hidden');
      assert.deepStrictEqual([r.judge!.passed, r.judge!.failed], [2, 0]);
    }
  });

  it('injects nothing for none, an exemplar for trajectory, workflows for workflow, lessons for reasoningbank', () => {
    assert.strictEqual(firsts.length, STRATEGIES.length * 2 * 3, 'one agent conversation per task that reached the agent');
    const prompt = (strategy: (typeof STRATEGIES)[number], pass: number, marker: string) => {
      const i = STRATEGIES.indexOf(strategy) * 6 + (pass - 1) * 3 + ['ALPHA', 'BETA', 'OVERFIT'].indexOf(marker);
      assert.strictEqual(firsts[i]!.marker, marker);
      return firsts[i]!.injected;
    };
    for (let pass = 1; pass <= 2; pass++) {
      for (const m of ['ALPHA', 'BETA', 'OVERFIT']) assert.doesNotMatch(prompt('none', pass, m), /Lessons from earlier tasks|LESSON-|WORKFLOW-|TASK-/);
    }
    // the first task of a stream finds an empty memory
    for (const s of STRATEGIES) assert.doesNotMatch(prompt(s, 1, 'ALPHA'), /Lessons from earlier tasks/);

    const traj = prompt('trajectory', 1, 'BETA');
    assert.match(traj, /A similar task that was solved before/);
    assert.match(traj, /TASK-ALPHA/);
    assert.match(traj, /edit_file/, 'the exemplar is the trajectory itself');
    assert.doesNotMatch(traj, /LESSON-|WORKFLOW-/);

    const wf = prompt('workflow', 1, 'BETA');
    assert.match(wf, /Workflows that solved earlier tasks/);
    assert.match(wf, /WORKFLOW-ALPHA repair a page offset formula/);
    assert.match(wf, /3\. Apply \(page - 1\) \* size\./);
    assert.doesNotMatch(wf, /LESSON-|A similar task/);

    const rb = prompt('reasoningbank', 1, 'BETA');
    assert.match(rb, /LESSON-ALPHA convert 1-based page numbers/);
    assert.doesNotMatch(rb, /WORKFLOW-|A similar task/);

    // what was stored: workflows only from runs the agent judged successful; lessons from every judged run
    assert.strictEqual(server.structuredRequests('workflows').length, 6);
    assert.strictEqual(server.structuredRequests('memory_items').length, 6);
  });

  it('holds leave-one-out: in the second pass a task never sees what it taught itself', () => {
    assert.deepStrictEqual(report.leaveOneOut.violations, []);
    const second = (strategy: (typeof STRATEGIES)[number], marker: string) =>
      firsts[STRATEGIES.indexOf(strategy) * 6 + 3 + ['ALPHA', 'BETA', 'OVERFIT'].indexOf(marker)]!.injected;
    // alpha's own items would match alpha best; it gets beta's instead
    assert.match(second('trajectory', 'ALPHA'), /TASK-BETA/);
    assert.doesNotMatch(second('trajectory', 'ALPHA'), /TASK-ALPHA/);
    assert.match(second('workflow', 'ALPHA'), /WORKFLOW-BETA/);
    assert.doesNotMatch(second('workflow', 'ALPHA'), /WORKFLOW-ALPHA/);
    assert.match(second('reasoningbank', 'ALPHA'), /LESSON-BETA/);
    assert.doesNotMatch(second('reasoningbank', 'ALPHA'), /LESSON-ALPHA/);
    assert.match(second('reasoningbank', 'BETA'), /LESSON-ALPHA/);
    assert.doesNotMatch(second('reasoningbank', 'BETA'), /LESSON-BETA/);
  });

  it('reports numbers that match the runs', () => {
    const conversations = new Map<number, number>();
    for (const r of server.chat()) {
      // the refused requests of the broken task share a conversation number with the next task (fixture detail)
      if (!r.body.tools?.length || markerOf(contentText(r.body.messages.find((m: { role: string }) => m.role === 'user')?.content)) === 'BROKEN') continue;
      conversations.set(r.conversation, (conversations.get(r.conversation) ?? 0) + 1);
    }
    const ran = report.runs.filter((r) => r.status !== 'error');
    assert.strictEqual(ran.length, firsts.length);
    ran.forEach((r, i) => {
      assert.strictEqual(r.steps, conversations.get(firsts[i]!.conversation), `${r.strategy} ${r.task}@${r.pass} steps = agent requests`);
      assert.ok(r.tokens.prompt > 0 && r.tokens.completion > 0);
    });
    for (const s of report.strategies) {
      const mine = report.runs.filter((r) => r.strategy === s.strategy);
      assert.strictEqual(s.runs, 8);
      assert.strictEqual(s.resolved, mine.filter((r) => r.status === 'resolved').length);
      assert.strictEqual(s.resolved, 4);
      assert.strictEqual(s.errors, 2);
      assert.strictEqual(s.tokens.total, mine.reduce((n, r) => n + r.tokens.prompt + r.tokens.completion, 0));
      assert.strictEqual(s.memory.retrieved, mine.reduce((n, r) => n + r.retrieved.length, 0));
      assert.strictEqual(s.memory.added, mine.reduce((n, r) => n + r.added.length, 0));
      if (s.strategy === 'none') assert.strictEqual(s.vsNone, null);
      else {
        assert.deepStrictEqual([s.vsNone!.successRatePoints, s.vsNone!.resolved, s.vsNone!.ci95, s.vsNone!.mcnemarP], [0, 0, [0, 0], 1]);
        assert.strictEqual(s.vsNone!.pairs, 8);
      }
    }
    const rb = report.strategies.find((s) => s.strategy === 'reasoningbank')!;
    assert.ok(rb.memory.retrieved > 0 && rb.memory.added > 0);
    const traj = report.runs.filter((r) => r.strategy === 'trajectory');
    assert.deepStrictEqual(traj.map((r) => r.added.length), [1, 1, 0, 1, 1, 1, 0, 1], 'one exemplar per run the agent judged successful');
  });

  it('writes the report folder: JSON, Markdown, SVG and each strategy\'s memory', () => {
    const onDisk = JSON.parse(fs.readFileSync(path.join(reportDir, 'report.json'), 'utf8'));
    const { files, ...printed } = report as BenchReport & { files: Record<string, unknown> };
    assert.deepStrictEqual(onDisk, printed);
    assert.strictEqual(files.svg, path.join(reportDir, 'learning-curve.svg'));
    const md = fs.readFileSync(path.join(reportDir, 'report.md'), 'utf8');
    assert.match(md, /\| \*\*reasoningbank\*\* \| 4\/8 \| 50% \| ±0\.0 pp \(±0\) \[±0\.0, ±0\.0\] p = 1 \|/);
    assert.match(md, /!\[[^\]]*\]\(learning-curve\.svg\)/);
    const svg = fs.readFileSync(path.join(reportDir, 'learning-curve.svg'), 'utf8');
    assert.strictEqual((svg.match(/<polyline /g) ?? []).length, 4);
    for (const s of ['trajectory', 'workflow', 'reasoningbank']) assert.ok(fs.existsSync(path.join(reportDir, 'memory', `${s}.sqlite`)), s);
    assert.deepStrictEqual(fs.readdirSync(path.join(reportDir, 'units')).sort(), STRATEGIES.map((s) => `${s}.stream-1.json`).sort());
    assert.deepStrictEqual([report.settings.streams, report.settings.seed, report.shard], [1, null, null]);
    assert.ok(report.runs.every((r) => r.stream === 1));
    assert.ok(!fs.existsSync(path.join(reportDir, 'memory', 'none.sqlite')));
  });

  it('leaves no work folder behind', () => {
    assert.deepStrictEqual(fs.readdirSync(home).filter((f) => f.startsWith('reasoningbank-bench-')), []);
  });
});

describe('reasoningbank bench: bad usage', function () {
  this.timeout(60_000);
  before(() => ensureBuilt());
  after(() => cleanupTempDirs());

  it('exits 2 with one JSON error for an unknown strategy, before running anything', async () => {
    const suite = tempDir('rb-bench-suite-');
    fs.mkdirSync(path.join(suite, 't', 'repo'), { recursive: true });
    fs.writeFileSync(path.join(suite, 't', 'repo', 'a.js'), '1\n');
    fs.writeFileSync(path.join(suite, 't', 'issue.md'), 'x\n');
    const r = await runCli(['bench', '--suite', suite, '--strategy', 'none,magic', '--json'], { env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } });
    assert.strictEqual(r.code, 2);
    const out = JSON.parse(r.stdout);
    assert.strictEqual(out.status, 'error');
    assert.match(out.error.message, /unknown strategy "magic"/);
  });

  it('exits 2 naming every invalid task', async () => {
    const suite = tempDir('rb-bench-suite-');
    fs.mkdirSync(path.join(suite, 'a', 'repo'), { recursive: true });
    fs.mkdirSync(path.join(suite, 'b'), { recursive: true });
    const r = await runCli(['bench', '--suite', suite], { env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } });
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /2 invalid task/);
    assert.match(r.stderr, /a: repo\/ is empty/);
    assert.match(r.stderr, /b: has neither repo/);
  });

  it('exits 2 without --suite', async () => {
    const r = await runCli(['bench'], { env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } });
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /--suite DIR is required/);
  });
});

describe('reasoningbank bench with MaTTS (end to end)', function () {
  this.timeout(300_000);
  let server: ScriptedServer;
  after(async () => {
    await server?.stop();
    cleanupTempDirs();
  });

  it('passes --k and --mode to every task of every strategy', async () => {
    ensureBuilt();
    server = new ScriptedServer({
      ...script,
      structured: { ...script.structured, best_of_k: () => ({ json: { index: 0, reason: 'first' } }) },
    });
    await server.start();
    const suiteDir = tempDir('rb-bench-suite-');
    writeSuite(suiteDir, ['1-alpha', '2-beta']);
    const home = tempDir('rb-home-');
    const r = await runCli(['bench', '--suite', suiteDir, '--strategy', 'none,reasoningbank', '--k', '2', '--mode', 'parallel', '--json'], {
      env: { OPENAI_BASE_URL: server.url, REASONINGBANK_MODEL: 'scripted', HOME: home, TMPDIR: home },
      timeoutMs: 240_000,
    });
    assert.strictEqual(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as BenchReport;
    assert.deepStrictEqual(report.settings.k, 2);
    assert.deepStrictEqual(report.runs.map((x) => [x.strategy, x.task, x.attempts, x.status]), [
      ['none', '1-alpha', 2, 'resolved'],
      ['none', '2-beta', 2, 'resolved'],
      ['reasoningbank', '1-alpha', 2, 'resolved'],
      ['reasoningbank', '2-beta', 2, 'resolved'],
    ]);
    // 4 runs × 2 attempts, each its own conversation
    assert.strictEqual(new Set(server.chat().filter((c) => c.body.tools?.length).map((c) => c.conversation)).size, 8);
    // reasoningbank learns by self-contrast over both attempts: one call per run, none for `none`
    const contrast = server.structuredRequests('memory_items');
    assert.strictEqual(contrast.length, 2);
    assert.match(contentText(contrast[0]!.body.messages[0].content), /Several attempts were made/);
  });
});
