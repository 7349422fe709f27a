/**
 * How lessons are put before the agent: the best one in full, the other candidates as one index line each
 * (short id, title, when to use, provenance, evidence), so the agent chooses what to open with `recall`
 * instead of being handed several lessons it may not need. Lesson text is flattened to single lines here;
 * the agent loop wraps the whole block as data (see agent/lesson-data.ts).
 */
import type { MemoryItem } from './types';

/** an index line stays under about 40 o200k tokens */
const INDEX_CHARS = { title: 45, description: 45 };
/** a lesson in full stays under about 200 tokens */
const FULL_CHARS = { title: 120, description: 240, content: 600 };
/** characters of an id shown to the agent; recall and finish accept it (or the full id) */
export const SHORT_ID_CHARS = 8;

type Shown = Pick<MemoryItem, 'id' | 'title' | 'description' | 'content' | 'source' | 'uses' | 'wins' | 'losses'>;

export function shortId(id: string): string {
  return id.slice(0, SHORT_ID_CHARS);
}

/** An id as the agent may write it (full, short, in brackets) as a lookup key. */
export function idKey(raw: string): string {
  return raw.trim().replace(/^\[|\]$/g, '');
}

/** The one id among `ids` that `raw` names in full or by a unique prefix of at least SHORT_ID_CHARS. */
export function resolveId(raw: string, ids: readonly string[]): string | undefined {
  const key = idKey(raw);
  if (ids.includes(key)) return key;
  const matches = key.length >= SHORT_ID_CHARS ? ids.filter((id) => id.startsWith(key)) : [];
  return matches.length === 1 ? matches[0] : undefined;
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** Where a lesson came from, so the agent can weigh it: a hand-written or imported lesson was not distilled here. */
export function provenance(source: MemoryItem['source']): string {
  switch (source) {
    case 'single':
    case 'parallel':
    case 'sequential':
      return 'distilled here';
    case 'import':
      return 'imported';
    case 'manual':
      return 'manual';
    default:
      return 'unknown origin';
  }
}

function evidence(item: Shown): string {
  return item.uses ? `won ${item.wins}, lost ${item.losses} of ${item.uses}` : 'unused';
}

export function renderFullLesson(item: Shown): string {
  return [
    `[${shortId(item.id)}] ${clip(item.title, FULL_CHARS.title)}`,
    `When: ${clip(item.description, FULL_CHARS.description) || '(not given)'}`,
    `From: ${provenance(item.source)}; ${evidence(item)}`,
    clip(item.content, FULL_CHARS.content),
  ].join('\n');
}

export function renderIndexLine(item: Shown): string {
  return `- [${shortId(item.id)}] ${clip(item.title, INDEX_CHARS.title)} — ${clip(item.description, INDEX_CHARS.description)} (${provenance(item.source)}; ${evidence(item)})`;
}

/** The best item in full (unless `full` is false: a weak match) and the rest as index lines; '' for none. */
export function renderLessonIndex(items: Shown[], opts: { full?: boolean } = {}): string {
  const [best, ...rest] = items;
  if (!best) return '';
  if (opts.full === false) return `Lessons that may apply, none a close match (open with recall by id):\n${items.map(renderIndexLine).join('\n')}`;
  const parts = [renderFullLesson(best)];
  if (rest.length) parts.push(`More lessons that may apply (open with recall by id):\n${rest.map(renderIndexLine).join('\n')}`);
  return parts.join('\n\n');
}

/** Lessons in full, as `recall` returns them. */
export function renderFullLessons(items: Shown[]): string {
  return items.map(renderFullLesson).join('\n\n');
}
