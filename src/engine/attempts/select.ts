/**
 * Picks the attempt to keep. The tests outrank the model's taste: a failing attempt is never chosen over a
 * passing one. The model only chooses among equals (several passing, or none passing), and its choice is
 * checked against that set; ties without a usable choice go to fewer steps, then the smaller diff.
 */
import { z } from 'zod';
import type { ChatModel } from '../llm/model';
import type { AttemptMaterial } from '../lesson-memory';
import { renderPrompt } from '../prompts';
import { errorMessage } from '../errors';
import { diffSize, formatAttempts } from './attempt-text';

const bestOfKSchema = z.object({ index: z.number().int(), reason: z.string() });

export interface Selection {
  chosen: number;
  reason: string;
  /** true when the model's choice decided among the candidates */
  byModel: boolean;
}

export function tieBreak(candidates: AttemptMaterial[]): AttemptMaterial {
  return [...candidates].sort((a, b) => a.steps - b.steps || diffSize(a.patch) - diffSize(b.patch) || a.index - b.index)[0]!;
}

export async function selectBest(
  model: ChatModel,
  task: string,
  attempts: AttemptMaterial[],
  opts: { signal?: AbortSignal; onWarn?: (m: string) => void } = {},
): Promise<Selection> {
  if (attempts.length === 0) throw new Error('selectBest needs at least one attempt');
  const passing = attempts.filter((a) => a.verdict.success);
  // without a passing attempt, prefer ones that changed something over empty-handed ones
  const pool = passing.length > 0 ? passing : attempts.filter((a) => a.patch.trim()).length > 0 ? attempts.filter((a) => a.patch.trim()) : attempts;
  if (pool.length === 1) {
    const only = pool[0]!;
    return { chosen: only.index, reason: passing.length ? 'the only attempt whose tests pass' : 'the only attempt with a change', byModel: false };
  }
  const indexes = pool.map((a) => a.index);
  try {
    const reply = await model.structured({
      name: 'best_of_k',
      schema: bestOfKSchema,
      signal: opts.signal,
      messages: [
        {
          role: 'user',
          content: renderPrompt('best-of-k', {
            count: pool.length,
            task,
            attempts: formatAttempts(pool, 24000),
            indexes: indexes.join(', '),
          }),
        },
      ],
    });
    if (indexes.includes(reply.index)) {
      const why = passing.length > 1 ? `${passing.length} attempts pass; the model chose: ${reply.reason}` : `no attempt passes; the model found this one most promising: ${reply.reason}`;
      return { chosen: reply.index, reason: why, byModel: true };
    }
    opts.onWarn?.(`best-of-k named attempt ${reply.index}, which is not among the candidates (${indexes.join(', ')}); using the tie-break`);
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    opts.onWarn?.(`best-of-k choice failed (${errorMessage(err)}); using the tie-break`);
  }
  const pick = tieBreak(pool);
  return { chosen: pick.index, reason: `tie-break among ${pool.length} ${passing.length ? 'passing' : ''} attempts: fewest steps, then smallest diff`.replace('  ', ' '), byModel: false };
}
