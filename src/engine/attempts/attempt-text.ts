/** How attempts are shown to the model when it compares them (best-of-k, contrast). */
import type { AttemptMaterial } from '../lesson-memory';
import { truncateMiddle } from '../text';

export function testsLine(tests: AttemptMaterial['tests']): string {
  if (!tests) return 'no test command';
  const counts = tests.passed !== null || tests.failed !== null ? ` (${tests.passed ?? '?'} passed, ${tests.failed ?? '?'} failed)` : '';
  if (tests.timedOut) return `tests timed out${counts}`;
  return `tests exit ${tests.exitCode}${counts}`;
}

export function formatAttempts(attempts: AttemptMaterial[], budgetChars: number): string {
  const each = Math.max(1500, Math.floor(budgetChars / Math.max(1, attempts.length)));
  return attempts
    .map((a) => {
      const verdict = a.verdict.success ? 'PASSED' : 'FAILED';
      const diff = a.patch.trim() ? truncateMiddle(a.patch, Math.floor(each * 0.5)) : '(no change)';
      const trajectory = truncateMiddle(a.trajectory, Math.floor(each * 0.4));
      return [
        `### Attempt ${a.index} — ${verdict}; ${testsLine(a.tests)}; ${a.steps} steps`,
        `Judge: ${a.verdict.reason}`,
        'Diff:',
        '```diff',
        diff,
        '```',
        'Trajectory:',
        trajectory,
      ].join('\n');
    })
    .join('\n\n');
}

/** Lines added plus lines removed: the size used to break ties between equally good attempts. */
export function diffSize(patch: string): number {
  let n = 0;
  for (const line of patch.split('\n')) {
    if ((line.startsWith('+') && !line.startsWith('+++')) || (line.startsWith('-') && !line.startsWith('---'))) n++;
  }
  return n;
}
