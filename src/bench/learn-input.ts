/** What the baseline strategies take from a finished run: only the attempts whose verdict was success. */
import type { AttemptMaterial, LearnInput } from '../engine/lesson-memory';

/** Successful attempts, the chosen one first (it is the one whose patch the run kept). */
export function pickSuccessful(input: LearnInput): AttemptMaterial[] {
  const ok = input.attempts.filter((a) => a.verdict.success && a.verdict.decidedBy !== 'none');
  return ok.sort((a, b) => Number(b.index === input.chosen) - Number(a.index === input.chosen) || a.index - b.index);
}

/** The first line, without Markdown heading marks, as a short name. */
export function taskTitle(task: string): string {
  const line = task.split('\n').find((l) => l.trim()) ?? task;
  const clean = line.replace(/^#+\s*/, '').trim();
  return clean.length > 100 ? clean.slice(0, 99) + '…' : clean;
}
