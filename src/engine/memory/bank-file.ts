/**
 * The memory file on disk. Nothing holds it open between calls: other windows and the CLI write it too.
 * Reads use the parsed database as long as the file's identity (device, inode, size, mtime) is unchanged;
 * every write is a transaction on the file: lock → reload if changed → apply → export → temp + fsync +
 * rename → unlock. A file that does not open as a memory bank is never overwritten.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Database, Statement } from 'sql.js';
import { EngineError, errorMessage } from '../errors';
import { acquireLock } from './lock';
import { writeFully } from './write-fully';
import { SCHEMA_VERSION, inspectSchema, migrate } from './schema';
import { loadSqlJs } from './sqlite';

export interface BankFileOptions {
  readOnly?: boolean;
  onWarn?: (message: string) => void;
}

type Loaded =
  | { ok: true; db: Database; sig: string; needsSave: boolean }
  | { ok: false; sig: string; reason: string; newer: boolean };

const ABSENT = 'absent';

function signature(st: fs.BigIntStats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
}

export class BankFile {
  private db: Database | null = null;
  private sig: string | null = null;
  private needsSave = false;
  private statements = new Map<string, Statement>();
  private queue: Promise<unknown> = Promise.resolve();
  /** bumps whenever the parsed contents may have changed; derived caches key on it */
  generation = 0;
  /** true while a mutation's `apply` runs: the contents may change without a new generation */
  inTransaction = false;

  constructor(
    readonly file: string,
    private readonly opts: BankFileOptions = {},
  ) {}

  get lockFile(): string {
    return `${this.file}.lock`;
  }

  /** The current database for reading. Throws EngineError('memory-corrupt') and leaves a bad file alone. */
  async read(): Promise<Database> {
    const sig = this.currentSignature();
    if (this.db && sig === this.sig) return this.db;
    const loaded = await this.load();
    if (!loaded.ok) throw this.corruptError(loaded.reason, loaded.newer);
    this.adopt(loaded);
    return loaded.db;
  }

  /** A prepared statement on the current database, reused until the database object is replaced. */
  stmt(sql: string): Statement {
    if (!this.db) throw new Error('memory bank: stmt() before read()');
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /**
   * Runs `apply` inside an SQL transaction on the latest contents of the file, under the file lock, and
   * writes the result atomically when anything changed. Calls from this object are serialised.
   */
  mutate<T>(apply: (db: Database) => T): Promise<T> {
    if (this.opts.readOnly) {
      return Promise.reject(new EngineError('usage', `the memory bank ${this.file} was opened read-only`));
    }
    const run = this.queue.then(() => this.mutateNow(apply));
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    this.dropDb();
  }

  private async mutateNow<T>(apply: (db: Database) => T): Promise<T> {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    this.ensureGitignore();
    const lock = await acquireLock(this.lockFile);
    try {
      this.sweepTempFiles();
      const sig = this.currentSignature();
      if (!this.db || sig !== this.sig) {
        const loaded = await this.load();
        if (loaded.ok) this.adopt(loaded);
        else if (loaded.newer) throw this.corruptError(loaded.reason, true);
        else this.adopt(await this.quarantine(loaded.reason));
      }
      const db = this.db!;
      const before = this.totalChanges(db);
      this.generation++; // caches of what was read must not serve the transaction's own reads
      db.exec('BEGIN');
      let result: T;
      this.inTransaction = true;
      try {
        result = apply(db);
        db.exec('COMMIT');
      } catch (err) {
        db.exec('ROLLBACK');
        throw err;
      } finally {
        this.inTransaction = false;
      }
      const changed = this.totalChanges(db) !== before;
      if (changed) compactFullTextIndex(db);
      this.generation++;
      if (this.needsSave || changed) {
        try {
          this.sig = this.writeAtomically(db.export());
          this.needsSave = false;
        } catch (err) {
          // the file did not take the change: forget the in-memory copy so the next call reads the truth
          this.dropDb();
          throw new EngineError(
            'internal',
            `could not save the memory file ${this.file}: ${errorMessage(err)}. Nothing was saved; the file is as it was before this change.`,
            { cause: err },
          );
        }
      }
      return result;
    } finally {
      lock.release();
    }
  }

  private totalChanges(db: Database): number {
    return Number(db.exec('SELECT total_changes()')[0]!.values[0]![0]);
  }

  private currentSignature(): string {
    try {
      return signature(fs.statSync(this.file, { bigint: true }));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return ABSENT;
      throw new EngineError('internal', `cannot read the memory file ${this.file}: ${errorMessage(err)}`, { cause: err });
    }
  }

  private async load(): Promise<Loaded> {
    const SQL = await loadSqlJs();
    let bytes: Buffer;
    let sig: string;
    try {
      // stat and read through one descriptor so the signature belongs to exactly these bytes
      const fd = fs.openSync(this.file, 'r');
      try {
        sig = signature(fs.fstatSync(fd, { bigint: true }));
        bytes = fs.readFileSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new EngineError('internal', `cannot read the memory file ${this.file}: ${errorMessage(err)}`, { cause: err });
      }
      const db = new SQL.Database();
      migrate(db, 0);
      return { ok: true, db, sig: ABSENT, needsSave: true };
    }
    let db: Database | undefined;
    try {
      db = new SQL.Database(bytes);
      const state = inspectSchema(db);
      if (state.kind === 'newer') {
        db.close();
        return { ok: false, sig, newer: true, reason: `it was written by a newer ReasoningBank (schema v${state.version}; this one reads up to v${SCHEMA_VERSION})` };
      }
      if (state.kind === 'foreign') {
        db.close();
        return { ok: false, sig, newer: false, reason: state.reason };
      }
      const from = state.kind === 'empty' ? 0 : state.version;
      if (from < SCHEMA_VERSION) migrate(db, from);
      return { ok: true, db, sig, needsSave: from < SCHEMA_VERSION };
    } catch (err) {
      db?.close();
      return { ok: false, sig, newer: false, reason: `it is not a readable SQLite database (${errorMessage(err)})` };
    }
  }

  private adopt(loaded: Extract<Loaded, { ok: true }>): void {
    this.dropDb();
    this.db = loaded.db;
    this.sig = loaded.sig;
    this.needsSave = loaded.needsSave;
    this.generation++;
  }

  private dropDb(): void {
    for (const s of this.statements.values()) s.free();
    this.statements.clear();
    this.db?.close();
    this.db = null;
    this.sig = null;
    this.generation++;
  }

  private async quarantine(reason: string): Promise<Extract<Loaded, { ok: true }>> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const aside = `${this.file}.corrupt-${stamp}`;
    fs.renameSync(this.file, aside);
    this.opts.onWarn?.(`the memory file ${this.file} could not be opened as a memory bank: ${reason}. It was moved to ${aside} (nothing in it was changed) and a fresh memory bank was started.`);
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    migrate(db, 0);
    return { ok: true, db, sig: ABSENT, needsSave: true };
  }

  private corruptError(reason: string, newer: boolean): EngineError {
    const what = newer
      ? 'Update ReasoningBank to use it, or point --memory (reasoningBank.memoryPath) at another file.'
      : 'It was left untouched. Move it away or delete it to start a fresh bank; the next change to memory moves it aside to a *.corrupt-<time> file automatically.';
    return new EngineError('memory-corrupt', `the memory file ${this.file} cannot be used: ${reason}. ${what}`);
  }

  /**
   * Replaces the file completely or leaves it byte-identical: every write's byte count is checked (a full
   * disk may accept part of a write without an error), the temp file is synced and read back before the
   * rename, and on any failure it is removed and the old file stays.
   */
  private writeAtomically(data: Uint8Array): string {
    const tmp = `${this.file}${TEMP_INFIX}${process.pid}-${Math.random().toString(36).slice(2)}`;
    let sig: string;
    try {
      const fd = fs.openSync(tmp, 'w', 0o600);
      try {
        writeFully(fd, data);
        fs.fsyncSync(fd);
        sig = signature(fs.fstatSync(fd, { bigint: true }));
      } finally {
        fs.closeSync(fd);
      }
      verifyWritten(tmp, data);
      fs.renameSync(tmp, this.file);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    syncDir(path.dirname(this.file));
    return sig;
  }

  /**
   * Temp files of writers that died mid-save (a kill, a crash, a full disk). Only called under the lock:
   * a writer writes its temp file only while it holds the lock, so every temp file seen then is a leftover.
   */
  private sweepTempFiles(): void {
    const dir = path.dirname(this.file);
    const prefix = path.basename(this.file) + TEMP_INFIX;
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith(prefix)) fs.rmSync(path.join(dir, name), { force: true });
    }
  }

  /** The default folder (<repo>/.reasoningbank) keeps itself out of git. */
  private ensureGitignore(): void {
    const dir = path.dirname(this.file);
    if (path.basename(dir) !== '.reasoningbank') return;
    const ignore = path.join(dir, '.gitignore');
    try {
      if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '*\n');
    } catch {
      // a courtesy only; a full disk is reported by the save itself, naming the memory file
      fs.rmSync(ignore, { force: true });
    }
  }
}

const TEMP_INFIX = '.tmp-';
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** The temp file holds exactly the bytes of a database: right size, SQLite header, same content. */
function verifyWritten(file: string, data: Uint8Array): void {
  const back = fs.readFileSync(file);
  const ok = back.length === data.length && back.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER) && back.equals(data);
  if (!ok) throw new Error(`the saved copy ${file} does not read back as written (${back.length} of ${data.length} bytes)`);
}

function syncDir(dir: string): void {
  // makes the rename durable; not every platform lets a directory be opened
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Windows: directories cannot be fsynced; the rename is still atomic
  }
}

/**
 * FTS4 adds a segment per write and every MATCH and term lookup reads them all. Merging them once they
 * pile up halves retrieval time at 10k items (perf/memory.ts: p95 4.8 → 2.3 ms) for ~50 ms once every
 * dozen saves; the whole file is rewritten on every save anyway, so no extra I/O is involved.
 */
const MAX_FTS_SEGMENTS = 12;

export function compactFullTextIndex(db: Database): void {
  const segments = Number(db.exec('SELECT count(*) FROM items_fts_segdir')[0]?.values[0]?.[0] ?? 0);
  if (segments > MAX_FTS_SEGMENTS) db.run("INSERT INTO items_fts(items_fts) VALUES('optimize')");
}
