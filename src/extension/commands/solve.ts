import type { CommandDef } from '../services';
import { isProgrammaticArg } from '../services';
import { askIssue, checkEndpoint, parseSolveArgs, runSolve } from '../run-solve';
import { currentFolder } from '../workspace-folder';
import { readSettings } from '../settings';
import { assertTrusted } from '../trust';

/** reasoningBank.solve — one attempt with retrieved lessons. */
export default {
  id: 'reasoningBank.solve',
  async run(s, arg?: unknown) {
    if (isProgrammaticArg(arg)) return runSolve(s, await parseSolveArgs(arg), false);
    assertTrusted('Solve with memory');
    if (await checkEndpoint(s, readSettings(currentFolder()?.uri), true)) return undefined;
    const issue = await askIssue();
    if (!issue) return undefined;
    return runSolve(s, { issue }, true);
  },
} satisfies CommandDef;
