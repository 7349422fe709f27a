/**
 * The Synapse-style baseline: remember whole successful trajectories and show the agent the one whose task
 * is most like the current one, as an exemplar. Nothing is distilled and failures teach nothing. The
 * trajectories are items of kind 'trajectory' in the strategy's own memory bank file, so retrieval
 * (BM25 + embeddings, leave-one-out by task hash) is the product's.
 */
import type { LearnInput, LessonMemory, RetrievedForPrompt } from '../engine/lesson-memory';
import type { AddedItem, RunRecord } from '../engine/memory/types';
import type { MemoryBank } from '../engine/memory';
import { renderPrompt } from '../engine/prompts';
import { truncateMiddle } from '../engine/text';
import { pickSuccessful, taskTitle } from './learn-input';

/** an exemplar costs at most about 1,500 tokens of the system prompt */
export const EXEMPLAR_TRAJECTORY_CHARS = 6000;
const EXEMPLAR_TASK_CHARS = 1200;

export class TrajectoryMemory implements LessonMemory {
  constructor(
    readonly bank: MemoryBank,
    private readonly opts: { excludeTaskHash?: string } = {},
  ) {}

  async retrieve(task: string, opts: { k: number; signal?: AbortSignal }): Promise<RetrievedForPrompt> {
    // one exemplar whatever k is: Synapse shows the single most similar solved task
    const found = await this.bank.retrieve(task, { k: 1, kind: 'trajectory', excludeTaskHash: this.opts.excludeTaskHash, signal: opts.signal });
    const best = found.items[0];
    if (!best) return { ids: [], prompt: '', method: found.method, items: [] };
    return {
      ids: [best.id],
      prompt: renderPrompt('bench-exemplar', {
        task: truncateMiddle(best.task, EXEMPLAR_TASK_CHARS),
        trajectory: truncateMiddle(best.content, EXEMPLAR_TRAJECTORY_CHARS),
      }),
      method: found.method,
      items: [{ id: best.id, title: best.title, score: best.score }],
    };
  }

  async learn(input: LearnInput): Promise<AddedItem[]> {
    const winner = pickSuccessful(input)[0];
    if (!winner || !winner.trajectory.trim()) return [];
    return this.bank.add(
      [{ title: taskTitle(input.task), description: `a trajectory that resolved this task in ${winner.steps} step(s)`, content: winner.trajectory }],
      // two tasks' trajectories are two exemplars, however alike; the same task's again is one
      { outcome: 'success', source: input.mode, task: input.task, kind: 'trajectory', mergeAcrossTasks: false },
    );
  }

  recordRun(run: RunRecord): Promise<void> {
    return this.bank.recordRun(run);
  }
}
