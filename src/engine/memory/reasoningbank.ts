/**
 * The product's LessonMemory: ReasoningBank over the sql.js MemoryBank. Single attempts distill success or
 * failure lessons; parallel runs distill self-contrast lessons; sequential runs distill what refinement
 * corrected. Attempts that never ran (endpoint down) or could not be judged teach nothing.
 */
import type { LearnInput, LessonMemory, RetrievedForPrompt } from '../lesson-memory';
import type { AddedItem, RunRecord } from './types';
import type { MemoryBank } from './bank';
import { distillLessons, renderLessons } from './distill';
import { contrastLessons, refinementLessons, roundsChanged } from './contrast';
import { testsLine } from '../attempts/attempt-text';

export class ReasoningBankMemory implements LessonMemory {
  constructor(
    readonly bank: MemoryBank,
    private readonly opts: { excludeTaskHash?: string } = {},
  ) {}

  async retrieve(task: string, opts: { k: number; signal?: AbortSignal }): Promise<RetrievedForPrompt> {
    const found = await this.bank.retrieve(task, { k: opts.k, excludeTaskHash: this.opts.excludeTaskHash, signal: opts.signal });
    return {
      ids: found.items.map((i) => i.id),
      prompt: found.items.length ? renderLessons(found.items) : '',
      method: found.method,
      items: found.items.map((i) => ({ id: i.id, title: i.title, score: i.score })),
    };
  }

  async learn(input: LearnInput): Promise<AddedItem[]> {
    const judged = input.attempts.filter((a) => a.verdict.decidedBy !== 'none');
    if (judged.length === 0) return [];
    if (input.mode === 'parallel' && judged.length > 1) {
      const drafts = await contrastLessons(input.model, input.task, judged, input.signal);
      return this.bank.add(drafts, { outcome: 'contrast', source: 'parallel', task: input.task });
    }
    const attempt = judged.find((a) => a.index === input.chosen) ?? judged[0]!;
    if (input.mode === 'sequential' && roundsChanged(attempt)) {
      const drafts = await refinementLessons(input.model, input.task, attempt, input.signal);
      return this.bank.add(drafts, { outcome: 'refinement', source: 'sequential', task: input.task });
    }
    const drafts = await distillLessons(input.model, {
      task: input.task,
      success: attempt.verdict.success,
      trajectory: attempt.trajectory,
      patch: attempt.patch,
      testsSummary: testsLine(attempt.tests),
      judgeReason: attempt.verdict.reason,
      signal: input.signal,
    });
    return this.bank.add(drafts, {
      outcome: attempt.verdict.success ? 'success' : 'failure',
      source: input.mode === 'sequential' ? 'sequential' : input.mode === 'parallel' ? 'parallel' : 'single',
      task: input.task,
    });
  }

  recordRun(run: RunRecord): Promise<void> {
    return this.bank.recordRun(run);
  }
}
