/**
 * solve/start in the engine process without an OS sandbox: every command is asked about whatever the
 * policy says, and the result says the run was unsandboxed. Real git, real HTTP to the scripted server;
 * "no sandbox" is a PATH without bwrap.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { solveHandler, type SolveHost } from '../../src/server/handlers/solve';
import type { ApprovalParams, SolveParams } from '../../src/server/protocol';
import { ScriptedServer } from '../fixtures/scripted-server';
import { makeRepo, removeAll } from './agent-helpers';

describe('solve/start and the sandbox', function () {
  this.timeout(60000);
  let server: ScriptedServer;
  let repo: string;
  let bin: string;
  const savedPath = process.env.PATH;
  const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };

  beforeEach(async () => {
    server = new ScriptedServer({
      agent: (ctx) =>
        ctx.step === 0
          ? { toolCalls: [{ name: 'run_command', arguments: { command: 'echo hi' } }] }
          : { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] },
      structured: { judge: () => ({ json: { success: false, reason: 'no' } }), memory_items: () => ({ json: { items: [] } }) },
    });
    await server.start();
    repo = fs.realpathSync(makeRepo({ 'a.txt': 'a\n' }));
    bin = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-bin-'));
    for (const tool of ['git', 'node']) fs.symlinkSync(execFileSync('which', [tool], { encoding: 'utf8' }).trim(), path.join(bin, tool));
  });
  afterEach(async () => {
    process.env.PATH = savedPath;
    await server.stop();
    removeAll(repo, bin);
  });

  async function solveWith(policy: 'auto' | 'allowlist'): Promise<{ asked: ApprovalParams[]; warnings: string[]; result: any }> {
    const asked: ApprovalParams[] = [];
    const warnings: string[] = [];
    const host: SolveHost = {
      event: () => {},
      askApproval: async (p) => (asked.push(p), { allowed: true }),
      complete: () => Promise.reject(new Error('not used')),
      memoryChanged: () => {},
      warn: (m) => warnings.push(m),
    };
    const params: SolveParams = {
      ticket: 't1',
      repo,
      issue: 'say hi',
      memoryFile: path.join(repo, '.reasoningbank', 'memory.sqlite'),
      testCommand: 'true',
      llm: { provider: 'openai-compatible', baseUrl: server.url, model: 'scripted' },
      approval: { policy, allowedCommands: ['echo hi'] },
    };
    const result = await solveHandler(params, token, host);
    return { asked, warnings, result };
  }

  it('with bwrap: the policy decides, and the result says bwrap with the network off', async () => {
    const { asked, result } = await solveWith('auto');
    assert.strictEqual(asked.length, 0);
    assert.deepStrictEqual(result.sandbox, { kind: 'bwrap', network: 'off' });
  });

  it('without a sandbox: every command is asked about, even under "auto" or an allowlist entry, and so are the test runs', async () => {
    process.env.PATH = bin;
    for (const policy of ['auto', 'allowlist'] as const) {
      const { asked, warnings, result } = await solveWith(policy);
      // the baseline runs beside the agent: its question may come before or after the agent's command
      assert.deepStrictEqual(asked.map((a) => `${a.purpose ?? 'agent'}: ${a.command}`).sort(), ['agent: echo hi', 'tests-after: true', 'tests-baseline: true'], policy);
      assert.strictEqual(asked.at(-1)!.purpose, 'tests-after');
      assert.match(warnings.join('\n'), /bubblewrap.*asked about/s);
      assert.deepStrictEqual(result.sandbox, { kind: 'none', network: 'on' });
    }
  });
});
