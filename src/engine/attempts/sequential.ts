/**
 * MaTTS sequential: one attempt, then up to k refine rounds in the same conversation. After each finish
 * the agent is shown the test result and asked to re-examine its work; it stops early once the tests pass
 * and it confirms. The tests of the final state decide. Each round's patch is kept so the corrections can
 * become lessons.
 */
import type { AttemptMaterial } from '../lesson-memory';
import type { TrajectoryStep } from '../agent/types';
import { renderPrompt } from '../prompts';
import { CancelledError } from '../errors';
import { truncateMiddle } from '../text';
import { type AttemptContext, type AttemptRun, type OpenAttempt, agentIn, failedRun, finishedRun, judgeAttempt, openAttempt, partialWork } from './attempt';
import { runBaseline } from './baseline';
import { testsLine } from './attempt-text';

export async function runSequential(ctx: AttemptContext, rounds: number): Promise<AttemptRun> {
  let open: OpenAttempt | undefined;
  const steps: TrajectoryStep[] = [];
  const baselineRun = runBaseline(ctx, 0);
  try {
    open = await openAttempt(ctx, 0);
    let outcome = await agentIn(ctx, open);
    if (outcome.reason === 'cancelled') throw new CancelledError();
    const { tests: baseline, writes } = await baselineRun;
    let judged = await judgeAttempt(ctx, open, outcome, baseline, writes, 0);
    const history: NonNullable<AttemptMaterial['rounds']> = [
      { round: 0, patch: judged.patch, tests: judged.after, summary: outcome.summary },
    ];
    let totalSteps = outcome.steps;
    steps.push(...outcome.trajectory);
    for (let round = 1; round <= rounds; round++) {
      if (outcome.reason === 'error') break;
      const budget = ctx.maxSteps - totalSteps;
      if (budget <= 0) break;
      ctx.events({ type: 'refine', runId: ctx.runId, attempt: 0, round });
      const tests = judged.after
        ? `Test result after your last change (${judged.after.command}): ${testsLine(judged.after)}.\n\`\`\`\n${truncateMiddle(judged.after.output, 3000)}\n\`\`\``
        : 'There is no test command for this project; check the behaviour yourself.';
      outcome = await agentIn(ctx, open, {
        maxSteps: budget,
        messages: [...outcome.messages, { role: 'user', content: renderPrompt('refine', { tests }) }],
        startStep: totalSteps,
      });
      totalSteps += outcome.steps;
      steps.push(...outcome.trajectory);
      if (outcome.reason === 'cancelled') throw new CancelledError();
      judged = await judgeAttempt(ctx, open, outcome, baseline, writes, round);
      history.push({ round, patch: judged.patch, tests: judged.after, summary: outcome.summary });
      if (judged.verdict.success && /^\s*CONFIRMED\b/i.test(outcome.summary)) break;
    }
    return finishedRun(ctx, open, outcome, judged, baseline, { steps: totalSteps, trajectory: steps, rounds: history });
  } catch (err) {
    return failedRun(ctx, 0, err, open, open && (await partialWork(ctx.runDir, open, steps)));
  } finally {
    await open?.worktree.dispose();
    await baselineRun.catch(() => null);
  }
}
