import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OpenAIChatModel, resolveLlmSettings } from '../../src/engine/llm/openai-model';
import { MemoryBank, taskHash, type LessonDraft } from '../../src/engine/memory';
import { loadSqlJs } from '../../src/engine/memory/sqlite';
import { ScriptedServer } from '../fixtures/scripted-server';

interface LabelledSet {
  items: (LessonDraft & { id: string; outcome: string; task: string })[];
  queries: { text: string; relevant: string[] }[];
}
const SET: LabelledSet = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'retrieval-set.json'), 'utf8'));

/** Deterministic embeddings: a hashed bag of words in which a few synonyms share a bucket. */
const SYNONYMS: Record<string, string> = { sporadic: 'intermittent', sporadically: 'intermittent', flaky: 'intermittent', clock: 'time', timing: 'time' };
function embedText(text: string, dim = 128): number[] {
  const v = new Array<number>(dim).fill(0);
  for (const raw of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    if (raw.length < 3) continue;
    const w = SYNONYMS[raw] ?? raw.replace(/(ing|ed|es|s)$/, '');
    let h = 0x811c9dc5;
    for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 0x01000193);
    v[(h >>> 0) % dim]! += 1;
  }
  return v;
}

describe('memory retrieval', () => {
  let dir: string;
  let server: ScriptedServer;
  const banks: MemoryBank[] = [];
  const open = async (file: string, opts: Parameters<typeof MemoryBank.open>[1] = {}) => {
    const b = await MemoryBank.open(file, opts);
    banks.push(b);
    return b;
  };
  const model = (embeddingModel: string | undefined, onWarn?: (m: string) => void) => {
    const settings = resolveLlmSettings({ baseUrl: server.url, model: 'scripted', embeddingModel }, {});
    settings.maxRetries = 0;
    return OpenAIChatModel.create(settings, { onWarn });
  };
  const embeddingRequests = () => server.requests.filter((r) => r.kind === 'embeddings');

  before(async () => {
    server = new ScriptedServer({ embeddings: (input) => input.map((t) => embedText(t)) });
    await server.start();
  });
  after(() => server.stop());
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-ret-'));
    server.requests.length = 0;
    server.setScript({ embeddings: (input) => input.map((t) => embedText(t)) });
  });
  afterEach(() => {
    for (const b of banks.splice(0)) b.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function labelledBank(file = path.join(dir, 'set.sqlite'), opts: Parameters<typeof MemoryBank.open>[1] = {}) {
    const bank = await open(file, opts);
    const res = await bank.importJsonl(SET.items.map((i) => JSON.stringify({ ...i, source: 'single' })).join('\n'));
    assert.equal(res.imported, SET.items.length);
    return bank;
  }

  it('the labelled set is big enough to mean something', () => {
    assert.ok(SET.items.length >= 30, 'at least 30 items');
    const labelled = SET.queries.filter((q) => q.relevant.length > 0);
    assert.ok(labelled.length >= 15, 'at least 15 queries with relevant items');
    const ids = new Set(SET.items.map((i) => i.id));
    for (const q of labelled) for (const id of q.relevant) assert.ok(ids.has(id), `${id} exists`);
  });

  it('lexical ranking reaches the recall@3 floor on the labelled set and retrieves little for unrelated tasks', async () => {
    const bank = await labelledBank();
    let found = 0;
    let relevant = 0;
    const misses: string[] = [];
    for (const q of SET.queries.filter((x) => x.relevant.length)) {
      const r = await bank.retrieve(q.text, { k: 3 });
      assert.equal(r.method, 'lexical');
      const ids = r.items.map((i) => i.id);
      for (const id of q.relevant) {
        relevant++;
        if (ids.includes(id)) found++;
        else misses.push(`${id} for "${q.text.slice(0, 40)}…"`);
      }
    }
    const recall = found / relevant;
    assert.ok(recall >= 0.85, `recall@3 ${recall.toFixed(3)} below the 0.85 floor; missed ${misses.join('; ')}`);

    const negatives = SET.queries.filter((x) => x.relevant.length === 0);
    let retrievedForNegatives = 0;
    for (const q of negatives) retrievedForNegatives += (await bank.retrieve(q.text, { k: 3 })).items.length;
    assert.ok(retrievedForNegatives <= negatives.length / 2, `${retrievedForNegatives} items retrieved for ${negatives.length} unrelated tasks`);
    assert.deepEqual((await bank.retrieve('Update the copyright year in the footer of the marketing website.')).items, []);
  });

  it('BM25: a term in the title outranks the same term in the content, a rare term outranks a common one', async () => {
    const bank = await open(path.join(dir, 'bm25.sqlite'));
    const drafts: LessonDraft[] = [
      { title: 'Check the migration order', description: 'When schema changes fail.', content: 'Run migrations in order and test them on a copy of the data.' },
      { title: 'Keep tests fast', description: 'When the suite is slow.', content: 'A slow migration in test setup can dominate the run; share fixtures.' },
      { title: 'Read logs first', description: 'When a job fails.', content: 'The test output and the logs usually name the failing step.' },
      { title: 'Write a test', description: 'When fixing bugs.', content: 'Every fix gets a test.' },
    ];
    for (const d of drafts) await bank.addManual(d);
    const migration = await bank.retrieve('migration test', { k: 4, minScore: 0 });
    assert.deepEqual(migration.items.slice(0, 2).map((i) => i.title), ['Check the migration order', 'Keep tests fast']);
    assert.ok(migration.items[0]!.bm25! > migration.items[1]!.bm25!);
    assert.ok(migration.items.every((i, n) => n === 0 || i.score <= migration.items[n - 1]!.score), 'sorted by score');
    assert.equal((await bank.retrieve('', {})).method, 'none');
  });

  it('never returns archived items, honours leave-one-out and item kinds', async () => {
    const bank = await open(path.join(dir, 'filters.sqlite'));
    const task = 'The invoice total is off by one cent';
    const [own] = await bank.add([{ title: 'Money in integer cents', description: 'When totals are off by a cent.', content: 'Sum integer cents; round only for display.' }], {
      outcome: 'success',
      source: 'single',
      task,
    });
    const [other] = await bank.add([{ title: 'Round money at the boundary', description: 'When invoice totals drift by a cent.', content: 'Keep exact cents inside; round once when printing the invoice.' }], {
      outcome: 'failure',
      source: 'single',
      task: 'A different invoice task',
    });
    await bank.add([{ title: 'Trajectory: fixed invoice cents', description: 'A successful run on an invoice cent bug.', content: 'read_file invoice.js; edit_file total; run_command npm test' }], {
      outcome: 'success',
      source: 'single',
      task,
      kind: 'trajectory',
    });
    const query = 'invoice total off by a cent';
    const all = await bank.retrieve(query, { k: 5 });
    assert.deepEqual(all.items.map((i) => i.id).sort(), [own!.id, other!.id].sort(), 'lessons only by default');
    const trajectories = await bank.retrieve(query, { k: 5, kind: 'trajectory' });
    assert.deepEqual(trajectories.items.map((i) => i.kind), ['trajectory']);

    const loo = await bank.retrieve(query, { k: 5, excludeTaskHash: taskHash(task) });
    assert.deepEqual(loo.items.map((i) => i.id), [other!.id]);

    await bank.update(other!.id, { archived: true });
    assert.deepEqual((await bank.retrieve(query, { k: 5 })).items.map((i) => i.id), [own!.id]);
    assert.ok(!(await bank.search(query)).some((i) => i.id === other!.id));
  });

  it('fuses BM25 with embedding similarity (RRF): embeddings find what words miss', async () => {
    const file = path.join(dir, 'hybrid.sqlite');
    const bank = await open(file, { model: model('hash-128') });
    const lexicalOnly = await open(file);
    await bank.addManual({ title: 'Control time in intermittent tests', description: 'When a test fails intermittently.', content: 'Inject the time source or use fake timers so every run takes the same path.' });
    await bank.addManual({ title: 'Parse numbers from form fields', description: 'When sums concatenate strings.', content: 'Convert with Number and validate before arithmetic.' });
    await bank.addManual({ title: 'Await events instead of sleeping in CI', description: 'When CI fails under load.', content: 'Replace sleeps with awaiting the event; a race under load needs explicit ordering.' });

    const query = 'flaky assertion depends on the clock';
    assert.deepEqual((await lexicalOnly.retrieve(query)).items, [], 'no shared words: lexical ranking finds nothing');
    const hybrid = await bank.retrieve(query, { k: 3 });
    assert.equal(hybrid.method, 'hybrid');
    assert.equal(hybrid.items[0]?.title, 'Control time in intermittent tests');
    assert.ok(hybrid.items[0]!.cosine! > 0.35 && hybrid.items[0]!.bm25 === undefined);
    assert.ok(!hybrid.items.some((i) => i.title.startsWith('Parse numbers')));

    // an item ranked by both lists comes before items ranked by one
    const both = await bank.retrieve('CI fails under load because of sleeping', { k: 3 });
    assert.equal(both.items[0]?.title, 'Await events instead of sleeping in CI');
    assert.ok(both.items[0]!.bm25! > 0 && both.items[0]!.cosine! > 0);
    assert.ok(both.items[0]!.score > (both.items[1]?.score ?? 0));
  });

  it('embeds items lazily once, stores the vectors with model and dimension, and re-embeds for a new model', async () => {
    const file = path.join(dir, 'vectors.sqlite');
    const seed = await open(file);
    for (let i = 0; i < 5; i++) await seed.addManual({ title: `Lesson ${i} about caching`, description: 'When caches go stale.', content: `Invalidate entry ${i} on writes.` });

    const bank = await open(file, { model: model('hash-128') });
    await bank.retrieve('stale cache entries after writes');
    const inputs = embeddingRequests().map((r) => (r.body.input as string[]).length);
    assert.deepEqual(inputs, [6], 'the query and the 5 items in one request');

    const SQL = await loadSqlJs();
    const db = new SQL.Database(fs.readFileSync(file));
    const rows = db.exec('SELECT model, dim, length(vector) FROM embeddings')[0]!.values;
    db.close();
    assert.equal(rows.length, 5);
    for (const r of rows) assert.deepEqual(r, ['hash-128', 128, 128 * 4]);

    server.requests.length = 0;
    await bank.retrieve('stale cache entries after writes');
    assert.deepEqual(embeddingRequests().map((r) => (r.body.input as string[]).length), [1], 'only the query the second time');

    server.requests.length = 0;
    const renamed = await open(file, { model: model('hash-128-v2') });
    await renamed.retrieve('stale cache entries after writes');
    assert.deepEqual(embeddingRequests().map((r) => (r.body.input as string[]).length), [6], 're-embedded for the new model');

    // a read-only bank embeds in memory but never writes the file
    const before = fs.statSync(file).mtimeMs;
    server.requests.length = 0;
    const readOnly = await open(file, { model: model('hash-128-v3'), readOnly: true });
    assert.equal((await readOnly.retrieve('stale cache entries after writes')).method, 'hybrid');
    assert.equal(fs.statSync(file).mtimeMs, before);
  });

  it('without an embedding model it ranks lexically and says so once; a failing endpoint is reported by the model, not twice', async () => {
    const warnings: string[] = [];
    const bank = await labelledBank(path.join(dir, 'lex.sqlite'), { model: model(undefined), onWarn: (m) => warnings.push(m) });
    assert.equal((await bank.retrieve(SET.queries[0]!.text)).method, 'lexical');
    assert.equal((await bank.retrieve(SET.queries[1]!.text)).method, 'lexical');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /lexical/i);
    assert.equal(embeddingRequests().length, 0);

    server.setScript({ embeddings: () => ({ status: 404, body: { error: { message: 'no embeddings here' } } }) });
    const modelWarnings: string[] = [];
    const bankWarnings: string[] = [];
    const broken = await open(path.join(dir, 'lex.sqlite'), { model: model('missing-model', (m) => modelWarnings.push(m)), onWarn: (m) => bankWarnings.push(m) });
    const r = await broken.retrieve(SET.queries[0]!.text);
    assert.equal(r.method, 'lexical');
    assert.ok(r.items.length > 0);
    assert.equal(modelWarnings.length, 1);
    assert.deepEqual(bankWarnings, []);
    await broken.retrieve(SET.queries[1]!.text);
    assert.equal(modelWarnings.length, 1, 'the model stops asking once embeddings failed');
  });

  it('merges a paraphrase by embedding similarity when the endpoint serves embeddings', async () => {
    const original: LessonDraft = { title: 'Control the clock in flaky tests', description: 'When tests are flaky.', content: 'Inject the clock in tests.' };
    const paraphrase: LessonDraft = { title: 'Control timing in sporadic tests', description: 'When tests are sporadic.', content: 'Inject the timing in tests.' };
    const plain = await open(path.join(dir, 'plain.sqlite'));
    await plain.add([original], { outcome: 'success', source: 'single', task: 't1' });
    const [unmerged] = await plain.add([paraphrase], { outcome: 'failure', source: 'single', task: 't2' });
    assert.equal(unmerged!.merged, false, 'the words alone are not close enough');

    const bank = await open(path.join(dir, 'merge.sqlite'), { model: model('hash-128') });
    const [a] = await bank.add([original], { outcome: 'success', source: 'single', task: 't1' });
    const [b] = await bank.add([paraphrase], { outcome: 'failure', source: 'single', task: 't2', lineage: ['from-refinement'] });
    assert.equal(b!.merged, true);
    assert.equal(b!.id, a!.id);
    assert.deepEqual((await bank.get(a!.id))!.lineage, ['from-refinement']);
  });
});
