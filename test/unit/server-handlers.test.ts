/**
 * The engine's request handlers over an in-memory connection: the extension's typed endpoint on one
 * side, registerHandlers on the other, real memory files, real git repositories and the scripted
 * OpenAI-compatible server for a solve. Only the transport (JSON-RPC over IPC) is left out.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CancellationTokenSource } from 'vscode-languageserver/node';
import { registerHandlers } from '../../src/server/register';
import { MAX_ATTEMPTS } from '../../src/server/solve-args';
import { MAX_K } from '../../src/engine/solve';
import { engineEndpoint, extensionEndpoint, solveErrorOf, type Connection, type ExtensionEndpoint, type SolveParams, type ServerNotifications } from '../../src/server/protocol';
import { ScriptedServer } from '../fixtures/scripted-server';
import { MemoryBank } from '../../src/engine/memory';
import { SUM_FIX, SUM_REPO, cleanupTempDirs, git, makeRepo, tempDir } from '../fixtures/repos';

type Handler = (params: unknown, token?: unknown) => unknown;

/** Two ends that deliver to each other, copying every message as the wire would. */
class MemoryConnection implements Connection {
  peer!: MemoryConnection;
  private readonly requests = new Map<string, Handler>();
  private readonly notifications = new Map<string, Handler>();

  async sendRequest(method: string, params: unknown, token?: unknown): Promise<unknown> {
    const handler = this.peer.requests.get(method);
    if (!handler) throw new Error(`nobody answers ${method}`);
    return structuredClone(await handler(structuredClone(params), token ?? new CancellationTokenSource().token));
  }
  onRequest(method: string, handler: Handler): void {
    this.requests.set(method, handler);
  }
  sendNotification(method: string, params: unknown): void {
    this.peer.notifications.get(method)?.(structuredClone(params));
  }
  onNotification(method: string, handler: Handler): void {
    this.notifications.set(method, handler);
  }
}

function connect(): { ext: ExtensionEndpoint; notes: { method: string; params: unknown }[] } {
  const extSide = new MemoryConnection();
  const engineSide = new MemoryConnection();
  extSide.peer = engineSide;
  engineSide.peer = extSide;
  registerHandlers(engineEndpoint(engineSide));
  const ext = extensionEndpoint(extSide);
  const notes: { method: string; params: unknown }[] = [];
  for (const method of ['run/event', 'memory/changed', 'server/log'] as const) ext.onNotification(method, (params) => notes.push({ method, params }));
  return { ext, notes };
}

describe('server handlers (in-memory connection)', function () {
  this.timeout(60000);
  after(() => cleanupTempDirs());

  it('checks the attempts of a run against the limit the engine keeps', () => {
    assert.equal(MAX_ATTEMPTS, MAX_K);
  });

  it('answers server/info', async () => {
    const { ext } = connect();
    const info = await ext.request('server/info', {});
    assert.equal(info.pid, process.pid);
    assert.match(info.version, /^\d+\.\d+\.\d+$/);
  });

  it('adds, lists, edits and deletes lessons in a real file, telling the extension it changed', async () => {
    const { ext, notes } = connect();
    const memoryFile = path.join(tempDir('rb-srv-'), 'memory.sqlite');
    assert.deepEqual(await ext.request('memory/list', { memoryFile }), []);
    const added = await ext.request('memory/add', {
      memoryFile,
      draft: { title: 'Check the boundary', description: 'when a range loses its last element', content: 'Inclusive and exclusive ends differ.' },
    });
    assert.ok(notes.some((n) => n.method === 'memory/changed' && (n.params as ServerNotifications['memory/changed']).memoryFile === memoryFile));
    const edited = await ext.request('memory/update', { memoryFile, id: added.id, patch: { pinned: true } });
    assert.equal(edited.pinned, true);
    assert.deepEqual((await ext.request('memory/list', { memoryFile })).map((i) => i.id), [added.id]);
    assert.deepEqual(await ext.request('memory/delete', { memoryFile, id: added.id }), { deleted: true });
    assert.equal(await ext.request('memory/get', { memoryFile, id: added.id }), null);
  });

  it('imports lessons from elsewhere without their claimed evidence, and restores the user\'s own export whole', async () => {
    const { ext } = connect();
    const line = JSON.stringify({ id: 'x1', title: 'Pinned and proven', description: 'd', content: 'c', source: 'single', pinned: true, wins: 9 });
    const foreign = path.join(tempDir('rb-srv-'), 'memory.sqlite');
    await ext.request('memory/import', { memoryFile: foreign, jsonl: line });
    const [imported] = await ext.request('memory/list', { memoryFile: foreign });
    assert.deepEqual([imported!.source, imported!.pinned, imported!.wins], ['import', false, 0]);
    const own = path.join(tempDir('rb-srv-'), 'memory.sqlite');
    await ext.request('memory/import', { memoryFile: own, jsonl: line, restore: true });
    const [restored] = await ext.request('memory/list', { memoryFile: own });
    assert.deepEqual([restored!.source, restored!.pinned, restored!.wins], ['single', true, 9]);
  });

  it('rejects a memory request without a file with the engine error code', async () => {
    const { ext } = connect();
    await assert.rejects(ext.request('memory/list', { memoryFile: '' }), (err: { data?: { code: string } }) => err.data?.code === 'bad-input');
  });

  it('lists the parts of a patch and applies only the chosen ones; none chosen or an unknown one is refused', async () => {
    const { ext } = connect();
    const repo = makeRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    fs.writeFileSync(path.join(repo, 'a.txt'), 'A\n');
    fs.writeFileSync(path.join(repo, 'c.txt'), 'c\n');
    git(repo, 'add', '-A');
    const patch = git(repo, 'diff', '--cached', '--binary', 'HEAD');
    git(repo, 'reset', '-q', '--hard');
    git(repo, 'clean', '-fdq');
    const { parts } = await ext.request('patch/parts', { patch });
    assert.deepEqual(parts.map((p) => [p.id, p.file, p.kind]), [['0.0', 'a.txt', 'hunk'], ['1', 'c.txt', 'new']]);
    const badInput = (err: { data?: { code: string } }) => err.data?.code === 'bad-input';
    await assert.rejects(ext.request('patch/apply', { repo, patch, parts: [] }), badInput);
    await assert.rejects(ext.request('patch/apply', { repo, patch, parts: ['9'] }), badInput);
    assert.equal(git(repo, 'status', '--porcelain'), '', 'a refused request changes nothing');
    assert.deepEqual(await ext.request('patch/apply', { repo, patch, parts: ['1'] }), { applied: true, files: ['c.txt'], partial: true });
    assert.equal(git(repo, 'status', '--porcelain', '--untracked-files=all'), '?? c.txt\n');
    assert.equal(fs.readFileSync(path.join(repo, 'a.txt'), 'utf8'), 'a\n');
  });

  describe('solve/start', () => {
    const server = new ScriptedServer();
    before(() => server.start());
    after(() => server.stop());

    const params = (over: Partial<SolveParams>): SolveParams => ({
      ticket: 't1',
      repo: makeRepo(SUM_REPO),
      issue: 'sum(2, 3) returns -1',
      memoryFile: path.join(tempDir('rb-srv-'), 'memory.sqlite'),
      testCommand: 'node --test',
      llm: { provider: 'openai-compatible', baseUrl: server.url, model: 'scripted' },
      approval: { policy: 'ask', allowedCommands: [] },
      ...over,
    });

    for (const [field, bad, says] of [
      ['k', 99, /"k": must be a whole number from 1 to 8/],
      ['mode', 'diagonal', /"mode"/],
      ['repo', 'relative/path', /"repo": the workspace folder must be an absolute path/],
      ['issue', '   ', /"issue": the issue text is empty/],
    ] as const) {
      it(`refuses a bad "${field}" before anything runs, naming it`, async () => {
        const { ext, notes } = connect();
        const result = await ext.request('solve/start', params({ [field]: bad } as Partial<SolveParams>));
        const error = solveErrorOf(result);
        assert.equal(error?.code, 'bad-input');
        assert.match(error?.message ?? '', says);
        assert.equal(notes.filter((n) => n.method === 'run/event').length, 0);
      });
    }

    it('runs a solve, streams its events under the ticket, and asks the extension before a command', async () => {
      server.setScript({
        agent: (ctx) =>
          ctx.step === 0
            ? { toolCalls: [{ name: 'run_command', arguments: { command: 'node --test' } }] }
            : ctx.step === 1
              ? { toolCalls: [{ name: 'edit_file', arguments: SUM_FIX }] }
              : { toolCalls: [{ name: 'finish', arguments: { summary: 'fixed' } }] },
        structured: { judge: () => ({ json: { success: true, reason: 'fixed' } }), memory_items: () => ({ json: { items: [] } }) },
      });
      const { ext, notes } = connect();
      const asked: string[] = [];
      ext.onRequest('approval/request', async (p) => {
        asked.push(p.command);
        return { allowed: false, reason: 'not now' };
      });
      ext.onRequest('model/complete', () => Promise.reject(new Error('the openai-compatible provider never forwards')));
      const result = await ext.request('solve/start', params({ ticket: 'run-42' }));
      assert.equal(result.status, 'resolved', JSON.stringify(result));
      assert.deepEqual(asked, ['node --test']);
      const events = notes.filter((n) => n.method === 'run/event').map((n) => n.params as ServerNotifications['run/event']);
      assert.ok(events.length > 3);
      assert.ok(events.every((e) => e.ticket === 'run-42'));
      assert.deepEqual([events[0]!.event.type, events.at(-1)!.event.type], ['run-start', 'run-end']);
      const denied = server.chat().flatMap((r) => r.body.messages).find((m) => m.role === 'tool' && String(m.content).includes('not now'));
      assert.ok(denied, 'the denial reached the model as the tool result');
    });

    it('a committed bank runs only as the version confirmed: the refusal names its identity, the confirmed identity runs, a new commit is refused as changed', async () => {
      server.setScript({
        agent: (ctx) => (ctx.step === 0 ? { toolCalls: [{ name: 'edit_file', arguments: SUM_FIX }] } : { toolCalls: [{ name: 'finish', arguments: { summary: 'fixed' } }] }),
        structured: { judge: () => ({ json: { success: true, reason: 'fixed' } }), memory_items: () => ({ json: { items: [] } }) },
      });
      const repo = makeRepo(SUM_REPO);
      const memoryFile = path.join(repo, '.reasoningbank', 'memory.sqlite');
      const commitLesson = async (title: string) => {
        fs.mkdirSync(path.dirname(memoryFile), { recursive: true });
        const bank = await MemoryBank.open(memoryFile);
        await bank.addManual({ title, description: 'when sum returns a wrong result', content: `${title}: check the operator in sum` });
        bank.close();
        git(repo, 'add', '-f', memoryFile);
        git(repo, 'commit', '-q', '-m', title);
      };
      const lessonsSeen = (title: string) => server.chat().some((r) => JSON.stringify(r.body.messages).includes(title));
      await commitLesson('Committed lesson one');
      const { ext, notes } = connect();
      ext.onRequest('model/complete', () => Promise.reject(new Error('the openai-compatible provider never forwards')));
      const run = (over: Partial<SolveParams> & Record<string, unknown>) => ext.request('solve/start', params({ repo, memoryFile, approval: { policy: 'auto', allowedCommands: [] }, ...over }));

      // an older client's (or a hostile one's) boolean is not a confirmation
      const refused = solveErrorOf(await run({ trustMemory: true }));
      assert.equal(refused?.code, 'untrusted-memory', JSON.stringify(refused));
      assert.match(refused!.message, /tracked by git/);
      const asked = refused!.untrustedMemory!;
      assert.equal(asked.file, memoryFile);
      assert.equal(asked.changed, false);
      assert.equal(asked.reason, 'is tracked by git (it came with the repository)');
      assert.match(asked.identity, /^git:[0-9a-f]{40}$/);
      assert.equal(notes.filter((n) => n.method === 'run/event').length, 0, 'nothing ran');

      const trusted = await run({ trustedMemory: asked.identity });
      assert.equal(trusted.status, 'resolved', JSON.stringify(trusted));
      assert.ok(lessonsSeen('Committed lesson one'), 'the confirmed lesson reached the agent');

      // a pull brings another committed version: the old confirmation does not cover it
      await commitLesson('Committed lesson two');
      const before = notes.length;
      const changed = solveErrorOf(await run({ trustedMemory: asked.identity }));
      assert.equal(changed?.code, 'untrusted-memory', JSON.stringify(changed));
      assert.equal(changed!.untrustedMemory!.changed, true);
      assert.match(changed!.message, /changed since it was trusted/);
      assert.notEqual(changed!.untrustedMemory!.identity, asked.identity);
      assert.equal(notes.slice(before).filter((n) => n.method === 'run/event').length, 0, 'nothing ran');
      assert.ok(!lessonsSeen('Committed lesson two'), 'the unconfirmed lesson never reached a model');

      const empty = solveErrorOf(await run({ trustedMemory: '' }));
      assert.equal(empty?.code, 'bad-input');
      assert.match(empty!.message, /"trustedMemory"/);
    });
  });
});
