import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as vscode from 'vscode';
import type { SolveResult } from '../../../src/engine/types';
import type { SolveOutcome } from '../../../src/server/protocol';
import {
  HANG_MARKER,
  LESSONS_BY_MARKER,
  NEVER_VALID_MARKER,
  REPAIR_ONCE_MARKER,
  SLOW_MARKER,
  VSCODE_LM_MARKER,
} from '../scripted-llm';
import { api, EXTENSION_ID, treeItems, waitFor, workspaceDir } from './helpers';

/** What the test-only provider extension (test/integration/lm-provider) exports. */
interface ScriptedLm {
  vendor: string;
  models: { id: string; family: string; name: string }[];
  stats: {
    requests: { model: string; extensionId: string; conversation: number | null; tools: number; text: string; startedAt: number; endedAt?: number; cancelled: boolean }[];
    inFlight: number;
    maxInFlight: number;
  };
  reset(): void;
  setAvailable(available: boolean): void;
}

const PROVIDER_ID = 'reasoningbank-test.scripted-lm';
const REPAIR_REQUEST = 'does not match the required JSON schema';
const ISSUE = 'cartTotal(items, 10) returns 190 for a cart worth 200: the discount must be a percentage of the sum. Make npm test pass.';

async function scriptedLm(): Promise<ScriptedLm> {
  const ext = vscode.extensions.getExtension<ScriptedLm>(PROVIDER_ID);
  assert.ok(ext, `the scripted vscode.lm provider ${PROVIDER_ID} is not loaded in this host (test/integration/run.js loads it)`);
  return ext.activate();
}

function solve(issue: string, k?: number): Promise<SolveOutcome> {
  return Promise.resolve(vscode.commands.executeCommand<SolveOutcome>(k ? 'reasoningBank.scale' : 'reasoningBank.solve', { issue, ...(k ? { k } : {}) }));
}

function resolved(out: SolveOutcome): SolveResult {
  assert.ok(out.status === 'resolved', JSON.stringify(out).slice(0, 2000));
  return out as SolveResult;
}

/** the sample's bug back in the working tree (the solve suite applied its fix there) */
function restoreSample(): void {
  const r = spawnSync('git', ['checkout', '--', 'src/cart.js'], { cwd: workspaceDir(), encoding: 'utf8' });
  assert.strictEqual(r.status, 0, r.stderr);
}

describe('provider "vscode-lm": the engine reaches a model through vscode.lm', () => {
  let lm: ScriptedLm;
  const config = () => vscode.workspace.getConfiguration('reasoningBank');

  before(async () => {
    lm = await scriptedLm();
    restoreSample();
    await config().update('provider', 'vscode-lm', vscode.ConfigurationTarget.Workspace);
    await config().update('model', 'scripted', vscode.ConfigurationTarget.Workspace);
  });

  beforeEach(() => lm.reset());

  after(async () => {
    lm.setAvailable(true);
    await config().update('provider', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('model', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('solves end to end: tool calls round-trip, the tests judge, the lesson lands in the tree', async () => {
    const a = await api();
    const models = await vscode.lm.selectChatModels({ vendor: lm.vendor });
    assert.deepStrictEqual(models.map((m) => m.id).sort(), lm.models.map((m) => m.id).sort(), 'the provider offers its models through vscode.lm');

    const result = resolved(await solve(`${ISSUE} (${VSCODE_LM_MARKER})`));
    assert.match(result.patch, /discountPercent\) \/ 100/);
    assert.ok(result.tests && result.tests.failed === 0, `tests after the fix: ${JSON.stringify(result.tests)}`);
    assert.strictEqual(result.judge.success, true);

    const reqs = lm.stats.requests;
    assert.ok(reqs.every((r) => r.extensionId === EXTENSION_ID && r.model === 'scripted-tools'), JSON.stringify(reqs.map((r) => [r.extensionId, r.model])));
    const agentTurns = reqs.filter((r) => r.tools > 0);
    assert.ok(agentTurns.length >= 4, `read, edit, test and finish went through vscode.lm (${agentTurns.length} agent turns)`);
    assert.ok(agentTurns.some((r) => r.text.includes('discountPercent')), 'the read_file result came back to the model as a tool result');
    assert.ok(reqs.some((r) => r.tools === 0 && r.text.includes('JSON value named')), 'the distiller asked for a structured reply through vscode.lm');

    assert.strictEqual(result.memory.added.length, 1);
    const inTree = (await treeItems(a)).find((i) => i.id === result.memory.added[0]);
    assert.ok(inTree, 'the lesson is in the memory tree');
    assert.deepStrictEqual([inTree.title, inTree.group], [LESSONS_BY_MARKER[VSCODE_LM_MARKER]!.title, 'success']);
  });

  it('Scale ×3 holds three conversations through vscode.lm at once and stores a contrast lesson', async () => {
    const a = await api();
    const result = resolved(await solve(`${ISSUE} (${SLOW_MARKER})`, 3));
    assert.strictEqual(result.attempts.length, 3);
    for (const at of result.attempts) assert.strictEqual(at.status, 'resolved', JSON.stringify(at).slice(0, 500));
    const conversations = new Set(lm.stats.requests.filter((r) => r.tools > 0 && r.conversation !== null).map((r) => r.conversation));
    assert.strictEqual(conversations.size, 3, `agent conversations seen by the provider: ${[...conversations].join(', ')}`);
    assert.ok(lm.stats.maxInFlight >= 3, `at most ${lm.stats.maxInFlight} vscode.lm requests were in flight together`);
    console.log(`scale ×3 via vscode.lm: ${lm.stats.requests.length} requests, at most ${lm.stats.maxInFlight} in flight together, ${conversations.size} conversations`);
    const added = (await treeItems(a)).filter((i) => result.memory.added.includes(i.id));
    assert.deepStrictEqual(
      added.map((i) => [i.title, i.group]),
      [[LESSONS_BY_MARKER[SLOW_MARKER]!.title, 'contrast']],
      `lessons added by the ×3 run: ${JSON.stringify(result.memory.added)}`,
    );
  });

  it('repairs a malformed structured reply once and stores the lesson from the repaired one', async () => {
    const a = await api();
    const result = resolved(await solve(`${ISSUE} (${REPAIR_ONCE_MARKER})`));
    // every structured ask of this run (the judge's, the distiller's) gets a malformed first reply
    const repairs = lm.stats.requests.filter((r) => r.tools === 0 && r.text.includes(REPAIR_REQUEST));
    assert.ok(repairs.length >= 1, 'a repair request went through vscode.lm');
    for (const r of repairs) assert.strictEqual(r.text.split(REPAIR_REQUEST).length, 2, 'one repair round per ask');
    assert.ok(repairs.some((r) => /JSON schema "[a-z_]+": items: /.test(r.text)), 'the repair request names what is wrong');
    const added = (await treeItems(a)).filter((i) => result.memory.added.includes(i.id));
    assert.deepStrictEqual(added.map((i) => i.title), [LESSONS_BY_MARKER[REPAIR_ONCE_MARKER]!.title]);
  });

  it('reports a structured reply that never validates, and keeps the result', async () => {
    const a = await api();
    const result = resolved(await solve(`${ISSUE} (${NEVER_VALID_MARKER})`));
    assert.deepStrictEqual(result.memory.added, [], 'nothing was stored');
    const repairs = lm.stats.requests.filter((r) => r.tools === 0 && r.text.includes(REPAIR_REQUEST));
    assert.ok(repairs.length >= 1);
    for (const r of repairs) assert.strictEqual(r.text.split(REPAIR_REQUEST).length, 2, 'one repair round per ask, no more');
    const warnings = a.runs.last!.events.filter((e) => e.type === 'log' && e.level === 'warn').map((e) => (e as { message: string }).message);
    const warning = warnings.find((w) => /could not distill lessons/.test(w));
    assert.ok(warning, `no warning about the lessons: ${JSON.stringify(warnings)}`);
    assert.match(warning, /VS Code language model "scripted" gave a "[a-z_]+" reply that does not match its schema, also after one repair request: items/);
  });

  it('Cancel (the run view\'s stop button) ends the run without waiting for the vscode.lm reply in flight', async () => {
    const a = await api();
    const pending = solve(`${HANG_MARKER}: this run waits for a model that never answers`);
    await waitFor('a vscode.lm request in flight', () => lm.stats.inFlight > 0, 60000);
    const inFlight = lm.stats.requests.find((r) => r.endedAt === undefined)!;
    assert.strictEqual(await vscode.commands.executeCommand('reasoningBank.cancel'), true);
    const out = await Promise.race([
      pending,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`the run did not end within 30 s of Cancel; the provider's request: ${JSON.stringify({ ...inFlight, text: undefined })}`)), 30000),
      ),
    ]);
    assert.strictEqual((out as { error?: { code: string } }).error?.code, 'cancelled', JSON.stringify(out));
    assert.strictEqual(a.runs.last!.phase, 'cancelled');
    // VS Code 1.100 does not pass a Cancel on to a provider whose reply has started (the token given to
    // sendRequest is honoured only until then), so the run stops waiting instead: it ended while the
    // provider was still answering, unless the host did cancel the provider's token
    assert.ok(inFlight.endedAt === undefined || inFlight.cancelled, `the run waited for the reply: ${JSON.stringify({ ...inFlight, text: undefined })}`);
    console.log(`cancel: the provider's token was ${inFlight.cancelled ? '' : 'not '}cancelled by the host (VS Code ${vscode.version})`);
    await waitFor('the worktree to be removed', () => spawnSync('git', ['worktree', 'list'], { cwd: workspaceDir(), encoding: 'utf8' }).stdout.trim().split('\n').length === 1, 30000);
  });

  it('with no usable model, refuses before starting and says how to get one', async () => {
    const a = await api();
    const before = a.runs.last;
    await config().update('model', 'no-such-family', vscode.ConfigurationTarget.Workspace);
    let out = await solve(ISSUE);
    assert.strictEqual(out.status, 'error');
    let error = (out as { error: { code: string; message: string } }).error;
    assert.strictEqual(error.code, 'usage');
    assert.match(error.message, /no VS Code language model with family or id "no-such-family".*offered: scripted \(scripted\), scripted-mini \(scripted\).*Select language model/);

    await config().update('model', 'scripted', vscode.ConfigurationTarget.Workspace);
    lm.setAvailable(false);
    await waitFor('the models to be withdrawn', async () => (await vscode.lm.selectChatModels({ vendor: lm.vendor })).length === 0, 10000);
    out = await solve(ISSUE);
    error = (out as { error: { code: string; message: string } }).error;
    assert.strictEqual(error?.code, 'usage', JSON.stringify(out));
    assert.match(error.message, /no VS Code language model is available .*GitHub Copilot Chat.*reasoningBank\.provider to "openai-compatible"/);
    assert.strictEqual(lm.stats.requests.length, 0, 'no request was sent');
    assert.strictEqual(a.runs.last, before, 'no run was started');
    lm.setAvailable(true);
    await waitFor('the models to be back', async () => (await vscode.lm.selectChatModels({ vendor: lm.vendor })).length === 2, 10000);
  });

  it('"Select language model…" lists the vscode.lm models and writes the pick to reasoningBank.model', async () => {
    const picked = Promise.resolve(vscode.commands.executeCommand<string | undefined>('reasoningBank.selectModel'));
    // the picker opens on the current model ("scripted"); the next row is the other one
    await new Promise((r) => setTimeout(r, 1500));
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.strictEqual(await picked, 'scripted-mini');
    assert.strictEqual(config().get('model'), 'scripted-mini');
    assert.strictEqual(config().inspect('model')?.workspaceValue, 'scripted-mini', 'written where the value came from');
    assert.strictEqual(config().get('provider'), 'vscode-lm');
  });
});
