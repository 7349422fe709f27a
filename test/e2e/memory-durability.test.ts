/**
 * The memory bank survives a full disk, dead writers and a mistyped export target, through the built CLI.
 * The full disk is a real small tmpfs the test mounts; that needs root (CI runs as root), elsewhere the
 * case is skipped with the reason printed.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { cleanupTempDirs, ensureBuilt, runCli, tempDir } from '../fixtures/repos';

function items(n: number, from = 0): string {
  const lines: string[] = [];
  for (let i = from; i < from + n; i++) {
    lines.push(
      JSON.stringify({
        title: `Lesson ${i}: check the boundary of the page loop`,
        description: `Use when item ${i} of a paged listing goes missing.`,
        content: `Pages are numbered from one in lesson ${i}; the loop must include the last page. `.repeat(20),
        outcome: 'success',
      }),
    );
  }
  return lines.join('\n') + '\n';
}

/** Mounts a tmpfs of `size` at a fresh folder, or returns why it cannot. */
function mountTmpfs(size: string): { dir: string } | { skip: string } {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return { skip: 'mounting a tmpfs needs root on Linux' };
  const dir = tempDir('rb-full-');
  const res = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (res.status !== 0) return { skip: `mount -t tmpfs failed: ${(res.stderr || res.error?.message || '').trim()}` };
  return { dir };
}

/** Fills the file system until `leave` bytes are free (0: completely full). */
function fill(dir: string, leave: number): string {
  const filler = path.join(dir, 'filler');
  const { bavail, bsize } = fs.statfsSync(dir);
  const free = Number(bavail) * Number(bsize);
  const fd = fs.openSync(filler, 'w');
  try {
    const chunk = Buffer.alloc(4096, 1);
    let left = Math.max(0, free - leave);
    while (left > 0) {
      try {
        left -= fs.writeSync(fd, chunk, 0, Math.min(chunk.length, left));
      } catch {
        break; // full
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

describe('memory bank durability (CLI)', function () {
  this.timeout(120000);
  before(() => ensureBuilt());
  after(() => cleanupTempDirs());

  it('a save on a full disk exits 3 naming the file and the cause, and leaves the bank byte-identical', async function () {
    const mounted = mountTmpfs('2m');
    if ('skip' in mounted) {
      console.log(`      skipped: ${mounted.skip}`);
      this.skip();
    }
    const dir = mounted.dir;
    try {
      const bank = path.join(dir, 'memory.sqlite');
      const first = path.join(tempDir(), 'first.jsonl');
      fs.writeFileSync(first, items(50));
      const imported = await runCli(['memory', 'import', first, '--memory', bank, '--json']);
      assert.strictEqual(imported.code, 0, imported.stderr);
      assert.strictEqual(JSON.parse(imported.stdout).imported, 50);
      const before = fs.readFileSync(bank);

      // room for the lock but not for the bigger bank
      const more = path.join(tempDir(), 'more.jsonl');
      fs.writeFileSync(more, items(50, 50));
      const filler = fill(dir, 64 * 1024);
      const full = await runCli(['memory', 'import', more, '--memory', bank]);
      assert.strictEqual(full.code, 3, full.stderr + full.stdout);
      assert.match(full.stderr, new RegExp(`${bank.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*no space left on device`));
      assert.doesNotMatch(full.stdout, /imported/);
      assert.ok(fs.readFileSync(bank).equals(before), 'the bank is byte-identical');
      assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['filler', 'memory.sqlite'], 'no temp or lock file left');

      // completely full: even the lock cannot be filled in; it is not left behind to block later writers
      fs.rmSync(filler);
      const filler2 = fill(dir, 0);
      const zero = await runCli(['memory', 'import', more, '--memory', bank]);
      assert.strictEqual(zero.code, 3, zero.stderr);
      assert.match(zero.stderr, /no space left on device/);
      assert.ok(fs.readFileSync(bank).equals(before));
      assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['filler', 'memory.sqlite']);

      // space again: the next write goes through at once with every item kept
      fs.rmSync(filler2);
      const started = Date.now();
      const ok = await runCli(['memory', 'import', more, '--memory', bank, '--json']);
      assert.strictEqual(ok.code, 0, ok.stderr);
      assert.ok(Date.now() - started < 15000, 'no wait for a stale lock');
      const list = await runCli(['memory', 'list', '--memory', bank, '--json']);
      assert.strictEqual(JSON.parse(list.stdout).length, 100);
    } finally {
      spawnSync('umount', ['-l', dir]);
    }
  });

  it('breaks the lock of a dead owner at once and sweeps the temp files dead writers left', async () => {
    const dir = tempDir();
    const bank = path.join(dir, 'memory.sqlite');
    const file = path.join(dir, 'items.jsonl');
    fs.writeFileSync(file, items(3));
    // a process that has exited: its pid is free
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const pid = Number(dead.stdout);
    fs.writeFileSync(`${bank}.lock`, JSON.stringify({ pid, host: require('os').hostname(), at: Date.now(), token: 'x' }));
    fs.writeFileSync(`${bank}.tmp-${pid}-abc`, Buffer.alloc(100_000, 7));
    fs.writeFileSync(`${bank}.lock.unrelated`, 'not ours');
    const started = Date.now();
    const run = await runCli(['memory', 'import', file, '--memory', bank, '--json']);
    assert.strictEqual(run.code, 0, run.stderr);
    assert.ok(Date.now() - started < 10000, `took ${Date.now() - started} ms`);
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['items.jsonl', 'memory.sqlite', 'memory.sqlite.lock.unrelated']);
  });

  it('an empty lock left by a writer that died before filling it in goes stale within seconds', async () => {
    const dir = tempDir();
    const bank = path.join(dir, 'memory.sqlite');
    const file = path.join(dir, 'items.jsonl');
    fs.writeFileSync(file, items(1));
    fs.writeFileSync(`${bank}.lock`, '');
    const old = new Date(Date.now() - 5000);
    fs.utimesSync(`${bank}.lock`, old, old);
    const started = Date.now();
    const run = await runCli(['memory', 'import', file, '--memory', bank]);
    assert.strictEqual(run.code, 0, run.stderr);
    assert.ok(Date.now() - started < 10000);
    assert.ok(!fs.existsSync(`${bank}.lock`));
  });

  it('memory export refuses the bank\'s own path (exit 2) and leaves it alone', async () => {
    const dir = tempDir();
    const bank = path.join(dir, 'memory.sqlite');
    const file = path.join(dir, 'items.jsonl');
    fs.writeFileSync(file, items(2));
    assert.strictEqual((await runCli(['memory', 'import', file, '--memory', bank])).code, 0);
    const before = fs.readFileSync(bank);
    fs.symlinkSync(bank, path.join(dir, 'alias.sqlite'));
    for (const target of [bank, path.join(dir, 'alias.sqlite'), `${dir}/./memory.sqlite`]) {
      const run = await runCli(['memory', 'export', target, '--memory', bank], { cwd: dir });
      assert.strictEqual(run.code, 2, run.stderr);
      assert.match(run.stderr, /is the memory bank itself/);
      assert.ok(fs.readFileSync(bank).equals(before));
    }
    const ok = await runCli(['memory', 'export', 'out.jsonl', '--memory', bank], { cwd: dir });
    assert.strictEqual(ok.code, 0, ok.stderr);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'out.jsonl'), 'utf8').trim().split('\n').length, 2);
  });
});
