import type { CommandDef } from '../services';
import { isProgrammaticArg } from '../services';
import { askIssue, parseSolveArgs, runSolve } from '../run-solve';
import { assertTrusted } from '../trust';

/** reasoningBank.solve — one attempt with retrieved lessons. */
export default {
  id: 'reasoningBank.solve',
  async run(s, arg?: unknown) {
    if (isProgrammaticArg(arg)) return runSolve(s, await parseSolveArgs(arg), false);
    assertTrusted('Solve with memory');
    const issue = await askIssue();
    if (!issue) return undefined;
    return runSolve(s, { issue }, true);
  },
} satisfies CommandDef;
