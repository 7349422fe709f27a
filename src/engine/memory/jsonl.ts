/**
 * JSONL export/import: one item a line. Import validates every line before anything is written, so a
 * malformed file imports nothing and the error names the line.
 */
import { z } from 'zod';
import { badInput } from '../errors';
import { describeZodError } from '../llm/structured';
import { fnv1a } from '../text';
import { ITEM_KINDS, OUTCOMES, SOURCES, type ItemKind, type MemoryItem, type Outcome, type Source } from './types';

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date');
const count = z.number().int().min(0);

const importedItem = z.object({
  id: z.string().trim().min(1).max(200).optional(),
  title: z.string().trim().min(1, 'empty'),
  description: z.string(),
  content: z.string().trim().min(1, 'empty'),
  outcome: z.enum(OUTCOMES as [Outcome, ...Outcome[]]).optional(),
  source: z.enum(SOURCES as [Source, ...Source[]]).optional(),
  task: z.string().optional(),
  taskHash: z.string().optional(),
  createdAt: isoDate.optional(),
  updatedAt: isoDate.optional(),
  uses: count.optional(),
  wins: count.optional(),
  losses: count.optional(),
  shown: count.optional(),
  pinned: z.boolean().optional(),
  archived: z.boolean().optional(),
  lineage: z.array(z.string()).optional(),
  kind: z.enum(ITEM_KINDS as [ItemKind, ...ItemKind[]]).optional(),
});

/** Field order of an exported line: the documented fields (docs/CLI.md, "Memory bank") first, so the file reads well. */
export function itemToJsonLine(item: MemoryItem): string {
  const ordered: MemoryItem & { kind: ItemKind } = {
    id: item.id,
    title: item.title,
    description: item.description,
    content: item.content,
    outcome: item.outcome,
    source: item.source,
    task: item.task,
    taskHash: item.taskHash,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    uses: item.uses,
    wins: item.wins,
    losses: item.losses,
    shown: item.shown ?? 0,
    pinned: item.pinned,
    archived: item.archived,
    lineage: item.lineage,
    kind: item.kind ?? 'lesson',
  };
  return JSON.stringify(ordered);
}

/**
 * Parses and validates every non-blank line; throws EngineError('bad-input') naming the first bad lines.
 * Items without an id get `newId()`; missing fields get neutral defaults (source "import").
 */
export function parseJsonl(text: string, newId: () => string, now: string): MemoryItem[] {
  const items: MemoryItem[] = [];
  const problems: string[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    const n = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      problems.push(`line ${n}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
      return;
    }
    const parsed = importedItem.safeParse(value);
    if (!parsed.success) {
      problems.push(`line ${n}: ${describeZodError(parsed.error)}`);
      return;
    }
    const v = parsed.data;
    const task = v.task ?? '';
    items.push({
      id: v.id ?? newId(),
      title: v.title,
      description: v.description.trim(),
      content: v.content,
      outcome: v.outcome ?? 'manual',
      source: v.source ?? 'import',
      task,
      taskHash: v.taskHash ?? (task ? fnv1a(task.trim()) : ''),
      createdAt: v.createdAt ?? now,
      updatedAt: v.updatedAt ?? v.createdAt ?? now,
      uses: v.uses ?? 0,
      wins: v.wins ?? 0,
      losses: v.losses ?? 0,
      shown: v.shown ?? 0,
      pinned: v.pinned ?? false,
      archived: v.archived ?? false,
      lineage: v.lineage ?? [],
      kind: v.kind ?? 'lesson',
    });
  });
  if (problems.length) {
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more bad lines)` : '';
    throw badInput(
      `cannot import: ${problems.slice(0, 5).join('; ')}${more}. Nothing was imported. Each line must be one JSON object with at least "title", "description" and "content" (as written by "reasoningbank memory export").`,
    );
  }
  return items;
}
