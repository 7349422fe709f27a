/**
 * The verdict on an attempt. Tests decide where they ran; the LLM judge's reason is kept as the
 * explanation. Without a test command the LLM judge decides. An empty patch is never a success: an
 * attempt that changed nothing fixed nothing, whatever the tests say.
 */
import type { TestResult, Verdict } from '../types';

export interface VerdictInput {
  patch: string;
  after: TestResult | null;
  llm: { success: boolean; reason: string } | null;
  /** why the LLM judge gave nothing (endpoint down, unusable reply), for the reason text */
  llmError?: string;
}

/** Pass = exit 0, no timeout, and no failures counted (a runner piped through `|| true` still fails). */
export function testsPassed(result: TestResult): boolean {
  return result.exitCode === 0 && !result.timedOut && !(result.failed !== null && result.failed > 0);
}

/** "tests pass (12 passed)", "tests fail (1 failed, 3 passed; exit 1)", "tests timed out after 600 s". */
export function describeTests(result: TestResult): string {
  if (result.timedOut) return `tests timed out after ${Math.round(result.durationMs / 1000)} s`;
  const counts: string[] = [];
  if (result.failed !== null && result.failed > 0) counts.push(`${result.failed} failed`);
  if (result.passed !== null) counts.push(`${result.passed} passed`);
  if (testsPassed(result)) return `tests pass (${counts.length ? counts.join(', ') : 'exit 0'})`;
  const exit = result.exitCode === null ? 'killed' : `exit ${result.exitCode}`;
  return `tests fail (${[...counts, exit].join(', ')})`;
}

export function decideVerdict(input: VerdictInput): Verdict {
  const empty = input.patch.trim() === '';
  const judge = input.llm
    ? input.llm.reason.trim() || (input.llm.success ? 'the LLM judge approved' : 'the LLM judge rejected')
    : `the LLM judge was unavailable${input.llmError ? ` (${input.llmError})` : ''}`;

  if (input.after) {
    const facts = describeTests(input.after);
    const pass = testsPassed(input.after);
    if (empty) return { success: false, reason: `no changes were made (empty patch); ${facts} — ${judge}`, decidedBy: 'tests' };
    return { success: pass, reason: `${facts} — ${judge}`, decidedBy: 'tests' };
  }
  if (input.llm) {
    if (empty) return { success: false, reason: `no changes were made (empty patch) — ${judge}`, decidedBy: 'llm' };
    return { success: input.llm.success, reason: `no test command; LLM judge: ${judge}`, decidedBy: 'llm' };
  }
  return {
    success: false,
    reason: `no test command and ${judge}: nothing could decide${empty ? ' (and the patch is empty)' : ''}`,
    decidedBy: 'none',
  };
}
