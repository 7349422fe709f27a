/**
 * Distillation after an attempt (rendering before one is lesson-index.ts). One structured call per judged attempt, with a
 * prompt chosen by the verdict; the items are exactly {title, description, content}. Whether a lesson is
 * generic enough is asked of the model in the prompt, never decided by keyword filters here.
 */
import { z } from 'zod';
import type { ChatModel } from '../llm/model';
import { renderPrompt } from '../prompts';
import { truncateMiddle } from '../text';
import { redact } from './redact';
import type { LessonDraft } from './types';

export const LESSONS_SCHEMA_NAME = 'memory_items';
export const MAX_DISTILLED_ITEMS = 3;

/** The reply schema for every extraction (success, failure, contrast, refinement): at most `max` items. */
export function lessonsSchema(max: number = MAX_DISTILLED_ITEMS) {
  const item = z.object({
    title: z.string().min(1).describe('a concise name of the strategy'),
    description: z.string().min(1).describe('one sentence: when to use it, or when not'),
    content: z.string().min(1).describe('1-5 sentences of distilled reasoning, decision rationale or pitfall'),
  });
  return z.object({ items: z.array(item).max(max) });
}

export interface DistillInput {
  task: string;
  success: boolean;
  trajectory: string;
  patch: string;
  testsSummary: string;
  judgeReason: string;
  signal?: AbortSignal;
}

/** What one extraction may send: the trajectory dominates, the rest is kept short. */
const BUDGET = { task: 6_000, trajectory: 24_000, patch: 8_000, tests: 3_000, verdict: 1_500 };

export async function distillLessons(model: ChatModel, input: DistillInput): Promise<LessonDraft[]> {
  const prompt = renderPrompt(input.success ? 'extract-success' : 'extract-failure', {
    task: redact(truncateMiddle(input.task.trim(), BUDGET.task)),
    verdict: redact(truncateMiddle(`${input.success ? 'resolved' : 'unresolved'}: ${input.judgeReason.trim() || '(no reason given)'}`, BUDGET.verdict)),
    tests: redact(truncateMiddle(input.testsSummary.trim() || '(no tests ran)', BUDGET.tests)),
    patch: redact(truncateMiddle(input.patch.trim() || '(no change)', BUDGET.patch)),
    trajectory: redact(truncateMiddle(input.trajectory.trim() || '(empty)', BUDGET.trajectory, 0.3)),
  });
  const reply = await model.structured({
    name: LESSONS_SCHEMA_NAME,
    schema: lessonsSchema(MAX_DISTILLED_ITEMS),
    messages: [{ role: 'user', content: prompt }],
    signal: input.signal,
  });
  return reply.items
    .map((i) => ({ title: i.title.trim(), description: i.description.trim(), content: i.content.trim() }))
    .filter((i) => i.title && i.content)
    .slice(0, MAX_DISTILLED_ITEMS);
}
