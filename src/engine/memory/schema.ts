/**
 * The memory file's schema, versioned with `PRAGMA user_version`. Migrations only go forward and each one
 * runs inside the same transaction that bumps the version, so a file is always at exactly one version.
 * `PRAGMA application_id` marks a file as a memory bank, so a foreign SQLite file is never mistaken for one.
 */
import type { Database } from 'sql.js';

/** "RBnk" */
export const APPLICATION_ID = 0x52426e6b;

/** v1: items, full-text index, embeddings, runs. */
export const SCHEMA_V1 = `
CREATE TABLE items (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  content TEXT NOT NULL,
  outcome TEXT NOT NULL,
  source TEXT NOT NULL,
  task TEXT NOT NULL DEFAULT '',
  task_hash TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  uses INTEGER NOT NULL DEFAULT 0,
  wins INTEGER NOT NULL DEFAULT 0,
  losses INTEGER NOT NULL DEFAULT 0,
  pinned INTEGER NOT NULL DEFAULT 0,
  archived INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX items_task_hash ON items(task_hash);
CREATE VIRTUAL TABLE items_fts USING fts4(title, description, content, task, tokenize=porter);
CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
  INSERT INTO items_fts(docid, title, description, content, task) VALUES (new.seq, new.title, new.description, new.content, new.task);
END;
CREATE TRIGGER items_fts_update AFTER UPDATE OF title, description, content, task ON items BEGIN
  DELETE FROM items_fts WHERE docid = old.seq;
  INSERT INTO items_fts(docid, title, description, content, task) VALUES (new.seq, new.title, new.description, new.content, new.task);
END;
CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
  DELETE FROM items_fts WHERE docid = old.seq;
END;
CREATE TABLE embeddings (
  item_id TEXT NOT NULL,
  model TEXT NOT NULL,
  dim INTEGER NOT NULL,
  vector BLOB NOT NULL,
  PRIMARY KEY (item_id, model)
);
CREATE TABLE runs (
  run_id TEXT PRIMARY KEY,
  task TEXT NOT NULL,
  task_hash TEXT NOT NULL,
  status TEXT NOT NULL,
  steps INTEGER NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  retrieved TEXT NOT NULL,
  added TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`;

/**
 * v2: lineage (ids an item was merged or refined from), item kinds (lessons beside the bench's trajectories
 * and workflows), and tombstones so a deleted item cannot come back through a stale writer or an import.
 */
export const MIGRATE_V1_TO_V2 = `
ALTER TABLE items ADD COLUMN lineage TEXT NOT NULL DEFAULT '[]';
ALTER TABLE items ADD COLUMN kind TEXT NOT NULL DEFAULT 'lesson';
CREATE INDEX items_kind_archived ON items(kind, archived);
CREATE TABLE tombstones (
  id TEXT PRIMARY KEY,
  deleted_at TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT ''
);
`;

/**
 * v3: credit only for lessons used. `shown` counts runs that listed an item in the agent's index without the
 * agent opening it (uses/wins/losses now accrue only to items shown in full, recalled or cited); a run
 * records which items it used and which it only showed.
 */
export const MIGRATE_V2_TO_V3 = `
ALTER TABLE items ADD COLUMN shown INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN used TEXT NOT NULL DEFAULT '[]';
ALTER TABLE runs ADD COLUMN shown TEXT NOT NULL DEFAULT '[]';
`;

/** index = the version a migration starts from */
const MIGRATIONS: Record<number, string> = {
  0: SCHEMA_V1,
  1: MIGRATE_V1_TO_V2,
  2: MIGRATE_V2_TO_V3,
};

export const SCHEMA_VERSION = 3;

export type SchemaState =
  | { kind: 'bank'; version: number }
  | { kind: 'empty' }
  | { kind: 'newer'; version: number }
  | { kind: 'foreign'; reason: string };

function pragmaNumber(db: Database, name: string): number {
  return Number(db.exec(`PRAGMA ${name}`)[0]?.values[0]?.[0] ?? 0);
}

/** What a parsed file is. Throws when the bytes are not an SQLite database at all. */
export function inspectSchema(db: Database): SchemaState {
  const appId = pragmaNumber(db, 'application_id');
  const version = pragmaNumber(db, 'user_version');
  const tables = Number(db.exec(`SELECT count(*) FROM sqlite_master`)[0]?.values[0]?.[0] ?? 0);
  if (appId === 0 && version === 0 && tables === 0) return { kind: 'empty' };
  if (appId !== APPLICATION_ID) return { kind: 'foreign', reason: 'it is an SQLite database, but not a ReasoningBank memory bank' };
  if (version > SCHEMA_VERSION) return { kind: 'newer', version };
  if (version < 1) return { kind: 'foreign', reason: 'its schema version is missing' };
  const names = new Set(db.exec(`SELECT name FROM sqlite_master WHERE type = 'table'`)[0]?.values.map((r) => String(r[0])) ?? []);
  for (const t of ['items', 'items_fts', 'embeddings', 'runs']) {
    if (!names.has(t)) return { kind: 'foreign', reason: `its table "${t}" is missing` };
  }
  return { kind: 'bank', version };
}

/** Brings an empty or older bank to SCHEMA_VERSION in place (the caller decides whether to save). */
export function migrate(db: Database, from: number, to = SCHEMA_VERSION): void {
  for (let v = from; v < to; v++) {
    const sql = MIGRATIONS[v];
    if (sql === undefined) throw new Error(`no migration from memory schema v${v}`);
    db.exec('BEGIN');
    try {
      db.exec(sql);
      if (v === 0) db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
      db.exec(`PRAGMA user_version = ${v + 1}`);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  }
}
