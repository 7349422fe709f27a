/**
 * MaTTS parallel wall time: wall(k)/wall(1) for k = 1..5 with a scripted model answering in 250 ms.
 * 1.0 is the limit (perfect overlap); serial attempts would give k.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { ScriptedServer } from '../test/fixtures/scripted-server';
import { solve } from '../src/engine/solve';
import { OpenAIChatModel, resolveLlmSettings } from '../src/engine/llm/openai-model';

const FILES: Record<string, string> = {
  'package.json': '{"name":"sum","version":"1.0.0"}\n',
  'src/sum.js': 'function sum(a, b) {\n  return a - b;\n}\nmodule.exports = { sum };\n',
};

function makeRepo(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rb-bench-scale-')));
  for (const [name, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-qm', 'init');
  return dir;
}

export async function run(): Promise<object> {
  const latencyMs = 250;
  const server = new ScriptedServer({
    latencyMs,
    agent: (ctx) =>
      ctx.step === 0
        ? { toolCalls: [{ name: 'edit_file', arguments: { path: 'src/sum.js', old_text: 'a - b', new_text: 'a + b' } }] }
        : { toolCalls: [{ name: 'finish', arguments: { summary: 'fixed' } }] },
    structured: {
      judge: () => ({ json: { success: true, reason: 'fixed' } }),
      best_of_k: () => ({ json: { index: 0, reason: 'first' } }),
    },
  });
  await server.start();
  const repo = makeRepo();
  const rows: { k: number; wallMs: number; ratio: number; attemptsMs: number; attemptsRatio: number; lastAttemptStartMs: number; modelRequests: number }[] = [];
  try {
    let base = 0;
    let baseAttempts = 0;
    for (let k = 1; k <= 5; k++) {
      const settings = { ...resolveLlmSettings({ baseUrl: server.url, model: 'scripted' }, {}), maxConcurrent: k };
      const model = OpenAIChatModel.create(settings);
      const before = server.requests.length;
      const started = performance.now();
      // no test command: the LLM judge decides, so the wall time is the model's and the engine's
      let lastStart = 0;
      let lastEnd = 0;
      await solve({
        repo,
        task: 'sum subtracts',
        testCommand: null,
        noMemory: true,
        k,
        mode: 'parallel',
        maxSteps: 5,
        model,
        events: (e) => {
          if (e.type === 'attempt-start') lastStart = performance.now() - started;
          if (e.type === 'attempt-end') lastEnd = performance.now() - started;
        },
      });
      const wallMs = performance.now() - started;
      if (k === 1) {
        base = wallMs;
        baseAttempts = lastEnd;
      }
      rows.push({
        k,
        wallMs: Math.round(wallMs),
        ratio: Number((wallMs / base).toFixed(2)),
        attemptsMs: Math.round(lastEnd),
        attemptsRatio: Number((lastEnd / baseAttempts).toFixed(2)),
        lastAttemptStartMs: Math.round(lastStart),
        modelRequests: server.requests.length - before,
      });
    }
  } finally {
    await server.stop();
    fs.rmSync(repo, { recursive: true, force: true });
  }
  return {
    name: 'scale-parallel-wall',
    modelLatencyMs: latencyMs,
    goal: 'ratio <= 1.2 at k = 3',
    note: 'ratio: whole solve; attemptsRatio: start until the last attempt is judged. For k > 1 the whole solve also includes the best-of-k call (one more model round trip), which k = 1 does not need.',
    rows,
  };
}

if (require.main === module) {
  run().then((r) => console.log(JSON.stringify(r, null, 2)), (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
