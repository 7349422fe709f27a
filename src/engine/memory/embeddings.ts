/**
 * Item embeddings for hybrid retrieval and near-duplicate detection: computed lazily (the query and the
 * items still missing a vector for this model go in one batch), stored per model name in the file
 * (re-embedded when the model changes), parsed once per version of the file. A read-only bank keeps the
 * vectors it computed in memory instead of writing them.
 */
import type { Database } from 'sql.js';
import { throwIfAborted } from '../errors';
import type { ChatModel } from '../llm/model';
import { truncateMiddle } from '../text';
import type { BankFile } from './bank-file';
import { type RankFilter, type Ranked, filterParams } from './ranking';
import { ITEM_COLUMNS, allFrom, rowToItem, selectItems } from './rows';
import type { ItemKind, MemoryItem } from './types';
import { dot, fromBlob, normalize, toBlob } from './vectors';

const EMBED_BATCH = 64;
const EMBED_TEXT_CHARS = 4_000;

/** What the bank needs of a model: a ChatModel whose endpoint serves embeddings, or an embedded model. */
export type Embedder = Pick<ChatModel, 'embed' | 'embeddingModel'>;

type Embeddable = Pick<MemoryItem, 'title' | 'description' | 'content' | 'task'>;

function embeddingText(item: Embeddable): string {
  const task = item.task ? `\nTask: ${item.task}` : '';
  return truncateMiddle(`${item.title}\n${item.description}\n${item.content}${task}`, EMBED_TEXT_CHARS, 0.7);
}

interface VectorCache {
  model: string;
  generation: number;
  seqs: number[];
  ids: string[];
  dims: number[];
  vectors: Float32Array[];
}

export class ItemEmbeddings {
  private cache: VectorCache | null = null;
  /** read-only banks keep the vectors they computed here instead of in the file */
  private readonly inMemory = new Map<string, Float32Array>();
  private warnedLexicalOnly = false;

  constructor(
    private readonly store: BankFile,
    private readonly model: Embedder | null,
    private readonly readOnly: boolean,
    private readonly onWarn: (message: string) => void,
  ) {}

  /** the embedding model in use, or null (no model, none configured, or its endpoint failed) */
  get modelName(): string | null {
    return this.model?.embeddingModel ?? null;
  }

  reset(): void {
    this.cache = null;
  }

  /** Items by cosine similarity to the query; null when embeddings are not available (lexical only). */
  async rank(query: string, filter: RankFilter, limit: number, signal?: AbortSignal): Promise<Ranked[] | null> {
    if (!this.model) return null;
    const modelName = this.modelName;
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
    const eligible = new Set(
      allFrom(this.store.stmt(`SELECT seq FROM items WHERE archived = 0 AND (?1 IS NULL OR kind = ?1) AND task_hash <> ?2`), filterParams(filter)).map((r) =>
        Number(r[0]),
      ),
    );
    const ranked: Ranked[] = [];
    for (let i = 0; i < cache.seqs.length; i++) {
      if (cache.dims[i] !== queryVec.length || !eligible.has(cache.seqs[i]!)) continue;
      ranked.push({ seq: cache.seqs[i]!, id: cache.ids[i]!, value: dot(queryVec, cache.vectors[i]!) });
    }
    ranked.sort((a, b) => b.value - a.value || a.seq - b.seq);
    return ranked.slice(0, limit);
  }

  /** Unit vectors for items about to be stored, or null when embeddings are not available. */
  async embedItems(items: Embeddable[], signal?: AbortSignal): Promise<Float32Array[] | null> {
    return this.modelName ? this.embed(items.map(embeddingText), signal) : null;
  }

  /** Stores a vector for an item that still exists; vectors of an earlier embedding model are dropped. */
  write(db: Database, id: string, modelName: string, vec: Float32Array): void {
    db.run(
      `INSERT OR REPLACE INTO embeddings (item_id, model, dim, vector) SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM items WHERE id = ?1)`,
      [id, modelName, vec.length, toBlob(vec)],
    );
    db.run('DELETE FROM embeddings WHERE item_id = ? AND model <> ?', [id, modelName]);
  }

  /** Cosine similarity of `vec` to every active item of `kind` with a stored vector, and to `extra` vectors. */
  similarities(vec: Float32Array, modelName: string, kind: ItemKind, extra: { id: string; vec: Float32Array | null }[]): Map<string, number> {
    const sims = new Map<string, number>();
    const rows = allFrom(
      this.store.stmt('SELECT e.item_id, e.vector FROM embeddings e JOIN items ON items.id = e.item_id WHERE e.model = ? AND items.archived = 0 AND items.kind = ?'),
      [modelName, kind],
    );
    for (const r of rows) {
      const other = fromBlob(r[1] as Uint8Array);
      if (other.length === vec.length) sims.set(String(r[0]), dot(vec, other));
    }
    for (const f of extra) if (f.vec && f.vec.length === vec.length) sims.set(f.id, dot(vec, f.vec));
    return sims;
  }

  /** Embeds the query together with the items that have no vector for this model yet. */
  private async embedQueryAndMissing(query: string, modelName: string, signal?: AbortSignal): Promise<Float32Array | null> {
    await this.store.read();
    const missing = allFrom(
      this.store.stmt(
        `SELECT ${ITEM_COLUMNS} FROM items LEFT JOIN embeddings e ON e.item_id = items.id AND e.model = ?
         WHERE e.item_id IS NULL AND items.archived = 0`,
      ),
      [modelName],
    )
      .map(rowToItem)
      .filter((r) => !this.inMemory.has(`${modelName}\u0000${r.id}`));
    const texts = [truncateMiddle(query, EMBED_TEXT_CHARS), ...missing.map(embeddingText)];
    const got: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += EMBED_BATCH) {
      throwIfAborted(signal);
      const batch = await this.embed(texts.slice(start, start + EMBED_BATCH), signal);
      if (!batch) return null;
      got.push(...batch);
    }
    const [queryVec, ...itemVecs] = got;
    if (itemVecs.length) await this.save(missing.map((r, i) => ({ id: r.id, vec: itemVecs[i]! })), modelName);
    return queryVec ?? null;
  }

  private async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[] | null> {
    if (!this.model || texts.length === 0) return texts.length === 0 ? [] : null;
    const out = await this.model.embed(texts, signal);
    if (!out || out.length !== texts.length) return null;
    return out.map(normalize);
  }

  private async save(rows: { id: string; vec: Float32Array }[], modelName: string): Promise<void> {
    if (this.readOnly) {
      for (const r of rows) this.inMemory.set(`${modelName}\u0000${r.id}`, r.vec);
      this.cache = null;
      return;
    }
    await this.store.mutate((db) => {
      for (const r of rows) this.write(db, r.id, modelName, r.vec);
    });
  }

  /** All stored vectors of one model, parsed once per version of the file. */
  private async vectors(modelName: string): Promise<VectorCache> {
    const db = await this.store.read();
    const gen = this.store.generation;
    if (this.cache && this.cache.model === modelName && this.cache.generation === gen) return this.cache;
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
    if (this.inMemory.size) {
      const seqOf = new Map(selectItems(db).map((r) => [r.id, r.seq]));
      for (const [key, vec] of this.inMemory) {
        const [m, id] = key.split('\u0000') as [string, string];
        const seq = seqOf.get(id);
        if (m !== modelName || seen.has(id) || seq === undefined) continue;
        cache.seqs.push(seq);
        cache.ids.push(id);
        cache.dims.push(vec.length);
        cache.vectors.push(vec);
      }
    }
    this.cache = cache;
    return cache;
  }
}
