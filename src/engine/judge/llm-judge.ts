/**
 * The LLM judge: a structured verdict (success + reason) over the issue, the patch, the test results and a
 * summary of what the agent did. It explains the tests' verdict, and decides only where no tests exist
 * (see verdict.ts).
 */
import { z } from 'zod';
import type { ChatModel } from '../llm/model';
import { renderPrompt } from '../prompts';
import { truncateMiddle } from '../text';
import type { TestResult } from '../types';
import { describeTests } from './verdict';

export const judgeSchema = z.object({
  success: z.boolean(),
  reason: z.string(),
});

export type JudgeReply = z.infer<typeof judgeSchema>;

export interface JudgeInput {
  task: string;
  patch: string;
  tests: { baseline: TestResult | null; after: TestResult | null };
  /** a summary of the agent's trajectory */
  trajectory: string;
  signal?: AbortSignal;
}

// Budgets in characters: the whole request stays around 6k tokens even for a large patch.
const TASK_CHARS = 4_000;
const PATCH_CHARS = 12_000;
const TRAJECTORY_CHARS = 5_000;
const TEST_OUTPUT_CHARS = 2_500;

/** Throws (EngineError 'endpoint' / 'model-reply', CancelledError) when no usable verdict comes back. */
export async function llmJudge(model: ChatModel, input: JudgeInput): Promise<JudgeReply> {
  const prompt = renderPrompt('judge', {
    task: truncateMiddle(input.task.trim(), TASK_CHARS),
    tests: formatTests(input.tests),
    patch: input.patch.trim() ? '```diff\n' + truncateMiddle(input.patch.trim(), PATCH_CHARS, 0.7) + '\n```' : '(empty: the agent changed nothing)',
    // the end of a trajectory (the last edits, the final checks) says most about the outcome
    trajectory: truncateMiddle(input.trajectory.trim() || '(no record)', TRAJECTORY_CHARS, 0.3),
  });
  return model.structured({
    name: 'judge',
    schema: judgeSchema,
    messages: [{ role: 'user', content: prompt }],
    signal: input.signal,
  });
}

function formatTests({ baseline, after }: JudgeInput['tests']): string {
  if (!baseline && !after) return 'No test command: judge from the issue and the patch.';
  const lines: string[] = [];
  const command = (after ?? baseline)!.command;
  lines.push(`Command: \`${command}\``);
  if (baseline) lines.push(`Before the attempt: ${describeTests(baseline)}`);
  if (after) {
    lines.push(`After the attempt: ${describeTests(after)}`);
    const output = after.output.trim();
    if (output) lines.push('Output after the attempt (end):', '```', truncateMiddle(output, TEST_OUTPUT_CHARS, 0.2), '```');
  } else {
    lines.push('After the attempt: not run.');
  }
  return lines.join('\n');
}
