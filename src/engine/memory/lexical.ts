/**
 * Lexical ranking: BM25 over the FTS4 index. sql.js has FTS4 but not FTS5's bm25(), so the score is computed
 * here from `matchinfo(items_fts, 'pcnalx')`. A task text can be long (an issue with logs), so the query keeps
 * only its rarest terms (document frequencies from an fts4aux view): common words add little to BM25 but
 * would make every row match.
 */
import type { Database, Statement } from 'sql.js';
import { allFrom } from './rows';

/** title, description, content, task */
export const COLUMN_WEIGHTS = [2, 1.5, 1, 1];
const K1 = 1.2;
const B = 0.75;
export const MAX_QUERY_TERMS = 16;
/**
 * Scoring costs a matchinfo call per matching row, so terms are added (most telling first) only while the
 * rows they can match stay within this budget; the first MIN_QUERY_TERMS are always kept. Terms left out
 * are the frequent ones, whose IDF (and so their share of BM25) is small. In banks of a few thousand items
 * nothing is left out.
 */
export const ROW_BUDGET = 1000;
export const MIN_QUERY_TERMS = 3;
/** distinct task terms whose document frequency is looked up at all */
export const MAX_LOOKUPS = 40;

const STOPWORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both but by
  can cannot could did do does doing done down during each else even ever every few for from further get gets got had has have having he her here
  hers him his how however i if in into is it its itself just let like may me might more most much must my no nor not now of off on once only
  or other ought our ours out over own per please same shall she should so some such than that the their theirs them then there these they
  this those through thus to too under until up upon us use used using very via was we were what when where whether which while who whom why
  will with within without would yet you your yours`.split(/\s+/),
);

export interface QueryTerm {
  /** the word as it appears in the query (passed to MATCH, which stems it the same way the index did) */
  word: string;
  stem: string;
  /** documents containing the stem in any column */
  df: number;
  /** how often the query uses it */
  qtf: number;
}

export function idf(df: number, n: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** A term the task repeats is central to it: BM25's query-term-frequency factor, damped. */
export function queryWeight(t: QueryTerm): number {
  return 1 + Math.log(t.qtf);
}

/**
 * Reading the whole term table (fts4aux decodes every doclist) costs about this much per indexed token
 * (sql.js, measured on the bench's banks: 10k items ≈ 0.76M tokens ≈ 45 ms, 100k ≈ 330 ms). A fixed
 * estimate, not a calibration: a small bank's scan is mostly start-up cost and would mislead it.
 */
const SCAN_MS_PER_TOKEN = 45e-6;
/** Banks whose whole term table should read within this are read at once on their first query. */
export const EAGER_TERM_SCAN_MS = 150;

/** Per-database helpers: temp virtual tables are not part of the exported file. */
export class LexicalIndex {
  private tokenizeStmt: Statement;
  private dfStmt: Statement;
  private allDfStmt: Statement;
  private countStmt: Statement;
  /**
   * Document frequencies for one version of the contents. A lookup in fts4aux probes every segment of the
   * index (~0.1 ms, more for frequent terms), so the whole table is read into `dfAll` once: at once when it is
   * cheap and this database has not been read yet, otherwise (a large bank, or contents changed by a write
   * in this process) once the single lookups of this version have cost as much as reading it all would.
   */
  private dfAll: Map<string, number> | null = null;
  private dfCache = new Map<string, number>();
  private dfVersion = -1;
  private lookupMs = 0;
  private scanned = false;

  constructor(db: Database) {
    db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.rb_tokenize USING fts3tokenize(porter)`);
    db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.rb_terms USING fts4aux(main, items_fts)`);
    this.tokenizeStmt = db.prepare(`SELECT token, start, "end" FROM temp.rb_tokenize WHERE input = ?`);
    this.dfStmt = db.prepare(`SELECT documents FROM temp.rb_terms WHERE col = '*' AND term = ?`);
    this.allDfStmt = db.prepare(`SELECT term, documents FROM temp.rb_terms WHERE col = '*'`);
    // the FTS4 %_stat row 0 holds varints, the document count first: O(1), unlike count(*)
    this.countStmt = db.prepare(`SELECT value FROM items_fts_stat WHERE id = 0`);
  }

  free(): void {
    this.tokenizeStmt.free();
    this.dfStmt.free();
    this.allDfStmt.free();
    this.countStmt.free();
  }

  /** Stems as the index sees them, with the word each came from; stopwords and 1-character tokens dropped. */
  tokens(text: string): { word: string; stem: string }[] {
    // the tokenizer is byte-offset based; keep the input to a sane size
    const input = text.length > 20_000 ? text.slice(0, 20_000) : text;
    const out: { word: string; stem: string }[] = [];
    const bytes = Buffer.from(input, 'utf8');
    for (const [stem, start, end] of allFrom(this.tokenizeStmt, [input])) {
      const word = bytes.subarray(Number(start), Number(end)).toString('utf8').toLowerCase();
      const s = String(stem);
      if (s.length < 2 || STOPWORDS.has(word) || /^\d+$/.test(s)) continue;
      out.push({ word, stem: s });
    }
    return out;
  }

  /**
   * The query's distinct terms that occur in the index, the most telling first (IDF × query weight), at most
   * `max`; and how many distinct terms the query has at all (also those the bank has never seen).
   * `version` changes whenever the contents may have; inside a write transaction the contents can change
   * between calls without a new version, so nothing is cached there.
   */
  queryTerms(
    text: string,
    version: number,
    inTransaction = false,
    max = MAX_QUERY_TERMS,
  ): { terms: QueryTerm[]; distinct: number; n: number } {
    const seen = new Map<string, { word: string; qtf: number }>();
    for (const t of this.tokens(text)) {
      const hit = seen.get(t.stem);
      if (hit) hit.qtf++;
      else seen.set(t.stem, { word: t.word, qtf: 1 });
    }
    const stat = readVarints((allFrom(this.countStmt, [])[0]?.[0] as Uint8Array | undefined) ?? new Uint8Array());
    const n = stat[0] ?? 0;
    // then one token total per column (and after them the bytes of all documents)
    const scanMs = stat.slice(1, 1 + COLUMN_WEIGHTS.length).reduce((a, b) => a + b, 0) * SCAN_MS_PER_TOKEN;
    if (version !== this.dfVersion) {
      this.dfVersion = version;
      this.dfAll = null;
      this.dfCache.clear();
      this.lookupMs = 0;
      if (!inTransaction && !this.scanned && scanMs <= EAGER_TERM_SCAN_MS) this.scanTerms();
    }
    const terms: (QueryTerm & { priority: number })[] = [];
    // a long task (an issue with logs) has many terms; look up the likeliest useful ones: repeated, then longer
    const lookups = [...seen].sort((a, b) => b[1].qtf - a[1].qtf || b[0].length - a[0].length).slice(0, MAX_LOOKUPS);
    for (const [stem, { word, qtf }] of lookups) {
      const df = this.documentFrequency(stem, inTransaction);
      if (df > 0) {
        const t = { word, stem, df, qtf };
        terms.push({ ...t, priority: idf(df, n) * queryWeight(t) });
      }
    }
    if (!inTransaction && !this.dfAll && this.lookupMs >= scanMs) this.scanTerms();
    terms.sort((a, b) => b.priority - a.priority || a.stem.localeCompare(b.stem));
    const kept: QueryTerm[] = [];
    let rows = 0;
    for (const { priority: _p, ...t } of terms) {
      if (kept.length >= max) break;
      if (kept.length >= MIN_QUERY_TERMS && rows + t.df > ROW_BUDGET) continue;
      kept.push(t);
      rows += t.df;
    }
    return { terms: kept, distinct: seen.size, n };
  }

  private documentFrequency(stem: string, inTransaction: boolean): number {
    if (inTransaction) return Number(allFrom(this.dfStmt, [stem])[0]?.[0] ?? 0);
    if (this.dfAll) return this.dfAll.get(stem) ?? 0;
    let df = this.dfCache.get(stem);
    if (df === undefined) {
      const t0 = performance.now();
      df = Number(allFrom(this.dfStmt, [stem])[0]?.[0] ?? 0);
      this.lookupMs += performance.now() - t0;
      this.dfCache.set(stem, df);
    }
    return df;
  }

  /** Reads every term's document frequency for the current version (see dfAll). */
  private scanTerms(): void {
    const all = new Map<string, number>();
    for (const [term, documents] of allFrom(this.allDfStmt, [])) all.set(String(term), Number(documents));
    this.dfAll = all;
    this.dfCache.clear();
    this.scanned = true;
  }
}

/** FTS3/4 varints: 7 bits a byte, least significant first, high bit = more bytes follow. */
function readVarints(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 1;
  for (const b of bytes) {
    value += (b & 0x7f) * shift;
    shift *= 128;
    if ((b & 0x80) === 0) {
      out.push(value);
      value = 0;
      shift = 1;
    }
  }
  return out;
}

export function matchExpression(terms: QueryTerm[]): string {
  return terms.map((t) => `"${t.word.replace(/"/g, '')}"`).join(' OR ');
}

export interface LexicalScore {
  bm25: number;
  /** IDF-weighted share of the query's terms that occur in the row (0..1): comparable across bank sizes */
  coverage: number;
  /** distinct query terms that occur in the row */
  matched: number;
}

/**
 * A cheap stand-in for BM25 from a matchinfo 'b' blob (one bit per term and column: does it occur):
 * the weighted IDF of what matched, without term frequencies or length normalisation. It only orders rows
 * for exact scoring.
 */
export function approximateScore(blob: Uint8Array, terms: readonly QueryTerm[], n: number, weights: readonly number[] = COLUMN_WEIGHTS): number {
  const m = new Uint32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
  const words = Math.ceil(weights.length / 32);
  let score = 0;
  for (let i = 0; i < terms.length; i++) {
    const bits = m[i * words]!;
    if (!bits) continue;
    const w = idf(terms[i]!.df, n) * queryWeight(terms[i]!);
    for (let j = 0; j < weights.length; j++) if (bits & (1 << j)) score += w * weights[j]!;
  }
  return score;
}

/**
 * BM25 from a 'pcnalx' matchinfo blob: p phrases, c columns, n rows, a = average tokens per column,
 * l = this row's tokens per column, x = per phrase and column (hits here, hits everywhere, rows with hits).
 * IDF is the non-negative variant, so a term in most rows still counts a little instead of subtracting.
 */
export function scoreMatchinfo(blob: Uint8Array, terms: readonly QueryTerm[], weights: readonly number[] = COLUMN_WEIGHTS): LexicalScore {
  const m = new Uint32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
  const p = m[0]!;
  const c = m[1]!;
  const n = m[2]!;
  const aOff = 3;
  const lOff = 3 + c;
  const xOff = 3 + 2 * c;
  let score = 0;
  let matchedIdf = 0;
  let totalIdf = 0;
  let matched = 0;
  for (let i = 0; i < p; i++) {
    const term = terms[i];
    const qw = term ? queryWeight(term) : 1;
    const termIdf = idf(term?.df ?? 1, n) * qw;
    totalIdf += termIdf;
    let hit = false;
    for (let j = 0; j < c; j++) {
      const base = xOff + 3 * (i * c + j);
      const tf = m[base]!;
      if (tf === 0) continue;
      hit = true;
      const df = m[base + 2]!;
      const columnIdf = idf(df, n);
      const avg = m[aOff + j]! || 1;
      const len = m[lOff + j]!;
      const norm = tf + K1 * (1 - B + (B * len) / avg);
      score += qw * (weights[j] ?? 1) * columnIdf * ((tf * (K1 + 1)) / norm);
    }
    if (hit) {
      matched++;
      matchedIdf += termIdf;
    }
  }
  return { bm25: score, coverage: totalIdf > 0 ? matchedIdf / totalIdf : 0, matched };
}
