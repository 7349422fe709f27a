import type { CommandDef } from '../services';
import { askIssue, isSolveArg, parseSolveArgs, runSolve } from '../run-solve';
import { assertTrusted } from '../trust';

/** reasoningBank.solve — one attempt with retrieved lessons. From a Markdown editor's title bar: its text is the issue. */
export default {
  id: 'reasoningBank.solve',
  async run(s, arg?: unknown) {
    if (isSolveArg(arg)) return runSolve(s, parseSolveArgs(arg), false);
    assertTrusted('Solve with memory');
    const issue = await askIssue(arg);
    if (!issue) return undefined;
    return runSolve(s, { issue }, true);
  },
} satisfies CommandDef;
