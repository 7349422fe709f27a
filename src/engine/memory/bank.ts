/**
 * The memory bank: lessons in one sql.js file, retrieved by BM25 over the full-text index fused (reciprocal
 * rank fusion) with embedding similarity where the endpoint serves embeddings; consolidated on the way in
 * (near-duplicates merge, keeping lineage); judged by evidence (uses, wins, losses) so that a lesson that
 * keeps losing is archived and stops being retrieved.
 */
import { randomUUID } from 'crypto';
import * as path from 'path';
import type { Database, SqlValue } from 'sql.js';
import { badInput, throwIfAborted } from '../errors';
import type { ChatModel } from '../llm/model';
import { fnv1a, truncateMiddle } from '../text';
import { BankFile } from './bank-file';
import { itemToJsonLine, parseJsonl } from './jsonl';
import { LexicalIndex, approximateScore, matchExpression, scoreMatchinfo, type LexicalScore } from './lexical';
import { redact } from './redact';
import { ITEM_COLUMNS, allFrom, getItemRow, insertItem, insertRun, publicItem, rowToItem, selectItems, selectRuns, type ItemRow } from './rows';
import { loadSqlJs } from './sqlite';
import type { AddedItem, ItemKind, LessonDraft, MemoryItem, Outcome, Retrieval, RetrievedItem, RunRecord, Source, StoredRun } from './types';
import { dot, fromBlob, normalize, rrf, toBlob, tokenCosine } from './vectors';

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
/** up to this many matching rows, BM25 is computed exactly for all of them in one pass */
const EXACT_ROWS = 150;
/** near-duplicate thresholds: term-frequency cosine of the texts, embedding cosine */
export const DUPLICATE_LEXICAL = 0.75;
export const DUPLICATE_EMBEDDING = 0.92;
/** archive an item that keeps losing: losses ≥ 3 and losses ≥ 3 × wins */
export const ARCHIVE_MIN_LOSSES = 3;
export const ARCHIVE_LOSS_RATIO = 3;
const EMBED_BATCH = 64;
const EMBED_TEXT_CHARS = 4_000;

export interface OpenOptions {
  /** serves embeddings for hybrid retrieval (model.embed); null or absent: lexical only */
  model?: ChatModel | null;
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

function embeddingText(item: Pick<MemoryItem, 'title' | 'description' | 'content' | 'task'>): string {
  const task = item.task ? `\nTask: ${item.task}` : '';
  return truncateMiddle(`${item.title}\n${item.description}\n${item.content}${task}`, EMBED_TEXT_CHARS, 0.7);
}

function cleanDraft(d: LessonDraft, what: string): LessonDraft {
  const title = typeof d?.title === 'string' ? redact(d.title.trim()) : '';
  const description = typeof d?.description === 'string' ? redact(d.description.trim()) : '';
  const content = typeof d?.content === 'string' ? redact(d.content.trim()) : '';
  if (!title || !content) throw badInput(`${what}: a memory item needs a non-empty title and content`);
  return { title, description, content };
}

interface VectorCache {
  model: string;
  generation: number;
  seqs: number[];
  ids: string[];
  dims: number[];
  vectors: Float32Array[];
}

interface RankFilter {
  kind: ItemKind | null;
  excludeTaskHash?: string;
}

interface Ranked {
  seq: number;
  id: string;
  value: number;
}

interface LexicalRanked extends Ranked, LexicalScore {}

export class MemoryBank {
  private readonly store: BankFile;
  private readonly model: ChatModel | null;
  private readonly onWarn: (message: string) => void;
  private readonly readOnly: boolean;
  private readonly maxItems: number;
  private lexical: { db: Database; index: LexicalIndex } | null = null;
  private vectorCache: VectorCache | null = null;
  /** read-only banks keep the vectors they computed here instead of in the file */
  private readonly memoryVectors = new Map<string, Float32Array>();
  private warnedLexicalOnly = false;

  private constructor(file: string, opts: OpenOptions) {
    this.readOnly = !!opts.readOnly;
    this.onWarn = opts.onWarn ?? (() => {});
    this.model = opts.model ?? null;
    this.maxItems = opts.maxItems ?? DEFAULT_MAX_ITEMS;
    this.store = new BankFile(path.resolve(file), { readOnly: this.readOnly, onWarn: this.onWarn });
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
    this.vectorCache = null;
    this.store.close();
  }

  // ---- reading ------------------------------------------------------------------------------------

  async retrieve(query: string, opts: RetrieveOptions = {}): Promise<Retrieval> {
    const k = opts.k ?? DEFAULT_RETRIEVE_K;
    if (k <= 0 || !query.trim()) return { items: [], method: 'none' };
    throwIfAborted(opts.signal);
    const filter: RankFilter = { kind: opts.kind === undefined ? 'lesson' : opts.kind, excludeTaskHash: opts.excludeTaskHash };
    let db = await this.store.read();
    // lexical-only ranking needs just enough depth to fill k above the floor; fusion wants a deeper list
    const depth = this.model?.embeddingModel ? CANDIDATES : Math.max(4 * k, 20);
    const lexical = this.lexicalRank(db, query, filter, depth);
    const semantic = await this.semanticRank(query, filter, CANDIDATES, opts.signal);
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
      .sort((a, b) => b[1] - a[1] || (lex.get(b[0])?.bm25 ?? 0) - (lex.get(a[0])?.bm25 ?? 0));
    const items: RetrievedItem[] = [];
    for (const [id, score] of eligible) {
      if (items.length >= k) break;
      const row = getItemRow(db, id);
      if (!row || row.archived) continue; // archived or deleted meanwhile
      const l = lex.get(id);
      items.push({
        ...publicItem(row),
        score,
        ...(l ? { bm25: l.bm25, coverage: l.coverage } : {}),
        ...(cosine.has(id) ? { cosine: cosine.get(id) } : {}),
      });
    }
    return { items, method: semantic ? 'hybrid' : 'lexical' };
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
    const modelName = this.model?.embeddingModel ?? null;
    const vectors = modelName ? await this.embed(clean.map((d) => embeddingText({ ...d, task }))) : null;
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
        insertItem(db, {
          id,
          ...draft,
          outcome: meta.outcome,
          source: meta.source,
          task,
          taskHash: hash,
          createdAt: now,
          updatedAt: now,
          uses: 0,
          wins: 0,
          losses: 0,
          pinned: false,
          archived: false,
          lineage,
          kind,
        });
        if (vec && modelName) this.storeVector(db, id, modelName, vec);
        fresh.push({ id, vec });
        added.push({ id, title: draft.title, outcome: meta.outcome, merged: false });
      });
      this.enforceCap(db);
      return added;
    });
  }

  /** A lesson typed in by a person: stored as given (redacted), never merged away. */
  async addManual(draft: LessonDraft): Promise<MemoryItem> {
    const clean = cleanDraft(draft, 'manual item');
    const id = randomUUID();
    return this.store.mutate((db) => {
      const now = new Date().toISOString();
      insertItem(db, {
        id,
        ...clean,
        outcome: 'manual',
        source: 'manual',
        task: '',
        taskHash: '',
        createdAt: now,
        updatedAt: now,
        uses: 0,
        wins: 0,
        losses: 0,
        pinned: false,
        archived: false,
        lineage: [],
        kind: 'lesson',
      });
      this.enforceCap(db, id);
      return publicItem(getItemRow(db, id)!);
    });
  }

  /**
   * Evidence from a finished run: every retrieved item gets uses+1 and wins+1 (resolved) or losses+1
   * (unresolved); an item that keeps losing is archived (pinned ones never).
   */
  async recordRun(run: RunRecord): Promise<void> {
    const retrieved = [...new Set(run.retrieved)];
    await this.store.mutate((db) => {
      insertRun(db, { ...run, task: redact(run.task) }, taskHash(run.task), new Date().toISOString());
      const win = run.status === 'resolved' ? 1 : 0;
      const loss = run.status === 'unresolved' ? 1 : 0;
      for (const id of retrieved) {
        db.run('UPDATE items SET uses = uses + 1, wins = wins + ?, losses = losses + ? WHERE id = ?', [win, loss, id]);
        db.run(
          `UPDATE items SET archived = 1 WHERE id = ? AND pinned = 0 AND archived = 0 AND losses >= ? AND losses >= ? * wins`,
          [id, ARCHIVE_MIN_LOSSES, ARCHIVE_LOSS_RATIO],
        );
      }
      this.enforceCap(db);
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
   */
  async importJsonl(text: string): Promise<{ imported: number; skipped: number }> {
    const now = new Date().toISOString();
    const items = parseJsonl(text, randomUUID, now).map((item) => ({
      ...item,
      title: redact(item.title),
      description: redact(item.description),
      content: redact(item.content),
      task: redact(item.task),
    }));
    if (items.length === 0) return { imported: 0, skipped: 0 };
    return this.store.mutate((db) => {
      let imported = 0;
      let skipped = 0;
      const key = (title: string, content: string) => `${title}\u0000${content}`;
      const ids = new Set<string>();
      const texts = new Set<string>();
      for (const [id, title, content] of db.exec('SELECT id, title, content FROM items')[0]?.values ?? []) {
        ids.add(String(id));
        texts.add(key(String(title), String(content)));
      }
      for (const [id] of db.exec('SELECT id FROM tombstones')[0]?.values ?? []) ids.add(String(id));
      for (const item of items) {
        const k = key(item.title, item.content);
        if (ids.has(item.id) || texts.has(k)) {
          skipped++;
          continue;
        }
        insertItem(db, item);
        ids.add(item.id);
        texts.add(k);
        imported++;
      }
      if (imported) this.enforceCap(db);
      return { imported, skipped };
    });
  }

  // ---- ranking ------------------------------------------------------------------------------------

  private lexicalIndex(db: Database): LexicalIndex {
    if (this.lexical?.db !== db) this.lexical = { db, index: new LexicalIndex(db) };
    return this.lexical.index;
  }

  /** `distinct`: how many distinct content terms the text has, known to the bank or not */
  /**
   * BM25 ranking. A full matchinfo per matching row is the expensive part, so when the query's terms can
   * match more rows than EXACT_ROWS, a cheap first pass (matchinfo 'b': which term occurs in which column)
   * orders the rows by an approximate score, and exact BM25 is computed for the best of them, chunk by chunk,
   * until `limit` rows pass the filters. Small banks are scored exactly in one pass.
   */
  private lexicalRank(db: Database, text: string, filter: RankFilter, limit: number): { ranked: LexicalRanked[]; distinct: number } {
    const { terms, distinct, n } = this.lexicalIndex(db).queryTerms(text, this.store.generation, this.store.inTransaction);
    if (terms.length === 0) return { ranked: [], distinct };
    const match = matchExpression(terms);
    const filterParams = [filter.kind, filter.excludeTaskHash ?? '\u0000', match];
    const score = (rows: SqlValue[][]) =>
      rows.map((r): LexicalRanked => {
        const s = scoreMatchinfo(r[2] as Uint8Array, terms);
        return { seq: Number(r[0]), id: String(r[1]), value: s.bm25, ...s };
      });
    const byScore = (a: Ranked, b: Ranked) => b.value - a.value || a.seq - b.seq;
    const possibleRows = terms.reduce((sum, t) => sum + t.df, 0);
    const chunk = Math.max(2 * limit, 40);
    if (possibleRows <= EXACT_ROWS) {
      const stmt = this.store.stmt(
        `SELECT items.seq, items.id, matchinfo(items_fts, 'pcnalx') FROM items_fts JOIN items ON items.seq = items_fts.docid
         WHERE items_fts MATCH ?3 AND items.archived = 0 AND (?1 IS NULL OR items.kind = ?1) AND items.task_hash <> ?2`,
      );
      return { ranked: score(allFrom(stmt, filterParams)).sort(byScore).slice(0, limit), distinct };
    }
    const approx = allFrom(this.store.stmt(`SELECT docid, matchinfo(items_fts, 'b') FROM items_fts WHERE items_fts MATCH ?`), [match])
      .map((r) => ({ docid: Number(r[0]), value: approximateScore(r[1] as Uint8Array, terms, n) }))
      .sort((a, b) => b.value - a.value || a.docid - b.docid);
    const exact = this.store.stmt(
      `SELECT items.seq, items.id, matchinfo(items_fts, 'pcnalx') FROM items_fts JOIN items ON items.seq = items_fts.docid
       WHERE items_fts MATCH ?3 AND +items_fts.docid IN (SELECT value FROM json_each(?4))
         AND items.archived = 0 AND (?1 IS NULL OR items.kind = ?1) AND items.task_hash <> ?2`,
    );
    const ranked: LexicalRanked[] = [];
    for (let start = 0; start < approx.length && ranked.length < limit; start += chunk) {
      const ids = approx.slice(start, start + chunk).map((r) => r.docid);
      ranked.push(...score(allFrom(exact, [...filterParams, JSON.stringify(ids)])));
    }
    return { ranked: ranked.sort(byScore).slice(0, limit), distinct };
  }

  /** null when embeddings are not available (lexical only). */
  private async semanticRank(query: string, filter: RankFilter, limit: number, signal?: AbortSignal): Promise<Ranked[] | null> {
    const modelName = this.model?.embeddingModel ?? null;
    if (!this.model) return null;
    if (!modelName) {
      if (!this.warnedLexicalOnly) {
        this.warnedLexicalOnly = true;
        this.onWarn('no embedding model configured: memory retrieval ranks lessons lexically (BM25) only');
      }
      return null;
    }
    const queryVec = await this.embedQueryAndMissing(query, modelName, signal);
    if (!queryVec) return null; // the model already said why
    const cache = await this.vectors(modelName);
    const db = await this.store.read();
    const eligible = this.eligibleSeqs(db, filter);
    const ranked: Ranked[] = [];
    for (let i = 0; i < cache.seqs.length; i++) {
      if (cache.dims[i] !== queryVec.length || !eligible.has(cache.seqs[i]!)) continue;
      ranked.push({ seq: cache.seqs[i]!, id: cache.ids[i]!, value: dot(queryVec, cache.vectors[i]!) });
    }
    ranked.sort((a, b) => b.value - a.value || a.seq - b.seq);
    return ranked.slice(0, limit);
  }

  private eligibleSeqs(db: Database, filter: RankFilter): Set<number> {
    const stmt = this.store.stmt(`SELECT seq FROM items WHERE archived = 0 AND (?1 IS NULL OR kind = ?1) AND task_hash <> ?2`);
    return new Set(allFrom(stmt, [filter.kind, filter.excludeTaskHash ?? '\u0000']).map((r) => Number(r[0])));
  }

  /** Embeds the query together with the first batch of items that have no vector for this model yet. */
  private async embedQueryAndMissing(query: string, modelName: string, signal?: AbortSignal): Promise<Float32Array | null> {
    const db = await this.store.read();
    const missing = allFrom(
      this.store.stmt(
        `SELECT ${ITEM_COLUMNS} FROM items LEFT JOIN embeddings e ON e.item_id = items.id AND e.model = ?
         WHERE e.item_id IS NULL AND items.archived = 0`,
      ),
      [modelName],
    )
      .map(rowToItem)
      .filter((r) => !this.memoryVectors.has(`${modelName}\u0000${r.id}`));
    const texts = [truncateMiddle(query, EMBED_TEXT_CHARS), ...missing.map(embeddingText)];
    const got: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += EMBED_BATCH) {
      throwIfAborted(signal);
      const batch = await this.embed(texts.slice(start, start + EMBED_BATCH), signal);
      if (!batch) return null;
      got.push(...batch);
    }
    const [queryVec, ...itemVecs] = got;
    if (itemVecs.length) await this.saveVectors(missing.map((r, i) => ({ id: r.id, vec: itemVecs[i]! })), modelName);
    return queryVec ?? null;
  }

  private async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[] | null> {
    if (!this.model || texts.length === 0) return texts.length === 0 ? [] : null;
    const out = await this.model.embed(texts, signal);
    if (!out || out.length !== texts.length) return null;
    return out.map(normalize);
  }

  private async saveVectors(rows: { id: string; vec: Float32Array }[], modelName: string): Promise<void> {
    if (this.readOnly) {
      for (const r of rows) this.memoryVectors.set(`${modelName}\u0000${r.id}`, r.vec);
      this.vectorCache = null;
      return;
    }
    await this.store.mutate((db) => {
      for (const r of rows) this.storeVector(db, r.id, modelName, r.vec);
    });
  }

  private storeVector(db: Database, id: string, modelName: string, vec: Float32Array): void {
    // only for items that still exist; vectors of an earlier embedding model are dropped
    db.run(
      `INSERT OR REPLACE INTO embeddings (item_id, model, dim, vector) SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM items WHERE id = ?1)`,
      [id, modelName, vec.length, toBlob(vec)],
    );
    db.run('DELETE FROM embeddings WHERE item_id = ? AND model <> ?', [id, modelName]);
  }

  /** All stored vectors of one model, parsed once per version of the file. */
  private async vectors(modelName: string): Promise<VectorCache> {
    const db = await this.store.read();
    const gen = this.store.generation;
    if (this.vectorCache && this.vectorCache.model === modelName && this.vectorCache.generation === gen) return this.vectorCache;
    const cache: VectorCache = { model: modelName, generation: gen, seqs: [], ids: [], dims: [], vectors: [] };
    const rows = allFrom(this.store.stmt('SELECT items.seq, items.id, e.dim, e.vector FROM items JOIN embeddings e ON e.item_id = items.id AND e.model = ?'), [
      modelName,
    ]);
    const seen = new Set<string>();
    for (const r of rows) {
      cache.seqs.push(Number(r[0]));
      cache.ids.push(String(r[1]));
      cache.dims.push(Number(r[2]));
      cache.vectors.push(fromBlob(r[3] as Uint8Array));
      seen.add(String(r[1]));
    }
    if (this.memoryVectors.size) {
      const seqOf = new Map(selectItems(db).map((r) => [r.id, r.seq]));
      for (const [key, vec] of this.memoryVectors) {
        const [m, id] = key.split('\u0000') as [string, string];
        const seq = seqOf.get(id);
        if (m !== modelName || seen.has(id) || seq === undefined) continue;
        cache.seqs.push(seq);
        cache.ids.push(id);
        cache.dims.push(vec.length);
        cache.vectors.push(vec);
      }
    }
    this.vectorCache = cache;
    return cache;
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
    for (const c of this.lexicalRank(db, text, { kind }, 5).ranked) candidates.set(c.id, 0);
    let embedSims: Map<string, number> | null = null;
    if (vec && modelName) {
      embedSims = new Map();
      const rows = allFrom(
        this.store.stmt('SELECT e.item_id, e.vector FROM embeddings e JOIN items ON items.id = e.item_id WHERE e.model = ? AND items.archived = 0 AND items.kind = ?'),
        [modelName, kind],
      );
      for (const r of rows) {
        const other = fromBlob(r[1] as Uint8Array);
        if (other.length === vec.length) embedSims.set(String(r[0]), dot(vec, other));
      }
      for (const f of fresh) if (f.vec && f.vec.length === vec.length) embedSims.set(f.id, dot(vec, f.vec));
      for (const [id, sim] of embedSims) if (sim >= DUPLICATE_EMBEDDING) candidates.set(id, 0);
    }
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

  /** Size cap: archive the least useful active items (lowest smoothed win rate, then oldest); never pinned. */
  private enforceCap(db: Database, keep?: string): void {
    if (!Number.isFinite(this.maxItems)) return;
    const active = Number(db.exec('SELECT count(*) FROM items WHERE archived = 0')[0]!.values[0]![0]);
    const excess = active - Math.max(0, this.maxItems);
    if (excess <= 0) return;
    db.run(
      `UPDATE items SET archived = 1 WHERE seq IN (
         SELECT seq FROM items WHERE archived = 0 AND pinned = 0 AND id <> ?
         ORDER BY (wins + 1.0) / (wins + losses + 2) ASC, updated_at ASC, seq ASC LIMIT ?)`,
      [keep ?? '', excess],
    );
  }
}

