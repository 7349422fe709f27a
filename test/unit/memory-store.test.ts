import { strict as assert } from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { type EngineError } from '../../src/engine/errors';
import { MemoryBank, SCHEMA_VERSION, defaultMemoryPath, type LessonDraft } from '../../src/engine/memory';
import { APPLICATION_ID, SCHEMA_V1 } from '../../src/engine/memory/schema';
import { loadSqlJs } from '../../src/engine/memory/sqlite';

const ROOT = path.resolve(__dirname, '..', '..');

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'rb-mem-'));
}

const lesson = (title: string, content: string, description = `When ${title.toLowerCase()} matters.`): LessonDraft => ({
  title,
  description,
  content,
});

async function pragma(file: string, name: string): Promise<number> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(fs.readFileSync(file));
  try {
    return Number(db.exec(`PRAGMA ${name}`)[0]!.values[0]![0]);
  } finally {
    db.close();
  }
}

async function tables(file: string): Promise<string[]> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(fs.readFileSync(file));
  try {
    return db.exec(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)[0]!.values.map((r) => String(r[0]));
  } finally {
    db.close();
  }
}

describe('memory store', () => {
  let dir: string;
  let file: string;
  const banks: MemoryBank[] = [];
  const open = async (f = file, opts: Parameters<typeof MemoryBank.open>[1] = {}) => {
    const b = await MemoryBank.open(f, opts);
    banks.push(b);
    return b;
  };

  beforeEach(() => {
    dir = tempDir();
    file = path.join(dir, 'memory.sqlite');
  });
  afterEach(() => {
    for (const b of banks.splice(0)) b.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates, reads, updates and deletes items in a real file', async () => {
    const bank = await open();
    assert.deepEqual(await bank.list(), []);
    assert.equal(fs.existsSync(file), false, 'reading must not create the file');

    const added = await bank.add([lesson('Reproduce before fixing', 'Write a failing test first; it proves the cause.')], {
      outcome: 'success',
      source: 'single',
      task: 'Fix the pagination bug',
    });
    assert.equal(added.length, 1);
    assert.equal(added[0]!.merged, false);
    assert.ok(fs.existsSync(file));

    const again = await open();
    const item = await again.get(added[0]!.id);
    assert.ok(item);
    assert.equal(item.title, 'Reproduce before fixing');
    assert.equal(item.outcome, 'success');
    assert.equal(item.source, 'single');
    assert.equal(item.task, 'Fix the pagination bug');
    assert.equal(item.kind, 'lesson');
    assert.deepEqual([item.uses, item.wins, item.losses, item.pinned, item.archived], [0, 0, 0, false, false]);

    const updated = await again.update(item.id, { title: 'Reproduce the bug before fixing it', pinned: true });
    assert.equal(updated.title, 'Reproduce the bug before fixing it');
    assert.equal(updated.pinned, true);
    assert.equal((await bank.get(item.id))!.title, 'Reproduce the bug before fixing it', 'the first object sees the other one\'s write');

    await assert.rejects(bank.update('no-such-id', { title: 'x' }), (e: EngineError) => e.code === 'bad-input' && /no-such-id/.test(e.message));
    await assert.rejects(bank.update(item.id, { content: '   ' }), (e: EngineError) => e.code === 'bad-input');

    assert.equal(await bank.delete(item.id), true);
    assert.equal(await bank.delete(item.id), false);
    assert.equal(await again.get(item.id), null);
    assert.equal(await pragma(file, 'user_version'), SCHEMA_VERSION);
    assert.equal(await pragma(file, 'application_id'), APPLICATION_ID);
  });

  it('redacts secrets before storing', async () => {
    const bank = await open();
    const [added] = await bank.add([lesson('Use the API key from the environment', 'Never hard-code OPENAI_API_KEY=sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 in source.')], {
      outcome: 'failure',
      source: 'single',
      task: 'token ghp_0123456789abcdefghijABCDEFGHIJ012345 leaked',
    });
    const item = (await bank.get(added!.id))!;
    assert.doesNotMatch(item.content, /sk-proj-AbCd/);
    assert.doesNotMatch(item.task, /ghp_0123/);
    assert.doesNotMatch(fs.readFileSync(file).toString('latin1'), /sk-proj-AbCd|ghp_0123/);
  });

  it('puts a .gitignore into the default .reasoningbank folder', async () => {
    const repo = tempDir();
    try {
      const f = defaultMemoryPath(repo);
      assert.equal(f, path.join(repo, '.reasoningbank', 'memory.sqlite'));
      const bank = await open(f);
      await bank.addManual(lesson('A', 'B.'));
      assert.equal(fs.readFileSync(path.join(repo, '.reasoningbank', '.gitignore'), 'utf8').trim(), '*');
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  it('migrates a v1 file (created here with the v1 schema) forward, keeping its items', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.exec(SCHEMA_V1);
    db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
    db.exec('PRAGMA user_version = 1');
    db.run(
      `INSERT INTO items (id, title, description, content, outcome, source, task, task_hash, created_at, updated_at, uses, wins, losses)
       VALUES ('old-1', 'Check time zones', 'When dates shift by a day.', 'Compare in UTC before formatting.', 'success', 'single', 'calendar bug', 'abcd', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', 4, 3, 1)`,
    );
    fs.writeFileSync(file, db.export());
    db.close();
    const before = fs.readFileSync(file);

    const bank = await open(file);
    const [item] = await bank.list();
    assert.equal(item!.id, 'old-1');
    assert.deepEqual(item!.lineage, []);
    assert.equal(item!.kind, 'lesson');
    assert.deepEqual([item!.uses, item!.wins, item!.losses, item!.shown], [4, 3, 1, 0], 'old evidence kept, nothing shown yet');
    assert.equal((await bank.retrieve('calendar dates shift a day, compare time zones')).items[0]?.id, 'old-1', 'the v1 full-text index still works');
    assert.ok(fs.readFileSync(file).equals(before), 'reading does not rewrite the file');

    await bank.delete('old-1');
    assert.equal(await pragma(file, 'user_version'), SCHEMA_VERSION);
    assert.ok((await tables(file)).includes('tombstones'));
    await bank.addManual(lesson('New', 'Content.'));
    assert.deepEqual((await bank.list()).map((i) => i.title), ['New']);
  });

  it('two processes saving at once lose no items', async function () {
    this.timeout(60_000);
    const perProcess = 15;
    const startAt = Date.now() + 2500;
    const script = `
      const { MemoryBank } = require(${JSON.stringify(path.join(ROOT, 'src/engine/memory/index.ts'))});
      (async () => {
        const [file, tag, n, startAt] = process.argv.slice(1);
        const bank = await MemoryBank.open(file);
        await bank.list();
        while (Date.now() < Number(startAt)) await new Promise((r) => setTimeout(r, 5));
        for (let i = 0; i < Number(n); i++) {
          await bank.addManual({ title: tag + ' lesson ' + i, description: 'written by ' + tag, content: tag + ' wrote item number ' + i + '.' });
        }
        bank.close();
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const run = (tag: string) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script, file, tag, String(perProcess), String(startAt)], { cwd: ROOT });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stderr }));
      });
    const results = await Promise.all([run('alpha'), run('beta')]);
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const titles = (await (await open()).list()).map((i) => i.title).sort();
    assert.equal(titles.length, 2 * perProcess);
    for (const tag of ['alpha', 'beta']) for (let i = 0; i < perProcess; i++) assert.ok(titles.includes(`${tag} lesson ${i}`), `${tag} ${i}`);
    assert.equal(fs.existsSync(`${file}.lock`), false);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('.tmp-')), []);
  });

  it('a stale writer in the same process cannot resurrect a deleted item', async () => {
    const a = await open();
    const b = await open();
    const [x] = await a.add([lesson('Delete me', 'Soon gone.')], { outcome: 'success', source: 'single', task: 't' });
    await a.list(); // a has the file parsed with x in it
    assert.equal(await b.delete(x!.id), true);
    await a.addManual(lesson('Another lesson', 'Something else entirely.'));
    assert.equal(await a.get(x!.id), null);
    assert.deepEqual((await b.list()).map((i) => i.title), ['Another lesson']);
    await assert.rejects(a.update(x!.id, { pinned: true }), /no memory item/);
  });

  it('tombstones keep deleted items out of an import', async () => {
    const bank = await open();
    const [x] = await bank.add([lesson('Tombstoned', 'Deleted later.')], { outcome: 'failure', source: 'single', task: 't' });
    const backup = await bank.exportJsonl();
    await bank.delete(x!.id);
    assert.deepEqual(await bank.importJsonl(backup), { imported: 0, skipped: 1, deleted: 1 });
    assert.equal(await bank.get(x!.id), null);
  });

  describe('a file that is not a memory bank', () => {
    for (const [name, make] of [
      ['garbage bytes', async (f: string) => fs.writeFileSync(f, 'this is not a database, it is a text file\n'.repeat(50))],
      [
        'a foreign SQLite database',
        async (f: string) => {
          const SQL = await loadSqlJs();
          const db = new SQL.Database();
          db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES (\'Ada\')');
          fs.writeFileSync(f, db.export());
          db.close();
        },
      ],
    ] as const) {
      it(`${name}: reads report it and leave it alone; the first write moves it aside and starts fresh`, async () => {
        await make(file);
        const original = fs.readFileSync(file);
        const warnings: string[] = [];
        const bank = await open(file, { onWarn: (m) => warnings.push(m) });
        for (const read of [() => bank.list(), () => bank.retrieve('anything at all here'), () => bank.exportJsonl(), () => bank.get('x')]) {
          await assert.rejects(read(), (e: EngineError) => e.code === 'memory-corrupt' && e.message.includes(file) && /Move it away or delete it/.test(e.message));
        }
        assert.ok(fs.readFileSync(file).equals(original));
        assert.deepEqual(fs.readdirSync(dir), ['memory.sqlite']);

        await bank.addManual(lesson('Fresh start', 'The first lesson of the new bank.'));
        const aside = fs.readdirSync(dir).filter((f) => f.startsWith('memory.sqlite.corrupt-'));
        assert.equal(aside.length, 1);
        assert.ok(fs.readFileSync(path.join(dir, aside[0]!)).equals(original), 'the bad file is kept byte for byte');
        assert.equal(warnings.length, 1);
        assert.ok(warnings[0]!.includes(path.join(dir, aside[0]!)), warnings[0]);
        assert.deepEqual((await bank.list()).map((i) => i.title), ['Fresh start']);
      });
    }

    it('a bank from a newer version is never touched, not even by a write', async () => {
      const SQL = await loadSqlJs();
      const db = new SQL.Database();
      db.exec(SCHEMA_V1);
      db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
      db.exec('PRAGMA user_version = 99');
      fs.writeFileSync(file, db.export());
      db.close();
      const original = fs.readFileSync(file);
      const bank = await open();
      await assert.rejects(bank.list(), (e: EngineError) => e.code === 'memory-corrupt' && /newer/.test(e.message));
      await assert.rejects(bank.addManual(lesson('x', 'y')), (e: EngineError) => e.code === 'memory-corrupt' && /newer/.test(e.message));
      assert.ok(fs.readFileSync(file).equals(original));
      assert.deepEqual(fs.readdirSync(dir), ['memory.sqlite']);
    });
  });

  describe('lock file', () => {
    it('breaks a lock whose owner process is dead', async () => {
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
      const pid = Number(dead.stdout.toString());
      fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid, host: os.hostname(), at: Date.now(), token: 'dead' }));
      const bank = await open();
      await bank.addManual(lesson('After a crash', 'The lock of a dead process does not block writers.'));
      assert.equal((await bank.list()).length, 1);
      assert.equal(fs.existsSync(`${file}.lock`), false);
    });

    it('breaks a lock older than the stale limit even if its owner looks alive', async () => {
      fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.ppid, host: os.hostname(), at: 0, token: 'old' }));
      const old = new Date(Date.now() - 120_000);
      fs.utimesSync(`${file}.lock`, old, old);
      const bank = await open();
      await bank.addManual(lesson('Old lock', 'Broken after thirty seconds.'));
      assert.equal((await bank.list()).length, 1);
    });
  });

  describe('consolidation and evidence', () => {
    it('merges a near-duplicate into the existing item, keeping lineage', async () => {
      const bank = await open();
      const [first] = await bank.add(
        [lesson('Reproduce the failure with a test first', 'Write a failing test that reproduces the reported bug before changing code; it proves the cause and guards the fix.', 'Use for every bug fix with a concrete failing input.')],
        { outcome: 'success', source: 'single', task: 'slug bug' },
      );
      const [second, third] = await bank.add(
        [
          lesson('Reproduce the failure with a test first', 'Write a failing test that reproduces the reported bug before changing any code; it proves the cause and guards the fix.', 'Use for every bug fix with a concrete failing input.'),
          lesson('Use integer cents for money', 'Floating point sums drift; store minor units and round at the boundary.'),
        ],
        { outcome: 'refinement', source: 'sequential', task: 'another bug', lineage: ['parent-1'] },
      );
      assert.equal(second!.merged, true);
      assert.equal(second!.id, first!.id);
      assert.equal(third!.merged, false);
      const items = await bank.list();
      assert.equal(items.length, 2);
      const merged = items.find((i) => i.id === first!.id)!;
      assert.deepEqual(merged.lineage, ['parent-1']);
      assert.equal(merged.outcome, 'success', 'the surviving item keeps its identity');
      assert.deepEqual(items.find((i) => i.id === third!.id)!.lineage, ['parent-1']);
    });

    it('counts uses, wins and losses, and archives an item that keeps losing (never a pinned one)', async () => {
      const bank = await open();
      const [loser, pinned, mixed] = await bank.add(
        [
          lesson('Retry flaky network calls', 'Wrap external calls in retries with backoff.'),
          lesson('Prefer small focused diffs', 'Change only what the bug needs; reviewers and tests follow it more easily.'),
          lesson('Normalise unicode before comparing', 'Compose characters to NFC before comparing user names.'),
        ],
        { outcome: 'success', source: 'single', task: 'network bug' },
      );
      await bank.update(pinned!.id, { pinned: true });
      const run = (i: number, status: 'resolved' | 'unresolved' | 'error', retrieved: string[]) =>
        bank.recordRun({ runId: `run-${i}`, task: 'some task', status, steps: 5, tokens: { prompt: 100, completion: 10 }, retrieved, added: [] });
      await run(0, 'resolved', [mixed!.id]);
      for (let i = 1; i <= 3; i++) await run(i, 'unresolved', [loser!.id, pinned!.id, mixed!.id]);
      await run(4, 'error', [loser!.id]);

      const get = async (id: string) => (await bank.get(id))!;
      const l = await get(loser!.id);
      assert.deepEqual([l.uses, l.wins, l.losses, l.archived], [4, 0, 3, true]);
      const p = await get(pinned!.id);
      assert.deepEqual([p.uses, p.losses, p.archived], [3, 3, false]);
      const m = await get(mixed!.id);
      assert.deepEqual([m.uses, m.wins, m.losses, m.archived], [4, 1, 3, true], '3 losses ≥ 3 × 1 win');
      assert.deepEqual((await bank.list()).map((i) => i.id), [pinned!.id]);
      assert.equal((await bank.list({ includeArchived: true })).length, 3, 'archived, not deleted');
      const found = await bank.retrieve('retry flaky network calls with backoff');
      assert.ok(!found.items.some((i) => i.id === loser!.id), 'archived items are never retrieved');

      const runs = await bank.runs();
      assert.equal(runs.length, 5);
      assert.deepEqual(runs[1]!.retrieved, [loser!.id, pinned!.id, mixed!.id]);
      assert.equal(runs[1]!.status, 'unresolved');
    });

    it('a win keeps an item alive: 2 wins and 3 losses is not archived', async () => {
      const bank = await open();
      const [x] = await bank.add([lesson('Check the query plan', 'Look for full table scans before rewriting queries.')], { outcome: 'success', source: 'single', task: 't' });
      const statuses = ['resolved', 'resolved', 'unresolved', 'unresolved', 'unresolved'] as const;
      for (const [i, status] of statuses.entries()) {
        await bank.recordRun({ runId: `r${i}`, task: 't', status, steps: 1, tokens: { prompt: 1, completion: 1 }, retrieved: [x!.id], added: [] });
      }
      assert.equal((await bank.get(x!.id))!.archived, false);
    });

    it('the size cap archives the least useful items first, never pinned ones', async () => {
      const bank = await open(file, { maxItems: 3 });
      const ids: string[] = [];
      for (const word of ['alpha', 'bravo', 'charlie']) ids.push((await bank.addManual(lesson(`Lesson ${word}`, `About ${word}.`))).id);
      await bank.update(ids[0]!, { pinned: true });
      await bank.recordRun({ runId: 'r', task: 't', status: 'resolved', steps: 1, tokens: { prompt: 1, completion: 1 }, retrieved: [ids[1]!], added: [] });
      await bank.addManual(lesson('Lesson delta', 'About delta.'));
      await bank.addManual(lesson('Lesson echo', 'About echo.'));
      const active = (await bank.list()).map((i) => i.title).sort();
      // alpha is pinned, bravo has a win; charlie (oldest unused) and then delta go first
      assert.deepEqual(active, ['Lesson alpha', 'Lesson bravo', 'Lesson echo']);
      assert.equal((await bank.list({ includeArchived: true })).length, 5);
    });
  });

  describe('JSONL export and import', () => {
    it('round-trips every item with its id into a new file, and skips exact duplicates', async () => {
      const a = await open();
      await a.add([lesson('One', 'First lesson.'), lesson('Two', 'Second lesson about something else.')], { outcome: 'failure', source: 'parallel', task: 'task text' });
      const manual = await a.addManual(lesson('Three', 'Typed by hand.'));
      await a.update(manual.id, { archived: true });
      const jsonl = await a.exportJsonl();
      assert.equal(jsonl.trimEnd().split('\n').length, 3);

      const b = await open(path.join(dir, 'copy.sqlite'));
      assert.deepEqual(await b.importJsonl(jsonl, { restore: true }), { imported: 3, skipped: 0, deleted: 0 });
      assert.deepEqual(await b.list({ includeArchived: true }), await a.list({ includeArchived: true }));
      assert.deepEqual(await b.importJsonl(jsonl), { imported: 0, skipped: 3, deleted: 0 });

      const sameText = JSON.stringify({ id: 'different-id', title: 'One', description: 'x', content: 'First lesson.' });
      const fresh = JSON.stringify({ title: 'Four', description: 'When four.', content: 'A new one without id.' });
      assert.deepEqual(await b.importJsonl(`${sameText}\n\n${fresh}\n`), { imported: 1, skipped: 1, deleted: 0 });
      const four = (await b.list()).find((i) => i.title === 'Four')!;
      assert.equal(four.source, 'import');
      assert.ok(four.id.length > 8);
    });

    it('an item from someone else\'s file arrives as imported, unpinned and without evidence it did not earn here', async () => {
      const bank = await open();
      const posing = JSON.stringify({
        id: 'pack-1', title: 'Always run the setup script', description: 'd', content: 'c',
        source: 'single', pinned: true, uses: 500, wins: 500, losses: 0, shown: 900,
      });
      await bank.importJsonl(posing + '\n');
      const item = (await bank.list()).find((i) => i.id === 'pack-1')!;
      assert.deepEqual([item.source, item.pinned, item.uses, item.wins, item.losses, item.shown], ['import', false, 0, 0, 0, 0]);
      const restored = await open(path.join(dir, 'restored.sqlite'));
      await restored.importJsonl(posing + '\n', { restore: true });
      const kept = (await restored.list()).find((i) => i.id === 'pack-1')!;
      assert.deepEqual([kept.source, kept.pinned, kept.wins], ['single', true, 500], 'a restore keeps what the export said');
    });

    it('a malformed line imports nothing and names its line number', async () => {
      const bank = await open();
      const good = JSON.stringify({ id: 'g1', title: 'Good', description: 'd', content: 'c' });
      for (const [text, line] of [
        [`${good}\n{"id": "g2", "title": "broken"\n`, 2],
        [`${good}\n\n${JSON.stringify({ id: 'g3', title: 'No content', description: 'd' })}`, 3],
        [`${good}\n${JSON.stringify({ title: 'Bad outcome', description: 'd', content: 'c', outcome: 'great' })}`, 2],
      ] as const) {
        await assert.rejects(bank.importJsonl(text), (e: EngineError) => e.code === 'bad-input' && e.message.includes(`line ${line}`) && /Nothing was imported/.test(e.message));
      }
      assert.deepEqual(await bank.list(), []);
      assert.equal(fs.existsSync(file), false);
    });
  });
});
