import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { memoryCommand } from '../../src/cli/memory-command';
import { MemoryBank, type MemoryItem } from '../../src/engine/memory';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

describe('reasoningbank memory (CLI, in-process)', () => {
  let repo: string;
  let file: string;

  const cli = async (...argv: string[]): Promise<Ran> => {
    let stdout = '';
    let stderr = '';
    const code = await memoryCommand(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: repo });
    return { code, stdout, stderr };
  };

  beforeEach(async () => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-cli-'));
    file = path.join(repo, '.reasoningbank', 'memory.sqlite');
    const bank = await MemoryBank.open(file);
    await bank.add(
      [
        { title: 'Compare dates in UTC', description: 'When events land on the wrong day.', content: 'Convert both timestamps to UTC before bucketing by day.' },
        { title: 'Escape user input in SQL', description: 'When queries are built from user values.', content: 'Use parameter placeholders; never concatenate quotes by hand.' },
      ],
      { outcome: 'success', source: 'single', task: 'Calendar shows evening events on the next day' },
    );
    await bank.add([{ title: 'Do not disable the cache', description: 'When reads are stale.', content: 'Fix invalidation on the write path instead.' }], {
      outcome: 'failure',
      source: 'single',
      task: 'Stale product prices',
    });
    bank.close();
  });
  afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

  it('list --json prints the items with the documented fields; the human list is a table', async () => {
    const r = await cli('list', '--json');
    assert.equal(r.code, 0, r.stderr);
    const items = JSON.parse(r.stdout) as MemoryItem[];
    assert.equal(items.length, 3);
    for (const key of ['id', 'title', 'description', 'content', 'outcome', 'source', 'task', 'createdAt', 'updatedAt', 'uses', 'wins', 'losses']) {
      assert.ok(key in items[0]!, key);
    }
    assert.deepEqual(items.map((i) => i.outcome).sort(), ['failure', 'success', 'success']);

    const human = await cli('list');
    assert.equal(human.code, 0);
    assert.match(human.stdout, /^ID\s+OUTCOME\s+USES\s+W\/L\s+TITLE/);
    assert.match(human.stdout, /Compare dates in UTC/);
    assert.match(human.stdout, /3 items in /);
  });

  it('search prints the best matches first; --k limits them', async () => {
    const r = await cli('search', 'events on the wrong day, timestamps in UTC', '--json');
    assert.equal(r.code, 0, r.stderr);
    const found = JSON.parse(r.stdout) as MemoryItem[];
    assert.equal(found[0]!.title, 'Compare dates in UTC');
    const one = JSON.parse((await cli('search', 'cache SQL UTC', '--k', '1', '--json')).stdout) as MemoryItem[];
    assert.equal(one.length, 1);
    assert.match((await cli('search', 'stale cache')).stdout, /Do not disable the cache/);
  });

  it('show accepts an id prefix; unknown ids exit 2', async () => {
    const [item] = JSON.parse((await cli('list', '--json')).stdout) as MemoryItem[];
    const r = await cli('show', item!.id.slice(0, 8));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.startsWith(item!.title));
    assert.match(r.stdout, new RegExp(`id:\\s+${item!.id}`));
    assert.match(r.stdout, /evidence: used 0×, 0 resolved, 0 unresolved; listed without being used 0×/);
    assert.deepEqual(JSON.parse((await cli('show', item!.id, '--json')).stdout), item);

    const missing = await cli('show', 'nope-nope');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no memory item "nope-nope"/);
    const missingJson = await cli('delete', 'nope-nope', '--json');
    assert.equal(missingJson.code, 2);
    assert.equal(JSON.parse(missingJson.stdout).status, 'error');
  });

  it('delete removes an item for good', async () => {
    const [item] = JSON.parse((await cli('list', '--json')).stdout) as MemoryItem[];
    const r = await cli('delete', item!.id);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^deleted /);
    const left = JSON.parse((await cli('list', '--json')).stdout) as MemoryItem[];
    assert.equal(left.length, 2);
    assert.ok(!left.some((i) => i.id === item!.id));
  });

  it('export to stdout and to a file, import --restore into a new file gives the same items', async () => {
    const out = await cli('export');
    assert.equal(out.code, 0);
    assert.equal(out.stdout.trimEnd().split('\n').length, 3);
    assert.match(out.stderr, /exported 3 items/);

    const toFile = await cli('export', 'backup.jsonl');
    assert.equal(toFile.code, 0);
    assert.equal(fs.readFileSync(path.join(repo, 'backup.jsonl'), 'utf8'), out.stdout);

    const imported = await cli('import', 'backup.jsonl', '--memory', 'copy.sqlite', '--restore', '--json');
    assert.equal(imported.code, 0, imported.stderr);
    assert.deepEqual(JSON.parse(imported.stdout), { imported: 3, skipped: 0, deleted: 0, file: path.join(repo, 'copy.sqlite') });
    const a = JSON.parse((await cli('list', '--json')).stdout);
    const b = JSON.parse((await cli('list', '--json', '--memory', 'copy.sqlite')).stdout);
    assert.deepEqual(b, a);
    const again = await cli('import', 'backup.jsonl', '--memory', 'copy.sqlite');
    assert.match(again.stdout, /imported 0 items .* skipped 3/);
  });

  it('a malformed import line exits 2 naming the line, and imports nothing', async () => {
    const good = (await cli('export')).stdout.trimEnd().split('\n');
    fs.writeFileSync(path.join(repo, 'bad.jsonl'), `${good[0]}\n{"title": "half a line"\n`);
    const r = await cli('import', 'bad.jsonl', '--memory', 'target.sqlite');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /line 2/);
    assert.equal(fs.existsSync(path.join(repo, 'target.sqlite')), false);
    assert.equal((await cli('import', 'does-not-exist.jsonl')).code, 2);
  });

  it('a corrupt file: read-only commands exit 3 and leave it alone; a write moves it aside', async () => {
    fs.writeFileSync(file, 'definitely not sqlite'.repeat(100));
    const original = fs.readFileSync(file);
    for (const args of [['list'], ['search', 'anything'], ['show', 'abcd'], ['export']]) {
      const r = await cli(...args);
      assert.equal(r.code, 3, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /cannot be used/);
    }
    const json = await cli('list', '--json');
    assert.deepEqual(JSON.parse(json.stdout).error.code, 'memory-corrupt');
    assert.ok(fs.readFileSync(file).equals(original));

    fs.writeFileSync(path.join(repo, 'one.jsonl'), JSON.stringify({ title: 'Fresh', description: 'd', content: 'c' }) + '\n');
    const r = await cli('import', 'one.jsonl');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: .*moved to .*memory\.sqlite\.corrupt-/);
    assert.equal(fs.readdirSync(path.dirname(file)).filter((f) => f.includes('.corrupt-')).length, 1);
    assert.deepEqual(JSON.parse((await cli('list', '--json')).stdout).map((i: MemoryItem) => i.title), ['Fresh']);
  });

  it('bad usage exits 2', async () => {
    for (const args of [[], ['frobnicate'], ['search'], ['show'], ['list', 'extra'], ['list', '--k', 'zero'], ['list', '--bogus'], ['list', '--repo', 'no/such/dir']]) {
      const r = await cli(...args);
      assert.equal(r.code, 2, `${JSON.stringify(args)} → ${r.code}: ${r.stderr}`);
      assert.ok(r.stderr.trim().length > 0);
    }
    const help = await cli('--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /usage: reasoningbank memory/);
  });

  it('a bank that does not exist yet lists empty and is not created by reading', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-cli-empty-'));
    try {
      const r = await cli('list', '--repo', other, '--json');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), []);
      assert.equal(fs.existsSync(path.join(other, '.reasoningbank')), false);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
