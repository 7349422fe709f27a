/**
 * Lexical ranking of items: BM25 from FTS4's matchinfo, computed in JS (sql.js has no bm25()). Shared
 * shapes of a ranking live here too, so the embedding ranking and the fusion in bank.ts speak the same terms.
 */
import type { SqlValue } from 'sql.js';
import type { BankFile } from './bank-file';
import { type LexicalIndex, type LexicalScore, approximateScore, matchExpression, scoreMatchinfo } from './lexical';
import { allFrom } from './rows';
import type { ItemKind } from './types';

/** up to this many matching rows, BM25 is computed exactly for all of them in one pass */
const EXACT_ROWS = 150;

export interface RankFilter {
  kind: ItemKind | null;
  excludeTaskHash?: string;
}

export interface Ranked {
  seq: number;
  id: string;
  value: number;
}

export interface LexicalRanked extends Ranked, LexicalScore {}

/** SQL parameters ?1 (kind or null) and ?2 (task hash to leave out) of every filtered ranking query */
export function filterParams(filter: RankFilter): SqlValue[] {
  return [filter.kind, filter.excludeTaskHash ?? '\u0000'];
}

/**
 * BM25 ranking. A full matchinfo per matching row is the expensive part, so when the query's terms can
 * match more rows than EXACT_ROWS, a cheap first pass (matchinfo 'b': which term occurs in which column)
 * orders the rows by an approximate score, and exact BM25 is computed for the best of them, chunk by chunk,
 * until `limit` rows pass the filters. Small banks are scored exactly in one pass.
 * `distinct`: how many distinct content terms the text has, known to the bank or not.
 */
export function lexicalRank(
  store: BankFile,
  index: LexicalIndex,
  text: string,
  filter: RankFilter,
  limit: number,
): { ranked: LexicalRanked[]; distinct: number } {
  const { terms, distinct, n } = index.queryTerms(text, store.generation, store.inTransaction);
  if (terms.length === 0) return { ranked: [], distinct };
  const match = matchExpression(terms);
  const params = [...filterParams(filter), match];
  const score = (rows: SqlValue[][]) =>
    rows.map((r): LexicalRanked => {
      const s = scoreMatchinfo(r[2] as Uint8Array, terms);
      return { seq: Number(r[0]), id: String(r[1]), value: s.bm25, ...s };
    });
  const byScore = (a: Ranked, b: Ranked) => b.value - a.value || a.seq - b.seq;
  const possibleRows = terms.reduce((sum, t) => sum + t.df, 0);
  const chunk = Math.max(2 * limit, 40);
  if (possibleRows <= EXACT_ROWS) {
    const stmt = store.stmt(
      `SELECT items.seq, items.id, matchinfo(items_fts, 'pcnalx') FROM items_fts JOIN items ON items.seq = items_fts.docid
       WHERE items_fts MATCH ?3 AND items.archived = 0 AND (?1 IS NULL OR items.kind = ?1) AND items.task_hash <> ?2`,
    );
    return { ranked: score(allFrom(stmt, params)).sort(byScore).slice(0, limit), distinct };
  }
  const approx = allFrom(store.stmt(`SELECT docid, matchinfo(items_fts, 'b') FROM items_fts WHERE items_fts MATCH ?`), [match])
    .map((r) => ({ docid: Number(r[0]), value: approximateScore(r[1] as Uint8Array, terms, n) }))
    .sort((a, b) => b.value - a.value || a.docid - b.docid);
  const exact = store.stmt(
    `SELECT items.seq, items.id, matchinfo(items_fts, 'pcnalx') FROM items_fts JOIN items ON items.seq = items_fts.docid
     WHERE items_fts MATCH ?3 AND +items_fts.docid IN (SELECT value FROM json_each(?4))
       AND items.archived = 0 AND (?1 IS NULL OR items.kind = ?1) AND items.task_hash <> ?2`,
  );
  const ranked: LexicalRanked[] = [];
  for (let start = 0; start < approx.length && ranked.length < limit; start += chunk) {
    const ids = approx.slice(start, start + chunk).map((r) => r.docid);
    ranked.push(...score(allFrom(exact, [...params, JSON.stringify(ids)])));
  }
  return { ranked: ranked.sort(byScore).slice(0, limit), distinct };
}
