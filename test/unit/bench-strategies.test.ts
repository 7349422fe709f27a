/**
 * The baseline strategies over a real memory bank file and the real openai client against the scripted
 * server: what each stores, what it injects, and leave-one-out.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ScriptedServer, contentText } from '../fixtures/scripted-server';
import { OpenAIChatModel, resolveLlmSettings } from '../../src/engine/llm/openai-model';
import type { ChatModel } from '../../src/engine/llm/model';
import type { AttemptMaterial, LearnInput } from '../../src/engine/lesson-memory';
import { MemoryBank, taskHash } from '../../src/engine/memory';
import { TrajectoryMemory } from '../../src/bench/trajectory-memory';
import { WorkflowMemory, WORKFLOWS_SCHEMA_NAME } from '../../src/bench/workflow-memory';
import { memoryForTask, parseStrategies } from '../../src/bench/strategies';
import { ReasoningBankMemory } from '../../src/engine/memory/reasoningbank';

const TASK_A = '# Page 1 of the order list skips the first ten orders\n\nPagination offset is wrong for page numbers starting at 1.';
const TASK_B = '# Page 2 of the order list repeats orders\n\nPagination offset is wrong: page numbers start at 1, the list skips or repeats orders.';
const TASK_C = '# Invoice dates print one month early\n\nThe month of the date is zero-based.';

function attempt(index: number, success: boolean, trajectory: string): AttemptMaterial {
  return {
    index,
    verdict: { success, reason: success ? 'tests pass' : 'tests fail', decidedBy: 'tests' },
    steps: 4,
    patch: success ? '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n' : '',
    trajectory,
    tests: { command: 'node --test', exitCode: success ? 0 : 1, passed: 1, failed: success ? 0 : 1, timedOut: false, durationMs: 5, output: '' },
  };
}

const WORKFLOW = {
  title: 'Fix an off-by-one in pagination arithmetic',
  description: 'Use when a paged listing shows the wrong first or last items.',
  content: '1. Run {test-command} and read the failing expectation.\n2. Find the offset formula in {pager-function}.\n3. Convert the 1-based page to a 0-based offset.\n4. Run the tests again.',
};

describe('bench strategies', () => {
  let server: ScriptedServer;
  let model: ChatModel;
  let dir: string;
  let bank: MemoryBank;
  const learn = (task: string, attempts: AttemptMaterial[], chosen = 0, mode: LearnInput['mode'] = 'single'): LearnInput => ({ task, attempts, chosen, mode, model });

  beforeEach(async () => {
    server = new ScriptedServer({ structured: { [WORKFLOWS_SCHEMA_NAME]: () => ({ json: { items: [WORKFLOW] } }) } });
    await server.start();
    model = OpenAIChatModel.create(resolveLlmSettings({ baseUrl: server.url, model: 'scripted' }, {}));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-bench-strat-'));
    bank = await MemoryBank.open(path.join(dir, 'memory.sqlite'), { model });
  });
  afterEach(async () => {
    bank.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('trajectory (Synapse-style exemplars)', () => {
    it('stores only successful trajectories, as kind "trajectory", with no model call', async () => {
      const mem = new TrajectoryMemory(bank);
      assert.deepStrictEqual(await mem.learn(learn(TASK_A, [attempt(0, false, 'Step 1: tried and failed')])), []);
      const added = await mem.learn(learn(TASK_A, [attempt(0, false, 'Step 1: wrong idea'), attempt(1, true, 'Step 1: read_file(src/paginate.js)\nStep 2: edit_file offset')], 1, 'parallel'));
      assert.strictEqual(added.length, 1);
      const items = await bank.list({ kind: 'trajectory' });
      assert.strictEqual(items.length, 1);
      assert.match(items[0]!.content, /edit_file offset/, 'the successful attempt is the one stored');
      assert.strictEqual(items[0]!.taskHash, taskHash(TASK_A));
      assert.strictEqual(items[0]!.outcome, 'success');
      assert.strictEqual(server.requests.filter((r) => r.kind !== 'embeddings').length, 0);
    });

    it('injects the single most similar solved task as an exemplar, never one from the task itself', async () => {
      const writer = new TrajectoryMemory(bank);
      await writer.learn(learn(TASK_A, [attempt(0, true, 'TRAJECTORY-A: read the paginate helper, fixed the offset')]));
      await writer.learn(learn(TASK_C, [attempt(0, true, 'TRAJECTORY-C: padded the month')]));
      // a lesson in the same file is not an exemplar
      await bank.add([{ title: 'Pagination lesson', description: 'pagination', content: 'pagination page offsets' }], { outcome: 'success', source: 'single', task: TASK_B });

      const forB = await new TrajectoryMemory(bank, { excludeTaskHash: taskHash(TASK_B) }).retrieve(TASK_B, { k: 3 });
      assert.strictEqual(forB.ids.length, 1, 'one exemplar whatever k is');
      assert.match(forB.prompt, /A similar task that was solved before/);
      assert.match(forB.prompt, /TRAJECTORY-A/);
      assert.match(forB.prompt, /Page 1 of the order list/);
      assert.doesNotMatch(forB.prompt, /TRAJECTORY-C|Pagination lesson/);

      // leave-one-out: task A's own trajectory would be the best match for A; it is excluded
      const forA = await new TrajectoryMemory(bank, { excludeTaskHash: taskHash(TASK_A) }).retrieve(TASK_A, { k: 1 });
      assert.doesNotMatch(forA.prompt, /TRAJECTORY-A/);
      const forAUnfiltered = await new TrajectoryMemory(bank).retrieve(TASK_A, { k: 1 });
      assert.match(forAUnfiltered.prompt, /TRAJECTORY-A/, 'without the filter it would have been retrieved');
    });

    it('keeps alike trajectories of two tasks as two exemplars; the same task again is merged', async () => {
      const mem = new TrajectoryMemory(bank);
      const same = 'Step 1: read_file(src/list.js)\nStep 2: edit_file(offset)\nStep 3: run_command(node --test) => pass';
      const a = await mem.learn(learn(TASK_A, [attempt(0, true, same)]));
      const b = await mem.learn(learn(TASK_B, [attempt(0, true, same)]));
      const again = await mem.learn(learn(TASK_A, [attempt(0, true, same)]));
      assert.deepStrictEqual([a[0]!.merged, b[0]!.merged, again[0]!.merged], [false, false, true]);
      assert.strictEqual(again[0]!.id, a[0]!.id);
      assert.strictEqual((await bank.list({ kind: 'trajectory' })).length, 2);
    });

    it('injects nothing from an empty bank', async () => {
      const got = await new TrajectoryMemory(bank).retrieve(TASK_A, { k: 3 });
      assert.deepStrictEqual([got.ids, got.prompt], [[], '']);
    });
  });

  describe('workflow (AWM-style)', () => {
    it('induces nothing from failures: no model call, nothing stored', async () => {
      const mem = new WorkflowMemory(bank);
      assert.deepStrictEqual(await mem.learn(learn(TASK_A, [attempt(0, false, 'Step 1: gave up')])), []);
      assert.strictEqual(server.structuredRequests(WORKFLOWS_SCHEMA_NAME).length, 0);
      assert.strictEqual((await bank.list()).length, 0);
    });

    it('induces workflows from the successful trajectories in one structured call', async () => {
      const mem = new WorkflowMemory(bank);
      const added = await mem.learn(
        learn(TASK_A, [attempt(0, true, 'WINNER-0: fixed offset'), attempt(1, false, 'LOSER-1: edited tests'), attempt(2, true, 'WINNER-2: fixed offset too')], 0, 'parallel'),
      );
      const calls = server.structuredRequests(WORKFLOWS_SCHEMA_NAME);
      assert.strictEqual(calls.length, 1);
      const prompt = contentText(calls[0]!.body.messages[0].content);
      assert.match(prompt, /Induce reusable workflows/);
      assert.match(prompt, /WINNER-0/);
      assert.match(prompt, /WINNER-2/);
      assert.doesNotMatch(prompt, /LOSER-1/, 'failed trajectories are not shown');
      assert.match(prompt, /Page 1 of the order list/);
      assert.match(prompt, /\(none yet\)/);
      assert.strictEqual(added.length, 1);
      const items = await bank.list({ kind: 'workflow' });
      assert.deepStrictEqual(items.map((i) => [i.title, i.content, i.source]), [[WORKFLOW.title, WORKFLOW.content, 'parallel']]);

      // the next induction sees the known workflows, and a near-duplicate is merged, not appended
      await mem.learn(learn(TASK_B, [attempt(0, true, 'WINNER-B')]));
      assert.match(contentText(server.structuredRequests(WORKFLOWS_SCHEMA_NAME)[1]!.body.messages[0].content), new RegExp(WORKFLOW.title));
      assert.strictEqual((await bank.list({ kind: 'workflow' })).length, 1);
    });

    it('injects the relevant workflows, not lessons or exemplars, and not its own task\'s', async () => {
      await new WorkflowMemory(bank).learn(learn(TASK_A, [attempt(0, true, 'fixed offset')]));
      await new TrajectoryMemory(bank).learn(learn(TASK_C, [attempt(0, true, 'EXEMPLAR-C pagination pages')]));
      const forB = await new WorkflowMemory(bank, { excludeTaskHash: taskHash(TASK_B) }).retrieve(TASK_B, { k: 3 });
      assert.strictEqual(forB.ids.length, 1);
      assert.match(forB.prompt, /Workflows that solved earlier tasks/);
      assert.match(forB.prompt, /#### Fix an off-by-one in pagination arithmetic/);
      assert.match(forB.prompt, /When: Use when a paged listing/);
      assert.match(forB.prompt, /3\. Convert the 1-based page/);
      assert.doesNotMatch(forB.prompt, /EXEMPLAR-C/);
      const forA = await new WorkflowMemory(bank, { excludeTaskHash: taskHash(TASK_A) }).retrieve(TASK_A, { k: 3 });
      assert.deepStrictEqual(forA.ids, []);
    });
  });

  describe('strategy selection', () => {
    it('parses comma lists and refuses unknown names', () => {
      assert.deepStrictEqual(parseStrategies('none, workflow,none'), ['none', 'workflow']);
      assert.throws(() => parseStrategies('none,memory'), /unknown strategy "memory"/);
      assert.throws(() => parseStrategies(' , '), /at least one/);
    });

    it('gives each task a memory that excludes the task itself', async () => {
      const none = await memoryForTask('none', { memoryDir: dir, task: TASK_A, model, onWarn: () => {} });
      assert.strictEqual(none.noMemory, true);
      const rb = await memoryForTask('reasoningbank', { memoryDir: dir, task: TASK_A, model, onWarn: () => {} });
      assert.ok(!rb.noMemory && rb.lessonMemory instanceof ReasoningBankMemory);
      await (rb.lessonMemory as ReasoningBankMemory).bank.add(
        [{ title: 'Offsets for 1-based pages', description: 'pagination', content: 'Subtract one from 1-based page numbers before multiplying.' }],
        { outcome: 'success', source: 'single', task: TASK_A },
      );
      assert.deepStrictEqual((await rb.lessonMemory.retrieve(TASK_A, { k: 3 })).ids, []);
      const ownId = (await (rb.lessonMemory as ReasoningBankMemory).bank.list())[0]!.id;
      // the agent's recall cannot reach it either, by id or by its own words
      assert.deepStrictEqual((await rb.lessonMemory.recall!({ ids: [ownId], query: 'Subtract one from 1-based page numbers before multiplying offsets' })).ids, []);
      rb.close();
      const other = await memoryForTask('reasoningbank', { memoryDir: dir, task: TASK_B, model, onWarn: () => {} });
      assert.ok(!other.noMemory);
      assert.strictEqual((await other.lessonMemory.retrieve(TASK_B, { k: 3 })).ids.length, 1);
      assert.deepStrictEqual((await other.lessonMemory.recall!({ ids: [ownId.slice(0, 8)] })).ids, [ownId]);
      other.close();
      const traj = await memoryForTask('trajectory', { memoryDir: dir, task: TASK_A, model, onWarn: () => {} });
      assert.ok(!traj.noMemory && traj.lessonMemory instanceof TrajectoryMemory);
      traj.close();
    });
  });
});
