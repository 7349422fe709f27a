/**
 * Memory bank benchmark: retrieval latency at 1k / 10k / 100k items, save (lock + reload-if-changed + merge +
 * atomic write) at 10k, load time, file size, and recall@3 on the labelled retrieval set, lexical vs hybrid.
 * Synthetic banks are generated from a Zipf-distributed vocabulary (seeded, so runs are comparable).
 * Hybrid uses deterministic embeddings from the scripted OpenAI-compatible server: a hashed bag of words, not
 * a semantic model, so it shows the plumbing and fusion, not what a real embedding model would add.
 *
 *   node --require tsx/cjs perf/memory.ts
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OpenAIChatModel, resolveLlmSettings } from '../src/engine/llm/openai-model';
import { MemoryBank } from '../src/engine/memory';
import { ScriptedServer } from '../test/fixtures/scripted-server';

const SIZES = (process.env.RB_BENCH_MEMORY_SIZES ?? '1000,10000,100000').split(',').map(Number);
const QUERIES_PER_SIZE = 60;
const SAVES = 20;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface LabelledSet {
  items: { id: string; title: string; description: string; content: string; task: string; outcome: string }[];
  queries: { text: string; relevant: string[] }[];
}

function labelledSet(): LabelledSet {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'test', 'fixtures', 'retrieval-set.json'), 'utf8'));
}

/** Words of the labelled set (real coding vocabulary) plus synthetic ones, sampled by a Zipf law. */
function vocabulary(set: LabelledSet, random: () => number): { word: () => string } {
  const real = new Set<string>();
  for (const i of set.items) for (const w of `${i.title} ${i.description} ${i.content} ${i.task}`.toLowerCase().match(/[a-z]{3,}/g) ?? []) real.add(w);
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'pa', 'qui', 'dor', 'len', 'bar', 'cos'];
  const words = [...real];
  while (words.length < 8000) {
    let w = '';
    const n = 2 + Math.floor(random() * 3);
    for (let i = 0; i < n; i++) w += syllables[Math.floor(random() * syllables.length)];
    words.push(w);
  }
  for (let i = words.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [words[i], words[j]] = [words[j]!, words[i]!];
  }
  const weights = words.map((_, r) => 1 / (r + 1));
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) cumulative.push((sum += w));
  return {
    word: () => {
      const x = random() * sum;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! < x) lo = mid + 1;
        else hi = mid;
      }
      return words[lo]!;
    },
  };
}

/** Task-like queries: the labelled set's texts, then synthetic ones from the same vocabulary, all distinct. */
export function benchQueries(set: LabelledSet, count: number): string[] {
  const random = rng(7);
  const vocab = vocabulary(set, random);
  const out = set.queries.map((q) => q.text);
  while (out.length < count) out.push(Array.from({ length: 8 + Math.floor(random() * 20) }, vocab.word).join(' '));
  return out.slice(0, count);
}

export function syntheticJsonl(n: number, seed: number, set: LabelledSet): string {
  const random = rng(seed);
  const vocab = vocabulary(set, random);
  const words = (k: number) => Array.from({ length: k }, vocab.word).join(' ');
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const title = words(6);
    lines.push(
      JSON.stringify({
        id: `syn-${seed}-${i}`,
        title: title[0]!.toUpperCase() + title.slice(1),
        description: `Use when ${words(10)}.`,
        content: `${words(18)}. ${words(16)}.`,
        task: words(25),
        outcome: random() < 0.6 ? 'success' : 'failure',
        source: 'single',
      }),
    );
  }
  return lines.join('\n');
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function stats(ms: number[]): { p50: number; p95: number; max: number; n: number } {
  const s = [...ms].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { p50: r(percentile(s, 50)), p95: r(percentile(s, 95)), max: r(s[s.length - 1]!), n: s.length };
}

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await fn();
  return [v, performance.now() - t0];
}

const STOP = new Set('the and for with that this when use not are was from into but its can all any before after then than them they their there'.split(' '));

/** Hashed bag of words (FNV-1a into 256 buckets, stopwords dropped, crude suffix stripping): deterministic, not semantic. */
export function hashedEmbedding(text: string, dim = 256): number[] {
  const v = new Array<number>(dim).fill(0);
  for (const raw of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    if (raw.length < 3 || STOP.has(raw)) continue;
    const w = raw.replace(/(ing|ed|es|s)$/, '');
    let h = 0x811c9dc5;
    for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 0x01000193);
    v[(h >>> 0) % dim]! += 1;
  }
  return v;
}

async function recallAt3(bank: MemoryBank, set: LabelledSet): Promise<{ recall: number; found: number; relevant: number; retrievedForUnrelated: number }> {
  let found = 0;
  let relevant = 0;
  let retrievedForUnrelated = 0;
  for (const q of set.queries) {
    const ids = (await bank.retrieve(q.text, { k: 3 })).items.map((i) => i.id);
    if (!q.relevant.length) retrievedForUnrelated += ids.length;
    for (const id of q.relevant) {
      relevant++;
      if (ids.includes(id)) found++;
    }
  }
  return { recall: Math.round((found / relevant) * 1000) / 1000, found, relevant, retrievedForUnrelated };
}

export async function run(): Promise<object> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-bench-mem-'));
  const set = labelledSet();
  const queries = benchQueries(set, QUERIES_PER_SIZE);
  const sizes: Record<string, object> = {};
  let save: object = {};
  try {
    for (const n of SIZES) {
      const file = path.join(dir, `bank-${n}.sqlite`);
      const builder = await MemoryBank.open(file, { maxItems: Infinity });
      const [, buildMs] = await time(() => builder.importJsonl(syntheticJsonl(n, n, set)));
      builder.close();

      const bank = await MemoryBank.open(file, { maxItems: Infinity });
      const [, loadMs] = await time(() => bank.retrieve(queries[0]!, { k: 3 })); // parse from disk + first query
      const latencies: number[] = [];
      let returned = 0;
      for (let i = 0; i < QUERIES_PER_SIZE; i++) {
        const [r, ms] = await time(() => bank.retrieve(queries[i % queries.length]!, { k: 3 }));
        latencies.push(ms);
        returned += r.items.length;
      }
      const entry: Record<string, unknown> = {
        items: n,
        fileBytes: fs.statSync(file).size,
        buildViaImportMs: Math.round(buildMs),
        loadAndFirstQueryMs: Math.round(loadMs),
        retrieveMs: stats(latencies),
        avgItemsReturned: Math.round((returned / QUERIES_PER_SIZE) * 100) / 100,
      };

      if (n === 10_000) {
        // saves by one window while nobody else writes, and while another writer changes the file between saves
        const other = await MemoryBank.open(file, { maxItems: Infinity });
        const quiet: number[] = [];
        const contended: number[] = [];
        for (let i = 0; i < SAVES; i++) {
          const [, ms] = await time(() =>
            bank.add([{ title: `Bench lesson ${i} quiet`, description: 'When benchmarking saves.', content: `Saved alone, number ${i}.` }], { outcome: 'success', source: 'single', task: `bench task ${i}` }),
          );
          quiet.push(ms);
        }
        for (let i = 0; i < SAVES; i++) {
          await other.addManual({ title: `Other window ${i}`, description: 'Written by another window.', content: `Forces a reload, ${i}.` });
          const [, ms] = await time(() =>
            bank.add([{ title: `Bench lesson ${i} contended`, description: 'When benchmarking saves.', content: `Saved after another writer, number ${i}.` }], {
              outcome: 'failure',
              source: 'single',
              task: `bench task ${i}`,
            }),
          );
          contended.push(ms);
        }
        other.close();
        const runs: number[] = [];
        for (let i = 0; i < SAVES; i++) {
          const [, ms] = await time(() => bank.recordRun({ runId: `bench-${i}`, task: 'bench', status: 'resolved', steps: 3, tokens: { prompt: 1, completion: 1 }, retrieved: [`syn-${n}-${i}`], added: [] }));
          runs.push(ms);
        }
        save = {
          items: n,
          addOneLessonMs: stats(quiet),
          addAfterAnotherWriterMs: stats(contended),
          recordRunMs: stats(runs),
          note: 'each save: lock file, reload if another process changed the file, near-duplicate check, sql.js export, temp file written in full + fsync + read back + rename',
        };
      }
      bank.close();
      sizes[String(n)] = entry;
    }

    // recall@3 on the labelled set: lexical only, then hybrid with deterministic embeddings
    const labelledFile = path.join(dir, 'labelled.sqlite');
    const lexicalBank = await MemoryBank.open(labelledFile);
    await lexicalBank.importJsonl(set.items.map((i) => JSON.stringify({ ...i, source: 'single' })).join('\n'));
    const lexical = await recallAt3(lexicalBank, set);
    lexicalBank.close();

    const server = new ScriptedServer({ embeddings: (input) => input.map((t) => hashedEmbedding(t)) });
    await server.start();
    let hybrid: object;
    let hybridLatency: object;
    try {
      const settings = resolveLlmSettings({ baseUrl: server.url, model: 'scripted', embeddingModel: 'hashed-bow-256' }, {});
      const hybridBank = await MemoryBank.open(labelledFile, { model: OpenAIChatModel.create(settings) });
      hybrid = await recallAt3(hybridBank, set);
      const lat: number[] = [];
      for (const q of queries) lat.push((await time(() => hybridBank.retrieve(q, { k: 3 })))[1]);
      hybridLatency = stats(lat);
      hybridBank.close();
    } finally {
      await server.stop();
    }

    const p95 = (n: number) => (sizes[String(n)] as { retrieveMs: { p95: number } } | undefined)?.retrieveMs.p95 ?? NaN;
    const at10k = p95(10_000);
    const at100k = p95(100_000);
    const saveP95 = (save as { addOneLessonMs?: { p95: number } }).addOneLessonMs?.p95 ?? NaN;
    return {
      bench: 'memory',
      machine: `${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, node ${process.version}`,
      retrieval: sizes,
      save,
      recallAt3: {
        labelledSet: { items: set.items.length, queriesWithRelevantItems: set.queries.filter((q) => q.relevant.length).length, unrelatedQueries: set.queries.filter((q) => !q.relevant.length).length },
        lexical,
        hybrid,
        hybridRetrieveMs: hybridLatency,
        embeddings: 'deterministic hashed bag-of-words vectors (FNV-1a, 256 dims, stopwords dropped) served by the scripted OpenAI-compatible server — not a semantic embedding model',
      },
      goals: {
        retrieveP95At10kMs: { goal: 5, measured: at10k, met: at10k <= 5 },
        retrieveP95At100kMs: { goal: 40, measured: at100k, met: at100k <= 40 },
        saveP95At10kMs: { goal: 120, measured: saveP95, met: saveP95 <= 120 },
      },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  run().then(
    (result) => {
      process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      process.exit(0);
    },
    (err) => {
      process.stderr.write(`${err?.stack ?? err}\n`);
      process.exit(1);
    },
  );
}
