/**
 * The memory bank: lessons in one sql.js file, retrieved by BM25 over the full-text index fused (reciprocal
 * rank fusion) with embedding similarity where the endpoint serves embeddings; consolidated on the way in
 * (near-duplicates merge, keeping lineage); judged by evidence (uses, wins, losses) so that a lesson that
 * keeps losing is archived and stops being retrieved.
 */
import { randomUUID } from 'crypto';
import * as path from 'path';
import type { Database } from 'sql.js';
import { badInput, throwIfAborted } from '../errors';
import type { Embedder } from './embeddings';
import { fnv1a } from '../text';
import { BankFile } from './bank-file';
import { creditRun, enforceCap, evidenceWeight } from './curation';
import { ItemEmbeddings } from './embeddings';
import { itemToJsonLine, parseJsonl } from './jsonl';
import { LexicalIndex } from './lexical';
import { SHORT_ID_CHARS, idKey } from './lesson-index';
import { type RankFilter, lexicalRank } from './ranking';
import { redact } from './redact';
import { allFrom, getItemRow, insertItem, insertRun, publicItem, selectItems, selectRuns, usedAndShown, type ItemRow } from './rows';
import { loadSqlJs } from './sqlite';
import type { AddedItem, ItemKind, LessonDraft, MemoryItem, Outcome, Retrieval, RetrievedItem, RunRecord, Source, StoredRun } from './types';
import { rrf, tokenCosine } from './vectors';

export const DEFAULT_RETRIEVE_K = 3;
/** active (non-archived) items before the least useful are archived */
export const DEFAULT_MAX_ITEMS = 2000;
/**
 * Lexical relevance floor: the IDF-weighted share of the task's distinctive terms an item must contain
 * (a ratio, so it means the same in a bank of 10 items and of 10,000), and at least two distinct terms.
 */
export const DEFAULT_MIN_COVERAGE = 0.15;
const MIN_MATCHED_TERMS = 2;
/** cosine floor for embedding matches (unit vectors) */
export const DEFAULT_MIN_COSINE = 0.35;
/** how deep each ranking goes before fusion */
const CANDIDATES = 50;
/** near-duplicate thresholds: term-frequency cosine of the texts, embedding cosine */
export const DUPLICATE_LEXICAL = 0.75;
export const DUPLICATE_EMBEDDING = 0.92;

export interface OpenOptions {
  /** serves embeddings for hybrid retrieval (the chat model's endpoint, or an embedded model); null or absent: lexical only */
  model?: Embedder | null;
  onWarn?: (message: string) => void;
  /** never writes: browsing, read-only CLI commands; computed embeddings stay in memory */
  readOnly?: boolean;
  maxItems?: number;
}

export interface RetrieveOptions {
  k?: number;
  /** leave-one-out: skip items distilled from this task (see taskHash) */
  excludeTaskHash?: string;
  /** lexical floor: share (0..1, IDF-weighted) of the task's distinctive terms an item must contain */
  minScore?: number;
  /** cosine floor for embedding matches */
  minCosine?: number;
  /** distinct task terms a lexical match must contain (default 2, or fewer when the task has fewer) */
  minTerms?: number;
  /** which kind of item to retrieve (default 'lesson'); null: any */
  kind?: ItemKind | null;
  signal?: AbortSignal;
}

export interface AddMeta {
  outcome: Outcome;
  source: Source;
  task: string;
  /** ids the new items derive from (refinement, contrast); a merge keeps them */
  lineage?: string[];
  kind?: ItemKind;
  /**
   * false: a near-duplicate counts only when it came from the same task (the bench's trajectory exemplars:
   * two tasks' trajectories are two exemplars, and a merge would drop the newer one). Default true.
   */
  mergeAcrossTasks?: boolean;
}

export type ItemPatch = Partial<Pick<MemoryItem, 'title' | 'description' | 'content' | 'pinned' | 'archived'>>;

export function defaultMemoryPath(repo: string): string {
  return path.join(path.resolve(repo), '.reasoningbank', 'memory.sqlite');
}

/** The hash stored with every item and compared by `excludeTaskHash` (leave-one-out). */
export function taskHash(task: string): string {
  return fnv1a(task.trim());
}

function cleanDraft(d: LessonDraft, what: string): LessonDraft {
  const title = typeof d?.title === 'string' ? redact(d.title.trim()) : '';
  const description = typeof d?.description === 'string' ? redact(d.description.trim()) : '';
  const content = typeof d?.content === 'string' ? redact(d.content.trim()) : '';
  if (!title || !content) throw badInput(`${what}: a memory item needs a non-empty title and content`);
  return { title, description, content };
}

/** A new item's row: no evidence yet, neither pinned nor archived. */
function newItem(
  id: string,
  draft: LessonDraft,
  origin: Pick<MemoryItem, 'outcome' | 'source' | 'task' | 'taskHash' | 'lineage'> & { kind: ItemKind },
  now: string,
): MemoryItem & { kind: ItemKind } {
  return { id, ...draft, ...origin, createdAt: now, updatedAt: now, uses: 0, wins: 0, losses: 0, pinned: false, archived: false };
}

export class MemoryBank {
  private readonly store: BankFile;
  private readonly model: Embedder | null;
  private readonly onWarn: (message: string) => void;
  private readonly readOnly: boolean;
  private readonly maxItems: number;
  private readonly embeddings: ItemEmbeddings;
  private lexical: { db: Database; index: LexicalIndex } | null = null;

  private constructor(file: string, opts: OpenOptions) {
    this.readOnly = !!opts.readOnly;
    this.onWarn = opts.onWarn ?? (() => {});
    this.model = opts.model ?? null;
    this.maxItems = opts.maxItems ?? DEFAULT_MAX_ITEMS;
    this.store = new BankFile(path.resolve(file), { readOnly: this.readOnly, onWarn: this.onWarn });
    this.embeddings = new ItemEmbeddings(this.store, this.model, this.readOnly, this.onWarn);
  }

  /** Opens lazily: nothing is read or created until the first call (a missing file reads as empty). */
  static async open(file: string, opts: OpenOptions = {}): Promise<MemoryBank> {
    if (!file || typeof file !== 'string') throw badInput('no memory file given');
    await loadSqlJs();
    return new MemoryBank(file, opts);
  }

  get file(): string {
    return this.store.file;
  }

  close(): void {
    this.lexical = null;
    this.embeddings.reset();
    this.store.close();
  }

  // ---- reading ------------------------------------------------------------------------------------

  async retrieve(query: string, opts: RetrieveOptions = {}): Promise<Retrieval> {
    const k = opts.k ?? DEFAULT_RETRIEVE_K;
    if (k <= 0 || !query.trim()) return { items: [], method: 'none', queryTerms: 0 };
    throwIfAborted(opts.signal);
    const filter: RankFilter = { kind: opts.kind === undefined ? 'lesson' : opts.kind, excludeTaskHash: opts.excludeTaskHash };
    let db = await this.store.read();
    // lexical-only ranking needs just enough depth to fill k above the floor; fusion wants a deeper list
    const depth = this.model?.embeddingModel ? CANDIDATES : Math.max(4 * k, 20);
    const lexical = lexicalRank(this.store, this.lexicalIndex(db), query, filter, depth);
    const semantic = await this.embeddings.rank(query, filter, CANDIDATES, opts.signal);
    db = await this.store.read(); // embedding may have written vectors (and another process may have saved)
    const minCoverage = opts.minScore ?? DEFAULT_MIN_COVERAGE;
    const minCos = opts.minCosine ?? DEFAULT_MIN_COSINE;
    const minMatched = Math.min(opts.minTerms ?? MIN_MATCHED_TERMS, lexical.distinct);
    const lex = new Map(lexical.ranked.map((r) => [r.id, r]));
    const cosine = new Map((semantic ?? []).map((r) => [r.id, r.value]));
    const rankings = [lexical.ranked.map((r) => r.id), ...(semantic ? [semantic.map((r) => r.id)] : [])];
    const fused = rrf(rankings);
    const relevant = (id: string) => {
      const l = lex.get(id);
      return (!!l && l.coverage >= minCoverage && l.matched >= minMatched) || (cosine.get(id) ?? -2) >= minCos;
    };
    const eligible = [...fused.entries()]
      .filter(([id]) => relevant(id))
      .map(([id, fusedScore]) => ({ id, row: getItemRow(db, id), fusedScore }))
      .filter((e): e is { id: string; row: ItemRow; fusedScore: number } => !!e.row && !e.row.archived) // archived or deleted meanwhile
      .map((e) => ({ ...e, score: e.fusedScore * evidenceWeight(e.row) }))
      .sort((a, b) => b.score - a.score || (lex.get(b.id)?.bm25 ?? 0) - (lex.get(a.id)?.bm25 ?? 0));
    const items: RetrievedItem[] = [];
    for (const { id, row, score } of eligible) {
      if (items.length >= k) break;
      const l = lex.get(id);
      items.push({
        ...publicItem(row),
        score,
        ...(l ? { bm25: l.bm25, coverage: l.coverage, matched: l.matched } : {}),
        ...(cosine.has(id) ? { cosine: cosine.get(id) } : {}),
      });
    }
    return { items, method: semantic ? 'hybrid' : 'lexical', queryTerms: lexical.distinct };
  }

  /** The same ranking as retrieve, for people browsing: any lexical match counts, every kind. */
  async search(query: string, k = 10): Promise<RetrievedItem[]> {
    return (await this.retrieve(query, { k, minScore: 0, minTerms: 1, kind: null })).items;
  }

  async list(opts: { includeArchived?: boolean; kind?: ItemKind } = {}): Promise<MemoryItem[]> {
    const db = await this.store.read();
    const where: string[] = [];
    const params: string[] = [];
    if (!opts.includeArchived) where.push('archived = 0');
    if (opts.kind) {
      where.push('kind = ?');
      params.push(opts.kind);
    }
    return selectItems(db, `${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, seq DESC`, params).map(publicItem);
  }

  async get(id: string): Promise<MemoryItem | null> {
    const row = getItemRow(await this.store.read(), id);
    return row ? publicItem(row) : null;
  }

  /**
   * An active lesson by full id or by a unique prefix of at least SHORT_ID_CHARS (the index shows short ids);
   * null when there is none, the prefix is ambiguous, or it came from the excluded task (leave-one-out).
   */
  async findLesson(idOrPrefix: string, opts: { excludeTaskHash?: string } = {}): Promise<MemoryItem | null> {
    const key = idKey(idOrPrefix);
    if (key.length < SHORT_ID_CHARS) return null;
    const rows = selectItems(
      await this.store.read(),
      `WHERE archived = 0 AND kind = 'lesson' AND task_hash <> ? AND (id = ? OR substr(id, 1, ?) = ?) LIMIT 2`,
      [opts.excludeTaskHash ?? '\u0000', key, key.length, key],
    );
    const exact = rows.find((r) => r.id === key);
    return exact ? publicItem(exact) : rows.length === 1 ? publicItem(rows[0]!) : null;
  }

  /** Active lessons the agent could recall: leave-one-out hides those of the excluded task here too. */
  async countLessons(opts: { excludeTaskHash?: string } = {}): Promise<number> {
    await this.store.read();
    const row = allFrom(this.store.stmt(`SELECT count(*) FROM items WHERE archived = 0 AND kind = 'lesson' AND task_hash <> ?`), [
      opts.excludeTaskHash ?? '\u0000',
    ])[0];
    return Number(row?.[0] ?? 0);
  }

  async runs(): Promise<StoredRun[]> {
    return selectRuns(await this.store.read());
  }

  async exportJsonl(): Promise<string> {
    const db = await this.store.read();
    const rows = selectItems(db, 'ORDER BY created_at, seq');
    return rows.map((r) => itemToJsonLine(publicItem(r))).join('\n') + (rows.length ? '\n' : '');
  }

  // ---- writing ------------------------------------------------------------------------------------

  /** Stores distilled drafts: redacted, merged into a near-duplicate where there is one, embedded when possible. */
  async add(drafts: LessonDraft[], meta: AddMeta): Promise<AddedItem[]> {
    const clean = drafts.map((d, i) => cleanDraft(d, `item ${i + 1}`));
    if (clean.length === 0) return [];
    const task = redact(meta.task.trim());
    const hash = taskHash(meta.task);
    const kind = meta.kind ?? 'lesson';
    const lineage = [...new Set(meta.lineage ?? [])];
    const modelName = this.embeddings.modelName;
    const vectors = await this.embeddings.embedItems(clean.map((d) => ({ ...d, task })));
    return this.store.mutate((db) => {
      const now = new Date().toISOString();
      const fresh: { id: string; vec: Float32Array | null }[] = [];
      const added: AddedItem[] = [];
      clean.forEach((draft, i) => {
        const vec = vectors?.[i] ?? null;
        const near = this.findDuplicate(db, draft, kind, vec, modelName, fresh);
        const dup = near && (meta.mergeAcrossTasks !== false || near.taskHash === hash) ? near : null;
        if (dup) {
          const merged = [...new Set([...dup.lineage, ...lineage])];
          db.run('UPDATE items SET updated_at = ?, lineage = ? WHERE seq = ?', [now, JSON.stringify(merged), dup.seq]);
          added.push({ id: dup.id, title: dup.title, outcome: dup.outcome, merged: true });
          return;
        }
        const id = randomUUID();
        insertItem(db, newItem(id, draft, { outcome: meta.outcome, source: meta.source, task, taskHash: hash, lineage, kind }, now));
        if (vec && modelName) this.embeddings.write(db, id, modelName, vec);
        fresh.push({ id, vec });
        added.push({ id, title: draft.title, outcome: meta.outcome, merged: false });
      });
      enforceCap(db, this.maxItems);
      return added;
    });
  }

  /** A lesson typed in by a person: stored as given (redacted), never merged away. */
  async addManual(draft: LessonDraft): Promise<MemoryItem> {
    const clean = cleanDraft(draft, 'manual item');
    const id = randomUUID();
    return this.store.mutate((db) => {
      const now = new Date().toISOString();
      insertItem(db, newItem(id, clean, { outcome: 'manual', source: 'manual', task: '', taskHash: '', lineage: [], kind: 'lesson' }, now));
      enforceCap(db, this.maxItems, id);
      return publicItem(getItemRow(db, id)!);
    });
  }

  /**
   * Evidence from a finished run: every item it used gets uses+1 and wins+1 (resolved) or losses+1
   * (unresolved); items only listed in the index get shown+1; an item that keeps losing is archived
   * (pinned ones never).
   */
  async recordRun(run: RunRecord): Promise<void> {
    const { used, shown } = usedAndShown(run);
    await this.store.mutate((db) => {
      insertRun(db, { ...run, task: redact(run.task) }, taskHash(run.task), new Date().toISOString());
      creditRun(db, used, shown, run.status);
      enforceCap(db, this.maxItems);
    });
  }

  async update(id: string, patch: ItemPatch): Promise<MemoryItem> {
    const text: Partial<LessonDraft> = {};
    for (const key of ['title', 'description', 'content'] as const) {
      const v = patch[key];
      if (v === undefined) continue;
      if (typeof v !== 'string') throw badInput(`${key} must be text`);
      text[key] = redact(v.trim());
      if (key !== 'description' && !text[key]) throw badInput(`a memory item's ${key} cannot be empty`);
    }
    return this.store.mutate((db) => {
      const row = getItemRow(db, id);
      if (!row) throw badInput(`no memory item with id ${id} in ${this.file}`);
      const next = { ...row, ...text };
      const textChanged = next.title !== row.title || next.description !== row.description || next.content !== row.content;
      const pinned = patch.pinned === undefined ? row.pinned : !!patch.pinned;
      const archived = patch.archived === undefined ? row.archived : !!patch.archived;
      if (!textChanged && pinned === row.pinned && archived === row.archived) return publicItem(row);
      db.run('UPDATE items SET title = ?, description = ?, content = ?, pinned = ?, archived = ?, updated_at = ? WHERE seq = ?', [
        next.title,
        next.description,
        next.content,
        pinned ? 1 : 0,
        archived ? 1 : 0,
        new Date().toISOString(),
        row.seq,
      ]);
      if (textChanged) db.run('DELETE FROM embeddings WHERE item_id = ?', [id]);
      return publicItem(getItemRow(db, id)!);
    });
  }

  /** Deletes an item and leaves a tombstone, so a stale writer or an import cannot bring it back. */
  async delete(id: string): Promise<boolean> {
    return this.store.mutate((db) => {
      const row = getItemRow(db, id);
      if (!row) return false;
      db.run('DELETE FROM items WHERE seq = ?', [row.seq]);
      db.run('DELETE FROM embeddings WHERE item_id = ?', [id]);
      db.run('INSERT OR REPLACE INTO tombstones (id, deleted_at, title) VALUES (?, ?, ?)', [id, new Date().toISOString(), row.title]);
      return true;
    });
  }

  /**
   * Imports JSONL (as exportJsonl writes it). Every line is validated first; a bad line imports nothing.
   * Items keep their ids; exact duplicates (same id, or same title and content) and deleted ids are skipped.
   * A file from elsewhere may claim anything, so unless `restore` (the user's own export coming back) an item
   * arrives as imported, unpinned and with no evidence: it earns its rank here, like a new lesson.
   * `skipped` counts both; `deleted` says how many of them were deleted from this bank earlier.
   */
  async importJsonl(text: string, opts: { restore?: boolean } = {}): Promise<{ imported: number; skipped: number; deleted: number }> {
    const now = new Date().toISOString();
    const items = parseJsonl(text, randomUUID, now).map((item) => ({
      ...(opts.restore ? item : asForeign(item)),
      title: redact(item.title),
      description: redact(item.description),
      content: redact(item.content),
      task: redact(item.task),
    }));
    if (items.length === 0) return { imported: 0, skipped: 0, deleted: 0 };
    return this.store.mutate((db) => {
      let imported = 0;
      let skipped = 0;
      let deleted = 0;
      const key = (title: string, content: string) => `${title}\u0000${content}`;
      const ids = new Set<string>();
      const texts = new Set<string>();
      for (const [id, title, content] of db.exec('SELECT id, title, content FROM items')[0]?.values ?? []) {
        ids.add(String(id));
        texts.add(key(String(title), String(content)));
      }
      const tombstones = new Set<string>();
      for (const [id] of db.exec('SELECT id FROM tombstones')[0]?.values ?? []) tombstones.add(String(id));
      for (const item of items) {
        const k = key(item.title, item.content);
        if (tombstones.has(item.id) && !ids.has(item.id)) {
          deleted++;
          skipped++;
          continue;
        }
        if (ids.has(item.id) || texts.has(k)) {
          skipped++;
          continue;
        }
        insertItem(db, item);
        ids.add(item.id);
        texts.add(k);
        imported++;
      }
      if (imported) enforceCap(db, this.maxItems);
      return { imported, skipped, deleted };
    });
  }

  // ---- ranking ------------------------------------------------------------------------------------

  private lexicalIndex(db: Database): LexicalIndex {
    if (this.lexical?.db !== db) this.lexical = { db, index: new LexicalIndex(db) };
    return this.lexical.index;
  }

  // ---- consolidation ------------------------------------------------------------------------------

  /** The closest active item of the same kind, if it is a near-duplicate (lexically, or by embedding). */
  private findDuplicate(
    db: Database,
    draft: LessonDraft,
    kind: ItemKind,
    vec: Float32Array | null,
    modelName: string | null,
    fresh: { id: string; vec: Float32Array | null }[],
  ): ItemRow | null {
    const index = this.lexicalIndex(db);
    const text = `${draft.title}\n${draft.description}\n${draft.content}`;
    const stems = index.tokens(text).map((t) => t.stem);
    const candidates = new Map<string, number>();
    for (const c of lexicalRank(this.store, index, text, { kind }, 5).ranked) candidates.set(c.id, 0);
    const embedSims = vec && modelName ? this.embeddings.similarities(vec, modelName, kind, fresh) : null;
    for (const [id, sim] of embedSims ?? []) if (sim >= DUPLICATE_EMBEDDING) candidates.set(id, 0);
    let best: { row: ItemRow; sim: number } | null = null;
    for (const id of candidates.keys()) {
      const row = getItemRow(db, id);
      if (!row || row.archived || row.kind !== kind) continue;
      const lexical = tokenCosine(stems, index.tokens(`${row.title}\n${row.description}\n${row.content}`).map((t) => t.stem));
      const embedding = embedSims?.get(id) ?? 0;
      const isDup = lexical >= DUPLICATE_LEXICAL || embedding >= DUPLICATE_EMBEDDING;
      const sim = Math.max(lexical, embedding);
      if (isDup && (!best || sim > best.sim)) best = { row, sim };
    }
    return best?.row ?? null;
  }
}

/** An item from someone else's file: provenance "import", no pin, no evidence it did not earn here. */
function asForeign(item: MemoryItem): MemoryItem {
  return { ...item, source: 'import', pinned: false, uses: 0, wins: 0, losses: 0, shown: 0 };
}
