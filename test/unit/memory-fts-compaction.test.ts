/** The full-text index is merged when its segments pile up, so retrieval stays fast as saves accumulate. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MemoryBank } from '../../src/engine/memory';
import { loadSqlJs } from '../../src/engine/memory/sqlite';

describe('memory full-text index compaction', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-fts-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps the number of FTS segments bounded across many single saves, and search still finds every item', async function () {
    this.timeout(60000);
    const file = path.join(dir, 'memory.sqlite');
    const bank = await MemoryBank.open(file);
    const topics = ['pagination', 'timezone', 'await', 'regex', 'locale', 'cache', 'retry', 'encoding', 'symlink', 'permissions', 'overflow', 'rounding', 'sorting', 'parsing', 'logging'];
    // 15 saves: FTS4's own merge starts at 16 segments a level, so without ours there would be 15
    for (const t of topics) {
      await bank.addManual({ title: `Check ${t} edge cases first`, description: `When a bug involves ${t}.`, content: `Write the failing ${t} case before changing code.` });
    }
    const SQL = await loadSqlJs();
    const db = new SQL.Database(fs.readFileSync(file));
    const segments = Number(db.exec('SELECT count(*) FROM items_fts_segdir')[0]!.values[0]![0]);
    db.close();
    assert.ok(segments <= 12, `${segments} segments after ${topics.length} saves`);
    for (const t of topics) {
      const found = await bank.search(t, 3);
      assert.ok(found.some((i) => i.title.includes(t)), t);
    }
    bank.close();
  });
});
