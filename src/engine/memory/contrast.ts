/**
 * MaTTS lessons. Parallel: one call sees all k attempts with their verdicts and distills what separates
 * passing from failing (self-contrast). Sequential: one call sees the refine rounds and distills what the
 * re-examination caught. Both return plain drafts; the memory bank stores and consolidates them.
 */
import type { ChatModel } from '../llm/model';
import type { AttemptMaterial } from '../lesson-memory';
import type { LessonDraft } from './types';
import { lessonsSchema } from './distill';
import { redact } from './redact';
import { renderPrompt } from '../prompts';
import { truncateMiddle } from '../text';
import { formatAttempts, testsLine } from '../attempts/attempt-text';

export const MAX_CONTRAST_ITEMS = 5;
export const MAX_REFINEMENT_ITEMS = 3;

export async function contrastLessons(
  model: ChatModel,
  task: string,
  attempts: AttemptMaterial[],
  signal?: AbortSignal,
): Promise<LessonDraft[]> {
  const prompt = renderPrompt('contrast', {
    task: redact(task),
    attempts: redact(formatAttempts(attempts, 40000)),
    max: MAX_CONTRAST_ITEMS,
  });
  return askLessons(model, prompt, MAX_CONTRAST_ITEMS, signal);
}

export async function refinementLessons(
  model: ChatModel,
  task: string,
  attempt: AttemptMaterial,
  signal?: AbortSignal,
): Promise<LessonDraft[]> {
  const rounds = attempt.rounds ?? [];
  const roundsText = rounds
    .map((r) =>
      [
        `### Round ${r.round}${r.round === 0 ? ' (first finish)' : ' (after re-examination)'} — ${testsLine(r.tests)}`,
        `Agent's summary: ${truncateMiddle(r.summary, 600)}`,
        '```diff',
        truncateMiddle(r.patch || '(no change)', 4000),
        '```',
      ].join('\n'),
    )
    .join('\n\n');
  const prompt = renderPrompt('extract-refinement', {
    task: redact(task),
    rounds: Math.max(0, rounds.length - 1),
    rounds_text: redact(roundsText),
    verdict: `${attempt.verdict.success ? 'resolved' : 'unresolved'} — ${attempt.verdict.reason}`,
    max: MAX_REFINEMENT_ITEMS,
  });
  return askLessons(model, prompt, MAX_REFINEMENT_ITEMS, signal);
}

async function askLessons(model: ChatModel, prompt: string, max: number, signal?: AbortSignal): Promise<LessonDraft[]> {
  const reply = await model.structured({
    name: 'memory_items',
    schema: lessonsSchema(max),
    messages: [{ role: 'user', content: prompt }],
    signal,
  });
  return reply.items.slice(0, max);
}

/** Did a refine round change the patch? Only then is there a correction to learn from. */
export function roundsChanged(attempt: AttemptMaterial): boolean {
  const rounds = attempt.rounds ?? [];
  return rounds.some((r, i) => i > 0 && r.patch !== rounds[i - 1]!.patch);
}
