/** Items and runs as SQL rows: one place that knows the column names. */
import type { Database, SqlValue, Statement } from 'sql.js';
import type { ItemKind, MemoryItem, Outcome, RunRecord, Source, StoredRun } from './types';

export const ITEM_COLUMNS =
  'seq, id, title, description, content, outcome, source, task, task_hash, created_at, updated_at, uses, wins, losses, pinned, archived, lineage, kind, shown';

export interface ItemRow extends MemoryItem {
  seq: number;
  kind: ItemKind;
}

function parseLineage(text: unknown): string[] {
  try {
    const v = JSON.parse(String(text ?? '[]'));
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/** Maps a row selected with ITEM_COLUMNS (in that order). */
export function rowToItem(r: SqlValue[]): ItemRow {
  return {
    seq: Number(r[0]),
    id: String(r[1]),
    title: String(r[2]),
    description: String(r[3]),
    content: String(r[4]),
    outcome: String(r[5]) as Outcome,
    source: String(r[6]) as Source,
    task: String(r[7]),
    taskHash: String(r[8]),
    createdAt: String(r[9]),
    updatedAt: String(r[10]),
    uses: Number(r[11]),
    wins: Number(r[12]),
    losses: Number(r[13]),
    pinned: Number(r[14]) !== 0,
    archived: Number(r[15]) !== 0,
    lineage: parseLineage(r[16]),
    kind: String(r[17]) as ItemKind,
    shown: Number(r[18] ?? 0),
  };
}

/** The public shape: no row number. */
export function publicItem(row: ItemRow): MemoryItem {
  const { seq: _seq, ...item } = row;
  return item;
}

export function selectItems(db: Database, where = '', params: SqlValue[] = []): ItemRow[] {
  const res = db.exec(`SELECT ${ITEM_COLUMNS} FROM items ${where}`, params);
  return (res[0]?.values ?? []).map(rowToItem);
}

export function allFrom(stmt: Statement, params: SqlValue[]): SqlValue[][] {
  stmt.bind(params);
  const out: SqlValue[][] = [];
  try {
    while (stmt.step()) out.push(stmt.get());
  } finally {
    stmt.reset();
  }
  return out;
}

export function getItemRow(db: Database, id: string): ItemRow | null {
  return selectItems(db, 'WHERE id = ?', [id])[0] ?? null;
}

const insertStatements = new WeakMap<Database, Statement>();

export function insertItem(db: Database, item: MemoryItem): void {
  let stmt = insertStatements.get(db);
  if (!stmt) {
    stmt = db.prepare(
      `INSERT INTO items (id, title, description, content, outcome, source, task, task_hash, created_at, updated_at, uses, wins, losses, pinned, archived, lineage, kind, shown)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    insertStatements.set(db, stmt);
  }
  stmt.run([
    item.id,
    item.title,
    item.description,
    item.content,
    item.outcome,
    item.source,
    item.task,
    item.taskHash,
    item.createdAt,
    item.updatedAt,
    item.uses,
    item.wins,
    item.losses,
    item.pinned ? 1 : 0,
    item.archived ? 1 : 0,
    JSON.stringify(item.lineage),
    item.kind ?? 'lesson',
    item.shown ?? 0,
  ]);
}

/** Which retrieved items a run used and which it only showed (a record without `used` used them all). */
export function usedAndShown(run: RunRecord): { used: string[]; shown: string[] } {
  const used = [...new Set(run.used ?? run.retrieved)];
  return { used, shown: [...new Set(run.retrieved)].filter((id) => !used.includes(id)) };
}

export function insertRun(db: Database, run: RunRecord, taskHash: string, createdAt: string): void {
  const { used, shown } = usedAndShown(run);
  db.run(
    `INSERT OR REPLACE INTO runs (run_id, task, task_hash, status, steps, prompt_tokens, completion_tokens, retrieved, added, created_at, used, shown)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      run.runId,
      run.task,
      taskHash,
      run.status,
      run.steps,
      run.tokens.prompt,
      run.tokens.completion,
      JSON.stringify(run.retrieved),
      JSON.stringify(run.added),
      createdAt,
      JSON.stringify(used),
      JSON.stringify(shown),
    ],
  );
}

export function selectRuns(db: Database): StoredRun[] {
  const res = db.exec(
    'SELECT run_id, task, status, steps, prompt_tokens, completion_tokens, retrieved, added, created_at, used FROM runs ORDER BY created_at, rowid',
  );
  return (res[0]?.values ?? []).map((r) => ({
    runId: String(r[0]),
    task: String(r[1]),
    status: String(r[2]) as RunRecord['status'],
    steps: Number(r[3]),
    tokens: { prompt: Number(r[4]), completion: Number(r[5]) },
    retrieved: parseLineage(r[6]),
    added: parseLineage(r[7]),
    createdAt: String(r[8]),
    used: parseLineage(r[9]),
  }));
}
