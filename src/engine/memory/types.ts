/** The memory bank's public shapes: the store, the CLI, the server protocol and the tree view use them. */

export type Outcome = 'success' | 'failure' | 'contrast' | 'refinement' | 'manual';
import type { RetrievalMethod, TokenUsage } from '../types';
export type Source = 'single' | 'parallel' | 'sequential' | 'manual' | 'import';
/**
 * What an item holds. Lessons are the ReasoningBank items; the bench's baseline strategies store other kinds
 * (a successful trajectory as an exemplar, an induced workflow) in the same file and retrieve them by kind.
 */
export type ItemKind = 'lesson' | 'trajectory' | 'workflow';

export const OUTCOMES: readonly Outcome[] = ['success', 'failure', 'contrast', 'refinement', 'manual'];
export const SOURCES: readonly Source[] = ['single', 'parallel', 'sequential', 'manual', 'import'];
export const ITEM_KINDS: readonly ItemKind[] = ['lesson', 'trajectory', 'workflow'];

/** What distillation produces and what a user types in by hand: exactly these three fields. */
export interface LessonDraft {
  title: string;
  description: string;
  content: string;
}

export interface MemoryItem extends LessonDraft {
  id: string;
  outcome: Outcome;
  source: Source;
  /** the originating task text (redacted) */
  task: string;
  taskHash: string;
  createdAt: string;
  updatedAt: string;
  /** runs that used the item: shown in full, recalled by the agent, or cited in its finish */
  uses: number;
  wins: number;
  losses: number;
  /** runs that listed the item in the agent's index without it being used (no win or loss is credited) */
  shown?: number;
  pinned: boolean;
  archived: boolean;
  /** ids this item was merged from or refined from */
  lineage: string[];
  /** 'lesson' unless a bench strategy stored something else; the store always fills it in */
  kind?: ItemKind;
}

export interface RetrievedItem extends MemoryItem {
  /** the fused rank score (reciprocal rank fusion over the rankings used) weighted by evidence; higher is better */
  score: number;
  /** BM25 over the full-text index, when the item matched lexically */
  bm25?: number;
  /** IDF-weighted share (0..1) of the task's distinctive terms the item contains, when it matched lexically */
  coverage?: number;
  /** how many distinct task terms the item contains, when it matched lexically */
  matched?: number;
  /** cosine similarity of the item's embedding to the task's, when embeddings were used */
  cosine?: number;
}

export interface Retrieval {
  items: RetrievedItem[];
  method: RetrievalMethod;
  /** distinct content terms of the query (stopwords and numbers left out), known to the bank or not */
  queryTerms: number;
}

export interface AddedItem {
  id: string;
  title: string;
  outcome: Outcome;
  /** true when the draft was merged into an existing near-duplicate instead of appended */
  merged: boolean;
}

/** A run as the bank records it (the evidence behind uses/wins/losses). */
export interface RunRecord {
  runId: string;
  task: string;
  status: 'resolved' | 'unresolved' | 'error';
  steps: number;
  tokens: TokenUsage;
  /** every item put before the agent (in full or as an index line) */
  retrieved: string[];
  added: string[];
  /** the items used (shown in full, recalled, or cited); absent: every retrieved item counts as used */
  used?: string[];
}

export interface StoredRun extends RunRecord {
  createdAt: string;
}
