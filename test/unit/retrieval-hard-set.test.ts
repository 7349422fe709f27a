/** The harder labelled retrieval set is data: its stated properties are checked with the bank's own tokenizer. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { LexicalIndex } from '../../src/engine/memory/lexical';
import { migrate } from '../../src/engine/memory/schema';
import { loadSqlJs } from '../../src/engine/memory/sqlite';

interface HardSet {
  items: { id: string; outcome: string; title: string; description: string; content: string; task: string }[];
  queries: { text: string; relevant: string[]; hard: boolean }[];
}

const SET: HardSet = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'retrieval-hard-set.json'), 'utf8'));

describe('the harder labelled retrieval set', () => {
  it('has at least 150 lessons, 60 queries, 10 with no relevant lesson, and unique ids that every label names', () => {
    assert.ok(SET.items.length >= 150, `${SET.items.length} lessons`);
    assert.ok(SET.queries.length >= 60, `${SET.queries.length} queries`);
    assert.ok(SET.queries.filter((q) => q.relevant.length === 0).length >= 10);
    const ids = new Set(SET.items.map((i) => i.id));
    assert.equal(ids.size, SET.items.length);
    for (const q of SET.queries) for (const id of q.relevant) assert.ok(ids.has(id), `${id} in "${q.text}"`);
    for (const i of SET.items) assert.ok(i.title && i.description && i.content && i.task, i.id);
  });

  it('marks a query hard exactly when it shares at most one content word with each relevant lesson; half of the queries are hard', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    try {
      migrate(db, 0);
      const index = new LexicalIndex(db);
      const stems = (text: string) => new Set(index.tokens(text).map((t) => t.stem));
      for (const q of SET.queries) {
        const words = stems(q.text);
        const shared = q.relevant.map((id) => {
          const it = SET.items.find((i) => i.id === id)!;
          const lesson = stems(`${it.title} ${it.description} ${it.content} ${it.task}`);
          return [...words].filter((w) => lesson.has(w)).length;
        });
        const hard = shared.length > 0 && Math.min(...shared) <= 1;
        assert.equal(q.hard, hard, `"${q.text}" shares ${shared.join(', ')} content words`);
      }
      assert.ok(SET.queries.filter((q) => q.hard).length * 2 >= SET.queries.length, 'at least half are lexically hard');
      index.free();
    } finally {
      db.close();
    }
  });
});

describe('the repeat-report set built on it', () => {
  const REPEATS: { pairs: { first: string; relevant: string[]; repeat: string; sameProductOtherBug?: string }[] } = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'retrieval-repeat-set.json'), 'utf8'),
  );

  it('has a later report for every lexically hard query, with its labels, and 20 near misses', () => {
    const hard = SET.queries.filter((q) => q.hard && q.relevant.length);
    assert.equal(REPEATS.pairs.length, hard.length);
    for (const p of REPEATS.pairs) {
      const q = hard.find((h) => h.text === p.first);
      assert.ok(q, `"${p.first}" is a hard query of the hard set`);
      assert.deepEqual(p.relevant, q.relevant);
      assert.ok(p.repeat.trim() && p.repeat !== p.first);
    }
    assert.equal(REPEATS.pairs.filter((p) => p.sameProductOtherBug?.trim()).length, 20);
  });
});
