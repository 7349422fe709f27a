/**
 * The AWM-style baseline (Agent Workflow Memory): after a successful run, one structured call induces
 * reusable workflows — numbered routines with placeholders — from the successful trajectories; before a
 * task, the most relevant workflows are injected. Failed runs induce nothing. Workflows are items of kind
 * 'workflow' in the strategy's own memory bank file: retrieval and near-duplicate merging are the product's.
 */
import { z } from 'zod';
import type { LearnInput, LessonMemory, RetrievedForPrompt } from '../engine/lesson-memory';
import type { AddedItem, MemoryItem, RunRecord } from '../engine/memory/types';
import { type MemoryBank, redact } from '../engine/memory';
import { renderPrompt } from '../engine/prompts';
import { truncateMiddle } from '../engine/text';
import { pickSuccessful } from './learn-input';

export const WORKFLOWS_SCHEMA_NAME = 'workflows';
export const MAX_INDUCED_WORKFLOWS = 3;
/** each injected workflow stays near the 200-token budget of a lesson */
const WORKFLOW_CHARS = { title: 120, description: 240, content: 700 };
const INDUCE_BUDGET = { task: 6_000, trajectories: 30_000, existing: 4_000 };

export function workflowsSchema(max = MAX_INDUCED_WORKFLOWS) {
  const workflow = z.object({
    title: z.string().min(1).describe('the kind of task the workflow serves'),
    description: z.string().min(1).describe('one sentence: when to use it, or when not'),
    content: z.string().min(1).describe('2-7 numbered steps with placeholders for the non-fixed parts'),
  });
  return z.object({ items: z.array(workflow).max(max) });
}

export class WorkflowMemory implements LessonMemory {
  constructor(
    readonly bank: MemoryBank,
    private readonly opts: { excludeTaskHash?: string } = {},
  ) {}

  async retrieve(task: string, opts: { k: number; signal?: AbortSignal }): Promise<RetrievedForPrompt> {
    const found = await this.bank.retrieve(task, { k: opts.k, kind: 'workflow', excludeTaskHash: this.opts.excludeTaskHash, signal: opts.signal });
    if (found.items.length === 0) return { ids: [], prompt: '', method: found.method, items: [] };
    return {
      ids: found.items.map((w) => w.id),
      prompt: renderPrompt('bench-workflows', { workflows: found.items.map(renderWorkflow).join('\n\n') }),
      method: found.method,
      items: found.items.map((w) => ({ id: w.id, title: w.title, score: w.score })),
    };
  }

  async learn(input: LearnInput): Promise<AddedItem[]> {
    const successes = pickSuccessful(input);
    if (successes.length === 0) return [];
    const known = await this.bank.list({ kind: 'workflow' });
    const trajectories = successes
      .map((a, n) => `### Trajectory ${n + 1} (${a.steps} steps)\n${truncateMiddle(a.trajectory, Math.floor(INDUCE_BUDGET.trajectories / successes.length), 0.3)}`)
      .join('\n\n');
    const prompt = renderPrompt('workflow-induce', {
      task: redact(truncateMiddle(input.task.trim(), INDUCE_BUDGET.task)),
      trajectories: redact(trajectories),
      existing: known.length ? truncateMiddle(known.map((w) => `- ${w.title}: ${w.description}`).join('\n'), INDUCE_BUDGET.existing) : '(none yet)',
      max: MAX_INDUCED_WORKFLOWS,
    });
    const reply = await input.model.structured({
      name: WORKFLOWS_SCHEMA_NAME,
      schema: workflowsSchema(),
      messages: [{ role: 'user', content: prompt }],
      signal: input.signal,
    });
    const drafts = reply.items
      .map((w) => ({ title: w.title.trim(), description: w.description.trim(), content: w.content.trim() }))
      .filter((w) => w.title && w.content)
      .slice(0, MAX_INDUCED_WORKFLOWS);
    // a workflow that nearly repeats a known one is merged into it by the bank, as lessons are
    return this.bank.add(drafts, { outcome: 'success', source: input.mode, task: input.task, kind: 'workflow' });
  }

  recordRun(run: RunRecord): Promise<void> {
    return this.bank.recordRun(run);
  }
}

function renderWorkflow(item: Pick<MemoryItem, 'title' | 'description' | 'content'>): string {
  return `#### ${clip(item.title, WORKFLOW_CHARS.title)}\nWhen: ${clip(item.description, WORKFLOW_CHARS.description)}\n${truncateMiddle(item.content.trim(), WORKFLOW_CHARS.content)}`;
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}
