import { numberArg, type CommandDef } from '../services';
import { reviewKey } from '../review-key';

/** reasoningBank.reviewDiff — opens an attempt's patch (default: the chosen one) in a diff editor. */
export default {
  id: 'reasoningBank.reviewDiff',
  async run(s, arg?: unknown) {
    const run = s.runs.last;
    if (!run) throw new Error('no run to review yet: run "Solve with memory" first');
    const chosen = s.runs.patchOf(numberArg(arg, 'attempt'));
    if (!chosen) throw new Error(run.discarded ? 'the patch was discarded' : 'this attempt produced no changes');
    const review = await s.review();
    const files = await review.open(reviewKey(run.ticket, chosen.index), run.folder, chosen.patch, `ReasoningBank attempt #${chosen.index + 1}`);
    return files.map((f) => f.file);
  },
} satisfies CommandDef;
