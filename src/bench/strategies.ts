/**
 * The memory strategies the bench compares. They share the agent, the retrieval plumbing and solve();
 * only what is stored and injected differs. Each strategy keeps its memory in its own folder for the whole
 * stream (all passes), and every task gets a LessonMemory that cannot see items distilled from that task
 * (leave-one-out, by the fnv1a hash of the issue text).
 */
import * as path from 'path';
import type { LessonMemory } from '../engine/lesson-memory';
import type { ChatModel } from '../engine/llm/model';
import { usageError } from '../engine/errors';
import { MemoryBank, taskHash } from '../engine/memory';
import { ReasoningBankMemory } from '../engine/memory/reasoningbank';
import { TrajectoryMemory } from './trajectory-memory';
import { WorkflowMemory } from './workflow-memory';

export const STRATEGIES = ['none', 'trajectory', 'workflow', 'reasoningbank'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

export const STRATEGY_NOTES: Record<StrategyName, string> = {
  none: 'the vanilla agent: no retrieval, no distillation',
  trajectory: 'Synapse-style: successful trajectories stored; the most similar one injected as an exemplar',
  workflow: 'AWM-style: workflows induced from successful trajectories; the relevant ones injected',
  reasoningbank: 'success and failure lessons distilled into the memory bank; the relevant ones injected',
};

export function parseStrategies(list: string): StrategyName[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw usageError('--strategy needs at least one of: ' + STRATEGIES.join(', '));
  const out: StrategyName[] = [];
  for (const name of names) {
    if (!(STRATEGIES as readonly string[]).includes(name)) {
      throw usageError(`unknown strategy "${name}" (choose from ${STRATEGIES.join(', ')}; comma-separated for several)`);
    }
    if (!out.includes(name as StrategyName)) out.push(name as StrategyName);
  }
  return out;
}

/**
 * Every memory strategy keeps its items in a memory bank file of its own (a strategy must never see
 * another's items); the baselines store items of kind 'trajectory' or 'workflow', ReasoningBank lessons.
 */
export function memoryFileOf(memoryDir: string): string {
  return path.join(memoryDir, 'memory.sqlite');
}

export type TaskMemory = { noMemory: true; close(): void } | { noMemory: false; lessonMemory: LessonMemory; close(): void };

/** What solve() gets for one task of the stream; close() it when the task is done. */
export async function memoryForTask(
  strategy: StrategyName,
  opts: { memoryDir: string; task: string; model: ChatModel; onWarn: (message: string) => void },
): Promise<TaskMemory> {
  if (strategy === 'none') return { noMemory: true, close: () => {} };
  const bank = await MemoryBank.open(memoryFileOf(opts.memoryDir), { model: opts.model, onWarn: opts.onWarn });
  // the bank's own hash of the issue text: items distilled from this task are never retrieved for it
  const excludeTaskHash = taskHash(opts.task);
  const lessonMemory =
    strategy === 'trajectory'
      ? new TrajectoryMemory(bank, { excludeTaskHash })
      : strategy === 'workflow'
        ? new WorkflowMemory(bank, { excludeTaskHash })
        : new ReasoningBankMemory(bank, { excludeTaskHash });
  return { noMemory: false, lessonMemory, close: () => bank.close() };
}
