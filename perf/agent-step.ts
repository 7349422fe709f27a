/**
 * Engine overhead per agent step (goal ≤ 2 ms): a zero-latency model and a trivial tool (read_file of a
 * three-line file), measured in-process and through the real openai client against the scripted HTTP
 * server (non-streaming and streaming). Overhead = wall time minus time spent inside model.complete.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runAgent } from '../src/engine/agent/loop';
import { Workspace } from '../src/engine/agent/confined-worktree';
import { scrubEnv } from '../src/engine/exec';
import type { AssistantReply, ChatModel, CompleteRequest, StructuredRequest } from '../src/engine/llm/model';
import { UsageMeter } from '../src/engine/llm/model';
import { OpenAIChatModel, resolveLlmSettings } from '../src/engine/llm/openai-model';
import { ScriptedServer } from '../test/fixtures/scripted-server';

const STEPS = 300;

/** Replies at once: read_file for every step, then finish. The benchmark's model, not a test double. */
class InstantModel implements ChatModel {
  readonly label = 'instant in-process model';
  readonly embeddingModel = null;
  private readonly meter = new UsageMeter();
  get usage() {
    return this.meter.snapshot();
  }
  child(): ChatModel {
    return this;
  }
  async complete(req: CompleteRequest): Promise<AssistantReply> {
    const step = req.messages.filter((m) => m.role === 'assistant').length;
    const usage = { prompt: 1, completion: 1 };
    this.meter.add(usage);
    const call =
      step < STEPS - 1
        ? { id: `call_${step}`, name: 'read_file', arguments: '{"path":"a.txt"}' }
        : { id: `call_${step}`, name: 'finish', arguments: '{"summary":"done"}' };
    return { content: null, toolCalls: [call], finishReason: 'tool_calls', usage };
  }
  async structured<T>(_req: StructuredRequest<T>): Promise<T> {
    throw new Error('the step benchmark makes no structured requests');
  }
  async embed(): Promise<number[][] | null> {
    return null;
  }
}

/** Counts the time spent waiting for the model, so the rest is the engine's. */
function timed(model: ChatModel): { model: ChatModel; modelMs: () => number } {
  let ms = 0;
  const wrapped: ChatModel = Object.create(model);
  wrapped.complete = async (req) => {
    const t0 = performance.now();
    try {
      return await model.complete(req);
    } finally {
      ms += performance.now() - t0;
    }
  };
  return { model: wrapped, modelMs: () => ms };
}

async function measure(label: string, model: ChatModel): Promise<object> {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-bench-step-'));
  try {
    fs.writeFileSync(path.join(repo, 'a.txt'), 'one\ntwo\nthree\n');
    execFileSync('git', ['init', '-q'], { cwd: repo });
    const t = timed(model);
    const t0 = performance.now();
    const out = await runAgent({
      model: t.model,
      workspace: new Workspace({ root: repo, env: scrubEnv(process.env) }),
      task: 'read a.txt many times',
      maxSteps: STEPS + 1,
      trajectoryFile: path.join(repo, '.rb', 'trajectory.jsonl'),
    });
    const totalMs = performance.now() - t0;
    if (out.reason !== 'finish' || out.steps !== STEPS) throw new Error(`${label}: unexpected outcome ${out.reason} after ${out.steps} steps`);
    const overheadMs = totalMs - t.modelMs();
    return {
      label,
      steps: out.steps,
      totalMs: round(totalMs),
      modelMs: round(t.modelMs()),
      overheadMsPerStep: round(overheadMs / out.steps, 3),
      totalMsPerStep: round(totalMs / out.steps, 3),
    };
  } finally {
    fs.rmSync(repo, { recursive: true, force: true });
  }
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export async function run(): Promise<object> {
  const results: object[] = [];
  await measure('warm-up', new InstantModel());
  results.push(await measure('in-process model', new InstantModel()));
  const server = new ScriptedServer({
    agent: (ctx) =>
      ctx.step < STEPS - 1
        ? { toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] }
        : { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] },
  });
  await server.start();
  try {
    for (const stream of [false, true]) {
      const settings = resolveLlmSettings({ baseUrl: server.url, model: 'scripted' }, {});
      settings.stream = stream;
      results.push(await measure(`scripted HTTP server (${stream ? 'streaming' : 'non-streaming'})`, OpenAIChatModel.create(settings)));
    }
  } finally {
    await server.stop();
  }
  return { name: 'agent-step', goalMsPerStep: 2, stepsPerRun: STEPS, tool: 'read_file of a 3-line file', results };
}

if (require.main === module) {
  run().then((r) => console.log(JSON.stringify(r, null, 2)), (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
